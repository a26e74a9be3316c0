// DATABASE_READ_URL against a real streaming replica (scripts/pg-local replica-start; the
// test gets its URL in DOCLEDGER_TEST_REPLICA_URL and the command that stops and starts it
// in DOCLEDGER_TEST_REPLICA_CTL): reads answered by the replica, read-your-writes with
// min_sequence, a lagging replica (replay paused) and a replica that goes away and comes
// back. The real binary over HTTP. A physical replica copies every database of the
// cluster, so each test's fresh database appears on it too.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/replica.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

const std::map<std::string, std::string> kAdmin = {{"X-API-Key", "dev-admin-key"},
                                                   {"Content-Type", "application/json"}};

std::string Header(const HttpReply& reply, const std::string& name) {
  const auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

class ReadReplica : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    const char* replica = std::getenv("DOCLEDGER_TEST_REPLICA_URL");
    const char* ctl = std::getenv("DOCLEDGER_TEST_REPLICA_CTL");
    if (replica == nullptr || ctl == nullptr) {
      if (std::getenv("CI") != nullptr) {
        FAIL() << "DOCLEDGER_TEST_REPLICA_URL and DOCLEDGER_TEST_REPLICA_CTL are not set (run scripts/dev test)";
      }
      GTEST_SKIP() << "DOCLEDGER_TEST_REPLICA_URL is not set (run scripts/dev test)";
    }
    ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
    ctl_ = ctl;
    replica_url_ = WithDatabase(replica, db_->name());
    // The fresh database reaches the replica through the WAL.
    ASSERT_TRUE(WaitForDatabaseOnReplica(replica_url_)) << "the test database never appeared on the replica";
    server_ = std::make_unique<ServerProcess>(
        db_->url(), FreePort(),
        ServerProcess::Environment{{"DATABASE_READ_URL", replica_url_}, {"DOCLEDGER_READ_WAIT_MS", "2000"}});
    ASSERT_TRUE(server_->WaitUntilServing());
  }
  void TearDown() override {
    server_.reset();
    if (!ctl_.empty()) {
      // Leave the replica as the next test expects it: running and replaying.
      EXPECT_EQ(std::system((ctl_ + " replica-start >/dev/null").c_str()), 0);
      try {
        ReplicaSql("SELECT pg_wal_replay_resume()");
      } catch (const std::exception&) {
      }
    }
  }
  pqxx::result ReplicaSql(const std::string& sql) {
    pqxx::connection conn(replica_url_);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql);
  }
  std::int64_t ReplicaCheckpoint(const std::string& projection) {
    const auto r = ReplicaSql("SELECT last_sequence FROM projection_checkpoints WHERE name = '" + projection + "'");
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  }
  HttpReply Get(const std::string& target, const std::map<std::string, std::string>& extra = {}) {
    auto headers = kAdmin;
    for (const auto& [k, v] : extra) headers[k] = v;
    return HttpRequest(server_->port(), "GET", target, "", headers);
  }
  // Creates a project; returns its id and the global sequence of its event.
  std::pair<std::string, std::int64_t> CreateProject(const std::string& name) {
    const auto reply = HttpRequest(server_->port(), "POST", "/api/v1/projects",
                                   nlohmann::json{{"name", name}, {"entity_types", {"invoice"}}}.dump(), kAdmin);
    EXPECT_EQ(reply.status, 201) << reply.body;
    const auto body = nlohmann::json::parse(reply.body);
    return {body["project_id"].get<std::string>(), body["events"][0]["sequence"].get<std::int64_t>()};
  }
  void StopReplica() { ASSERT_EQ(std::system((ctl_ + " replica-stop").c_str()), 0); }

  std::string ctl_;
  std::string replica_url_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ReadReplica, ReadsAreAnsweredByTheReplicaOnceItHasReplayedThem) {
  const auto created = CreateProject("Replicated");
  const std::string id = created.first;
  const std::int64_t sequence = created.second;
  ASSERT_TRUE(WaitUntil([&] { return ReplicaCheckpoint("projects") >= sequence; }));

  const auto project = Get("/api/v1/projects/" + id);
  ASSERT_EQ(project.status, 200) << project.body;
  EXPECT_EQ(Header(project, "x-read-source"), "replica");
  EXPECT_EQ(nlohmann::json::parse(project.body)["name"], "Replicated");

  const auto list = Get("/api/v1/projects");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Header(list, "x-read-source"), "replica");

  const auto feed = Get("/api/v1/events?after=" + std::to_string(sequence - 1) + "&limit=1");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(Header(feed, "x-read-source"), "replica");
  const auto events = nlohmann::json::parse(feed.body)["events"];
  ASSERT_EQ(events.size(), 1u) << feed.body;
  EXPECT_EQ(events[0]["sequence"], sequence);
  const auto stream = Get("/api/v1/streams/" + events[0]["stream_id"].get<std::string>() + "/events");
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_EQ(Header(stream, "x-read-source"), "replica");

  const auto health = HttpRequest(server_->port(), "GET", "/health");
  EXPECT_EQ(nlohmann::json::parse(health.body)["read_replica"], "ok") << health.body;
  // The health check's own look at the replica: reachable, with its lag.
  HttpReply checked;
  ASSERT_TRUE(WaitUntil([&] {
    checked = HttpRequest(server_->port(), "GET", "/health");
    const auto replica = nlohmann::json::parse(checked.body)["checks"]["read_replica"];
    return replica["status"] == "healthy" && replica["reachable"] == true;
  })) << checked.body;
  const auto replica = nlohmann::json::parse(checked.body)["checks"]["read_replica"];
  EXPECT_GE(replica["lag_seconds"].get<double>(), 0.0);
  EXPECT_GE(replica["lag_events"].get<std::int64_t>(), 0);
  EXPECT_EQ(replica["lag_seconds_threshold"], 30);
}

TEST_F(ReadReplica, ReadWithMinSequenceSeesTheClientsOwnWrite) {
  for (int i = 0; i < 5; ++i) {
    const auto created = CreateProject("Mine " + std::to_string(i));
    const std::string id = created.first;
    const std::int64_t sequence = created.second;
    // At once, no waiting in the test: the server waits for the replica (or the primary).
    const auto by_header = Get("/api/v1/projects/" + id, {{"X-Min-Sequence", std::to_string(sequence)}});
    ASSERT_EQ(by_header.status, 200) << by_header.body;
    EXPECT_EQ(nlohmann::json::parse(by_header.body)["name"], "Mine " + std::to_string(i));
    EXPECT_FALSE(Header(by_header, "x-read-source").empty());
    const auto by_query = Get("/api/v1/projects/" + id + "?min_sequence=" + std::to_string(sequence));
    ASSERT_EQ(by_query.status, 200) << by_query.body;
    const auto feed = Get("/api/v1/events?after=0&limit=1000&min_sequence=" + std::to_string(sequence));
    ASSERT_EQ(feed.status, 200) << feed.body;
    EXPECT_GE(nlohmann::json::parse(feed.body)["last_sequence"].get<std::int64_t>(), sequence);
  }
}

TEST_F(ReadReplica, MalformedMinSequenceIsABadRequest) {
  for (const std::string bad : {"abc", "-1", "1.5", "99999999999999999999", ""}) {
    const auto reply = Get("/api/v1/projects", {{"X-Min-Sequence", bad}});
    EXPECT_EQ(reply.status, 400) << "'" << bad << "': " << reply.body;
    EXPECT_TRUE(nlohmann::json::parse(reply.body).contains("error")) << reply.body;
  }
  const auto query = Get("/api/v1/events?min_sequence=x");
  EXPECT_EQ(query.status, 400) << query.body;
  EXPECT_EQ(nlohmann::json::parse(query.body)["error"]["code"], "bad_request") << query.body;
}

TEST_F(ReadReplica, ALaggingReplicaSendsMinSequenceReadsToThePrimary) {
  ReplicaSql("SELECT pg_wal_replay_pause()");
  ASSERT_TRUE(WaitUntil([&] {
    return std::string(ReplicaSql("SELECT pg_get_wal_replay_pause_state()")[0][0].c_str()) == "paused";
  }));
  const auto created = CreateProject("Fresh");
  const std::string id = created.first;
  const std::int64_t sequence = created.second;

  // Without min_sequence the replica answers, as stale as it is.
  const auto stale = Get("/api/v1/projects/" + id);
  EXPECT_EQ(stale.status, 404) << stale.body;
  EXPECT_EQ(Header(stale, "x-read-source"), "replica");

  // With it, the primary answers, with the write.
  const auto fresh = Get("/api/v1/projects/" + id, {{"X-Min-Sequence", std::to_string(sequence)}});
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(Header(fresh, "x-read-source"), "primary");
  EXPECT_EQ(nlohmann::json::parse(fresh.body)["name"], "Fresh");
  const auto stream = Get("/api/v1/events?after=0&min_sequence=" + std::to_string(sequence));
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_EQ(Header(stream, "x-read-source"), "primary");

  ReplicaSql("SELECT pg_wal_replay_resume()");
  ASSERT_TRUE(WaitUntil([&] {
    const auto reply = Get("/api/v1/projects/" + id, {{"X-Min-Sequence", std::to_string(sequence)}});
    return reply.status == 200 && Header(reply, "x-read-source") == "replica";
  })) << "once it has caught up, the replica answers again";
}

TEST_F(ReadReplica, AReplicaThatGoesAwayIsReplacedByThePrimaryAndUsedAgainWhenBack) {
  const auto created = CreateProject("Survivor");
  const std::string id = created.first;
  const std::int64_t sequence = created.second;
  ASSERT_TRUE(WaitUntil([&] { return ReplicaCheckpoint("projects") >= sequence; }));
  ASSERT_EQ(Header(Get("/api/v1/projects/" + id), "x-read-source"), "replica");

  StopReplica();
  for (const std::string& target : std::vector<std::string>{"/api/v1/projects/" + id, "/api/v1/projects",
                                                            "/api/v1/events?after=0",
                                                            "/api/v1/streams/no-such-stream/events"}) {
    const auto reply = Get(target);
    EXPECT_LT(reply.status, 500) << target << ": " << reply.body;
    EXPECT_EQ(Header(reply, "x-read-source"), "primary") << target;
  }
  EXPECT_EQ(Get("/api/v1/projects/" + id).status, 200);
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/ready").status, 200) << "the replica is not readiness";
  EXPECT_EQ(nlohmann::json::parse(HttpRequest(server_->port(), "GET", "/health").body)["read_replica"],
            "unavailable");
  HttpReply degraded;
  EXPECT_TRUE(WaitUntil([&] {
    degraded = HttpRequest(server_->port(), "GET", "/health");
    return nlohmann::json::parse(degraded.body)["reasons"] ==
           nlohmann::json::array({"read replica unreachable (reads go to the primary)"});
  })) << degraded.body;
  EXPECT_EQ(degraded.status, 200) << "a replica never makes the service unhealthy";
  EXPECT_EQ(nlohmann::json::parse(degraded.body)["status"], "degraded");
  const auto metrics = HttpRequest(server_->port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("docledger_reads_total{reason=\"replica_unavailable\",source=\"primary\"}"),
            std::string::npos)
      << metrics.body.substr(0, 2000);

  ASSERT_EQ(std::system((ctl_ + " replica-start >/dev/null").c_str()), 0);
  EXPECT_TRUE(WaitUntil([&] {
    const auto reply = Get("/api/v1/projects/" + id);
    return reply.status == 200 && Header(reply, "x-read-source") == "replica";
  })) << "the replica is used again once it is back";
  EXPECT_EQ(nlohmann::json::parse(HttpRequest(server_->port(), "GET", "/health").body)["read_replica"], "ok");
}

// Without a replica, min_sequence still gives read-your-writes against the asynchronous
// projectors of the one database: the read waits for the projection to pass the write.
class ReadYourWritesWithoutReplica : public PgTest {};

TEST_F(ReadYourWritesWithoutReplica, MinSequenceWaitsForThePrimarysProjection) {
  if (IsSkipped() || HasFailure()) return;
  ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  ServerProcess server(db_->url(), FreePort(), ServerProcess::Environment{{"DOCLEDGER_READ_WAIT_MS", "5000"}});
  ASSERT_TRUE(server.WaitUntilServing());
  EXPECT_EQ(nlohmann::json::parse(HttpRequest(server.port(), "GET", "/health").body)["read_replica"],
            "not_configured");
  for (int i = 0; i < 5; ++i) {
    const auto created = HttpRequest(server.port(), "POST", "/api/v1/projects",
                                     nlohmann::json{{"name", "P" + std::to_string(i)}, {"entity_types", {"invoice"}}}.dump(), kAdmin);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto body = nlohmann::json::parse(created.body);
    const auto id = body["project_id"].get<std::string>();
    const auto sequence = body["events"][0]["sequence"].get<std::int64_t>();
    auto headers = kAdmin;
    headers["X-Min-Sequence"] = std::to_string(sequence);
    const auto read = HttpRequest(server.port(), "GET", "/api/v1/projects/" + id, "", headers);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(Header(read, "x-read-source"), "primary");
    EXPECT_EQ(nlohmann::json::parse(read.body)["name"], "P" + std::to_string(i));
  }
}

}  // namespace
}  // namespace docledger::testing
