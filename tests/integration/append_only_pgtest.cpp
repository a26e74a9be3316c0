
#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"

namespace docledger::testing {
namespace {

using AppendOnly = PgTest;

TEST_F(AppendOnly, UpdateDeleteAndTruncateAreRefused) {
  store_->Append(MakeAppend("doc", domain::ExpectedVersion::Any(), 2));
  for (const char* sql : {"UPDATE events SET payload = '{}'", "DELETE FROM events",
                          "TRUNCATE events", "UPDATE events SET stream_version = 9 WHERE stream_version = 1"}) {
    try {
      Sql(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const pqxx::sql_error& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM events")[0][0].as<int>(), 2);
}

TEST_F(AppendOnly, EveryInsertTakesTheOrderLockEvenOutsideDocledger) {
  pqxx::connection conn(db_->url());
  pqxx::work tx(conn);
  tx.exec("INSERT INTO events (event_id, stream_id, stream_version, event_type, payload) "
          "VALUES (gen_random_uuid(), 'manual', 1, 'T', '{}')");
  const auto held = tx.exec(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
      "AND pid = pg_backend_pid() "
      "AND ((classid::bigint << 32) | objid::bigint) = docledger_event_store_lock_key()")[0][0].as<int>();
  EXPECT_EQ(held, 1);
}

TEST_F(AppendOnly, AppendNotifiesListenersWithTheNewHead) {
  pqxx::connection listener(db_->url());
  {
    pqxx::nontransaction tx(listener);
    tx.exec("LISTEN docledger_events");
  }
  auto result = store_->Append(MakeAppend("doc", domain::ExpectedVersion::Any(), 3));
  struct Receiver : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    void operator()(const std::string& payload, int) override { last = payload; }
    std::string last;
  } receiver(listener, "docledger_events");
  listener.await_notification(10, 0);
  EXPECT_EQ(receiver.last, std::to_string(result.positions.back().sequence));
}

}  // namespace
}  // namespace docledger::testing
