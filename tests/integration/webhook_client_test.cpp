// The webhook client's connection over real sockets (no database): it keeps its connection
// between requests when the receiver allows it, and replaces once a kept connection the
// receiver closed meanwhile, so no request is lost and none is sent twice.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "alerting/webhook_client.hpp"

namespace docledger::testing {
namespace {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Answers 200 to every request; `one_per_connection`: closes each connection after its
// first answer without announcing it (as a receiver's idle timeout would).
class Receiver {
 public:
  explicit Receiver(bool one_per_connection)
      : one_per_connection_(one_per_connection), acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accepting_ = std::thread([this] { Accept(); });
  }
  ~Receiver() {
    stop_ = true;
    tcp::socket wake(ioc_);  // a blocking accept is not woken by closing the acceptor
    boost::system::error_code ec;
    wake.connect(acceptor_.local_endpoint(), ec);
    accepting_.join();
    for (auto& thread : serving_) thread.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/hook"; }
  int connections() const { return connections_; }
  int requests() const { return requests_; }

 private:
  void Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      ++connections_;
      serving_.emplace_back([this, s = std::make_shared<tcp::socket>(std::move(socket))] { Serve(*s); });
    }
  }
  void Serve(tcp::socket& socket) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      boost::system::error_code ec;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      ++requests_;
      http::response<http::string_body> response{http::status::ok, 11};
      response.body() = "ok";
      response.prepare_payload();
      http::write(socket, response, ec);
      if (ec || one_per_connection_) break;
    }
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  const bool one_per_connection_;
  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread accepting_;
  std::vector<std::thread> serving_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
};

TEST(WebhookClient, KeepsItsConnectionBetweenRequests) {
  Receiver receiver(/*one_per_connection=*/false);
  alerting::WebhookClient client(receiver.Url());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.Post("{}").status, 200u);
  EXPECT_EQ(receiver.requests(), 3);
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(WebhookClient, AKeptConnectionTheReceiverClosedIsReplacedAndNothingIsSentTwice) {
  Receiver receiver(/*one_per_connection=*/true);
  alerting::WebhookClient client(receiver.Url());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.Post("{}").status, 200u) << i;
  EXPECT_EQ(receiver.requests(), 3);
  EXPECT_EQ(receiver.connections(), 3);
}

}  // namespace
}  // namespace docledger::testing
