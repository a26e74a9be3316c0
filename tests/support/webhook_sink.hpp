// A real local HTTP server standing in for an alert webhook (Slack, PagerDuty...): records
// the bodies it receives, answers with a status the test chooses, and can be taken down
// (connections refused) and brought up again on the same port.
#pragma once

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "tests/support/wait.hpp"

namespace docledger::testing {

// A certificate and its key (PEM files) for a TLS sink.
struct TlsFiles {
  std::string certificate;
  std::string key;
};

class WebhookSink {
 public:
  // Plain HTTP, or HTTPS with `tls`.
  explicit WebhookSink(std::optional<TlsFiles> tls = std::nullopt) : work_(boost::asio::make_work_guard(ioc_)) {
    if (tls) {
      tls_.emplace(boost::asio::ssl::context::tls_server);
      tls_->use_certificate_chain_file(tls->certificate);
      tls_->use_private_key_file(tls->key, boost::asio::ssl::context::pem);
    }
    Open(0);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~WebhookSink() {
    Release();
    OnIoThread([this] {
      if (acceptor_) acceptor_->close();
    });
    work_.reset();
    ioc_.stop();
    thread_.join();
  }
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  unsigned short port() const { return port_; }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The status of later answers (200 at first).
  void SetStatus(unsigned status) {
    std::lock_guard lock(mutex_);
    status_ = status;
  }
  // Non-2xx answers carry this Retry-After (empty: none).
  void SetRetryAfter(std::string value) {
    std::lock_guard lock(mutex_);
    retry_after_ = std::move(value);
  }
  // While held, a request is read (and counted) but not answered until Release(): a
  // delivery in flight, for crash tests.
  void Hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(mutex_);
      held_ = false;
    }
    release_.notify_all();
  }
  // Stop listening: connections are refused until Up().
  void Down() {
    OnIoThread([this] {
      acceptor_->close();
      acceptor_.reset();
    });
  }
  void Up() {
    OnIoThread([this] { Open(port_); });
  }
  // Bodies of the requests answered with 2xx, in arrival order.
  std::vector<std::string> Delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
  }
  // Every request received (any answer).
  std::size_t Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // TLS handshakes the client gave up (it did not trust the certificate).
  std::size_t FailedHandshakes() const {
    std::lock_guard lock(mutex_);
    return failed_handshakes_;
  }
  // The 2xx-answered requests as received: body and Standard Webhooks headers.
  struct Received {
    std::string body;
    std::string id;         // webhook-id
    std::string timestamp;  // webhook-timestamp
    std::string signature;  // webhook-signature
    std::chrono::steady_clock::time_point at;
  };
  std::vector<Received> Receipts() const {
    std::lock_guard lock(mutex_);
    return receipts_;
  }
  // When each request arrived (any answer), in order.
  std::vector<std::chrono::steady_clock::time_point> Arrivals() const {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }
  // The webhook-id of every request received (any answer), in order.
  std::vector<std::string> RequestIds() const {
    std::lock_guard lock(mutex_);
    return request_ids_;
  }
  bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    return delivered_signal_.WaitUntil([&] { return Requests() >= n; }, timeout);
  }
  std::vector<std::string> ContentTypes() const {
    std::lock_guard lock(mutex_);
    return content_types_;
  }
  // Until `condition` (which may read this sink) holds, woken at every request.
  template <typename Condition>
  bool WaitFor(Condition&& condition, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    return delivered_signal_.WaitUntil(std::forward<Condition>(condition), timeout);
  }
  bool WaitForDelivered(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    return delivered_signal_.WaitUntil([&] { return Delivered().size() >= n; }, timeout);
  }

 private:
  template <typename Fn>
  void OnIoThread(Fn fn) {
    std::promise<void> done;
    boost::asio::post(ioc_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  void Open(unsigned short port) {
    using boost::asio::ip::tcp;
    acceptor_.emplace(ioc_);
    const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(tcp::acceptor::reuse_address(true));
    acceptor_->bind(endpoint);
    acceptor_->listen();
    port_ = acceptor_->local_endpoint().port();
    Accept();
  }

  void Accept() {
    acceptor_->async_accept([this](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;  // closed (Down or destruction)
      Serve(std::move(socket));
      if (acceptor_ && acceptor_->is_open()) Accept();
    });
  }

  // One request per connection, served synchronously on the io thread (tests send few).
  void Serve(boost::asio::ip::tcp::socket socket) {
    if (!tls_) {
      Exchange(socket);
    } else {
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, *tls_);
      boost::system::error_code ec;
      stream.handshake(boost::asio::ssl::stream_base::server, ec);
      if (ec) {
        std::lock_guard lock(mutex_);
        ++failed_handshakes_;
        return;
      }
      Exchange(stream);
    }
    boost::system::error_code ec;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  }

  template <typename Stream>
  void Exchange(Stream& stream) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    boost::system::error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    unsigned status = 200;
    std::string retry_after;
    {
      std::unique_lock lock(mutex_);
      ++requests_;
      arrivals_.push_back(std::chrono::steady_clock::now());
      request_ids_.push_back(std::string(request["webhook-id"]));
      if (held_) {
        lock.unlock();
        delivered_signal_.Notify();
        lock.lock();
        release_.wait(lock, [&] { return !held_; });
      }
      status = status_;
      retry_after = retry_after_;
      if (status >= 200 && status < 300) {
        delivered_.push_back(request.body());
        content_types_.push_back(std::string(request[http::field::content_type]));
        receipts_.push_back({request.body(), std::string(request["webhook-id"]),
                             std::string(request["webhook-timestamp"]), std::string(request["webhook-signature"]),
                             std::chrono::steady_clock::now()});
      }
    }
    delivered_signal_.Notify();
    http::response<http::string_body> response{static_cast<http::status>(status), 11};
    response.set(http::field::content_type, "text/plain");
    if ((status < 200 || status >= 300) && !retry_after.empty()) response.set(http::field::retry_after, retry_after);
    response.body() = status >= 200 && status < 300 ? "ok" : "sink failure";
    response.prepare_payload();
    http::write(stream, response, ec);
  }

  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  mutable Signal delivered_signal_;  // woken at every request
  unsigned status_ = 200;
  std::size_t requests_ = 0;
  std::size_t failed_handshakes_ = 0;
  std::vector<std::string> delivered_;
  std::vector<std::string> content_types_;
  std::vector<Received> receipts_;
  std::vector<std::chrono::steady_clock::time_point> arrivals_;
  std::vector<std::string> request_ids_;
  std::string retry_after_;
  bool held_ = false;
  std::condition_variable release_;
};

}  // namespace docledger::testing
