// Load across instances: three `docledger serve` processes share one PostgreSQL primary and
// send their reads to its streaming replica (DATABASE_READ_URL). Six clients write (the
// soak's workload: projects, failing jobs, raw appends, uploads) to any instance, four read
// from any instance (DOCLEDGER_LOAD_CLIENTS sets the writers; readers are two thirds of it): every read of a client's own write carries X-Min-Sequence and must see
// it (read-your-writes), and lists are read without it. After DOCLEDGER_LOAD_SECONDS
// (default 10): every acknowledged write is in the log exactly once, nothing was created
// twice, and the read models equal `replay --all --verify`. Prints a table with the
// combined write and read throughput and who answered the reads. No assertion on speed:
// the figures are for reading (scripts/load-test runs it on a release build).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "projection_runtime/projector_runner.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/replica.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/write_workload.hpp"

namespace docledger::testing {
namespace {

struct ReadTally {
  std::atomic<std::int64_t> reads{0}, from_replica{0}, from_primary{0}, own_write_missing{0}, failed{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  void Fail(std::atomic<std::int64_t>& counter, std::string what) {
    counter++;
    std::lock_guard lock(mutex);
    if (failures.size() < 5) failures.push_back(std::move(what));
  }
};

// Whether a stream read's body holds the event at `sequence`.
bool HoldsSequence(const std::string& body, std::int64_t sequence) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || !json.contains("events") || !json["events"].is_array()) return false;
  for (const auto& event : json["events"]) {
    if (event.value("sequence", std::int64_t{0}) == sequence) return true;
  }
  return false;
}

class LoadAcrossInstances : public PgTest {};

TEST_F(LoadAcrossInstances, ThreeInstancesAndAReplicaLoseNothingDoubleNothingAndReadTheirWrites) {
  ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  const char* replica = std::getenv("DOCLEDGER_TEST_REPLICA_URL");
  if (replica == nullptr && std::getenv("CI") != nullptr) FAIL() << "DOCLEDGER_TEST_REPLICA_URL is not set";
  const char* seconds_text = std::getenv("DOCLEDGER_LOAD_SECONDS");
  const int seconds = seconds_text != nullptr ? std::max(1, std::atoi(seconds_text)) : 10;
  const char* clients_text = std::getenv("DOCLEDGER_LOAD_CLIENTS");
  const int writers = clients_text != nullptr ? std::max(1, std::atoi(clients_text)) : 6;
  const int readers = std::max(1, writers * 2 / 3);

  ServerProcess::Environment env;
  if (replica != nullptr) {
    const auto replica_url = WithDatabase(replica, db_->name());
    ASSERT_TRUE(WaitForDatabaseOnReplica(replica_url)) << "the test database never appeared on the replica";
    env.emplace_back("DATABASE_READ_URL", replica_url);
  }
  const std::string log = "load-" + db_->name() + ".log";
  std::vector<std::unique_ptr<ServerProcess>> instances;
  std::vector<std::uint16_t> ports;
  for (int i = 0; i < 3; ++i) {
    instances.push_back(std::make_unique<ServerProcess>(db_->url(), FreePort(), env, log));
    ports.push_back(instances.back()->port());
  }
  for (auto& instance : instances) ASSERT_TRUE(instance->WaitUntilServing());

  Tally tally;
  WriteWorkload workload(ports, tally);
  ReadTally reads;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < writers; ++c) clients.emplace_back([&, c] { workload.RunClient(c, stop); });
  for (int r = 0; r < readers; ++r) {
    clients.emplace_back([&, r] {
      std::mt19937_64 random(static_cast<std::uint64_t>(r) * 104729 + 7);
      for (std::uint64_t n = 0; !stop; ++n) {
        Acknowledged own;
        {
          std::lock_guard lock(tally.mutex);
          if (!tally.acknowledged.empty()) own = tally.acknowledged[random() % tally.acknowledged.size()];
        }
        const auto port = ports[random() % ports.size()];
        HttpReply reply;
        std::string what;
        if (n % 4 == 3 || own.sequence == 0 || own.write.stream_id.empty()) {
          what = "GET /api/v1/documents";
          reply = HttpRequest(port, "GET", "/api/v1/documents?limit=20", "", kWorkloadAuth);
        } else {
          what = "GET stream " + own.write.stream_id + " at " + std::to_string(own.sequence);
          auto headers = kWorkloadAuth;
          headers["X-Min-Sequence"] = std::to_string(own.sequence);
          reply = HttpRequest(port, "GET", "/api/v1/streams/" + own.write.stream_id + "/events?limit=1000", "",
                              headers);
          if (reply.status == 200 && !HoldsSequence(reply.body, own.sequence)) {
            reads.Fail(reads.own_write_missing, what + ": " + reply.body.substr(0, 300));
          }
        }
        reads.reads++;
        if (reply.status != 200) reads.Fail(reads.failed, what + " -> " + std::to_string(reply.status));
        const auto source = reply.headers.find("x-read-source");
        if (source != reply.headers.end() && source->second == "replica") reads.from_replica++;
        if (source != reply.headers.end() && source->second == "primary") reads.from_primary++;
      }
    });
  }

  const auto started = std::chrono::steady_clock::now();
  // The load runs for a fixed time: this is the measurement window, not a synchronisation.
  std::this_thread::sleep_until(started + std::chrono::seconds(seconds));
  stop = true;
  for (auto& client : clients) client.join();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  ASSERT_TRUE(WaitUntil([&] {
    const auto lag = Sql("SELECT coalesce(max(e.sequence), 0) - coalesce(min(c.last_sequence), 0) "
                         "FROM events e, projection_checkpoints c")[0][0].as<std::int64_t>();
    return lag == 0;
  }, std::chrono::seconds(120))) << "projections did not catch up";
  // Projector leases (advisory lock class "dlp"): one holder per projector, spread over
  // the instances (application_name is "<host>:<pid>/<projector>").
  const auto leases = Sql("SELECT count(*), count(DISTINCT l.objid), count(DISTINCT split_part(a.application_name, '/', 1)) "
                          "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                          "AND l.granted AND l.classid = " + std::to_string(projection_runtime::kProjectorLeaseClass) +
                          " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")[0];
  for (auto& instance : instances) EXPECT_EQ(instance->Terminate(), 0);

  const auto log_check = CheckLog(db_->url(), tally.acknowledged);
  const auto [verify_status, verify_output] =
      Shell("DATABASE_URL='" + db_->url() + "' " + std::getenv("DOCLEDGER_BINARY") + " replay --all --verify");

  const auto per_second = [&](double n) { return n / elapsed; };
  std::printf("\nload: %.1f s, 3 instances, %s, %d writing and %d reading clients\n", elapsed,
              replica != nullptr ? "reads via a streaming replica" : "no replica (reads from the primary)", writers,
              readers);
  std::printf("  %-34s %10zu  (%.0f/s)\n", "writes acknowledged", tally.acknowledged.size(),
              per_second(static_cast<double>(tally.acknowledged.size())));
  std::printf("  %-34s %10lld\n", "write attempts", static_cast<long long>(tally.attempts.load()));
  std::printf("  %-34s %10lld  (%.0f/s)\n", "reads", static_cast<long long>(reads.reads.load()),
              per_second(static_cast<double>(reads.reads.load())));
  std::printf("  %-34s %10lld\n", "  answered by the replica", static_cast<long long>(reads.from_replica.load()));
  std::printf("  %-34s %10lld\n", "  answered by the primary", static_cast<long long>(reads.from_primary.load()));
  std::printf("  %-34s %10lld\n", "reads missing the reader's write", static_cast<long long>(reads.own_write_missing.load()));
  std::printf("  %-34s %10lld\n", "found in the log once", static_cast<long long>(log_check.found));
  std::printf("  %-34s %10lld\n", "lost", static_cast<long long>(log_check.lost));
  std::printf("  %-34s %10lld\n", "duplicated", static_cast<long long>(log_check.duplicated + log_check.created_twice));
  std::printf("  %-34s %10lld\n", "projector leases held", leases[0].as<long long>());
  std::printf("  %-34s %10lld\n", "  by instances", leases[2].as<long long>());
  std::printf("  %-34s %10s\n", "read models = replay", verify_status == 0 ? "yes" : "NO");

  EXPECT_GT(tally.acknowledged.size(), 50u);
  EXPECT_EQ(tally.unexpected.load(), 0) << (tally.unexpected_answers.empty() ? "" : tally.unexpected_answers[0]);
  EXPECT_EQ(log_check.found, static_cast<std::int64_t>(tally.acknowledged.size()));
  EXPECT_EQ(log_check.lost, 0);
  EXPECT_EQ(log_check.duplicated, 0);
  EXPECT_EQ(log_check.created_twice, 0);
  EXPECT_GT(reads.reads.load(), 50);
  EXPECT_EQ(reads.failed.load(), 0) << (reads.failures.empty() ? "" : reads.failures[0]);
  EXPECT_EQ(reads.own_write_missing.load(), 0) << (reads.failures.empty() ? "" : reads.failures[0]);
  EXPECT_EQ(leases[0].as<std::int64_t>(), leases[1].as<std::int64_t>()) << "one holder per projector";
  if (replica != nullptr) {
    EXPECT_GT(reads.from_replica.load(), 0);
  }
  EXPECT_TRUE(verify_status == 0) << verify_output;
  if (!HasFailure()) std::remove(log.c_str());
}

}  // namespace
}  // namespace docledger::testing
