// Soak under faults: two `docledger serve` processes on one database take a mixed write
// workload from several client threads while the first is SIGKILLed and restarted several
// times, PostgreSQL restarts once, and the second instance is SIGKILLed for good. Every
// write carries a client-chosen id, and a client retries a failed request (same body, same
// ids) on either instance until it gets an answer, as a real worker would.
// Afterwards: every acknowledged write is in the log exactly once, nothing unacknowledged
// was invented, every read model equals a from-scratch rebuild (`replay --all --verify`),
// and every alert the failing jobs raised reached the webhook sink (no delivery lost). A
// summary table is printed.
//
// The run is measured in writes, not time: each of the 6 phases ends once the clients have
// acknowledged DOCLEDGER_SOAK_WRITES_PER_PHASE more writes (default 200: the CI version),
// and then the next fault strikes. scripts/soak runs it longer.
#include <atomic>
#include <cstdio>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/pg_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/webhook_sink.hpp"
#include "tests/support/write_workload.hpp"

namespace docledger::testing {
namespace {

class Soak : public PgTest {};

TEST_F(Soak, AcknowledgedWritesSurviveKillsAndRestartsExactlyOnceAndReadModelsMatchAReplay) {
  const char* restart_pg = std::getenv("DOCLEDGER_TEST_PG_RESTART");
  if (restart_pg == nullptr) {
    if (std::getenv("CI") != nullptr) FAIL() << "DOCLEDGER_TEST_PG_RESTART is not set";
    GTEST_SKIP() << "DOCLEDGER_TEST_PG_RESTART (a command restarting the test server) is not set";
  }
  const char* per_phase_text = std::getenv("DOCLEDGER_SOAK_WRITES_PER_PHASE");
  const std::size_t writes_per_phase =
      per_phase_text != nullptr ? static_cast<std::size_t>(std::max(20, std::atoi(per_phase_text))) : 200;
  const std::string log = "soak-" + db_->name() + ".log";
  // Every alert goes to the sink, none throttled; a delivery cut off by a kill is claimed
  // again after a short lease.
  WebhookSink sink;
  const ServerProcess::Environment env = {{"DOCLEDGER_ALERT_WEBHOOK_URL", sink.url()},
                                          {"DOCLEDGER_ALERT_THROTTLE_S", "0"},
                                          {"DOCLEDGER_ALERT_DELIVERY_LEASE_S", "6"}};
  ServerProcess a(db_->url(), FreePort(), env, log);
  ServerProcess b(db_->url(), FreePort(), env, log);
  ASSERT_TRUE(a.WaitUntilServing());
  ASSERT_TRUE(b.WaitUntilServing());
  const std::vector<std::uint16_t> ports = {a.port(), b.port()};

  Tally tally;
  WriteWorkload workload(ports, tally);
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 6; ++c) clients.emplace_back([&, c] { workload.RunClient(c, stop); });

  // Faults, one per phase: SIGKILL + restart of A (several), one PostgreSQL restart, SIGKILL
  // of B for good. A phase ends when the clients have acknowledged `writes` more writes
  // since the previous fault, so every fault lands under load.
  // A kill counts only when it lands on an instance that was serving (its /health/live
  // answered since it was started) under load (`writes` acknowledged since the last fault).
  int faults = 0;
  int kills = 0;
  const auto progress = [&](std::size_t writes) {
    const auto before = tally.AcknowledgedCount();
    return WaitUntil([&] { return tally.AcknowledgedCount() >= before + writes; }, std::chrono::minutes(10));
  };
  const auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < 6; ++round) {
    ASSERT_TRUE(progress(writes_per_phase)) << "no progress before fault " << round;
    if (round == 2) {
      ASSERT_EQ(std::system(restart_pg), 0);
    } else if (round == 4) {
      b.Kill();  // serving since the start
      ++kills;
    } else {
      a.Kill();
      ++kills;
      a.Start();
      // Serving again before the next phase's load, so that its next kill lands on a
      // serving instance.
      ASSERT_TRUE(a.WaitUntilServing()) << "A did not come back after fault " << round;
    }
    ++faults;
  }
  EXPECT_EQ(kills, 5);
  ASSERT_TRUE(progress(20)) << "no progress after the last fault";
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stop = true;
  for (auto& client : clients) client.join();
  ASSERT_TRUE(a.WaitUntilServing());
  // Let the projectors finish (A holds every lease now), then stop A gracefully.
  ASSERT_TRUE(WaitUntil([&] {
    const auto lag = Sql("SELECT coalesce(max(e.sequence), 0) - coalesce(min(c.last_sequence), 0) "
                         "FROM events e, projection_checkpoints c")[0][0].as<std::int64_t>();
    return lag == 0;
  }, std::chrono::seconds(120)));
  // And let A's delivery worker send what is left (a delivery cut off by a kill waits for
  // its lease to run out), then stop A gracefully.
  ASSERT_TRUE(WaitUntil([&] {
    return Sql("SELECT count(*) FROM alert_deliveries WHERE status = 'pending'")[0][0].as<std::int64_t>() == 0;
  }, std::chrono::seconds(120))) << "alert deliveries still pending";
  EXPECT_EQ(a.Terminate(), 0);

  // No alert delivery lost: every raised alert is in the outbox, delivered, and the sink got
  // it (at least once: a delivery cut off by a kill may arrive twice; alert_id is stable).
  std::set<std::string> received;
  std::size_t received_bodies = 0;
  for (const auto& body : sink.Delivered()) {
    ++received_bodies;
    received.insert(nlohmann::json::parse(body).value("alert_id", ""));
  }
  std::int64_t alerts = 0, alerts_lost = 0;
  for (const auto& row : Sql("SELECT a.id::text, coalesce(d.status, 'missing') FROM alerts a "
                             "LEFT JOIN alert_deliveries d ON d.alert_id = a.id")) {
    ++alerts;
    if (row[1].as<std::string>() != "delivered" || received.count(row[0].as<std::string>()) == 0) ++alerts_lost;
  }

  // Every acknowledged write is in the log exactly once, nothing created twice.
  const auto log_check = CheckLog(db_->url(), tally.acknowledged);

  // The read models equal a rebuild from the log.
  const auto [verify_status, verify_output] =
      Shell("DATABASE_URL='" + db_->url() + "' " + std::getenv("DOCLEDGER_BINARY") + " replay --all --verify");

  std::printf("\nsoak: %.0f s of load (%zu writes per phase), 6 clients, 2 instances\n", seconds, writes_per_phase);
  std::printf("  %-28s %8lld\n", "requests", static_cast<long long>(tally.requests.load()));
  std::printf("  %-28s %8lld\n", "attempts (incl. retries)", static_cast<long long>(tally.attempts.load()));
  std::printf("  %-28s %8zu\n", "acknowledged", tally.acknowledged.size());
  std::printf("  %-28s %8lld\n", "found in the log once", static_cast<long long>(log_check.found));
  std::printf("  %-28s %8lld\n", "lost", static_cast<long long>(log_check.lost));
  std::printf("  %-28s %8lld\n", "duplicated", static_cast<long long>(log_check.duplicated + log_check.created_twice));
  std::printf("  %-28s %8lld\n", "alerts raised", static_cast<long long>(alerts));
  std::printf("  %-28s %8zu\n", "alert deliveries received", received_bodies);
  std::printf("  %-28s %8lld\n", "alerts lost", static_cast<long long>(alerts_lost));
  std::printf("  %-28s %8d\n", "faults injected", faults);
  std::printf("  %-28s %8s\n", "read models = replay", verify_status == 0 ? "yes" : "NO");

  EXPECT_GT(tally.acknowledged.size(), 100u);
  EXPECT_EQ(log_check.found, static_cast<std::int64_t>(tally.acknowledged.size()));
  EXPECT_EQ(log_check.lost, 0);
  EXPECT_EQ(log_check.duplicated, 0);
  EXPECT_EQ(log_check.created_twice, 0);
  EXPECT_GT(alerts, 10);
  EXPECT_EQ(alerts_lost, 0);
  EXPECT_EQ(tally.unexpected.load(), 0) << (tally.unexpected_answers.empty() ? "" : tally.unexpected_answers[0]);
  EXPECT_TRUE(verify_status == 0) << verify_output;
  if (!HasFailure()) std::remove(log.c_str());
}

}  // namespace
}  // namespace docledger::testing
