// The request log line (no sockets): fields, formats, health probes skipped, slow
// requests at warn level, no query string.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include "api/middleware/request_log.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class RequestLogTest : public ::testing::Test {
 protected:
  void Capture(infrastructure::LogFormat format) {
    out_.str("");
    infrastructure::InitLogging(format, std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  }
  void TearDown() override { infrastructure::InitLogging(infrastructure::LogFormat::kText); }

  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  static RequestSummary Summary() {
    RequestSummary s;
    s.method = "GET";
    s.path = "/api/v1/jobs/42";
    s.route = "/api/v1/jobs/{id}";
    s.status = 200;
    s.duration = 12345us;
    s.actor = "read-b53f0001";
    s.correlation_id = "corr-1";
    s.bytes_out = 321;
    s.remote = "127.0.0.1";
    return s;
  }

  std::ostringstream out_;
};

TEST_F(RequestLogTest, JsonLineHasEveryField) {
  Capture(infrastructure::LogFormat::kJson);
  LogRequest(Summary());
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u) << out_.str();
  const json line = json::parse(lines[0]);
  EXPECT_EQ(line["msg"], "request");
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["path"], "/api/v1/jobs/42");
  EXPECT_EQ(line["route"], "/api/v1/jobs/{id}");
  EXPECT_EQ(line["status"], 200);
  EXPECT_DOUBLE_EQ(line["duration_ms"].get<double>(), 12.3);
  EXPECT_EQ(line["actor"], "read-b53f0001");
  EXPECT_EQ(line["correlation_id"], "corr-1");
  EXPECT_EQ(line["bytes_out"], 321);
  EXPECT_EQ(line["remote"], "127.0.0.1");
  EXPECT_EQ(line["scheme"], "http");
  EXPECT_FALSE(line.contains("proxy"));  // the peer is the client
  EXPECT_FALSE(line.contains("slow"));
}

TEST_F(RequestLogTest, ForwardedRequestsShowTheClientTheSchemeAndTheProxy) {
  Capture(infrastructure::LogFormat::kJson);
  auto summary = Summary();
  summary.remote = "203.0.113.9";  // from a trusted X-Forwarded-For
  summary.proxy = "127.0.0.1";     // the peer
  summary.scheme = "https";        // from a trusted X-Forwarded-Proto
  LogRequest(summary);
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u) << out_.str();
  const json line = json::parse(lines[0]);
  EXPECT_EQ(line["remote"], "203.0.113.9");
  EXPECT_EQ(line["proxy"], "127.0.0.1");
  EXPECT_EQ(line["scheme"], "https");
}

TEST_F(RequestLogTest, UnroutedAnonymousRequestsHaveNullRouteAndActor) {
  Capture(infrastructure::LogFormat::kJson);
  auto summary = Summary();
  summary.route.clear();
  summary.actor.clear();
  summary.status = 404;
  LogRequest(summary);
  // A request whose header could not be parsed (431): no method or path either.
  RequestSummary early;
  early.status = 431;
  early.correlation_id = "corr-2";
  LogRequest(early);
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u) << out_.str();
  const json first = json::parse(lines[0]);
  EXPECT_TRUE(first["route"].is_null());
  EXPECT_TRUE(first["actor"].is_null());
  EXPECT_EQ(first["status"], 404);
  const json second = json::parse(lines[1]);
  EXPECT_TRUE(second["method"].is_null());
  EXPECT_TRUE(second["path"].is_null());
  EXPECT_EQ(second["status"], 431);
  EXPECT_EQ(second["correlation_id"], "corr-2");
}

TEST_F(RequestLogTest, TextLineHasTheSameFields) {
  Capture(infrastructure::LogFormat::kText);
  LogRequest(Summary());
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  for (const std::string field :
       {" request ", "method=GET", "path=/api/v1/jobs/42", "route=/api/v1/jobs/{id}", "status=200",
        "duration_ms=12.3", "actor=read-b53f0001", "correlation_id=corr-1", "bytes_out=321"}) {
    EXPECT_NE(lines[0].find(field), std::string::npos) << field << " in " << lines[0];
  }
}

TEST_F(RequestLogTest, SlowRequestsAreWarnings) {
  Capture(infrastructure::LogFormat::kJson);
  auto summary = Summary();
  summary.duration = kSlowRequest + 1ms;
  LogRequest(summary);
  summary.duration = kSlowRequest;  // at the threshold: not slow
  LogRequest(summary);
  const auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["level"], "warn");
  EXPECT_EQ(json::parse(lines[0])["slow"], true);
  EXPECT_EQ(json::parse(lines[1])["level"], "info");
}

TEST_F(RequestLogTest, HealthProbesAreNotLogged) {
  Capture(infrastructure::LogFormat::kJson);
  for (const std::string path : {"/health", "/health/live", "/health/ready"}) {
    auto summary = Summary();
    summary.path = path;
    LogRequest(summary);
  }
  EXPECT_TRUE(Lines().empty()) << out_.str();
  for (const std::string path : {"/healthz", "/api/v1/health", "/metrics"}) {
    auto summary = Summary();
    summary.path = path;
    LogRequest(summary);
  }
  EXPECT_EQ(Lines().size(), 3u);
}

TEST(RequestLogPathTest, PathDropsTheQueryString) {
  EXPECT_EQ(PathOf("/api/v1/documents?cursor=abc&project_id=p1"), "/api/v1/documents");
  EXPECT_EQ(PathOf("/a"), "/a");
  EXPECT_EQ(PathOf("/a?"), "/a");
  EXPECT_EQ(PathOf(""), "");
  EXPECT_TRUE(IsHealthProbe("/health"));
  EXPECT_TRUE(IsHealthProbe("/health/ready"));
  EXPECT_FALSE(IsHealthProbe("/healthy"));
}

}  // namespace
}  // namespace docledger::api
