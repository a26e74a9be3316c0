// GET /health through the real binary and PostgreSQL: healthy with every check reported,
// degraded (200) by parked events, lag past a threshold and dead deliveries, unhealthy
// (503) with pending migrations or without a database; /health/live and /health/ready
// unchanged. The checks are cached for a second, so each change is awaited (WaitUntil).
#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "projections/registry.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using nlohmann::json;

const std::map<std::string, std::string> kAdmin = {{"X-API-Key", "dev-admin-key"},
                                                   {"Content-Type", "application/json"}};

class Health : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  }
  void Serve(ServerProcess::Environment env = {}) {
    server_ = std::make_unique<ServerProcess>(db_->url(), FreePort(), std::move(env));
    ASSERT_TRUE(server_->WaitUntilServing());
  }
  HttpReply Probe() { return HttpRequest(server_->port(), "GET", "/health"); }
  // Waits until GET /health says `status` (the answer is cached up to a second); the last answer.
  std::pair<bool, HttpReply> AwaitStatus(const std::string& status) {
    HttpReply last;
    const bool seen = WaitUntil([&] {
      last = Probe();
      return last.status != 0 && json::parse(last.body)["status"] == status;
    });
    return {seen, last};
  }
  std::string CreateProject(const std::string& name) {
    const auto created = HttpRequest(server_->port(), "POST", "/api/v1/projects",
                                     json{{"name", name}, {"entity_types", {"invoice"}}}.dump(), kAdmin);
    EXPECT_EQ(created.status, 201) << created.body;
    return json::parse(created.body)["project_id"];
  }
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Health, HealthyReportsEveryCheck) {
  Serve();
  // Healthy, and every projector's lease taken (they start beside the server).
  HttpReply reply;
  ASSERT_TRUE(WaitUntil([&] {
    reply = Probe();
    if (reply.status != 200) return false;
    const auto body = json::parse(reply.body);
    if (body["status"] != "healthy") return false;
    for (const auto& [name, projector] : body["checks"]["projectors"]["by_name"].items()) {
      if (!projector["lease_held"].get<bool>()) return false;
    }
    return true;
  })) << reply.body;
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body["service"], "docledger");
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  EXPECT_EQ(body["timestamp"].get<std::string>().size(), 24u) << body["timestamp"];  // 2026-12-05T12:00:00.000Z
  EXPECT_EQ(body["reasons"], json::array());
  const auto& checks = body["checks"];
  EXPECT_EQ(checks["database"]["status"], "healthy");
  EXPECT_GE(checks["database"]["round_trip_ms"].get<double>(), 0.0);
  EXPECT_EQ(checks["migrations"], json({{"status", "healthy"}, {"pending", json::array()}}));
  for (const auto& projection : projections::BuiltInProjections()) {
    const auto& projector = checks["projectors"]["by_name"][projection->Name()];
    EXPECT_EQ(projector["status"], "healthy") << projection->Name();
    EXPECT_EQ(projector["parked"], 0);
    EXPECT_TRUE(projector["lease_holder"].is_string());
  }
  EXPECT_EQ(checks["alert_deliveries"]["status"], "healthy");
  EXPECT_EQ(checks["alert_deliveries"]["dead"], 0);
  EXPECT_FALSE(checks.contains("read_replica")) << "only when DATABASE_READ_URL is set";
  EXPECT_EQ(body["read_replica"], "not_configured");
  EXPECT_EQ(reply.headers["cache-control"], "no-store");
  EXPECT_EQ(json::parse(HttpRequest(server_->port(), "GET", "/health/live").body), json({{"status", "alive"}}));
  EXPECT_EQ(json::parse(HttpRequest(server_->port(), "GET", "/health/ready").body), json({{"status", "ready"}}));
}

TEST_F(Health, ParkedEventsAndDeadDeliveriesDegradeWith200AndTheReasons) {
  Serve();
  ASSERT_TRUE(AwaitStatus("healthy").first);
  CreateProject("Parked");
  Sql("INSERT INTO projection_parked (projection, sequence, event_id, stream_id, error, held_behind) "
      "SELECT 'jobs', sequence, event_id, stream_id, 'Boom: x', NULL FROM events ORDER BY sequence DESC LIMIT 1");
  const auto awaited = AwaitStatus("degraded");
  ASSERT_TRUE(awaited.first) << awaited.second.body;
  HttpReply reply = awaited.second;
  EXPECT_EQ(reply.status, 200);
  auto body = json::parse(reply.body);
  EXPECT_EQ(body["reasons"], json::array({"projector jobs: 1 parked event"}));
  EXPECT_EQ(body["checks"]["projectors"]["by_name"]["jobs"]["status"], "degraded");
  EXPECT_EQ(body["checks"]["projectors"]["by_name"]["jobs"]["parked"], 1);
  EXPECT_EQ(body["checks"]["projectors"]["status"], "degraded");

  Sql("DELETE FROM projection_parked");
  Sql("INSERT INTO alert_deliveries (source_sequence, type, level, key, message, details, raised_at, status) "
      "VALUES (1, 'job_failed', 'error', 'k', 'm', '{}', now(), 'dead'), "
      "       (2, 'job_failed', 'error', 'k', 'm', '{}', now(), 'pending')");
  ASSERT_TRUE(WaitUntil([&] {
    reply = Probe();
    body = json::parse(reply.body);
    return body["reasons"] == json::array({"alert deliveries: 1 dead in the last 86400 s"});
  })) << reply.body;
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["checks"]["alert_deliveries"],
            json({{"status", "degraded"}, {"pending", 1}, {"dead", 1}, {"dead_recent", 1},
                  {"dead_window_seconds", 86400}}));
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/ready").status, 200) << "readiness is unchanged";
}

TEST_F(Health, AProjectorLaggingPastTheThresholdDegrades) {
  Serve({{"DOCLEDGER_HEALTH_PROJECTOR_LAG_EVENTS", "2"}});
  ASSERT_TRUE(AwaitStatus("healthy").first);
  ASSERT_TRUE(WaitUntil([&] { return Sql("SELECT 1 FROM projection_checkpoints WHERE name = 'projects'").size() == 1; }));
  // The projects projector cannot advance while this transaction holds its checkpoint row
  // (each batch locks it first), so the events appended meanwhile are lag.
  pqxx::connection holder(db_->url());
  pqxx::work hold(holder);
  hold.exec("SELECT 1 FROM projection_checkpoints WHERE name = 'projects' FOR UPDATE");
  for (int i = 0; i < 3; ++i) CreateProject("Lag " + std::to_string(i));
  const auto awaited = AwaitStatus("degraded");
  ASSERT_TRUE(awaited.first) << awaited.second.body;
  HttpReply reply = awaited.second;
  const auto body = json::parse(reply.body);
  EXPECT_EQ(reply.status, 200);
  ASSERT_EQ(body["reasons"].size(), 1u) << reply.body;
  EXPECT_EQ(body["reasons"][0].get<std::string>().rfind("projector projects: ", 0), 0u) << reply.body;
  EXPECT_NE(body["reasons"][0].get<std::string>().find("events behind (threshold 2)"), std::string::npos);
  EXPECT_GE(body["checks"]["projectors"]["by_name"]["projects"]["lag_events"].get<int>(), 3);
  hold.abort();
  EXPECT_TRUE(AwaitStatus("healthy").first) << "caught up once released";
}

TEST_F(Health, PendingMigrationsAreUnhealthyWith503) {
  Serve();
  ASSERT_TRUE(AwaitStatus("healthy").first);
  const auto last = Sql("SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1")[0][0].as<std::string>();
  Sql("DELETE FROM schema_migrations WHERE name = '" + last + "'");
  const auto awaited = AwaitStatus("unhealthy");
  ASSERT_TRUE(awaited.first) << awaited.second.body;
  HttpReply reply = awaited.second;
  EXPECT_EQ(reply.status, 503);
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body["reasons"], json::array({"pending migrations: " + last}));
  EXPECT_EQ(body["checks"]["migrations"], json({{"status", "unhealthy"}, {"pending", json::array({last})}}));
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/ready").status, 503);
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/live").status, 200);
}

TEST_F(Health, NoDatabaseIsUnhealthyWith503WhileLiveStays200) {
  // A port nothing listens on: the server starts (the database may come later) and says so.
  const auto nowhere = "postgresql://docledger@127.0.0.1:" + std::to_string(FreePort()) + "/none?connect_timeout=2";
  server_ = std::make_unique<ServerProcess>(nowhere, FreePort());
  ASSERT_TRUE(server_->WaitUntilServing());
  const auto reply = Probe();
  EXPECT_EQ(reply.status, 503) << reply.body;
  const auto body = json::parse(reply.body);
  EXPECT_EQ(body["status"], "unhealthy");
  EXPECT_EQ(body["reasons"], json::array({"database unreachable"}));
  EXPECT_EQ(body["checks"]["database"], json({{"status", "unhealthy"}}));
  EXPECT_EQ(body["checks"]["projectors"]["status"], "unknown");
  EXPECT_EQ(body.dump().find("127.0.0.1"), std::string::npos) << "no connection detail on a public route";
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/live").status, 200);
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/ready").status, 503);
}

}  // namespace
}  // namespace docledger::testing
