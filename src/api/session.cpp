#include "api/session.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/core/string.hpp>
#include <spdlog/common.h>

#include "api/correlation_id.hpp"
#include "api/request_framing.hpp"
#include "infrastructure/logging.hpp"
#include "api/middleware/metrics.hpp"
#include "api/middleware/request_log.hpp"

namespace docledger::api {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// After an error response whose request was not read to the end, keep reading (and
// discarding) for a short while so that closing does not reset the connection before
// the client has read the response.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kMaxLingerBytes = 8 * 1024 * 1024;

}  // namespace

// ------------------------------------------------------------------ SessionRegistry

void SessionRegistry::Add(const std::shared_ptr<Session>& session) {
  const std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void SessionRegistry::Remove(const Session* session) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (sessions_.empty()) empty_.notify_all();
}

std::vector<std::shared_ptr<Session>> SessionRegistry::Snapshot() const {
  std::vector<std::weak_ptr<Session>> weak;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [ptr, session] : sessions_) weak.push_back(session);
  }
  // lock() outside the mutex: if ours becomes the last reference, ~Session calls Remove.
  std::vector<std::shared_ptr<Session>> live;
  for (auto& w : weak) {
    if (auto s = w.lock()) live.push_back(std::move(s));
  }
  return live;
}

void SessionRegistry::BeginShutdown() {
  stopping_.store(true);
  for (const auto& session : Snapshot()) session->Shutdown();
}

void SessionRegistry::CloseAll() {
  for (const auto& session : Snapshot()) session->Close();
}

bool SessionRegistry::WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return empty_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

std::size_t SessionRegistry::size() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

// -------------------------------------------------------------------------- Session

Session::Session(tcp::socket&& socket, const Router& router,
                 net::thread_pool::executor_type workers,
                 std::shared_ptr<SessionRegistry> registry, SessionOptions options)
    : stream_(std::move(socket)),
      stream_timer_(stream_.get_executor()),
      router_(router),
      workers_(workers),
      registry_(std::move(registry)),
      options_(options) {
  beast::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string();
}

Session::~Session() { registry_->Remove(this); }

void Session::Run() {
  registry_->Add(shared_from_this());
  // The socket's executor is this connection's strand; start there.
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Session::DoRead, shared_from_this()));
}

void Session::Shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // Idle: waiting for the first byte of a new request, and none has arrived in the
    // socket either (bytes the client sent before the shutdown began are a request in
    // flight, even when the read has not picked them up yet). Busy sessions see stopping()
    // after their response and close then.
    beast::error_code ec;
    const auto unread = self->stream_.socket().available(ec);
    if (self->reading_ && self->parser_ && !self->parser_->got_some() &&
        self->buffer_.size() == 0 && (ec || unread == 0)) {
      self->stream_.cancel();
    }
  });
}

void Session::Close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
}

void Session::DoRead() {
  if (registry_->stopping()) return DoClose();
  started_ = {};
  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(options_.max_header_bytes);
  // One deadline for the whole request: a slow client cannot hold the connection.
  stream_.expires_after(options_.request_timeout);
  reading_ = true;
  header_scanned_ = 0;
  obsolete_fold_ = false;
  DoReadHeaderBytes();
}

void Session::DoReadHeaderBytes() {
  // Beast, too, parses a header only once its empty line has arrived, so these are the
  // bytes it will parse. What it would accept but a proxy may read differently is refused
  // once the header is parsed (so that the answer and the log line name the request).
  const auto data = buffer_.data();
  const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
  const auto scan = ScanRequestHeader(bytes, header_scanned_);
  header_scanned_ = bytes.size();
  if (scan.state == HeaderScan::State::kIncomplete && bytes.size() <= options_.max_header_bytes) {
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            beast::bind_front_handler(&Session::OnHeaderBytes, shared_from_this()));
    return;
  }
  obsolete_fold_ = scan.state == HeaderScan::State::kObsoleteFold;
  ParseHeader();  // a whole header, or more than the limit (which the parser reports: 431)
}

void Session::OnHeaderBytes(beast::error_code ec, std::size_t bytes) {
  buffer_.commit(bytes);
  if (ec == net::error::eof) {
    // What Beast's read makes of it: the client closed between requests (end_of_stream),
    // or in the middle of a header (partial_message, answered with 400).
    return OnReadError(buffer_.size() == 0 ? beast::http::error::end_of_stream : beast::http::error::partial_message);
  }
  if (ec) return OnReadError(ec);
  DoReadHeaderBytes();
}

void Session::ParseHeader() {
  beast::http::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
}

void Session::OnReadHeader(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  started_ = std::chrono::steady_clock::now();
  // Request smuggling: framing whose body length a proxy in front of us may read
  // differently. Refused before the body is read; the connection closes after the answer.
  if (obsolete_fold_) {
    reading_ = false;
    return SendEarlyError(HttpError::BadRequest(
        "obsolete line folding (a header line starting with a space or a tab) is not accepted"));
  }
  if (auto framing = FramingError(parser_->get())) {
    reading_ = false;
    return SendEarlyError(*framing);
  }
  const auto& request = parser_->get();
  const auto expect = request[beast::http::field::expect];
  if (request.version() >= 11 && beast::iequals(expect, "100-continue")) {
    // The client waits for this before sending the body (the body limit was already
    // checked against Content-Length, so a too-large upload is refused before it is sent).
    continue_response_ = {beast::http::status::continue_, request.version()};
    beast::http::async_write(
        stream_, continue_response_,
        beast::bind_front_handler(&Session::OnContinueWritten, shared_from_this()));
    return;
  }
  DoReadBody();
}

void Session::OnContinueWritten(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  DoReadBody();
}

void Session::DoReadBody() {
  beast::http::async_read(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::OnRead, shared_from_this()));
}

void Session::OnRead(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  reading_ = false;
  Dispatch(parser_->release());
}

void Session::OnReadError(beast::error_code ec) {
  reading_ = false;
  namespace http = beast::http;
  if (ec == http::error::end_of_stream) return DoClose();  // the client closed: normal
  if (ec == net::error::operation_aborted || ec == beast::error::timeout) {
    return;  // closed by us (shutdown) or by the timer; nothing can be sent
  }
  if (ec == http::error::body_limit) {
    return SendEarlyError(HttpError::PayloadTooLarge(
        "request body exceeds the limit of " + std::to_string(options_.max_body_bytes) +
        " bytes"));
  }
  if (ec == http::error::header_limit) {
    return SendEarlyError(HttpError(http::status::request_header_fields_too_large,
                                    "headers_too_large",
                                    "request headers exceed the limit of " +
                                        std::to_string(options_.max_header_bytes) + " bytes"));
  }
  if (ec == http::error::partial_message) {
    // The client closed its side in the middle of a request (e.g. fewer body bytes than its
    // Content-Length). It may still be reading (a half-close): tell it; if it is gone, the
    // write fails and the connection closes as before.
    return SendEarlyError(HttpError::BadRequest("the request ended before it was complete (the connection "
                                                "was closed in the middle of its header or body)"));
  }
  if (ec.category() == beast::http::make_error_code(http::error::bad_method).category()) {
    return SendEarlyError(HttpError::BadRequest("malformed HTTP request: " + ec.message()));
  }
  // Connection reset, ...: nobody to answer.
}

void Session::SendEarlyError(const HttpError& error) {
  // The parser may have stopped at the end of the header (body_limit from Content-Length)
  // or before parsing anything (header_limit); use what it has.
  const bool have_header = parser_ && !parser_->get().target().empty();
  const std::string correlation_id =
      parser_ ? CorrelationIdOf(parser_->get()) : GenerateCorrelationId();
  const unsigned version = have_header ? parser_->get().version() : 11;
  if (have_header) {
    NoteRequest(parser_->get());
  } else {
    ClearRequest();
  }
  routing_ = {};  // answered before routing
  if (started_ == std::chrono::steady_clock::time_point{}) {
    started_ = std::chrono::steady_clock::now();
  }
  linger_on_close_ = true;
  OnHandled(ErrorResponse(error, correlation_id, version, /*keep_alive=*/false));
}

namespace {

// The router's answer; Handle catches everything a handler throws, so what reaches the
// catch here is bad_alloc & co.
std::pair<Response, RoutingOutcome> Route(const Router& router, const Request& request) {
  Response response;
  RoutingOutcome routing;
  try {
    response = router.Handle(request, &routing);
  } catch (...) {
    routing.stream.reset();
    response = ErrorResponse(HttpError(beast::http::status::internal_server_error, "internal",
                                       "internal server error"),
                             CorrelationIdOf(request), request.version(), false);
  }
  return {std::move(response), std::move(routing)};
}

}  // namespace

void Session::Dispatch(Request request) {
  NoteRequest(request);
  const auto finish = [](const std::shared_ptr<Session>& self, Response response, RoutingOutcome routing) {
    auto producer = std::move(routing.stream);
    self->routing_ = std::move(routing);
    self->OnHandled(std::move(response), std::move(producer));
  };
  // A handler that cannot block answers here, on this connection's strand.
  if (router_.RunsInline(request)) {
    auto [response, routing] = Route(router_, request);
    return finish(shared_from_this(), std::move(response), std::move(routing));
  }
  // The others may block (PostgreSQL): run them on the worker pool, then come back to this
  // connection's strand with the response.
  net::post(workers_, [self = shared_from_this(), request = std::move(request), finish] {
    auto [response, routing] = Route(self->router_, request);
    net::post(self->stream_.get_executor(),
              [self, finish, response = std::move(response), routing = std::move(routing)]() mutable {
                finish(self, std::move(response), std::move(routing));
              });
  });
}

void Session::OnHandled(Response response, std::shared_ptr<StreamProducer> producer) {
  if (registry_->stopping()) response.keep_alive(false);
  RecordRequest(response);
  if (producer && response.result() == beast::http::status::ok) {
    producer_ = std::move(producer);
    return StartStream(response);
  }
  response_ = std::move(response);
  DoWrite();
}

// ------------------------------------------------------------------ streaming

namespace {
// How often a waiting stream looks whether the producer has something, and how long it
// may stay silent before a comment line checks that the client is still there.
constexpr auto kStreamPoll = std::chrono::milliseconds(50);
constexpr auto kStreamKeepAlive = std::chrono::seconds(15);
}  // namespace

void Session::StartStream(const Response& headers) {
  // Close-delimited: no Content-Length, no chunking; the body ends when we close.
  stream_out_ = "HTTP/1.1 200 OK\r\n";
  for (const auto& field : headers.base()) {
    if (field.name() == beast::http::field::content_length || field.name() == beast::http::field::connection) {
      continue;
    }
    stream_out_ += std::string(field.name_string()) + ": " + std::string(field.value()) + "\r\n";
  }
  stream_out_ += "Connection: close\r\n\r\n";
  stream_.expires_after(options_.request_timeout);
  net::async_write(stream_, net::buffer(stream_out_),
                   beast::bind_front_handler(&Session::OnStreamWritten, shared_from_this()));
}

void Session::OnStreamWritten(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return;  // the client went away (or the timeout cut a client that does not read)
  stream_last_write_ = std::chrono::steady_clock::now();
  StreamStep();
}

void Session::StreamStep() {
  if (registry_->stopping()) return DoClose();
  bool ready = false;
  try {
    ready = producer_->Ready();
  } catch (...) {
    return DoClose();
  }
  if (ready) {
    net::post(workers_, [self = shared_from_this()] {
      std::string chunk;
      bool failed = false;
      try {
        chunk = self->producer_->Read();
      } catch (const std::exception& e) {
        infrastructure::LogEvent(spdlog::level::warn, "event stream ended", {{"detail", e.what()}});
        failed = true;
      }
      net::post(self->stream_.get_executor(), [self, chunk = std::move(chunk), failed]() mutable {
        if (failed) return self->DoClose();
        self->OnStreamChunk(std::move(chunk));
      });
    });
    return;
  }
  if (std::chrono::steady_clock::now() - stream_last_write_ >= kStreamKeepAlive) {
    return OnStreamChunk(": keep-alive\n\n");
  }
  stream_timer_.expires_after(kStreamPoll);
  stream_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->StreamStep();
  });
}

void Session::OnStreamChunk(std::string chunk) {
  if (chunk.empty()) {
    stream_timer_.expires_after(kStreamPoll);
    stream_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->StreamStep();
    });
    return;
  }
  stream_out_ = std::move(chunk);
  stream_.expires_after(options_.request_timeout);
  net::async_write(stream_, net::buffer(stream_out_),
                   beast::bind_front_handler(&Session::OnStreamWritten, shared_from_this()));
}

void Session::DoWrite() {
  stream_.expires_after(options_.request_timeout);  // a client that does not read is cut off
  const bool close = response_.need_eof();
  beast::http::async_write(
      stream_, response_,
      beast::bind_front_handler(&Session::OnWrite, shared_from_this(), close));
}

void Session::OnWrite(bool close, beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) return;  // timeout, reset, closed by Close(): the stream is done
  response_ = {};
  if (close) return DoClose();
  DoRead();
}

void Session::DoClose() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (linger_on_close_ && !ec) {
    linger_on_close_ = false;
    drain_buffer_.resize(16 * 1024);
    stream_.expires_after(std::min<std::chrono::steady_clock::duration>(
        kLingerTime, options_.request_timeout));
    return DoDrain();
  }
  // Returning drops the last reference: the socket closes in ~Session.
}

void Session::DoDrain() {
  stream_.async_read_some(net::buffer(drain_buffer_),
                          beast::bind_front_handler(&Session::OnDrain, shared_from_this()));
}

void Session::OnDrain(beast::error_code ec, std::size_t bytes) {
  drained_ += bytes;
  if (ec || drained_ > kMaxLingerBytes) return;  // EOF, timeout or enough: close
  DoDrain();
}

void Session::NoteRequest(const Request& request) {
  method_ = std::string(request.method_string());
  path_ = PathOf(request.target());
  forwarded_ = {};
  if (!options_.trust_proxy) return;  // anyone can send these headers: believe only our proxy
  const auto header = [&request](std::string_view name) {
    const auto it = request.find(name);
    return it == request.end() ? std::string_view() : std::string_view(it->value());
  };
  forwarded_ = ParseForwarded(header("X-Forwarded-For"), header("X-Forwarded-Proto"));
}

void Session::ClearRequest() {
  method_.clear();
  path_.clear();
  forwarded_ = {};
}

void Session::RecordRequest(const Response& response) const {
  RequestSummary summary;
  summary.method = method_;
  summary.path = path_;
  summary.route = routing_.pattern;
  summary.status = response.result_int();
  summary.duration = std::chrono::steady_clock::now() - started_;
  summary.actor = routing_.actor;
  const auto id = response.find(kCorrelationIdHeader);
  if (id != response.end()) summary.correlation_id = std::string(id->value());
  summary.bytes_out = response.body().size();
  summary.remote = remote_;
  if (!forwarded_.address.empty()) {
    summary.remote = forwarded_.address;
    summary.proxy = remote_;
  }
  if (!forwarded_.scheme.empty()) summary.scheme = forwarded_.scheme;
  LogRequest(summary);
  if (options_.metrics != nullptr) RecordRequestMetrics(*options_.metrics, summary);
}

}  // namespace docledger::api
