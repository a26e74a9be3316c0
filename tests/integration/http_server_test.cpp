// A real Server on 127.0.0.1:0 and a Beast synchronous client over a real socket.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include "api/handlers/health_handler.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "tests/support/raw_http.hpp"

namespace docledger::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::size_t kBodyLimit = 4096;

// One client connection; every blocking call gives up after 5 s so a bug cannot hang CI.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }

  Response Send(http::verb method, const std::string& target, std::string body = "",
                const std::string& correlation_id = "") {
    Request request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!correlation_id.empty()) request.set("X-Correlation-ID", correlation_id);
    request.body() = std::move(body);
    request.prepare_payload();
    http::write(socket_, request);
    return Receive();
  }

  Response Receive() {
    Response response;
    http::read(socket_, buffer_, response);
    return response;
  }

  void WriteRaw(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }

  // True when the server has closed the connection (EOF / reset before any byte).
  bool ServerClosed() {
    char byte;
    beast::error_code ec;
    socket_.read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    AddHealthRoutes(router_, {"9.9.9", [this]() -> ReadinessReport {
                                if (ready_.load()) return {true, ""};
                                return {false, "pending migrations: 002_x.sql"};
                              }});
    router_.Add(http::verb::post, "/echo", [](const RequestContext& ctx) {
      return JsonResponse(http::status::ok, {{"bytes", ctx.request.body().size()}});
    });
    router_.Add(http::verb::get, "/slow", [this](const RequestContext&) {
      slow_started_.set_value();
      slow_release_.wait();  // held in flight until the test lets it finish
      return JsonResponse(http::status::ok, {{"slow", true}});
    });
  }

  void StartServer(std::chrono::milliseconds request_timeout = 5s) {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.max_body_bytes = kBodyLimit;
    options.request_timeout = request_timeout;
    server_ = std::make_unique<Server>(options, router_);
    server_->Start();
    ASSERT_NE(server_->Port(), 0);
  }

  void SetUp() override { StartServer(); }
  void TearDown() override {
    ReleaseSlow();  // never leave a handler blocked, whatever the test did
    server_->Stop(1s);
  }
  void ReleaseSlow() {
    if (!slow_released_.exchange(true)) release_slow_.set_value();
  }

  std::atomic<bool> ready_{true};
  std::promise<void> slow_started_;
  std::promise<void> release_slow_;
  std::shared_future<void> slow_release_ = release_slow_.get_future().share();
  std::atomic<bool> slow_released_{false};
  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(server_->Port());
  const auto first = client.Send(http::verb::get, "/health");
  EXPECT_EQ(first.result(), http::status::ok);
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(json::parse(first.body())["status"], "healthy");
  EXPECT_EQ(json::parse(first.body())["version"], "9.9.9");
  const auto second = client.Send(http::verb::post, "/echo", "hello");
  EXPECT_EQ(second.result(), http::status::ok);
  EXPECT_EQ(json::parse(second.body())["bytes"], 5);
}

TEST_F(HttpServerTest, BodyOverTheLimitGives413) {
  Client client(server_->Port());
  const auto ok = client.Send(http::verb::post, "/echo", std::string(kBodyLimit, 'x'));
  EXPECT_EQ(ok.result(), http::status::ok);
  const auto response = client.Send(http::verb::post, "/echo", std::string(kBodyLimit + 1, 'x'),
                                    "too-big-1");
  EXPECT_EQ(response.result(), http::status::payload_too_large);
  const json body = json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "payload_too_large");
  EXPECT_EQ(body["error"]["correlation_id"], "too-big-1");
  EXPECT_FALSE(response.keep_alive());
}

TEST_F(HttpServerTest, LargeBodyOverTheLimitStillGetsTheResponse) {
  // The server drains what the client is still sending, so the 413 is not lost to a reset.
  Client client(server_->Port());
  const auto response = client.Send(http::verb::post, "/echo", std::string(512 * 1024, 'x'));
  EXPECT_EQ(response.result(), http::status::payload_too_large);
}

TEST_F(HttpServerTest, ExpectContinueIsAnsweredBeforeTheBody) {
  Client client(server_->Port());
  client.WriteRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                  "Expect: 100-continue\r\n\r\n");
  const auto interim = client.Receive();
  EXPECT_EQ(interim.result(), http::status::continue_);
  client.WriteRaw("abc");
  const auto response = client.Receive();
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(json::parse(response.body())["bytes"], 3);
}

TEST_F(HttpServerTest, UnknownPathGives404JsonBody) {
  Client client(server_->Port());
  const auto response = client.Send(http::verb::get, "/api/v1/nothing");
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  const json body = json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["correlation_id"], std::string(response["X-Correlation-ID"]));
}

TEST_F(HttpServerTest, CorrelationIdIsEchoed) {
  Client client(server_->Port());
  EXPECT_EQ(client.Send(http::verb::get, "/health/live", "", "abc-123")["X-Correlation-ID"],
            "abc-123");
  EXPECT_EQ(client.Send(http::verb::get, "/health/live")["X-Correlation-ID"].size(), 36u);
}

TEST_F(HttpServerTest, ReadyFollowsTheReadinessFunction) {
  Client client(server_->Port());
  auto response = client.Send(http::verb::get, "/health/ready");
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(json::parse(response.body()), json({{"status", "ready"}}));

  ready_ = false;
  response = client.Send(http::verb::get, "/health/ready");
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_EQ(json::parse(response.body()),
            json({{"status", "not_ready"}, {"reason", "pending migrations: 002_x.sql"}}));
}

TEST_F(HttpServerTest, MalformedRequestGives400) {
  Client client(server_->Port());
  client.WriteRaw("GET /health HTTP/1.1\r\nHost x\r\n\r\n");
  const auto response = client.Receive();
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(json::parse(response.body())["error"]["code"], "bad_request");
}

TEST_F(HttpServerTest, OversizedHeadersGive431) {
  Client client(server_->Port());
  client.WriteRaw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
                  "\r\n\r\n");
  const auto response = client.Receive();
  EXPECT_EQ(response.result(), http::status::request_header_fields_too_large);
}

TEST_F(HttpServerTest, GracefulStopAnswersTheRequestInFlightAndClosesIdleConnections) {
  Client idle(server_->Port());
  EXPECT_EQ(idle.Send(http::verb::get, "/health/live").result(), http::status::ok);

  Client busy(server_->Port());
  auto in_flight = std::async(std::launch::async, [&busy] {
    return busy.Send(http::verb::get, "/slow");
  });
  slow_started_.get_future().wait();
  auto stopping = std::async(std::launch::async, [this] { server_->Stop(5s); });
  // The idle connection is closed once shutdown has begun; only then may /slow finish.
  EXPECT_TRUE(idle.ServerClosed());
  ReleaseSlow();
  // Stop returns once the request in flight is answered, well before its 5 s deadline.
  EXPECT_EQ(stopping.wait_for(3s), std::future_status::ready);

  const auto response = in_flight.get();
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_FALSE(response.keep_alive());  // "Connection: close" while stopping
  EXPECT_THROW(Client{server_->Port()}, boost::system::system_error);  // no longer accepting
}

TEST_F(HttpServerTest, SlowClientIsCutOffByTheRequestTimeout) {
  server_->Stop(1s);
  StartServer(300ms);
  Client client(server_->Port());
  client.WriteRaw("GET /health HTTP/1.1\r\nHo");  // ... and nothing more
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ServerClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

// Request smuggling: a message whose framing a proxy in front of us may read differently
// (where its body ends, so where the next request starts). Each is refused before its
// body is read, with the JSON error body and "Connection: close", and the connection is
// closed: the request pipelined after it on the same connection gets no answer (the client
// reads until EOF). Beast 1.74 itself refuses Content-Length with Transfer-Encoding and
// differing Content-Lengths; it unfolds obs-fold and ignores codings it does not know, so
// those are refused by the session (api/request_framing.hpp).
TEST_F(HttpServerTest, AmbiguouslyFramedRequestsAreRefusedAndTheConnectionClosed) {
  struct Case {
    std::string name;
    std::string request;  // head and body; the pipelined request follows
    int status;
    std::string code;
  };
  const std::string post = "POST /echo HTTP/1.1\r\nHost: x\r\n";
  const std::vector<Case> cases = {
      {"Content-Length, then Transfer-Encoding: chunked",
       post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"},
      {"Transfer-Encoding: chunked, then Content-Length",
       post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400, "bad_request"},
      {"obs-fold (a header line starting with a space)",
       post + "X-Note: a\r\n folded\r\nContent-Length: 2\r\n\r\nhi", 400, "bad_request"},
      {"obs-fold (a header line starting with a tab)",
       post + "Content-Length: 2\r\nX-Note: a\r\n\tfolded\r\n\r\nhi", 400, "bad_request"},
      {"obs-fold continuing Transfer-Encoding",
       post + "Transfer-Encoding: identity,\r\n chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"},
      {"two different Content-Lengths", post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi", 400,
       "bad_request"},
      {"a Content-Length list with different values", post + "Content-Length: 2, 3\r\n\r\nhi", 400,
       "bad_request"},
      {"Transfer-Encoding: gzip, chunked (a coding we do not decode)",
       post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"},
      {"Transfer-Encoding: gzip (chunked not last: no length)", post + "Transfer-Encoding: gzip\r\n\r\nhi", 400,
       "bad_request"},
      {"Transfer-Encoding: chunked, identity", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
       400, "bad_request"},
      {"an unknown transfer coding", post + "Transfer-Encoding: xchunked\r\n\r\nhi", 400, "bad_request"},
      {"Transfer-Encoding: gzip, then Content-Length",
       post + "Transfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nhi", 400, "bad_request"},
      {"Transfer-Encoding in an HTTP/1.0 request",
       "POST /echo HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", 400,
       "bad_request"},
  };
  const std::string pipelined = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto exchange = testing::RawHttp(server_->Port(), c.request + pipelined, false, /*max_replies=*/3);
    EXPECT_EQ(exchange.replies.size(), 1u) << "the pipelined request was answered: "
                                           << (exchange.replies.size() > 1 ? exchange.replies[1].body : "");
    if (exchange.replies.empty()) continue;
    const auto& reply = exchange.replies[0];
    EXPECT_EQ(reply.status, c.status) << reply.body;
    if (c.request.find("HTTP/1.0") == std::string::npos) {
      EXPECT_EQ(reply.Header("connection"), "close");
    }
    EXPECT_EQ(reply.Header("content-type"), "application/json");
    const auto body = json::parse(reply.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << reply.body;
    const auto error = body.value("error", json::object());
    EXPECT_EQ(error.value("code", ""), c.code) << reply.body;
    EXPECT_EQ(error.value("correlation_id", ""), reply.Header("x-correlation-id"));
    EXPECT_TRUE(exchange.closed_by_server) << "the connection stayed open";
  }

  // The same way of reading sees a pipelined answer when the framing is sound: the checks
  // above can fail.
  for (const auto& sound : {post + "Content-Length: 2\r\n\r\nhi",
                            post + "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
                            post + "Transfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"}) {
    SCOPED_TRACE(sound);
    const auto exchange = testing::RawHttp(server_->Port(), sound + pipelined, /*half_close=*/true, 3);
    ASSERT_EQ(exchange.replies.size(), 2u);
    EXPECT_EQ(exchange.replies[0].status, 200);
    EXPECT_EQ(json::parse(exchange.replies[0].body)["bytes"], 2);
    EXPECT_EQ(exchange.replies[1].status, 200);
  }
}

TEST(HttpServerStartTest, BindFailureThrowsNamingTheAddress) {
  Router router;
  ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  Server first(options, router);
  first.Start();
  options.port = first.Port();
  Server second(options, router);
  try {
    second.Start();
    FAIL() << "second bind succeeded";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.Port())),
              std::string::npos)
        << e.what();
  }
  first.Stop(100ms);
}

}  // namespace
}  // namespace docledger::api
