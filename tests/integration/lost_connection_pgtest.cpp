// A lost database connection answers 503 with Retry-After on every route family that
// touches the database (issue 16), never 500. The real binary over HTTP; the test cuts
// its database away: no new connection to it is accepted (ALLOW_CONNECTIONS false) and
// every backend serving it is terminated, so the server's pooled connections are dead
// when the next request takes one. Each request is preceded by a round trip that
// succeeds, so that the pool holds an open (then killed) connection, the case that used
// to escape as a raw driver error.
//
// GET /api/v1/events/subscribe is not here: it answers 200 and starts streaming before
// it reads the database (a lost connection ends the stream; event_subscription_pgtest).
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

const std::map<std::string, std::string> kAdmin = {{"X-API-Key", "dev-admin-key"},
                                                   {"Content-Type", "application/json"}};
constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

struct Call {
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> extra_headers;
};

class LostConnection : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
    server_ = std::make_unique<ServerProcess>(db_->url(), FreePort());
    ASSERT_TRUE(server_->WaitUntilServing());
  }
  void TearDown() override {
    server_.reset();
    if (db_ && !db_->name().empty()) Admin("ALTER DATABASE " + db_->name() + " WITH ALLOW_CONNECTIONS true");
  }

  static void Admin(const std::string& sql) {
    pqxx::connection conn(TestDatabase::UrlFor("postgres"));
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
  }
  // The database refuses new connections and every session on it is terminated.
  void LoseDatabase() {
    Admin("ALTER DATABASE " + db_->name() + " WITH ALLOW_CONNECTIONS false");
    Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db_->name() + "'");
  }
  void RestoreDatabase() { Admin("ALTER DATABASE " + db_->name() + " WITH ALLOW_CONNECTIONS true"); }

  HttpReply Send(const Call& call) {
    auto headers = kAdmin;
    for (const auto& [name, value] : call.extra_headers) headers[name] = value;
    return HttpRequest(server_->port(), call.method, call.target, call.body, headers);
  }

  // For each call: the database is back and the call gets an answer other than 503 (the
  // pool reconnected); then the database is lost and the same call answers 503 with
  // Retry-After (`retry_after`: /health/ready answers its own 503 without it).
  void ExpectUnavailableWhenLost(const std::vector<Call>& calls, bool retry_after = true) {
    for (const auto& call : calls) {
      SCOPED_TRACE(call.method + " " + call.target);
      RestoreDatabase();
      HttpReply reply;
      ASSERT_TRUE(WaitUntil([&] {
        reply = Send(call);
        return reply.status != 0 && reply.status != 503;
      })) << "never answered with the database back: " << reply.status << " " << reply.body;
      ASSERT_LT(reply.status, 500) << reply.body;
      LoseDatabase();
      reply = Send(call);
      EXPECT_EQ(reply.status, 503) << reply.body;
      if (retry_after) EXPECT_EQ(reply.headers["retry-after"], "1") << reply.body;
    }
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_F(LostConnection, ProjectRoutesAnswer503) {
  ExpectUnavailableWhenLost({
      {"GET", "/api/v1/projects", "", {}},
      {"GET", std::string("/api/v1/projects/") + kUnknownId, "", {}},
      {"POST", "/api/v1/projects", R"({"name":"lost"})", {}},
      {"POST", "/api/v1/projects", R"({"name":"lost-idempotent"})", {{"Idempotency-Key", "lost-1"}}},
  });
}

TEST_F(LostConnection, DocumentRoutesAnswer503) {
  ExpectUnavailableWhenLost({
      {"GET", "/api/v1/documents", "", {}},
      {"GET", std::string("/api/v1/documents/") + kUnknownId, "", {}},
      {"GET", std::string("/api/v1/documents/") + kUnknownId + "/content", "", {}},
  });
}

TEST_F(LostConnection, SemanticIrRoutesAnswer503) {
  ExpectUnavailableWhenLost({{"GET", std::string("/api/v1/documents/") + kUnknownId + "/semantic-ir", "", {}}});
}

TEST_F(LostConnection, ExtractionRoutesAnswer503) {
  ExpectUnavailableWhenLost({
      {"GET", std::string("/api/v1/projects/") + kUnknownId + "/extractions", "", {}},
      {"GET", std::string("/api/v1/extractions/") + kUnknownId, "", {}},
  });
}

TEST_F(LostConnection, JobRoutesAnswer503) {
  ExpectUnavailableWhenLost({{"GET", std::string("/api/v1/jobs/") + kUnknownId, "", {}}});
}

TEST_F(LostConnection, StreamAndEventRoutesAnswer503) {
  ExpectUnavailableWhenLost({
      {"GET", "/api/v1/streams/lost-stream/events", "", {}},
      {"GET", "/api/v1/events", "", {}},
      {"POST", "/api/v1/streams/lost-stream/events",
       R"({"events":[{"event_type":"JobStarted","payload":{"job_id":")" + std::string(kUnknownId) +
           R"(","kind":"crawl"}}]})",
       {}},
  });
}

TEST_F(LostConnection, AlertRoutesAnswer503) {
  ExpectUnavailableWhenLost({
      {"GET", "/api/v1/alerts", "", {}},
      {"POST", "/api/v1/recovery?dry_run=true", "", {}},
  });
}

TEST_F(LostConnection, ProjectionRoutesAnswer503) {
  ExpectUnavailableWhenLost({
      {"GET", "/api/v1/projections", "", {}},
      {"GET", "/api/v1/projections/projects/parked", "", {}},
      {"POST", "/api/v1/projections/projects/parked/1/retry", "", {}},
      {"POST", "/api/v1/projections/projects/parked/1/skip", "", {}},
  });
}

TEST_F(LostConnection, ReadinessAnswers503) {
  ExpectUnavailableWhenLost({{"GET", "/health/ready", "", {}}}, /*retry_after=*/false);
}

}  // namespace
}  // namespace docledger::testing
