// The middleware on a real Server over real sockets (no database): auth, rate limit,
// request log lines (also for 404 and 413, answered without a handler) and /metrics,
// checked with promtool when it is installed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/handlers/health_handler.hpp"
#include "api/handlers/metrics_handler.hpp"
#include "api/middleware/auth.hpp"
#include "api/middleware/rate_limit.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "infrastructure/metrics.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/promtool.hpp"
#include "tests/support/wait.hpp"

namespace docledger::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::HttpRequest;
using testing::SeriesValue;

constexpr std::size_t kBodyLimit = 4096;

std::string HeaderOf(const testing::HttpReply& reply, const std::string& lower_case_name) {
  const auto it = reply.headers.find(lower_case_name);
  return it == reply.headers.end() ? "" : it->second;
}
const std::string kReadKey = "integration-read-key";
const std::string kWriteKey = "integration-write-key";
const std::string kOtherReadKey = "integration-other-read-key";

class MiddlewareServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddHealthRoutes(router_, {"1.0.0", [] { return ReadinessReport{true, ""}; }});
    AddMetricsRoute(router_, metrics_);
    router_.Add(http::verb::get, "/api/v1/things/{id}", Role::kRead, [](const RequestContext& ctx) {
      return JsonResponse(http::status::ok, {{"id", ctx.Param("id")}, {"actor", ctx.actor}});
    });
    router_.Add(http::verb::post, "/echo", Role::kWrite, [](const RequestContext& ctx) {
      return JsonResponse(http::status::ok, {{"bytes", ctx.request.body().size()}});
    });
    router_.Use(AuthMiddleware(std::make_shared<const ApiKeyAuthenticator>(
        std::vector<infrastructure::ApiKey>{{infrastructure::Role::kRead, kReadKey},
                                            {infrastructure::Role::kWrite, kWriteKey},
                                            {infrastructure::Role::kRead, kOtherReadKey}})));
    // A clock the test moves: the limit does not depend on how fast the machine is.
    router_.Use(RateLimitMiddleware(TokenBucketLimiter::ForRps(
        2, [this] { return std::chrono::steady_clock::time_point{} + 1000h + clock_offset_.load(); })));
    StartServer(/*trust_proxy=*/false);
  }
  void StartServer(bool trust_proxy) {
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.max_body_bytes = kBodyLimit;
    options.metrics = &metrics_;
    options.trust_proxy = trust_proxy;
    server_ = std::make_unique<Server>(options, router_);
    server_->Start();
    ASSERT_NE(server_->Port(), 0);
  }
  void TearDown() override {
    if (server_) server_->Stop(1s);
  }

  testing::HttpReply Send(const std::string& method, const std::string& target,
                          const std::map<std::string, std::string>& headers = {},
                          const std::string& body = "") {
    return HttpRequest(server_->Port(), method, target, body, headers);
  }

  std::string Scrape() {
    const auto reply = Send("GET", "/metrics");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(HeaderOf(reply, "content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return reply.body;
  }

  std::atomic<std::chrono::nanoseconds> clock_offset_{0ns};
  infrastructure::Metrics metrics_;
  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_F(MiddlewareServerTest, AuthOnARealServer) {
  const auto missing = Send("GET", "/api/v1/things/1");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(HeaderOf(missing, "www-authenticate"), "Bearer");
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "unauthorized");

  const auto invalid = Send("GET", "/api/v1/things/1", {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(invalid.status, 401);

  const auto read = Send("GET", "/api/v1/things/1", {{"Authorization", "Bearer " + kReadKey}});
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(json::parse(read.body)["actor"], ApiKeyName(infrastructure::Role::kRead, kReadKey));

  const auto forbidden = Send("POST", "/echo", {{"X-API-Key", kReadKey}}, "abc");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_NE(json::parse(forbidden.body)["error"]["message"].get<std::string>().find("write"),
            std::string::npos);

  const auto written = Send("POST", "/echo", {{"X-API-Key", kWriteKey}}, "abc");
  EXPECT_EQ(written.status, 200) << written.body;
  EXPECT_EQ(json::parse(written.body)["bytes"], 3);

  EXPECT_EQ(Send("GET", "/health").status, 200);  // public: no key needed
  EXPECT_EQ(Send("GET", "/metrics").status, 200);
}

TEST_F(MiddlewareServerTest, RateLimitGives429WithRetryAfterAfterTheBurst) {
  const std::map<std::string, std::string> key{{"X-API-Key", kReadKey}};
  EXPECT_EQ(Send("GET", "/api/v1/things/1", key).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/things/2", key).status, 200);
  const auto limited = Send("GET", "/api/v1/things/3", key);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(HeaderOf(limited, "retry-after"), "1");
  EXPECT_EQ(json::parse(limited.body)["error"]["code"], "rate_limited");
  // Per key, and not on public routes.
  EXPECT_EQ(Send("GET", "/api/v1/things/4", {{"X-API-Key", kOtherReadKey}}).status, 200);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Send("GET", "/health/live").status, 200);
  // Half a second later (at 2 rps) one more token.
  clock_offset_.store(clock_offset_.load() + 500ms);
  EXPECT_EQ(Send("GET", "/api/v1/things/5", key).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/things/6", key).status, 429);
}

// The request log line with this correlation id, once it is there.
std::optional<json> WaitForLogLine(const testing::LogCapture& capture, const std::string& correlation_id) {
  std::optional<json> found;
  testing::WaitUntil(
      [&] {
        for (const auto& line : capture.Lines()) {
          const auto parsed = json::parse(line, nullptr, false);
          if (!parsed.is_discarded() && parsed.value("msg", "") == "request" &&
              parsed.value("correlation_id", "") == correlation_id) {
            found = parsed;
            return true;
          }
        }
        return false;
      },
      5s);
  return found;
}

TEST_F(MiddlewareServerTest, OneRequestLogLinePerRequestIncludingThoseAnsweredWithoutAHandler) {
  const testing::LogCapture capture(infrastructure::LogFormat::kJson);

  const auto ok = Send("GET", "/api/v1/things/42?secret_query=1",
                       {{"X-API-Key", kReadKey}, {"X-Correlation-ID", "log-ok"}});
  ASSERT_EQ(ok.status, 200);
  const auto not_found = Send("GET", "/no/such/thing?x=1", {{"X-Correlation-ID", "log-404"}});
  ASSERT_EQ(not_found.status, 404);
  const auto too_large = Send("POST", "/echo", {{"X-API-Key", kWriteKey}, {"X-Correlation-ID", "log-413"}},
                              std::string(kBodyLimit + 1, 'x'));
  ASSERT_EQ(too_large.status, 413);
  const auto forbidden = Send("POST", "/echo", {{"X-API-Key", kReadKey}, {"X-Correlation-ID", "log-403"}}, "{}");
  ASSERT_EQ(forbidden.status, 403);
  ASSERT_EQ(Send("GET", "/health/ready", {{"X-Correlation-ID", "log-health"}}).status, 200);

  const auto line = WaitForLogLine(capture, "log-ok");
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ((*line)["level"], "info");
  EXPECT_EQ((*line)["method"], "GET");
  EXPECT_EQ((*line)["path"], "/api/v1/things/42");
  EXPECT_EQ((*line)["route"], "/api/v1/things/{id}");
  EXPECT_EQ((*line)["status"], 200);
  EXPECT_EQ((*line)["actor"], ApiKeyName(infrastructure::Role::kRead, kReadKey));
  EXPECT_EQ((*line)["bytes_out"], ok.body.size());
  EXPECT_TRUE((*line)["duration_ms"].is_number());
  EXPECT_EQ((*line)["remote"], "127.0.0.1");

  const auto line_404 = WaitForLogLine(capture, "log-404");
  ASSERT_TRUE(line_404.has_value());
  EXPECT_EQ((*line_404)["status"], 404);
  EXPECT_EQ((*line_404)["path"], "/no/such/thing");
  EXPECT_TRUE((*line_404)["route"].is_null());
  EXPECT_TRUE((*line_404)["actor"].is_null());
  EXPECT_EQ((*line_404)["bytes_out"], not_found.body.size());

  const auto line_413 = WaitForLogLine(capture, "log-413");
  ASSERT_TRUE(line_413.has_value());
  EXPECT_EQ((*line_413)["status"], 413);
  EXPECT_EQ((*line_413)["method"], "POST");
  EXPECT_EQ((*line_413)["path"], "/echo");
  EXPECT_TRUE((*line_413)["route"].is_null()) << "answered before routing";

  const auto line_403 = WaitForLogLine(capture, "log-403");
  ASSERT_TRUE(line_403.has_value());
  EXPECT_EQ((*line_403)["status"], 403);
  EXPECT_EQ((*line_403)["route"], "/echo");
  EXPECT_EQ((*line_403)["actor"], ApiKeyName(infrastructure::Role::kRead, kReadKey));

  // Each request once; the health probe not at all (its response was sent after its line
  // would have been written). No key and no query string in any line.
  int request_lines = 0;
  for (const auto& text : capture.Lines()) {
    EXPECT_EQ(text.find(kReadKey), std::string::npos) << text;
    EXPECT_EQ(text.find(kWriteKey), std::string::npos) << text;
    EXPECT_EQ(text.find("secret_query"), std::string::npos) << text;
    EXPECT_EQ(text.find("log-health"), std::string::npos) << text;
    request_lines += json::parse(text).value("msg", "") == "request";
  }
  EXPECT_EQ(request_lines, 4);
}

// DOCLEDGER_TRUST_PROXY: off (the default), X-Forwarded-* are ignored, since any client
// can send them; on, the log shows the forwarded client and scheme, and the proxy (peer).
TEST_F(MiddlewareServerTest, RequestLogBelievesForwardedHeadersOnlyWhenTheProxyIsTrusted) {
  const testing::LogCapture capture(infrastructure::LogFormat::kJson);
  const std::map<std::string, std::string> forwarded{
      {"X-API-Key", kReadKey}, {"X-Forwarded-For", "203.0.113.9, 10.0.0.2"}, {"X-Forwarded-Proto", "https"}};
  auto headers = forwarded;
  headers["X-Correlation-ID"] = "untrusted";
  ASSERT_EQ(Send("GET", "/api/v1/things/1", headers).status, 200);
  const auto untrusted = WaitForLogLine(capture, "untrusted");
  ASSERT_TRUE(untrusted.has_value());
  EXPECT_EQ((*untrusted)["remote"], "127.0.0.1");
  EXPECT_EQ((*untrusted)["scheme"], "http");
  EXPECT_FALSE(untrusted->contains("proxy"));

  server_->Stop(1s);
  StartServer(/*trust_proxy=*/true);
  headers["X-Correlation-ID"] = "trusted";
  ASSERT_EQ(Send("GET", "/api/v1/things/1", headers).status, 200);
  // Answered before routing (413) too: the line still names the forwarded client.
  headers["X-Correlation-ID"] = "trusted-413";
  ASSERT_EQ(Send("POST", "/echo", headers, std::string(kBodyLimit + 1, 'x')).status, 413);
  // (Another key: the rate limit of 2 per second has been spent on kReadKey.)
  headers = {{"X-API-Key", kOtherReadKey}, {"X-Forwarded-For", "not-an-address"}, {"X-Correlation-ID", "garbage"}};
  ASSERT_EQ(Send("GET", "/api/v1/things/1", headers).status, 200);

  for (const std::string id : {"trusted", "trusted-413"}) {
    const auto line = WaitForLogLine(capture, id);
    ASSERT_TRUE(line.has_value()) << id;
    EXPECT_EQ((*line)["remote"], "203.0.113.9") << id;
    EXPECT_EQ((*line)["proxy"], "127.0.0.1") << id;
    EXPECT_EQ((*line)["scheme"], "https") << id;
  }
  const auto garbage = WaitForLogLine(capture, "garbage");
  ASSERT_TRUE(garbage.has_value());
  EXPECT_EQ((*garbage)["remote"], "127.0.0.1");
  EXPECT_FALSE(garbage->contains("proxy"));
  EXPECT_EQ((*garbage)["scheme"], "http");
}

TEST_F(MiddlewareServerTest, MetricsCountEveryResponseByRoutePatternAndPassPromtool) {
  const std::map<std::string, std::string> key{{"X-API-Key", kWriteKey}};
  const auto before = Scrape();
  EXPECT_FALSE(SeriesValue(before, "docledger_http_requests_total",
                           {{"route", "/api/v1/things/{id}"}, {"method", "GET"}, {"status", "200"}})
                   .has_value());
  constexpr int kN = 2;  // the burst of the 2 rps limit: all answered 200
  for (int i = 0; i < kN; ++i) {
    ASSERT_EQ(Send("GET", "/api/v1/things/" + std::to_string(i), key).status, 200);
  }
  ASSERT_EQ(Send("GET", "/api/v1/things/x", key).status, 429);
  ASSERT_EQ(Send("GET", "/api/v1/things/x").status, 401);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Send("GET", "/unknown/" + std::to_string(i)).status, 404);
  ASSERT_EQ(Send("POST", "/echo", key, std::string(kBodyLimit + 1, 'x')).status, 413);
  ASSERT_EQ(Send("DELETE", "/echo", key).status, 405);

  const auto text = Scrape();
  const auto count = [&](const std::string& route, const std::string& method, const std::string& status) {
    return SeriesValue(text, "docledger_http_requests_total",
                       {{"route", route}, {"method", method}, {"status", status}})
        .value_or(-1);
  };
  EXPECT_EQ(count("/api/v1/things/{id}", "GET", "200"), kN);
  EXPECT_EQ(count("/api/v1/things/{id}", "GET", "429"), 1);
  EXPECT_EQ(count("/api/v1/things/{id}", "GET", "401"), 1);
  EXPECT_EQ(count("unmatched", "GET", "404"), 3);
  EXPECT_EQ(count("unmatched", "POST", "413"), 1);
  EXPECT_EQ(count("/echo", "DELETE", "405"), 1);
  EXPECT_EQ(count("/metrics", "GET", "200"), 1) << "the first scrape, counted once answered";
  EXPECT_EQ(SeriesValue(text, "docledger_http_request_duration_seconds_count",
                        {{"route", "/api/v1/things/{id}"}, {"method", "GET"}}),
            kN + 2);
  EXPECT_EQ(text.find("/unknown/"), std::string::npos) << "raw paths never become labels";

  DOCLEDGER_EXPECT_PROMTOOL_PASSES(text);
}

}  // namespace
}  // namespace docledger::api
