// One HTTP/1.1 connection (Beast advanced/server style, conventions 11/13/14): a chain of
// DoRead/OnRead -> (router on the worker pool) -> DoWrite/OnWrite steps, all on the
// connection's strand, kept alive by shared_from_this(). Keep-alive, a body limit (413),
// a header limit (431), a read/write timeout per request, error_code on the I/O path.
// Every response it sends (routed, or answered before routing) is recorded once: the
// request log line (middleware/request_log) and the request metrics (middleware/metrics).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "api/middleware/forwarded.hpp"
#include "api/router.hpp"
#include "api/session_options.hpp"

namespace docledger::api {

class Session;

// The live sessions of one server, so that a graceful stop can close idle keep-alive
// connections at once and wait for busy ones. Thread-safe.
class SessionRegistry {
 public:
  void Add(const std::shared_ptr<Session>& session);
  void Remove(const Session* session);

  bool stopping() const { return stopping_.load(); }
  // From now on no connection is kept alive; idle ones are closed now, busy ones after
  // their current response.
  void BeginShutdown();
  // Closes every connection now (the graceful deadline has passed).
  void CloseAll();
  // True if every session has ended before `deadline`.
  bool WaitUntilEmpty(std::chrono::steady_clock::time_point deadline);
  std::size_t size() const;

 private:
  std::vector<std::shared_ptr<Session>> Snapshot() const;

  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable empty_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
};

using beast_error_code = boost::beast::error_code;

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `socket` must have been accepted onto its own strand (the listener does this).
  Session(boost::asio::ip::tcp::socket&& socket, const Router& router,
          boost::asio::thread_pool::executor_type workers,
          std::shared_ptr<SessionRegistry> registry, SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Run();
  // Thread-safe. Closes the connection now if it waits for a new request; otherwise the
  // current response is sent with "Connection: close" and the connection closed after it.
  void Shutdown();
  // Thread-safe. Closes the connection now.
  void Close();

 private:
  void DoRead();
  // Reads until the buffer holds a whole header (or more than the header limit), looks at
  // its raw bytes (request_framing.hpp), then lets Beast parse it.
  void DoReadHeaderBytes();
  void OnHeaderBytes(boost::beast::error_code ec, std::size_t bytes);
  void ParseHeader();
  void OnReadHeader(boost::beast::error_code ec, std::size_t bytes);
  void OnContinueWritten(boost::beast::error_code ec, std::size_t bytes);
  void DoReadBody();
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void OnReadError(boost::beast::error_code ec);
  void SendEarlyError(const HttpError& error);
  void Dispatch(Request request);
  void OnHandled(Response response, std::shared_ptr<StreamProducer> producer = nullptr);
  // Streaming responses (Server-Sent Events): headers, then chunks from the producer until
  // the client leaves or the server stops. The connection closes at the end.
  void StartStream(const Response& headers);
  void StreamStep();
  void OnStreamChunk(std::string chunk);
  void OnStreamWritten(beast_error_code ec, std::size_t bytes);
  void DoWrite();
  void OnWrite(bool close, boost::beast::error_code ec, std::size_t bytes);
  void DoClose();
  void DoDrain();
  void OnDrain(boost::beast::error_code ec, std::size_t bytes);
  // Remembers what RecordRequest needs of the request being answered (method, path, and
  // what a trusted proxy says about the client); Clear: nothing of it could be parsed.
  void NoteRequest(const Request& request);
  void ClearRequest();
  // The request log line and the request metrics of `response`.
  void RecordRequest(const Response& response) const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_response_;
  Response response_;
  std::shared_ptr<StreamProducer> producer_;
  boost::asio::steady_timer stream_timer_;
  std::string stream_out_;
  std::chrono::steady_clock::time_point stream_last_write_{};
  const Router& router_;
  boost::asio::thread_pool::executor_type workers_;
  std::shared_ptr<SessionRegistry> registry_;
  SessionOptions options_;
  std::string remote_;

  bool reading_ = false;         // a request read is outstanding
  std::size_t header_scanned_ = 0;  // bytes of buffer_ already searched for the header's end
  bool obsolete_fold_ = false;      // the current request's header has obs-fold
  bool linger_on_close_ = false;  // unread request bytes may follow: drain before closing
  std::vector<char> drain_buffer_;
  std::size_t drained_ = 0;

  // Of the current request, for RecordRequest.
  std::string method_;
  std::string path_;
  ForwardedClient forwarded_;  // from X-Forwarded-* when options_.trust_proxy
  RoutingOutcome routing_;  // route pattern and actor, from the router
  std::chrono::steady_clock::time_point started_{};
};

}  // namespace docledger::api
