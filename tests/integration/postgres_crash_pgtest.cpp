// PostgreSQL crashes under load: 16 client threads append over HTTP to a real
// `docledger serve` (client-chosen event ids) while the database server is crashed 5 times
// (DOCLEDGER_TEST_PG_CRASH: an immediate stop, so no shutdown checkpoint and the start does
// crash recovery from the WAL; fsync is on, as in the test cluster) and started again. A
// request that fails meanwhile (no answer, 503) is retried with the same body and ids until
// answered; a retried append, and a sample of the others, is then sent once more and must
// be answered with the positions of the first answer. Any other failure (a 500 included: a
// database that is down is not an internal error) fails the test.
//
// After each restart:
//   - every append acknowledged so far is in the log exactly once, at the sequence its
//     answer reported (fsync + synchronous commit: an acknowledgement survives a crash);
//   - a reader tailing the log with nothing but `sequence > last_seen` (started before the
//     first write, reading throughout) has seen every event up to the head of the log, in
//     order. Sequence values may have holes (a crash or a rollback burns BIGSERIAL values):
//     "no gap" means no committed event missed, not contiguous numbers;
//   - the projectors resume by themselves (no restart of docledger): every checkpoint
//     passes the head of the log as it was after the restart.
// At the end, the same over the final log, nothing in it that no client was answered for,
// and every read model equals a rebuild from the log (`docledger replay --all --verify`).
//
// The crash moments are random in acknowledged appends, never in time: a crash strikes once
// the clients have had 30 to 150 more appends acknowledged since the previous crash's
// recovery was verified (or since the start), the number drawn from a printed seed
// (DOCLEDGER_CRASH_SEED replays a seed's workload and crash points; the interleaving of
// course differs). A summary table is printed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/pg_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/wait.hpp"
#include "tests/support/write_workload.hpp"

namespace docledger::testing {
namespace {

constexpr int kWriters = 16;
constexpr int kCrashes = 5;
constexpr std::size_t kMinWritesBetweenCrashes = 30;
constexpr std::size_t kMaxWritesBetweenCrashes = 150;

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// What the clients were told, and how they got there.
struct Acks {
  std::mutex mutex;
  std::unordered_map<std::string, std::int64_t> sequence_of;  // event id -> acknowledged sequence
  std::vector<std::string> problems;                          // answers that must not happen
  std::atomic<std::size_t> requests{0};                       // acknowledged appends
  std::atomic<std::int64_t> attempts{0}, no_answer{0}, unavailable{0}, other_5xx{0};
  std::atomic<std::int64_t> resent{0}, resent_already_recorded{0};

  std::unordered_map<std::string, std::int64_t> Snapshot() {
    std::lock_guard lock(mutex);
    return sequence_of;
  }
  void Problem(std::string what) {
    std::lock_guard lock(mutex);
    problems.push_back(std::move(what));
  }
  std::size_t Problems() {
    std::lock_guard lock(mutex);
    return problems.size();
  }
  std::string FirstProblem() {
    std::lock_guard lock(mutex);
    return problems.empty() ? "" : problems.front();
  }
};

// After a failed request, the clients wait until the server reports the database
// reachable again (GET /health/ready). One of them probes; the others await its finding.
class ReadyGate {
 public:
  explicit ReadyGate(std::uint16_t port) : port_(port) {}

  bool Await() {
    std::unique_lock lock(mutex_);
    if (probing_) {
      const auto round = round_;
      changed_.wait(lock, [&] { return round_ != round; });
      return ready_;
    }
    probing_ = true;
    lock.unlock();
    const bool ready = WaitUntil([&] { return HttpRequest(port_, "GET", "/health/ready").status == 200; },
                                 std::chrono::seconds(60));
    lock.lock();
    probing_ = false;
    ready_ = ready;
    ++round_;
    changed_.notify_all();
    return ready;
  }

 private:
  std::uint16_t port_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool probing_ = false, ready_ = false;
  std::uint64_t round_ = 0;
};

struct Answer {
  int status = 0;
  bool already_recorded = false;
  std::vector<std::pair<std::string, std::int64_t>> positions;  // (event id, sequence)
  int attempts = 0;
};

// One client thread: appends of 1 to 3 JobStarted events with its own ids to 4 streams of
// its own, until `stop`.
class Writer {
 public:
  Writer(int index, std::uint64_t seed, std::uint16_t port, Acks& acks, ReadyGate& ready)
      : index_(index), random_(seed), port_(port), acks_(acks), ready_(ready) {}

  void Run(const std::atomic<bool>& stop) {
    for (std::uint64_t n = 0; !stop; ++n) {
      const std::string target =
          "/api/v1/streams/crash-w" + std::to_string(index_) + "-s" + std::to_string(n % 4) + "/events";
      std::vector<std::string> ids;
      auto events = nlohmann::json::array();
      const auto count = 1 + random_() % 3;
      for (std::uint64_t i = 0; i < count; ++i) {
        ids.push_back(RandomUuid(random_));
        events.push_back({{"event_id", ids.back()},
                          {"event_type", "JobStarted"},
                          {"payload", {{"job_id", RandomUuid(random_)}, {"kind", "crawl"}}}});
      }
      const auto body = nlohmann::json{{"events", events}}.dump();
      const auto answer = Send(target, body, ids, true);
      if (answer.status == 0) return;  // a problem is recorded; the test fails
      // An append that needed a retry may have been recorded by an attempt that was never
      // answered; and any append may be repeated by a client. Sent again, it must be
      // answered with the positions of the first answer.
      const bool resend = answer.attempts > 1 || random_() % 16 == 0;
      {
        std::lock_guard lock(acks_.mutex);
        for (const auto& [id, sequence] : answer.positions) acks_.sequence_of[id] = sequence;
      }
      acks_.requests++;
      if (!resend) continue;
      const auto again = Send(target, body, ids, false);
      if (again.status == 0) return;
      acks_.resent++;
      if (again.already_recorded) acks_.resent_already_recorded++;
      if (again.positions != answer.positions) {
        acks_.Problem(target + ": sent again, answered with other positions: " + Describe(again) + " instead of " +
                      Describe(answer));
      }
    }
  }

 private:
  // Sends until answered with 2xx; status 0 when the append cannot be acknowledged (a
  // problem is recorded).
  Answer Send(const std::string& target, const std::string& body, const std::vector<std::string>& ids,
             bool first_time) {
    for (int attempt = 1;; ++attempt) {
      acks_.attempts++;
      const auto reply = HttpRequest(port_, "POST", target, body, kWorkloadAuth);
      if (reply.status == 200 || reply.status == 201) {
        Answer answer;
        answer.status = reply.status;
        answer.attempts = attempt;
        const auto json = nlohmann::json::parse(reply.body, nullptr, false);
        if (!json.is_object() || !json.contains("events") || !json["events"].is_array()) {
          acks_.Problem(target + ": answer without events: " + reply.body);
          return {};
        }
        answer.already_recorded = json.value("already_recorded", false);
        for (const auto& position : json["events"]) {
          answer.positions.emplace_back(position.value("event_id", ""), position.value("sequence", std::int64_t{0}));
        }
        bool same_ids = answer.positions.size() == ids.size();
        for (std::size_t i = 0; same_ids && i < ids.size(); ++i) {
          same_ids = answer.positions[i].first == ids[i] && answer.positions[i].second > 0 &&
                     (i == 0 || answer.positions[i].second > answer.positions[i - 1].second);
        }
        if (!same_ids) {
          acks_.Problem(target + ": answer does not report the appended ids in order: " + reply.body);
          return {};
        }
        // Nobody sent these ids before this request's first attempt.
        if (first_time && attempt == 1 && answer.already_recorded) {
          acks_.Problem(target + ": a first attempt answered as already recorded: " + reply.body);
        }
        return answer;
      }
      if (reply.status == 0) {
        acks_.no_answer++;
      } else if (reply.status == 503) {
        acks_.unavailable++;
      } else if (reply.status >= 500) {
        acks_.other_5xx++;
        acks_.Problem(target + ": " + std::to_string(reply.status) + " during a database crash (503 expected): " +
                      reply.body);
      } else {
        acks_.Problem(target + ": " + std::to_string(reply.status) + " " + reply.body);
        return {};
      }
      // Retry once the server says the database is reachable again (not a fixed pause).
      if (!ready_.Await()) {
        acks_.Problem(target + ": the server did not become ready again within 60 s");
        return {};
      }
    }
  }

  static std::string Describe(const Answer& answer) {
    std::string out;
    for (const auto& [id, sequence] : answer.positions) out += id + "@" + std::to_string(sequence) + " ";
    return out;
  }

  int index_;
  std::mt19937_64 random_;
  std::uint16_t port_;
  Acks& acks_;
  ReadyGate& ready_;
};

// The tailing reader: nothing but `sequence > last_seen`, in pages, from before the first
// write to after the last; it rides out the crashes (a failed read is tried again).
class TailingReader {
 public:
  TailingReader(eventstore::PostgresEventStore& store, const std::atomic<std::size_t>& progress)
      : store_(store), progress_(progress) {}

  void Run() {
    for (;;) {
      const bool finishing = finish_.load();
      const auto before = progress_.load();
      std::vector<domain::RecordedEvent> page;
      try {
        page = store_.ReadAll(last_seen_.load(), 500);
      } catch (const std::exception&) {
        // The database is down. Read again once a client has been answered since (or
        // after a while).
        failed_reads_++;
        WaitUntil([&] { return progress_.load() != before || finish_.load(); }, std::chrono::milliseconds(200));
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        for (auto& event : page) {
          if (event.sequence <= last_seen_.load()) out_of_order_++;
          seen_.emplace_back(event.sequence, std::move(event.event_id));
          last_seen_ = event.sequence;
        }
      }
      if (!page.empty()) continue;
      if (finishing) return;  // an empty page after the writers stopped: the end of the log
      // Caught up: wait for the clients' next acknowledgement (or read again after a while).
      WaitUntil([&] { return progress_.load() != before || finish_.load(); }, std::chrono::milliseconds(200));
    }
  }
  void Finish() { finish_ = true; }

  std::int64_t last_seen() const { return last_seen_.load(); }
  std::vector<std::pair<std::int64_t, std::string>> Seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::int64_t out_of_order() {
    std::lock_guard lock(mutex_);
    return out_of_order_;
  }
  std::int64_t failed_reads() const { return failed_reads_.load(); }

 private:
  eventstore::PostgresEventStore& store_;
  const std::atomic<std::size_t>& progress_;
  std::atomic<bool> finish_{false};
  std::atomic<std::int64_t> last_seen_{0};
  std::atomic<std::int64_t> failed_reads_{0};
  std::mutex mutex_;
  std::vector<std::pair<std::int64_t, std::string>> seen_;
  std::int64_t out_of_order_ = 0;
};

// The log as (sequence, event id), in sequence order.
std::vector<std::pair<std::int64_t, std::string>> ReadLog(const std::string& url) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  std::vector<std::pair<std::int64_t, std::string>> log;
  for (const auto& row : tx.exec("SELECT sequence, event_id::text FROM events ORDER BY sequence")) {
    log.emplace_back(row[0].as<std::int64_t>(), row[1].as<std::string>());
  }
  return log;
}

struct AckCheck {
  std::int64_t checked = 0, missing = 0, wrong_sequence = 0, duplicated = 0;
};

// Every acknowledged event in `log` exactly once, at its acknowledged sequence.
AckCheck CheckAcks(const std::unordered_map<std::string, std::int64_t>& acked,
                   const std::vector<std::pair<std::int64_t, std::string>>& log) {
  std::unordered_map<std::string, std::vector<std::int64_t>> in_log;
  for (const auto& [sequence, id] : log) in_log[id].push_back(sequence);
  AckCheck check;
  for (const auto& [id, sequence] : acked) {
    ++check.checked;
    const auto found = in_log.find(id);
    if (found == in_log.end()) {
      ++check.missing;
    } else if (found->second.size() > 1) {
      ++check.duplicated;
    } else if (found->second[0] != sequence) {
      ++check.wrong_sequence;
    }
  }
  return check;
}

// Events of `log` the reader has not seen at the same place in the order (and the other
// way round), comparing the reader's events up to the log's last sequence.
std::int64_t ReaderDifferences(const std::vector<std::pair<std::int64_t, std::string>>& log,
                               const std::vector<std::pair<std::int64_t, std::string>>& seen) {
  const auto head = log.empty() ? 0 : log.back().first;
  std::vector<std::pair<std::int64_t, std::string>> prefix;
  for (const auto& entry : seen) {
    if (entry.first <= head) prefix.push_back(entry);
  }
  std::vector<std::pair<std::int64_t, std::string>> only_in_log, only_seen;
  std::set_difference(log.begin(), log.end(), prefix.begin(), prefix.end(), std::back_inserter(only_in_log));
  std::set_difference(prefix.begin(), prefix.end(), log.begin(), log.end(), std::back_inserter(only_seen));
  return static_cast<std::int64_t>(only_in_log.size() + only_seen.size());
}

class PostgresCrash : public PgTest {
 protected:
  std::int64_t Lag() {
    return Sql("SELECT coalesce(max(e.sequence), 0) - coalesce(min(c.last_sequence), 0) "
               "FROM events e, projection_checkpoints c")[0][0].as<std::int64_t>();
  }
  std::string PostmasterStart() { return Sql("SELECT pg_postmaster_start_time()::text")[0][0].as<std::string>(); }
  std::int64_t SlowestCheckpoint() {
    return Sql("SELECT coalesce(min(last_sequence), 0) FROM projection_checkpoints")[0][0].as<std::int64_t>();
  }
};

TEST_F(PostgresCrash, AcknowledgedAppendsSurviveCrashesInOrderAndProjectorsResumeByThemselves) {
  const char* crash = std::getenv("DOCLEDGER_TEST_PG_CRASH");
  if (crash == nullptr) {
    if (std::getenv("CI") != nullptr) FAIL() << "DOCLEDGER_TEST_PG_CRASH is not set";
    GTEST_SKIP() << "DOCLEDGER_TEST_PG_CRASH (a command crashing and restarting the test server) is not set";
  }
  const char* binary = std::getenv("DOCLEDGER_BINARY");
  ASSERT_NE(binary, nullptr) << "DOCLEDGER_BINARY must name the docledger binary";
  const char* seed_text = std::getenv("DOCLEDGER_CRASH_SEED");
  const std::uint64_t seed = seed_text != nullptr ? std::strtoull(seed_text, nullptr, 10) : std::random_device{}();
  std::printf("postgres crash test: seed %llu (DOCLEDGER_CRASH_SEED=%llu replays it)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 crash_points(static_cast<std::mt19937::result_type>(seed));
  std::uniform_int_distribution<std::size_t> writes_until_crash(kMinWritesBetweenCrashes, kMaxWritesBetweenCrashes);

  const std::string log = "postgres-crash-" + db_->name() + ".log";
  ServerProcess server(db_->url(), FreePort(), {}, log);
  ASSERT_TRUE(server.WaitUntilServing());
  ASSERT_TRUE(WaitUntil([&] { return Sql("SELECT count(*) FROM projection_checkpoints")[0][0].as<int>() > 0; }))
      << "the projectors did not register";
  // The first recovery then replays the test's writes only, not the creation of its
  // database.
  Sql("CHECKPOINT");

  Acks acks;
  ReadyGate ready(server.port());
  TailingReader reader(*store_, acks.requests);
  std::thread reader_thread([&] { reader.Run(); });
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<Writer>> writers;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    const auto writer_seed = seed * 1000003 + static_cast<std::uint64_t>(w);
    writers.push_back(std::make_unique<Writer>(w, writer_seed, server.port(), acks, ready));
  }
  for (auto& writer : writers) threads.emplace_back([&, raw = writer.get()] { raw->Run(stop); });
  // Whatever fails below, the threads end before the objects they use.
  struct Joiner {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    TailingReader& reader;
    std::thread& reader_thread;
    ~Joiner() {
      stop = true;
      for (auto& thread : threads) {
        if (thread.joinable()) thread.join();
      }
      reader.Finish();
      if (reader_thread.joinable()) reader_thread.join();
    }
  } joiner{stop, threads, reader, reader_thread};

  struct Round {
    std::size_t writes_before = 0;
    double crash_seconds = 0, catch_up_seconds = 0;
    std::int64_t head = 0;
    AckCheck acks;
    std::int64_t reader_differences = 0;
    bool projectors_caught_up = false, reader_caught_up = false;
  };
  std::vector<Round> rounds;
  const auto started = Clock::now();
  for (int crash_number = 1; crash_number <= kCrashes; ++crash_number) {
    Round round;
    round.writes_before = writes_until_crash(crash_points);
    const auto from = acks.requests.load();
    ASSERT_TRUE(WaitUntil([&] { return acks.requests.load() >= from + round.writes_before || acks.Problems() > 0; },
                          std::chrono::minutes(2)))
        << "no progress before crash " << crash_number;
    ASSERT_EQ(acks.Problems(), 0u) << acks.FirstProblem();

    const auto server_started = PostmasterStart();
    const auto crash_started = Clock::now();
    const auto [status, output] = Shell(crash);
    round.crash_seconds = SecondsSince(crash_started);
    ASSERT_EQ(status, 0) << "crash command failed: " << output;
    ASSERT_NE(PostmasterStart(), server_started) << "crash " << crash_number << ": PostgreSQL was not restarted";

    // Everything acknowledged before this point was acknowledged before or during the
    // crash: all of it must have survived, at its sequence.
    const auto acked = acks.Snapshot();
    const auto recovered = ReadLog(db_->url());
    round.head = recovered.empty() ? 0 : recovered.back().first;
    round.acks = CheckAcks(acked, recovered);
    // The tailing reader reaches the head as it was after recovery, having missed nothing.
    round.reader_caught_up = WaitUntil([&] { return reader.last_seen() >= round.head; }, std::chrono::seconds(60));
    round.reader_differences = ReaderDifferences(recovered, reader.Seen());
    // The projectors resume by themselves: every checkpoint passes that head.
    const auto catch_up_started = Clock::now();
    round.projectors_caught_up =
        WaitUntil([&] { return SlowestCheckpoint() >= round.head; }, std::chrono::seconds(60));
    round.catch_up_seconds = SecondsSince(catch_up_started);
    rounds.push_back(round);

    EXPECT_EQ(round.acks.missing, 0) << "crash " << crash_number << ": acknowledged events lost";
    EXPECT_EQ(round.acks.wrong_sequence, 0) << "crash " << crash_number << ": events at another sequence";
    EXPECT_EQ(round.acks.duplicated, 0) << "crash " << crash_number;
    EXPECT_TRUE(round.reader_caught_up) << "crash " << crash_number << ": the reader did not reach " << round.head;
    EXPECT_EQ(round.reader_differences, 0) << "crash " << crash_number << ": the reader missed or invented events";
    EXPECT_TRUE(round.projectors_caught_up) << "crash " << crash_number << ": checkpoints stuck below " << round.head;
    if (HasFailure()) break;
  }
  // Writes go on after the last recovery.
  if (!HasFailure()) {
    const auto from = acks.requests.load();
    EXPECT_TRUE(WaitUntil([&] { return acks.requests.load() >= from + 30 || acks.Problems() > 0; },
                          std::chrono::minutes(1)))
        << "no progress after the last crash";
  }
  const auto load_seconds = SecondsSince(started);
  stop = true;
  for (auto& thread : threads) thread.join();

  // Nothing more is written: the projectors reach the end of the log, and the server stops
  // gracefully. Then the reader reads to the end.
  const auto finishing = Clock::now();
  const bool drained = WaitUntil([&] { return Lag() == 0; }, std::chrono::seconds(120));
  EXPECT_TRUE(drained) << "projectors did not reach the end of the log";
  EXPECT_EQ(server.Terminate(), 0);
  reader.Finish();
  reader_thread.join();

  const auto final_log = ReadLog(db_->url());
  const auto acked = acks.Snapshot();
  const auto final_check = CheckAcks(acked, final_log);
  const auto seen = reader.Seen();
  const auto reader_differences = ReaderDifferences(final_log, seen);
  const bool reader_saw_the_log = seen == final_log;
  std::int64_t unacknowledged = 0;
  for (const auto& [sequence, id] : final_log) {
    if (acked.count(id) == 0) ++unacknowledged;
  }
  const std::int64_t head = final_log.empty() ? 0 : final_log.back().first;
  const std::int64_t holes = head - static_cast<std::int64_t>(final_log.size());

  const auto drain_seconds = SecondsSince(finishing);
  const auto replay_started = Clock::now();
  const auto [verify_status, verify_output] =
      Shell("DATABASE_URL='" + db_->url() + "' " + binary + " replay --all --verify");
  const auto replay_seconds = SecondsSince(replay_started);

  std::printf("\npostgres crash: %.1f s of load, %d writers, %d crashes (immediate stop + crash recovery)\n",
              load_seconds, kWriters, static_cast<int>(rounds.size()));
  // drawn: appends acknowledged before the crash (since the previous verified recovery);
  // acked: events acknowledged by the end of the restart, all checked in the log;
  // lost/moved: of those, not in the log once / at another sequence; reader: the tailing
  // reader has seen the log up to its head after recovery; projectors: time until every
  // checkpoint passed that head.
  std::printf("  %-5s %6s %8s %8s %6s %6s %7s %11s %10s\n", "crash", "drawn", "acked", "head", "lost", "moved",
              "reader", "projectors", "crash cmd");
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    const auto& r = rounds[i];
    std::printf("  %-5zu %6zu %8lld %8lld %6lld %6lld %7s %10.2fs %9.2fs\n", i + 1, r.writes_before,
                static_cast<long long>(r.acks.checked), static_cast<long long>(r.head),
                static_cast<long long>(r.acks.missing + r.acks.duplicated),
                static_cast<long long>(r.acks.wrong_sequence), r.reader_differences == 0 ? "ok" : "MISSED",
                r.catch_up_seconds, r.crash_seconds);
  }
  std::printf("  %-34s %8zu\n", "appends acknowledged", acks.requests.load());
  std::printf("  %-34s %8zu\n", "events acknowledged", acked.size());
  std::printf("  %-34s %8lld\n", "attempts (incl. retries)", static_cast<long long>(acks.attempts.load()));
  std::printf("  %-34s %8lld\n", "  no answer (connection lost)", static_cast<long long>(acks.no_answer.load()));
  std::printf("  %-34s %8lld\n", "  503", static_cast<long long>(acks.unavailable.load()));
  std::printf("  %-34s %8lld\n", "  other 5xx", static_cast<long long>(acks.other_5xx.load()));
  std::printf("  %-34s %8lld (%lld as already recorded)\n", "sent again, same positions",
              static_cast<long long>(acks.resent.load()), static_cast<long long>(acks.resent_already_recorded.load()));
  std::printf("  %-34s %8zu\n", "events in the log", final_log.size());
  const auto found_once =
      final_check.checked - final_check.missing - final_check.duplicated - final_check.wrong_sequence;
  std::printf("  %-34s %8lld\n", "  acknowledged, found once", static_cast<long long>(found_once));
  std::printf("  %-34s %8lld\n", "  lost", static_cast<long long>(final_check.missing));
  std::printf("  %-34s %8lld\n", "  at another sequence", static_cast<long long>(final_check.wrong_sequence));
  std::printf("  %-34s %8lld\n", "  never acknowledged", static_cast<long long>(unacknowledged));
  std::printf("  %-34s %8lld\n", "sequence values skipped (legit)", static_cast<long long>(holes));
  std::printf("  %-34s %8zu\n", "events seen by the tailing reader", seen.size());
  std::printf("  %-34s %8lld\n", "  missed or out of order", static_cast<long long>(reader_differences +
                                                                                    reader.out_of_order()));
  std::printf("  %-34s %8lld\n", "  reads failed during crashes", static_cast<long long>(reader.failed_reads()));
  std::printf("  %-34s %8s\n", "read models = replay", verify_status == 0 ? "yes" : "NO");
  std::printf("  (then %.1f s until projectors drained and checks done, %.1f s of replay --all --verify)\n",
              drain_seconds, replay_seconds);

  EXPECT_EQ(static_cast<int>(rounds.size()), kCrashes);
  EXPECT_EQ(acks.Problems(), 0u) << acks.FirstProblem();
  EXPECT_GE(acks.requests.load(), static_cast<std::size_t>(kCrashes) * kMinWritesBetweenCrashes);
  EXPECT_EQ(final_check.checked, static_cast<std::int64_t>(acked.size()));
  EXPECT_EQ(final_check.missing, 0);
  EXPECT_EQ(final_check.duplicated, 0);
  EXPECT_EQ(final_check.wrong_sequence, 0);
  EXPECT_EQ(unacknowledged, 0) << "events in the log that no client was answered for";
  EXPECT_EQ(final_log.size(), acked.size());
  EXPECT_TRUE(reader_saw_the_log) << "the tailing reader's events differ from the log";
  EXPECT_EQ(reader_differences, 0);
  EXPECT_EQ(reader.out_of_order(), 0);
  EXPECT_EQ(verify_status, 0) << verify_output;
  if (!HasFailure()) std::remove(log.c_str());
}

}  // namespace
}  // namespace docledger::testing
