// The request deadline on the database (DOCLEDGER_STATEMENT_TIMEOUT_MS) and the bound on
// waiting for a pooled connection (DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS), through the real
// binary and PostgreSQL: a read or an append blocked on a lock another session holds is
// cancelled and answered 503 with a clear error and Retry-After, while other requests keep
// being served; afterwards the same pooled connections serve normally (none was broken or
// replaced), and the projectors, which run without the request deadline, were not cut.
#include <cstdlib>
#include <future>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using nlohmann::json;

const std::map<std::string, std::string> kAdmin = {{"X-API-Key", "dev-admin-key"},
                                                   {"Content-Type", "application/json"}};

class RequestDeadline : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  }
  void Serve(ServerProcess::Environment env) {
    server_ = std::make_unique<ServerProcess>(db_->url(), FreePort(), std::move(env));
    ASSERT_TRUE(server_->WaitUntilServing());
  }
  HttpReply Get(const std::string& target) { return HttpRequest(server_->port(), "GET", target, "", kAdmin); }
  // A project, readable once its projector has applied it.
  std::string CreateProject(const std::string& name) {
    const auto created = HttpRequest(server_->port(), "POST", "/api/v1/projects",
                                     json{{"name", name}, {"entity_types", {"invoice"}}}.dump(), kAdmin);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? json::parse(created.body)["project_id"].get<std::string>() : "";
  }
  // Sessions without an application_name waiting on a lock: the server's request
  // connections (projectors name their sessions).
  int RequestSessionsWaitingOnALock() {
    return Sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '' "
               "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")[0][0]
        .as<int>();
  }
  // The server's unnamed sessions (request pool, writer, notifier), not the test's.
  std::set<int> ServerSessions(int test_pid) {
    std::set<int> pids;
    for (const auto& row : Sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                               "AND application_name = '' AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                               "AND pid <> " + std::to_string(test_pid))) {
      pids.insert(row[0].as<int>());
    }
    return pids;
  }
  static void ExpectStatementTimeout(const HttpReply& reply) {
    EXPECT_EQ(reply.status, 503) << reply.body;
    ASSERT_FALSE(reply.body.empty());
    const auto error = json::parse(reply.body)["error"];
    EXPECT_EQ(error["code"], "statement_timeout") << reply.body;
    EXPECT_NE(error["message"].get<std::string>().find("DOCLEDGER_STATEMENT_TIMEOUT_MS"), std::string::npos);
    EXPECT_FALSE(error["correlation_id"].get<std::string>().empty());
    EXPECT_EQ(reply.headers.count("retry-after"), 1u);
  }
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(RequestDeadline, AReadBlockedOnALockAnswers503WhileOtherRequestsAreServed) {
  Serve({{"DOCLEDGER_STATEMENT_TIMEOUT_MS", "500"}, {"DOCLEDGER_DB_POOL_SIZE", "2"}});
  const auto id = CreateProject("Blocked");
  ASSERT_TRUE(WaitUntil([&] { return Get("/api/v1/projects/" + id).status == 200; }));
  const auto stream = "/api/v1/streams/project-" + id + "/events";
  ASSERT_EQ(Get(stream).status, 200);

  pqxx::connection holder(db_->url());
  const int holder_pid = holder.backendpid();
  const auto before = ServerSessions(holder_pid);
  pqxx::work lock(holder);
  lock.exec("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE");

  // The projects projector meets the lock too (a new project to apply) and waits on it.
  const auto second = CreateProject("Applied later");
  pqxx::result projector;
  ASSERT_TRUE(WaitUntil([&] {
    projector = Sql("SELECT pid, query_start::text FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name LIKE '%/projects' AND wait_event_type = 'Lock'");
    return projector.size() == 1;
  })) << "the projects projector never waited on the lock";

  auto blocked = std::async(std::launch::async, [&] { return Get("/api/v1/projects/" + id); });
  ASSERT_TRUE(WaitUntil([&] { return RequestSessionsWaitingOnALock() == 1; }));
  // Meanwhile: liveness, a read of another table, and the health report are served.
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/live").status, 200);
  EXPECT_EQ(Get(stream).status, 200);
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health").status, 200);
  ExpectStatementTimeout(blocked.get());
  // Again, more often than the pool has connections: each cancelled statement returned its
  // connection to the pool.
  for (int i = 0; i < 3; ++i) ExpectStatementTimeout(Get("/api/v1/projects/" + id));

  // The projector's statement has waited longer than the request deadline and was not cut.
  EXPECT_EQ(Sql("SELECT count(*) FROM pg_stat_activity WHERE pid = " + projector[0][0].as<std::string>() +
                " AND query_start::text = '" + projector[0][1].as<std::string>() + "' AND wait_event_type = 'Lock'")[0][0]
                .as<int>(),
            1);

  lock.abort();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Get("/api/v1/projects/" + id).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return Get("/api/v1/projects/" + second).status == 200; }))
      << "the projector applied the project it waited for";
  EXPECT_EQ(Sql("SELECT count(*) FROM projection_parked")[0][0].as<int>(), 0);
  const auto after = ServerSessions(holder_pid);
  for (const int pid : before) EXPECT_EQ(after.count(pid), 1u) << "session " << pid << " was closed";
}

TEST_F(RequestDeadline, AnAppendBlockedOnTheEventStoreLockAnswers503AndTheNextOneIsRecorded) {
  Serve({{"DOCLEDGER_STATEMENT_TIMEOUT_MS", "500"}});
  const auto id = CreateProject("Before");
  pqxx::connection holder(db_->url());
  {
    pqxx::nontransaction take(holder);
    take.exec("SELECT pg_advisory_lock(docledger_event_store_lock_key())");
  }
  const auto events_before = Sql("SELECT count(*) FROM events")[0][0].as<int>();
  auto blocked = std::async(std::launch::async, [&] {
    return HttpRequest(server_->port(), "POST", "/api/v1/projects",
                       json{{"name", "Blocked"}, {"entity_types", {"invoice"}}}.dump(), kAdmin);
  });
  ASSERT_TRUE(WaitUntil([&] { return RequestSessionsWaitingOnALock() == 1; }));
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/health/live").status, 200);
  EXPECT_EQ(Get("/api/v1/projects/" + id).status, 200) << "reads do not wait for the event store lock";
  ExpectStatementTimeout(blocked.get());
  EXPECT_EQ(Sql("SELECT count(*) FROM events")[0][0].as<int>(), events_before) << "nothing of it was recorded";

  {
    pqxx::nontransaction release(holder);
    release.exec("SELECT pg_advisory_unlock(docledger_event_store_lock_key())");
  }
  EXPECT_FALSE(CreateProject("After").empty()) << "the writer connection serves the next append";
  EXPECT_EQ(Sql("SELECT count(*) FROM events")[0][0].as<int>(), events_before + 1);
}

TEST_F(RequestDeadline, AFullPoolAnswers503PoolExhaustedAfterTheAcquisitionBound) {
  Serve({{"DOCLEDGER_STATEMENT_TIMEOUT_MS", "3000"},
         {"DOCLEDGER_DB_POOL_SIZE", "1"},
         {"DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS", "100"}});
  const auto id = CreateProject("Busy");
  ASSERT_TRUE(WaitUntil([&] { return Get("/api/v1/projects/" + id).status == 200; }));
  pqxx::connection holder(db_->url());
  pqxx::work lock(holder);
  lock.exec("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE");
  // The only pooled connection waits on the lock...
  auto blocked = std::async(std::launch::async, [&] { return Get("/api/v1/projects/" + id); });
  ASSERT_TRUE(WaitUntil([&] { return RequestSessionsWaitingOnALock() == 1; }));
  // ...so a read needing another one is refused once the acquisition bound has passed.
  const auto refused = Get("/api/v1/streams/project-" + id + "/events");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["error"]["code"], "pool_exhausted") << refused.body;
  EXPECT_NE(refused.body.find("DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS"), std::string::npos);
  EXPECT_EQ(refused.headers.count("retry-after"), 1u);
  lock.abort();
  EXPECT_EQ(blocked.get().status, 200) << "released before its deadline: answered";
  EXPECT_EQ(Get("/api/v1/streams/project-" + id + "/events").status, 200);
}

}  // namespace
}  // namespace docledger::testing
