// The router without sockets: routing, error bodies, exception mapping, correlation ids.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <pqxx/except>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "api/correlation_id.hpp"
#include "api/handlers/health_handler.hpp"
#include "api/http_error.hpp"
#include "api/router.hpp"
#include "domain/errors.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

using nlohmann::json;

Request MakeRequest(http::verb method, const std::string& target, std::string body = "") {
  Request request{method, target, 11};
  request.set(http::field::host, "test");
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

json BodyOf(const Response& response) { return json::parse(response.body()); }

std::string Header(const Response& response, std::string_view name) {
  const auto it = response.find(name);
  return it == response.end() ? "" : std::string(it->value());
}

void ExpectErrorBody(const Response& response, http::status status, const std::string& code) {
  EXPECT_EQ(response.result(), status);
  EXPECT_EQ(Header(response, "Content-Type"), "application/json");
  const json body = BodyOf(response);
  ASSERT_TRUE(body.contains("error")) << response.body();
  EXPECT_EQ(body["error"]["code"], code) << response.body();
  EXPECT_TRUE(body["error"]["message"].is_string());
  EXPECT_TRUE(body["error"]["details"].is_array());
  EXPECT_EQ(body["error"]["correlation_id"], Header(response, "X-Correlation-ID"));
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(http::verb::get, "/api/v1/jobs/{id}", [](const RequestContext& ctx) {
      return JsonResponse(http::status::ok, {{"id", ctx.Param("id")},
                                             {"view", ctx.QueryParam("view").value_or("-")}});
    });
    router_.Add(http::verb::post, "/api/v1/jobs/{id}", [](const RequestContext&) {
      return JsonResponse(http::status::created, {{"created", true}});
    });
    router_.Add(http::verb::get, "/api/v1/jobs/special", [](const RequestContext&) {
      return JsonResponse(http::status::ok, {{"special", true}});
    });
    router_.Add(http::verb::get, "/teapot", [](const RequestContext&) -> Response {
      throw HttpError(http::status::gone, "teapot", "short and stout",
                      json::array({{{"field", "spout"}}}))
          .WithHeader("Retry-After", "7");
    });
    router_.Add(http::verb::get, "/boom", [](const RequestContext&) -> Response {
      throw std::runtime_error("connection string postgresql://u:secret@db failed");
    });
    router_.Add(http::verb::post, "/validate", [](const RequestContext&) -> Response {
      throw domain::ValidationError(
          std::vector<domain::ValidationIssue>{{"/events/0/event_type", "must not be empty"}});
    });
    router_.Add(http::verb::get, "/store", [](const RequestContext&) -> Response {
      throw domain::StoreUnavailable("pool exhausted");
    });
    router_.Add(http::verb::get, "/slow", [](const RequestContext&) -> Response {
      // What libpq reports when statement_timeout cancels a statement.
      throw pqxx::sql_error("ERROR:  canceling statement due to statement timeout", "SELECT slow_report()", "57014");
    });
    router_.Add(http::verb::get, "/busy", [](const RequestContext&) -> Response {
      throw domain::PoolExhausted("all 8 database connections stayed busy for 5000 ms");
    });
    router_.Add(http::verb::post, "/json", [](const RequestContext& ctx) {
      return JsonResponse(http::status::ok, json::parse(ctx.request.body()));
    });
    router_.Add(http::verb::get, "/log", [](const RequestContext&) {
      spdlog::info("inside the handler");
      return JsonResponse(http::status::ok, json::object());
    });
  }

  Router router_;
};

TEST_F(RouterTest, UnknownPathGives404JsonError) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/nope"));
  ExpectErrorBody(response, http::status::not_found, "not_found");
}

TEST_F(RouterTest, KnownPathWithWrongMethodGives405WithAllow) {
  const auto response = router_.Handle(MakeRequest(http::verb::delete_, "/api/v1/jobs/7"));
  ExpectErrorBody(response, http::status::method_not_allowed, "method_not_allowed");
  EXPECT_EQ(Header(response, "Allow"), "GET, HEAD, POST");
}

TEST_F(RouterTest, PathParametersAreDecodedAndQueryParametersRead) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/api/v1/jobs/a%2Fb?view=full+text"));
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_EQ(BodyOf(response)["id"], "a/b");
  EXPECT_EQ(BodyOf(response)["view"], "full text");
  EXPECT_EQ(router_.Handle(MakeRequest(http::verb::post, "/api/v1/jobs/1")).result(),
            http::status::created);
}

TEST_F(RouterTest, LiteralSegmentWinsOverParameter) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/api/v1/jobs/special"));
  EXPECT_EQ(BodyOf(response)["special"], true);
}

TEST_F(RouterTest, BadPercentEncodingGives400) {
  ExpectErrorBody(router_.Handle(MakeRequest(http::verb::get, "/api/v1/jobs/%zz")),
                  http::status::bad_request, "bad_request");
}

TEST_F(RouterTest, EmptyParameterSegmentDoesNotMatch) {
  ExpectErrorBody(router_.Handle(MakeRequest(http::verb::get, "/api/v1/jobs/")),
                  http::status::not_found, "not_found");
}

TEST_F(RouterTest, CorrelationIdIsEchoed) {
  auto request = MakeRequest(http::verb::get, "/api/v1/jobs/1");
  request.set("X-Correlation-ID", "req-123");
  EXPECT_EQ(Header(router_.Handle(request), "X-Correlation-ID"), "req-123");

  auto failing = MakeRequest(http::verb::get, "/nope");
  failing.set("X-Correlation-ID", "req-456");
  const auto response = router_.Handle(failing);
  EXPECT_EQ(Header(response, "X-Correlation-ID"), "req-456");
  EXPECT_EQ(BodyOf(response)["error"]["correlation_id"], "req-456");
}

TEST_F(RouterTest, CorrelationIdIsGeneratedWhenMissingOrUnacceptable) {
  const auto generated = Header(router_.Handle(MakeRequest(http::verb::get, "/api/v1/jobs/1")), "X-Correlation-ID");
  EXPECT_EQ(generated.size(), 36u) << generated;
  const auto other = Header(router_.Handle(MakeRequest(http::verb::get, "/api/v1/jobs/1")), "X-Correlation-ID");
  EXPECT_NE(generated, other);

  for (const std::string& bad : {std::string(129, 'x'), std::string("has space"),
                                std::string("tab\tinside"), std::string("caf\xc3\xa9")}) {
    auto request = MakeRequest(http::verb::get, "/api/v1/jobs/1");
    request.set("X-Correlation-ID", bad);
    const auto id = Header(router_.Handle(request), "X-Correlation-ID");
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 36u);
  }
  EXPECT_TRUE(IsAcceptableCorrelationId(std::string(128, 'x')));
  EXPECT_FALSE(IsAcceptableCorrelationId(""));
}

TEST_F(RouterTest, HttpErrorBecomesItsStatusCodeDetailsAndHeaders) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/teapot"));
  ExpectErrorBody(response, http::status::gone, "teapot");
  EXPECT_EQ(BodyOf(response)["error"]["message"], "short and stout");
  EXPECT_EQ(BodyOf(response)["error"]["details"], json::array({{{"field", "spout"}}}));
  EXPECT_EQ(Header(response, "Retry-After"), "7");
}

TEST_F(RouterTest, UnexpectedExceptionGives500WithoutLeakingItsMessage) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/boom"));
  ExpectErrorBody(response, http::status::internal_server_error, "internal");
  EXPECT_EQ(response.body().find("secret"), std::string::npos) << response.body();
  EXPECT_EQ(response.body().find("connection string"), std::string::npos) << response.body();
}

TEST_F(RouterTest, DomainErrorsMapToContractStatuses) {
  const auto invalid = router_.Handle(MakeRequest(http::verb::post, "/validate"));
  ExpectErrorBody(invalid, http::status::unprocessable_entity, "validation_failed");
  EXPECT_EQ(BodyOf(invalid)["error"]["details"][0]["path"], "/events/0/event_type");

  const auto unavailable = router_.Handle(MakeRequest(http::verb::get, "/store"));
  ExpectErrorBody(unavailable, http::status::service_unavailable, "unavailable");
  EXPECT_EQ(unavailable.body().find("pool exhausted"), std::string::npos);
}

TEST_F(RouterTest, ACancelledStatementGives503StatementTimeoutWithRetryAfter) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/slow"));
  ExpectErrorBody(response, http::status::service_unavailable, "statement_timeout");
  EXPECT_EQ(Header(response, "Retry-After"), "1");
  EXPECT_NE(response.body().find("DOCLEDGER_STATEMENT_TIMEOUT_MS"), std::string::npos);
  EXPECT_EQ(response.body().find("slow_report"), std::string::npos) << "the SQL is logged, not sent";
}

TEST_F(RouterTest, AnExhaustedPoolGives503PoolExhaustedWithRetryAfter) {
  const auto response = router_.Handle(MakeRequest(http::verb::get, "/busy"));
  ExpectErrorBody(response, http::status::service_unavailable, "pool_exhausted");
  EXPECT_EQ(Header(response, "Retry-After"), "1");
  EXPECT_NE(response.body().find("DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS"), std::string::npos);
}

TEST_F(RouterTest, MalformedJsonGives400NotA500) {
  const auto response = router_.Handle(MakeRequest(http::verb::post, "/json", "{\"a\":"));
  ExpectErrorBody(response, http::status::bad_request, "malformed_json");
}

TEST_F(RouterTest, HeadIsServedByGetWithoutBody) {
  const auto response = router_.Handle(MakeRequest(http::verb::head, "/api/v1/jobs/1"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_TRUE(response.body().empty());
  EXPECT_NE(Header(response, "Content-Length"), "0");
}

TEST_F(RouterTest, ResponseFollowsRequestKeepAliveAndVersion) {
  auto request = MakeRequest(http::verb::get, "/api/v1/jobs/1");
  request.keep_alive(false);
  const auto response = router_.Handle(request);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(response.version(), 11u);
  EXPECT_EQ(Header(response, "Content-Length"), std::to_string(response.body().size()));
}

TEST_F(RouterTest, HandlerLogLinesCarryTheCorrelationId) {
  std::ostringstream out;
  infrastructure::InitLogging(infrastructure::LogFormat::kJson,
                              std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  auto request = MakeRequest(http::verb::get, "/log");
  request.set("X-Correlation-ID", "trace-me");
  router_.Handle(request);
  auto boom = MakeRequest(http::verb::get, "/boom");
  boom.set("X-Correlation-ID", "trace-boom");
  router_.Handle(boom);
  infrastructure::InitLogging(infrastructure::LogFormat::kText);

  std::istringstream lines(out.str());
  std::string line;
  std::vector<json> events;
  while (std::getline(lines, line)) events.push_back(json::parse(line));
  ASSERT_EQ(events.size(), 2u) << out.str();
  EXPECT_EQ(events[0]["msg"], "inside the handler");
  EXPECT_EQ(events[0]["correlation_id"], "trace-me");
  EXPECT_EQ(events[0]["level"], "info");
  EXPECT_TRUE(events[0]["ts"].is_string());
  // The internal detail of a 500 goes to the log, with the correlation id.
  EXPECT_EQ(events[1]["correlation_id"], "trace-boom");
  EXPECT_EQ(events[1]["level"], "error");
  EXPECT_NE(events[1]["detail"].get<std::string>().find("connection string"), std::string::npos);
}

TEST(RouterOutcomeTest, ReportsThePatternAndTheActorAlsoForErrors) {
  Router router;
  router.Add(http::verb::get, "/items/{id}", Role::kRead, [](const RequestContext& ctx) {
    if (ctx.Param("id") == "bad") throw HttpError::Conflict("no");
    return JsonResponse(http::status::ok, json::object());
  });
  router.Use([](RequestContext& ctx, const Next& next) {
    ctx.actor = "read-0000abcd";
    return next(ctx);
  });
  RoutingOutcome ok;
  EXPECT_EQ(router.Handle(MakeRequest(http::verb::get, "/items/7?x=1"), &ok).result(), http::status::ok);
  EXPECT_EQ(ok.pattern, "/items/{id}");
  EXPECT_EQ(ok.actor, "read-0000abcd");
  RoutingOutcome failed;
  EXPECT_EQ(router.Handle(MakeRequest(http::verb::get, "/items/bad"), &failed).result(), http::status::conflict);
  EXPECT_EQ(failed.pattern, "/items/{id}");
  EXPECT_EQ(failed.actor, "read-0000abcd");
  RoutingOutcome wrong_method;
  EXPECT_EQ(router.Handle(MakeRequest(http::verb::post, "/items/7"), &wrong_method).result(),
            http::status::method_not_allowed);
  EXPECT_EQ(wrong_method.pattern, "/items/{id}");
  EXPECT_EQ(wrong_method.actor, "") << "middleware does not run for a 405";
  RoutingOutcome missing;
  EXPECT_EQ(router.Handle(MakeRequest(http::verb::get, "/nothing"), &missing).result(), http::status::not_found);
  EXPECT_EQ(missing.pattern, "");
  EXPECT_EQ(missing.actor, "");
}

TEST(RouterAddTest, RejectsMalformedAndDuplicateRoutes) {
  Router router;
  const Handler ok = [](const RequestContext&) { return JsonResponse(http::status::ok, {}); };
  router.Add(http::verb::get, "/a/{id}", ok);
  EXPECT_THROW(router.Add(http::verb::get, "/a/{id}", ok), std::invalid_argument);
  EXPECT_THROW(router.Add(http::verb::post, "/a/{other}", ok), std::invalid_argument);
  EXPECT_THROW(router.Add(http::verb::get, "no-slash", ok), std::invalid_argument);
  EXPECT_THROW(router.Add(http::verb::get, "/b/{x}/{x}", ok), std::invalid_argument);
  EXPECT_THROW(router.Add(http::verb::get, "/b/x{y}", ok), std::invalid_argument);
}

TEST(HealthRoutesTest, ReadyFollowsTheReadinessFunction) {
  bool ready = true;
  Router router;
  AddHealthRoutes(router, {"1.2.3", [&ready]() -> ReadinessReport {
                             if (ready) return {true, ""};
                             return {false, "pending migrations: 002_x.sql"};
                           }});
  auto response = router.Handle(MakeRequest(http::verb::get, "/health/ready"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(BodyOf(response), json({{"status", "ready"}}));

  ready = false;
  response = router.Handle(MakeRequest(http::verb::get, "/health/ready"));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_EQ(BodyOf(response),
            json({{"status", "not_ready"}, {"reason", "pending migrations: 002_x.sql"}}));

  response = router.Handle(MakeRequest(http::verb::get, "/health"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(BodyOf(response)["status"], "healthy");
  EXPECT_EQ(BodyOf(response)["version"], "1.2.3");
  EXPECT_EQ(router.Handle(MakeRequest(http::verb::get, "/health/live")).result(), http::status::ok);
}

TEST(HealthRoutesTest, HealthAnswers503OnlyWhenUnhealthy) {
  using operations::HealthStatus;
  HealthStatus status = HealthStatus::kDegraded;
  HealthOptions options{"1", [] { return ReadinessReport{true, ""}; }};
  options.health = [&status] {
    return HealthReport{status, {{"status", operations::ToString(status)}, {"reasons", json::array({"because"})}}};
  };
  Router router;
  AddHealthRoutes(router, options);
  auto response = router.Handle(MakeRequest(http::verb::get, "/health"));
  EXPECT_EQ(response.result(), http::status::ok) << "degraded still serves";
  EXPECT_EQ(BodyOf(response)["status"], "degraded");
  EXPECT_EQ(response[http::field::cache_control], "no-store");
  status = HealthStatus::kUnhealthy;
  response = router.Handle(MakeRequest(http::verb::get, "/health"));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_EQ(BodyOf(response)["status"], "unhealthy");
}

TEST(HealthRoutesTest, AThrowingHealthReportIsUnhealthy) {
  HealthOptions options{"1", [] { return ReadinessReport{true, ""}; }};
  options.health = []() -> HealthReport { throw std::runtime_error("boom"); };
  Router router;
  AddHealthRoutes(router, options);
  const auto response = router.Handle(MakeRequest(http::verb::get, "/health"));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_EQ(BodyOf(response)["status"], "unhealthy");
  EXPECT_EQ(BodyOf(response).dump().find("boom"), std::string::npos);
}

TEST(HealthRoutesTest, ThrowingReadinessCheckMeansNotReady) {
  Router router;
  AddHealthRoutes(router, {"1", []() -> ReadinessReport { throw std::runtime_error("db down"); }});
  const auto response = router.Handle(MakeRequest(http::verb::get, "/health/ready"));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_EQ(BodyOf(response)["status"], "not_ready");
}

TEST(RouterInlineTest, OnlyNeverBlockingHandlersAndTheRoutersOwnAnswersRunInline) {
  Router router;
  const auto ok = [](const RequestContext&) { return JsonResponse(http::status::ok, {}); };
  router.Add(http::verb::get, "/cheap", Role::kPublic, ok, Blocking::kNever);
  router.Add(http::verb::post, "/cheap", Role::kPublic, ok);
  router.Add(http::verb::get, "/items/{id}", Role::kPublic, ok);
  EXPECT_TRUE(router.RunsInline(MakeRequest(http::verb::get, "/cheap")));
  EXPECT_TRUE(router.RunsInline(MakeRequest(http::verb::head, "/cheap?x=1")));
  EXPECT_FALSE(router.RunsInline(MakeRequest(http::verb::post, "/cheap")));
  EXPECT_FALSE(router.RunsInline(MakeRequest(http::verb::get, "/items/7")));
  EXPECT_TRUE(router.RunsInline(MakeRequest(http::verb::get, "/nowhere")));       // 404
  EXPECT_TRUE(router.RunsInline(MakeRequest(http::verb::delete_, "/items/7")));  // 405
  EXPECT_TRUE(router.RunsInline(MakeRequest(http::verb::get, "/items/%zz")));     // 400
}

TEST(RouterInlineTest, LivenessNeverBlocksButReadinessMay) {
  Router router;
  AddHealthRoutes(router, HealthOptions{});
  EXPECT_TRUE(router.RunsInline(MakeRequest(http::verb::get, "/health/live")));
  EXPECT_FALSE(router.RunsInline(MakeRequest(http::verb::get, "/health/ready")));
  EXPECT_FALSE(router.RunsInline(MakeRequest(http::verb::get, "/health")));
}

}  // namespace
}  // namespace docledger::api
