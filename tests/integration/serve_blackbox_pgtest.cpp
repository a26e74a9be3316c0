// Black-box: the real `docledger` binary, started as a user would, over real sockets.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "api/handlers/openapi_handler.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/prometheus_text.hpp"
#include "tests/support/promtool.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/wait.hpp"
#include "tests/support/webhook_sink.hpp"

namespace docledger::testing {
namespace {

// Runs the binary with extra environment, returns exit code and combined output.
std::pair<int, std::string> RunBinary(const std::string& args, const std::string& env) {
  return Shell("env " + env + " " + std::getenv("DOCLEDGER_BINARY") + " " + args);
}

using Server = ServerProcess;

class ServeBlackBox : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  }
};

TEST_F(ServeBlackBox, ServesHealthProbesAndJsonErrorsWithCorrelationIds) {
  Server server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  const auto ready = HttpRequest(server.port(), "GET", "/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(HttpRequest(server.port(), "GET", "/health").status, 200);

  const auto missing = HttpRequest(server.port(), "GET", "/no/such/route", "", {{"X-Correlation-ID", "abc-123"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.at("x-correlation-id"), "abc-123");
  const auto body = nlohmann::json::parse(missing.body);
  EXPECT_EQ(body["error"]["correlation_id"], "abc-123");
  EXPECT_FALSE(body["error"]["code"].get<std::string>().empty());

  const auto generated = HttpRequest(server.port(), "GET", "/health/live");
  EXPECT_FALSE(generated.headers.at("x-correlation-id").empty());
  EXPECT_EQ(server.Terminate(), 0) << "SIGTERM is a graceful, successful stop";
}

// A keep-alive connection the server has accepted (one request answered on it), then a
// request written in two parts: from the first part on, that request is in flight.
class SplitRequest {
 public:
  SplitRequest(std::uint16_t port, std::string bytes) : socket_(ioc_), bytes_(std::move(bytes)) {
    namespace http = boost::beast::http;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    boost::asio::write(socket_, boost::asio::buffer(RawRequest("GET", "/health/live")));
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> accepted;
    http::read(socket_, buffer, accepted);
    boost::asio::write(socket_, boost::asio::buffer(bytes_.data(), bytes_.size() / 2));
  }
  // Sends the rest, reads the answer (status 0: none) and whether the server then closed.
  std::pair<RawReply, bool> Finish() {
    namespace http = boost::beast::http;
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes_.data() + bytes_.size() / 2, bytes_.size() - bytes_.size() / 2),
                       ec);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    http::read(socket_, buffer, parser, ec);
    if (ec) return {RawReply{}, false};
    RawReply reply;
    reply.status = static_cast<int>(parser.get().result_int());
    reply.body = parser.get().body();
    http::response_parser<http::string_body> next;
    http::read(socket_, buffer, next, ec);
    return {reply, ec == http::error::end_of_stream};
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string bytes_;
};

TEST_F(ServeBlackBox, SigtermFinishesTheV1RequestsInFlightThenExitsZero) {
  Server server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  std::vector<std::unique_ptr<SplitRequest>> in_flight;
  for (int i = 0; i < 8; ++i) {
    const nlohmann::json body = {
        {"events", {{{"event_type", "JobStarted"},
                     {"payload", {{"job_id", "00000000-0000-4000-8000-00000000000" + std::to_string(i)},
                                  {"kind", "crawl"}}}}}}};
    in_flight.push_back(std::make_unique<SplitRequest>(
        server.port(), RawRequest("POST", "/api/v1/streams/shutdown-" + std::to_string(i) + "/events", body.dump(),
                                  {"Authorization: Bearer dev-admin-key", "Content-Type: application/json"})));
  }
  server.SendTerm();
  // Shutdown has begun once the listener is closed: new connections are refused.
  ASSERT_TRUE(WaitUntil([&] { return HttpRequest(server.port(), "GET", "/health/live").status == 0; }));
  for (auto& request : in_flight) {
    const auto [reply, closed] = request->Finish();
    EXPECT_EQ(reply.status, 201) << reply.body;
    EXPECT_TRUE(closed) << "after its last answer the server closes the connection";
  }
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_EQ(Sql("SELECT count(*) FROM events WHERE stream_id LIKE 'shutdown-%'")[0][0].as<int>(), 8)
      << "every acknowledged append is in the log, once";
}

TEST_F(ServeBlackBox, ReadyOnlyOnceMigrationsAreApplied) {
  TestDatabase empty(/*migrated=*/false);
  Server server(empty.url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  const auto not_ready = HttpRequest(server.port(), "GET", "/health/ready");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_NE(not_ready.body.find("001_event_store.sql"), std::string::npos) << not_ready.body;

  const auto dry = RunBinary("migrate --dry-run", "DATABASE_URL='" + empty.url() + "'");
  EXPECT_EQ(dry.first, 0);
  EXPECT_NE(dry.second.find("would apply 001_event_store.sql"), std::string::npos) << dry.second;
  EXPECT_EQ(HttpRequest(server.port(), "GET", "/health/ready").status, 503);

  const auto migrate = RunBinary("migrate", "DATABASE_URL='" + empty.url() + "'");
  EXPECT_EQ(migrate.first, 0) << migrate.second;
  EXPECT_TRUE(WaitUntil([&] { return HttpRequest(server.port(), "GET", "/health/ready").status == 200; }));
}

TEST_F(ServeBlackBox, ABadConfigurationValueStopsTheProcessWithOneLineNamingTheVariable) {
  const auto result = RunBinary("serve", "DATABASE_URL='" + db_->url() + "' DOCLEDGER_DB_POOL_SIZE=lots");
  EXPECT_EQ(result.first, 2);
  EXPECT_EQ(result.second.rfind("DOCLEDGER_DB_POOL_SIZE", 0), 0u) << result.second;
  EXPECT_EQ(std::count(result.second.begin(), result.second.end(), '\n'), 1) << result.second;
  const auto production = RunBinary("serve", "DATABASE_URL='" + db_->url() + "' DOCLEDGER_ENV=production");
  EXPECT_EQ(production.first, 2);
  EXPECT_NE(production.second.find("DOCLEDGER_API_KEYS"), std::string::npos) << production.second;
}

TEST_F(ServeBlackBox, RunsTheProjectorsAndReportsThemInStatus) {
  Server server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  for (int i = 0; i < 50; ++i) store_->Append(MakeAppend("stream-" + std::to_string(i % 5)));
  const auto appended = store_->HeadSequence();
  // document_views parks these payload-less events, which appends ProjectionParked events
  // (stream projection-document_views): wait until every projector has caught up with the
  // head, whatever it has become.
  ASSERT_TRUE(WaitUntil([&] {
    const auto r = Sql("SELECT min(c.last_sequence), (SELECT max(sequence) FROM events) FROM projection_checkpoints c");
    return !r[0][0].is_null() && r[0][0].as<std::int64_t>() >= appended &&
           r[0][0].as<std::int64_t>() == r[0][1].as<std::int64_t>();
  }));
  const auto head = store_->HeadSequence();
  EXPECT_EQ(Sql("SELECT count(*) FROM stream_catalog WHERE stream_id LIKE 'stream-%'")[0][0].as<int>(), 5);
  const auto status = RunBinary("status --json", "DATABASE_URL='" + db_->url() + "'");
  ASSERT_EQ(status.first, 0) << status.second;
  const auto json = nlohmann::json::parse(status.second);
  const auto& catalog = json["projections"][0];
  EXPECT_EQ(catalog["name"], "stream_catalog");
  EXPECT_EQ(catalog["checkpoint"], head);
  EXPECT_EQ(catalog["lag_events"], 0);
  EXPECT_TRUE(catalog["lease_holder"].is_string()) << "the serving process holds the lease";
  EXPECT_EQ(server.Terminate(), 0);
}

TEST_F(ServeBlackBox, DeliversAlertsToTheWebhookAndRecoverResolvesOrphans) {
  WebhookSink sink;
  Server server(db_->url(), FreePort(),
                {{"DOCLEDGER_ALERT_WEBHOOK_URL", sink.url()}, {"DOCLEDGER_ALERT_THROTTLE_S", "0"}});
  ASSERT_TRUE(server.WaitUntilServing());
  const std::map<std::string, std::string> admin = {{"X-API-Key", "dev-admin-key"},
                                                    {"Content-Type", "application/json"}};
  const auto post = [&](const std::string& target, const nlohmann::json& body) {
    const auto reply = HttpRequest(server.port(), "POST", target, body.dump(), admin);
    EXPECT_LT(reply.status, 300) << target << ": " << reply.body;
    return nlohmann::json::parse(reply.body, nullptr, false);
  };
  const std::string job = post("/api/v1/jobs", {{"kind", "conversion"}})["job_id"];
  post("/api/v1/jobs/" + job + "/fail", {{"error_type", "Timeout"}, {"message", "slow"}});
  ASSERT_TRUE(sink.WaitForDelivered(1));
  EXPECT_EQ(nlohmann::json::parse(sink.Delivered()[0])["type"], "job_failed");

  const std::string project = post("/api/v1/projects", {{"name", "P"}, {"entity_types", {"invoice"}}})["project_id"];
  const std::string document =
      post("/api/v1/documents", {{"project_id", project}, {"filename", "a.txt"}, {"content", "x"}})["document_id"];
  ASSERT_TRUE(WaitUntil([&] {
    return HttpRequest(server.port(), "GET", "/api/v1/documents/" + document, "", admin).status == 200;
  }));
  const std::string extraction = post("/api/v1/projects/" + project + "/extractions",
                                      {{"document_id", document}, {"entity_type", "invoice"}, {"data", {{"n", 1}}}})
                                     ["extraction_id"];
  ASSERT_TRUE(WaitUntil([&] {
    return HttpRequest(server.port(), "GET", "/api/v1/extractions/" + extraction, "", admin).status == 200;
  }));
  EXPECT_EQ(HttpRequest(server.port(), "DELETE", "/api/v1/documents/" + document, "", admin).status, 200);
  ASSERT_TRUE(sink.WaitForDelivered(2));
  const auto orphaned = nlohmann::json::parse(sink.Delivered()[1]);
  EXPECT_EQ(orphaned["type"], "orphaned_extractions");
  EXPECT_EQ(orphaned["details"]["extraction_ids"], nlohmann::json({extraction}));

  const std::string env = "DATABASE_URL='" + db_->url() + "'";
  ASSERT_TRUE(WaitUntil([&] { return Sql("SELECT 1 FROM document_views WHERE document_id = '" + document + "'").empty(); }));
  const auto dry = RunBinary("recover --dry-run", env);
  EXPECT_EQ(dry.first, 0) << dry.second;
  EXPECT_NE(dry.second.find("would resolve orphaned extraction " + extraction), std::string::npos) << dry.second;
  EXPECT_NE(dry.second.find("1 orphaned extraction(s) of 1 deleted document(s) found; nothing changed"),
            std::string::npos)
      << dry.second;
  const auto real = RunBinary("recover", env);
  EXPECT_EQ(real.first, 0) << real.second;
  EXPECT_NE(real.second.find("resolved orphaned extraction " + extraction), std::string::npos) << real.second;
  const auto again = RunBinary("recover", env);
  EXPECT_NE(again.second.find("no orphaned extractions found"), std::string::npos) << again.second;
  ASSERT_TRUE(sink.WaitForDelivered(3));
  EXPECT_EQ(nlohmann::json::parse(sink.Delivered()[2])["type"], "recovery_completed");

  ASSERT_TRUE(WaitUntil([&] {
    return Sql("SELECT count(*) FROM alert_deliveries WHERE status = 'delivered'")[0][0].as<int>() == 3;
  }));
  const auto status = RunBinary("status", env);
  EXPECT_NE(status.second.find("ALERT DELIVERIES  pending 0  delivered 3  throttled 0  dead 0"), std::string::npos)
      << status.second;
  const auto metrics = HttpRequest(server.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("docledger_webhook_deliveries_total{result=\"delivered\"} 3"), std::string::npos);
  EXPECT_EQ(server.Terminate(), 0);
}

TEST_F(ServeBlackBox, ServesPrometheusMetricsWithoutAKey) {
  Server server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(HttpRequest(server.port(), "GET", "/no/such/route/" + std::to_string(i)).status, 404);
  }
  for (int i = 0; i < 20; ++i) store_->Append(MakeAppend("metrics-" + std::to_string(i % 4)));
  const auto head = store_->HeadSequence();

  // The projector gauges are read on each scrape: they reach the head once projected. The
  // head may move past `head`: projectors that park these test events append
  // ProjectionParked events, which stream_catalog projects too.
  std::string text;
  const auto checkpoint = [&] {
    return SeriesValue(text, "docledger_projector_checkpoint", {{"projection", "stream_catalog"}});
  };
  EXPECT_TRUE(WaitUntil([&] {
    const auto reply = HttpRequest(server.port(), "GET", "/metrics");
    if (reply.status != 200) return false;
    EXPECT_EQ(reply.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    text = reply.body;
    return checkpoint().value_or(0) >= static_cast<double>(head) &&
           SeriesValue(text, "docledger_projector_lag_events", {{"projection", "stream_catalog"}}) == 0.0;
  })) << text;
  EXPECT_EQ(SeriesValue(text, "docledger_projector_parked", {{"projection", "stream_catalog"}}), 0.0);
  EXPECT_TRUE(SeriesValue(text, "docledger_db_pool_connections", {{"state", "idle"}}).has_value());
  EXPECT_EQ(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
            3.0);
  EXPECT_GE(SeriesValue(text, "docledger_http_requests_total",
                        {{"route", "/health/live"}, {"method", "GET"}, {"status", "200"}})
                .value_or(0),
            1.0);
  EXPECT_EQ(server.Terminate(), 0);
  DOCLEDGER_EXPECT_PROMTOOL_PASSES(text);
}

TEST_F(ServeBlackBox, OperatorCommandsListParkedRefuseUnknownProjectionsAndReplay) {
  const auto list = RunBinary("parked list", "DATABASE_URL='" + db_->url() + "'");
  EXPECT_EQ(list.first, 0);
  EXPECT_NE(list.second.find("no parked events"), std::string::npos);
  const auto unknown = RunBinary("parked retry no_such_projection", "DATABASE_URL='" + db_->url() + "'");
  EXPECT_EQ(unknown.first, 2);
  EXPECT_NE(unknown.second.find("unknown projection"), std::string::npos);
  const auto replay = RunBinary("replay --all", "DATABASE_URL='" + db_->url() + "'");
  EXPECT_EQ(replay.first, 0) << replay.second;
  EXPECT_NE(replay.second.find("events/s"), std::string::npos) << replay.second;
  const auto verify = RunBinary("replay --verify stream_catalog", "DATABASE_URL='" + db_->url() + "'");
  EXPECT_EQ(verify.first, 0) << verify.second;
  EXPECT_NE(verify.second.find("IDENTICAL"), std::string::npos) << verify.second;
}

TEST_F(ServeBlackBox, ReplayWhileAnotherRebuildOfTheProjectionRunsExitsFiveChangingNothing) {
  // Holds stream_catalog's rebuild lease, as a replay does.
  auto other_rebuild = std::make_unique<pqxx::connection>(db_->url());
  pqxx::nontransaction(*other_rebuild)
      .exec_params("SELECT pg_advisory_lock($1::int, hashtext('stream_catalog'))", projection_runtime::kRebuildLeaseClass);
  const auto busy = RunBinary("replay stream_catalog", "DATABASE_URL='" + db_->url() + "'");
  EXPECT_EQ(busy.first, 5) << busy.second;
  EXPECT_NE(busy.second.find("another rebuild of stream_catalog is running"), std::string::npos) << busy.second;
  other_rebuild.reset();
  const auto done = RunBinary("replay stream_catalog", "DATABASE_URL='" + db_->url() + "'");
  EXPECT_EQ(done.first, 0) << done.second;
}

TEST_F(ServeBlackBox, ServesTheOpenApiDocumentBuiltIntoIt) {
  Server server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  const auto reply = HttpRequest(server.port(), "GET", "/openapi.json");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers.at("content-type"), "application/json");
  EXPECT_EQ(reply.body, std::string(api::OpenApiDocument()));
  EXPECT_EQ(nlohmann::json::parse(reply.body)["openapi"], "3.0.3");
  EXPECT_EQ(HttpRequest(server.port(), "GET", "/openapi.json", "", {{"If-None-Match", reply.headers.at("etag")}}).status,
            304);
  EXPECT_EQ(server.Terminate(), 0);
}

TEST_F(ServeBlackBox, ListsRetriesAndSkipsParkedEventsOverHttpForAdminKeysOnly) {
  Server server(db_->url(), FreePort(), {{"DOCLEDGER_API_KEYS", "admin:dev-admin-key,read:dev-read-key"}});
  ASSERT_TRUE(server.WaitUntilServing());
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer dev-admin-key"}};
  const std::map<std::string, std::string> reader = {{"Authorization", "Bearer dev-read-key"}};
  // A deterministic failure of stream_catalog for two streams (a constraint its rows cannot
  // meet), removed later: what an operator fixes before retrying.
  Sql("ALTER TABLE stream_catalog ADD CONSTRAINT test_poison CHECK (stream_id NOT LIKE 'poison-%') NOT VALID");
  store_->Append(MakeAppend("poison-a"));
  store_->Append(MakeAppend("poison-b"));
  ASSERT_TRUE(WaitUntil([&] {
    return Sql("SELECT count(*) FROM projection_parked WHERE projection = 'stream_catalog'")[0][0].as<int>() == 2;
  }));
  const auto sequence_of = [&](const std::string& stream) {
    return Sql("SELECT sequence FROM projection_parked WHERE projection = 'stream_catalog' AND stream_id = '" + stream +
               "'")[0][0]
        .as<std::int64_t>();
  };
  const auto a = sequence_of("poison-a");
  const auto b = sequence_of("poison-b");
  const std::string base = "/api/v1/projections/stream_catalog/parked";

  // Listing: admin only; each entry has its error and the recorded event.
  EXPECT_EQ(HttpRequest(server.port(), "GET", base).status, 401);
  const auto forbidden = HttpRequest(server.port(), "GET", base, "", reader);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_TRUE(nlohmann::json::parse(forbidden.body)["error"].contains("correlation_id"));
  const auto list = HttpRequest(server.port(), "GET", base, "", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  const auto parked = nlohmann::json::parse(list.body)["parked"];
  ASSERT_EQ(parked.size(), 2u) << list.body;
  EXPECT_EQ(parked[0]["sequence"], a);
  EXPECT_EQ(parked[0]["stream_id"], "poison-a");
  EXPECT_NE(parked[0]["error"].get<std::string>().find("test_poison"), std::string::npos) << parked[0];
  EXPECT_EQ(parked[0]["event"]["sequence"], a);
  EXPECT_EQ(parked[0]["event"]["stream_id"], "poison-a");
  EXPECT_TRUE(parked[0]["held_behind"].is_null());

  // Unknown projections and sequences are 404 in the JSON error shape; bad input never 500.
  for (const auto& target : {std::string("/api/v1/projections/no_such/parked"), base + "/999999/retry",
                             base + "/abc/retry", base + "/-1/skip", base + "/99999999999999999999/skip",
                             base + "/0/retry"}) {
    const auto method = target.find("/parked") + 7 == target.size() ? "GET" : "POST";
    const auto reply = HttpRequest(server.port(), method, target, "", admin);
    EXPECT_EQ(reply.status, 404) << target << ": " << reply.body;
    EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "not_found") << reply.body;
  }
  EXPECT_EQ(HttpRequest(server.port(), "POST", base + "/" + std::to_string(a) + "/retry", "", reader).status, 403);

  // Retry after the fix: the serving projector applies the stream (202, then applied).
  Sql("ALTER TABLE stream_catalog DROP CONSTRAINT test_poison");
  const auto retry = HttpRequest(server.port(), "POST", base + "/" + std::to_string(a) + "/retry", "", admin);
  ASSERT_EQ(retry.status, 202) << retry.body;
  EXPECT_EQ(nlohmann::json::parse(retry.body)["streams"], nlohmann::json::array({"poison-a"}));
  ASSERT_TRUE(WaitUntil([&] {
    return Sql("SELECT count(*) FROM stream_catalog WHERE stream_id = 'poison-a'")[0][0].as<int>() == 1;
  }));
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked WHERE projection = 'stream_catalog' AND sequence = " +
                std::to_string(a))[0][0]
                .as<int>(),
            0);

  // Skip gives up on the other one: never applied.
  const auto skip = HttpRequest(server.port(), "POST", base + "/" + std::to_string(b) + "/skip", "", admin);
  ASSERT_EQ(skip.status, 200) << skip.body;
  EXPECT_EQ(nlohmann::json::parse(skip.body)["stream_id"], "poison-b");
  EXPECT_EQ(HttpRequest(server.port(), "POST", base + "/" + std::to_string(b) + "/skip", "", admin).status, 404);
  const auto empty = HttpRequest(server.port(), "GET", base, "", admin);
  EXPECT_EQ(nlohmann::json::parse(empty.body)["parked"], nlohmann::json::array());
  EXPECT_EQ(Sql("SELECT count(*) FROM stream_catalog WHERE stream_id = 'poison-b'")[0][0].as<int>(), 0);

  // GET /api/v1/projections reports what the console shows.
  const auto status = nlohmann::json::parse(HttpRequest(server.port(), "GET", "/api/v1/projections", "", reader).body);
  for (const auto& p : status["projections"]) {
    for (const auto* field : {"name", "checkpoint", "head", "lag_events", "lag_seconds", "parked", "held", "lease_holder"}) {
      EXPECT_TRUE(p.contains(field)) << field;
    }
  }
  EXPECT_EQ(server.Terminate(), 0);
}

TEST_F(ServeBlackBox, ServesTheConsoleWithoutAKeyUnderAStrictContentSecurityPolicy) {
  Server server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());
  const auto redirect = HttpRequest(server.port(), "GET", "/console");
  EXPECT_EQ(redirect.status, 308);
  EXPECT_EQ(redirect.headers.at("location"), "/console/");
  const auto index = HttpRequest(server.port(), "GET", "/console/");
  ASSERT_EQ(index.status, 200) << index.body;
  EXPECT_EQ(index.headers.at("content-type"), "text/html; charset=utf-8");
  const auto& csp = index.headers.at("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_NE(index.body.find("/console/app.js"), std::string::npos);
  EXPECT_EQ(index.body.find("http://"), std::string::npos) << "nothing from elsewhere";
  EXPECT_EQ(index.body.find("https://"), std::string::npos) << "nothing from elsewhere";
  EXPECT_EQ(HttpRequest(server.port(), "GET", "/console/", "", {{"If-None-Match", index.headers.at("etag")}}).status,
            304);
  const auto script = HttpRequest(server.port(), "GET", "/console/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.headers.at("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HttpRequest(server.port(), "GET", "/console/console.css").headers.at("content-type"),
            "text/css; charset=utf-8");
  for (const auto* target : {"/console/nope.js", "/console/..%2Fmeson.build", "/console/%00"}) {
    const auto missing = HttpRequest(server.port(), "GET", target);
    EXPECT_TRUE(missing.status == 404 || missing.status == 400) << target << " " << missing.status;
  }
  EXPECT_EQ(server.Terminate(), 0);
}

}  // namespace
}  // namespace docledger::testing
