// Event store throughput: docledger's PostgresEventStore against what a naive store gets
// from the same PostgreSQL server (conventions 18: every figure is events/s).
//
//   DATABASE_URL=postgresql://...  build/bench/benchmarks/event_store_benchmark
//   benchmarks/run-event-store-benchmark        (throwaway cluster, release build, ratios)
//
// DATABASE_URL is an admin URL: the benchmark drops and creates the database
// docledger_bench on that server, migrates it (sql/001), and drops it again at the end.
//
// Baselines write to bench_events (LIKE events INCLUDING ALL, its own sequence): the same
// columns, checks and indexes, but none of docledger's triggers, so they are NOT serialised
// by the event store's order lock. docledger writes to events through Append.
//
// Every write case runs for a fixed wall-clock time (EVENT_STORE_BENCH_SECONDS, default 4)
// with its own threads inside one benchmark iteration; events/s is the wall-clock
// throughput of all threads together (manual time = wall time of the whole iteration,
// from the moment all threads are released until the last one has returned). A CHECKPOINT
// runs before each case, outside the measured time, so that one case's dirty pages do not
// slow the next. At the end the ratios the targets use are printed to stderr.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <benchmark/benchmark.h>
#include <pqxx/pqxx>

#include "benchmarks/bench_database.hpp"
#include "domain/event.hpp"
#include "domain/expected_version.hpp"
#include "eventstore/postgres_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/migrations.hpp"
#include "infrastructure/pg_array.hpp"

namespace {

using docledger::domain::AppendRequest;
using docledger::domain::ExpectedVersion;
using docledger::domain::NewEvent;
using docledger::infrastructure::NewRandomUuid;
using docledger::infrastructure::ToPgArray;
using Clock = std::chrono::steady_clock;

constexpr const char* kBenchDatabase = "docledger_bench";
constexpr std::int64_t kBaselineLockKey = 7234302074016745331;  // docledger's key, on bench_events
constexpr std::size_t kReadAllMinimum = 200'000;

// ------------------------------------------------------------------ environment

std::string g_admin_url;
std::string g_bench_url;
std::map<std::string, double> g_rates;  // case key -> events/s of the last run
std::mutex g_rates_mutex;

using docledger::bench::UrlFor;

void Admin(const std::string& sql) { docledger::bench::RunAdmin(g_admin_url, sql); }

void RecreateDatabase() {
  docledger::bench::RecreateMigratedDatabase(g_admin_url, kBenchDatabase);
  pqxx::connection conn(g_bench_url);
  pqxx::work tx(conn);
  tx.exec("CREATE TABLE bench_events (LIKE events INCLUDING ALL)");
  // INCLUDING ALL copies the default nextval('events_sequence_seq'): give it its own.
  tx.exec("CREATE SEQUENCE bench_events_sequence_seq OWNED BY bench_events.sequence");
  tx.exec("ALTER TABLE bench_events ALTER COLUMN sequence "
          "SET DEFAULT nextval('bench_events_sequence_seq')");
  tx.commit();
}

void Checkpoint() {
  pqxx::connection conn(g_bench_url);
  pqxx::nontransaction tx(conn);
  tx.exec("CHECKPOINT");
}

void RecordRate(const std::string& key, double rate) {
  std::lock_guard lock(g_rates_mutex);
  g_rates[key] = rate;
}

double Seconds() {
  const char* s = std::getenv("EVENT_STORE_BENCH_SECONDS");
  const double v = s == nullptr ? 0.0 : std::atof(s);
  return v > 0 ? v : 4.0;
}

// ------------------------------------------------------------------ data

// A ~300-byte JSON payload shaped like a DocumentUploaded event.
std::string Payload(std::uint64_t n) {
  static const std::string kHash(64, 'a');
  std::string p = R"({"document_id":")" + NewRandomUuid() +
                  R"(","filename":"quarterly-report-)" + std::to_string(n) +
                  R"(.pdf","content_type":"application/pdf","size_bytes":1843200,"sha256":")" +
                  kHash + R"(","uploaded_by":"alice@example.com","tags":["finance","q3"],"note":")";
  if (p.size() < 298) p.append(298 - p.size(), 'x');
  p += "\"}";
  return p;
}

const std::string kMetadata =
    R"({"actor":"bench","correlation_id":"5f1e2c3a-0d4b-4c6e-9a8f-7b6c5d4e3f21"})";
const std::string kEventType = "DocumentUploaded";

std::atomic<std::uint64_t> g_stream_counter{0};
std::string NewStream(const char* tag) {
  return std::string("bench-") + tag + "-" + std::to_string(++g_stream_counter);
}

// ------------------------------------------------------------------ timed runner

// One thread's work: Step() writes (or reads) some events and returns how many.
class Worker {
 public:
  virtual ~Worker() = default;
  virtual std::size_t Step() = 0;
};

using WorkerFactory = std::function<std::unique_ptr<Worker>(int thread)>;

// Runs `threads` workers for Seconds() of wall-clock time; one benchmark iteration.
// Returns the events/s achieved (also set as the counter "events/s").
double RunTimed(benchmark::State& state, const std::string& key, int threads,
                const WorkerFactory& make) {
  double rate = 0;
  for (auto _ : state) {
    Checkpoint();
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < threads; ++i) workers.push_back(make(i));  // connections open here

    std::latch ready(threads);
    std::latch go(1);
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> total{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        ready.count_down();
        go.wait();
        std::uint64_t n = 0;
        try {
          while (!stop.load(std::memory_order_relaxed)) n += workers[i]->Step();
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (!error) error = std::current_exception();
          stop = true;
        }
        total += n;
      });
    }
    ready.wait();
    const auto t0 = Clock::now();
    go.count_down();
    std::this_thread::sleep_for(std::chrono::duration<double>(Seconds()));
    stop = true;
    for (auto& t : pool) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        state.SkipWithError(e.what());
      }
      break;
    }
    state.SetIterationTime(elapsed);
    rate = static_cast<double>(total.load()) / elapsed;
    state.counters["events/s"] = benchmark::Counter(static_cast<double>(total.load()),
                                                    benchmark::Counter::kIsRate);
    state.counters["events"] = static_cast<double>(total.load());
    RecordRate(key, rate);
  }
  return rate;
}

// ------------------------------------------------------------------ baselines
// Statements of the baselines, prepared by name on each worker's connection (conventions 7).

constexpr const char* kInsertColumns =
    "event_id, stream_id, stream_version, event_type, payload, metadata";

class PlainInsertWorker : public Worker {
 public:
  // with_lock: the same single-row INSERT, but ONE statement that first takes the global
  // advisory lock (pg_advisory_xact_lock) and then inserts: order without group commit.
  explicit PlainInsertWorker(bool with_lock) : conn_(g_bench_url), stream_(NewStream("plain")) {
    if (with_lock) {
      conn_.prepare("insert_one",
                    std::string("INSERT INTO bench_events (") + kInsertColumns +
                        ") SELECT $1::uuid, $2, $3::bigint, $4, $5::jsonb, $6::jsonb "
                        "FROM (SELECT pg_advisory_xact_lock($7::bigint)) AS order_lock");
    } else {
      conn_.prepare("insert_one", std::string("INSERT INTO bench_events (") + kInsertColumns +
                                      ") VALUES ($1, $2, $3, $4, $5, $6)");
    }
    with_lock_ = with_lock;
  }
  std::size_t Step() override {
    pqxx::nontransaction tx(conn_);  // autocommit: one statement, one transaction
    const auto id = NewRandomUuid();
    const auto payload = Payload(version_);
    if (with_lock_) {
      tx.exec_prepared("insert_one", id, stream_, ++version_, kEventType, payload, kMetadata,
                       kBaselineLockKey);
    } else {
      tx.exec_prepared("insert_one", id, stream_, ++version_, kEventType, payload, kMetadata);
    }
    return 1;
  }

 private:
  pqxx::connection conn_;
  std::string stream_;
  std::int64_t version_ = 0;
  bool with_lock_ = false;
};

class MultiValuesWorker : public Worker {
 public:
  explicit MultiValuesWorker(int rows) : conn_(g_bench_url), rows_(rows), stream_(NewStream("mv")) {
    std::string sql = std::string("INSERT INTO bench_events (") + kInsertColumns + ") VALUES ";
    for (int r = 0; r < rows; ++r) {
      const int b = r * 6;
      sql += (r ? ",(" : "(");
      for (int c = 1; c <= 6; ++c) sql += "$" + std::to_string(b + c) + (c < 6 ? "," : ")");
    }
    conn_.prepare("insert_values", sql);
  }
  std::size_t Step() override {
    std::vector<std::string> params;
    params.reserve(static_cast<std::size_t>(rows_) * 6);
    for (int r = 0; r < rows_; ++r) {
      params.push_back(NewRandomUuid());
      params.push_back(stream_);
      params.push_back(std::to_string(++version_));
      params.push_back(kEventType);
      params.push_back(Payload(version_));
      params.push_back(kMetadata);
    }
    pqxx::nontransaction tx(conn_);
    tx.exec_prepared("insert_values", pqxx::prepare::make_dynamic_params(params));
    return static_cast<std::size_t>(rows_);
  }

 private:
  pqxx::connection conn_;
  int rows_;
  std::string stream_;
  std::int64_t version_ = 0;
};

class UnnestWorker : public Worker {
 public:
  explicit UnnestWorker(int rows) : conn_(g_bench_url), rows_(rows), stream_(NewStream("unnest")) {
    conn_.prepare("insert_unnest",
                  std::string("INSERT INTO bench_events (") + kInsertColumns +
                      ") SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], "
                      "$5::jsonb[], $6::jsonb[])");
  }
  std::size_t Step() override {
    std::vector<std::string> ids, streams, types, payloads, metadata;
    std::vector<std::int64_t> versions;
    for (int r = 0; r < rows_; ++r) {
      ids.push_back(NewRandomUuid());
      streams.push_back(stream_);
      versions.push_back(++version_);
      types.push_back(kEventType);
      payloads.push_back(Payload(version_));
      metadata.push_back(kMetadata);
    }
    pqxx::nontransaction tx(conn_);
    tx.exec_prepared("insert_unnest", ToPgArray(ids), ToPgArray(streams), ToPgArray(versions),
                     ToPgArray(types), ToPgArray(payloads), ToPgArray(metadata));
    return static_cast<std::size_t>(rows_);
  }

 private:
  pqxx::connection conn_;
  int rows_;
  std::string stream_;
  std::int64_t version_ = 0;
};

// COPY (conventions 8: stream_to, always complete()) into `table`, `rows` per transaction.
std::size_t CopyRows(pqxx::connection& conn, const std::string& table, const std::string& stream,
                     std::int64_t& version, int rows) {
  static const std::vector<std::string> kColumns{"event_id", "stream_id", "stream_version",
                                                 "event_type", "payload", "metadata"};
  pqxx::work tx(conn);
  pqxx::stream_to out(tx, table, kColumns);
  for (int r = 0; r < rows; ++r) {
    ++version;
    out << std::make_tuple(NewRandomUuid(), stream, version, kEventType, Payload(version),
                           kMetadata);
  }
  out.complete();
  tx.commit();
  return static_cast<std::size_t>(rows);
}

class CopyWorker : public Worker {
 public:
  explicit CopyWorker(int rows) : conn_(g_bench_url), rows_(rows), stream_(NewStream("copy")) {}
  std::size_t Step() override { return CopyRows(conn_, "bench_events", stream_, version_, rows_); }

 private:
  pqxx::connection conn_;
  int rows_;
  std::string stream_;
  std::int64_t version_ = 0;
};

void BM_Baseline_PlainInsert(benchmark::State& state) {
  const int clients = static_cast<int>(state.range(0));
  RunTimed(state, "plain_insert_" + std::to_string(clients), clients,
           [](int) { return std::make_unique<PlainInsertWorker>(false); });
}

void BM_Baseline_LockPerInsert(benchmark::State& state) {
  const int clients = static_cast<int>(state.range(0));
  RunTimed(state, "lock_insert_" + std::to_string(clients), clients,
           [](int) { return std::make_unique<PlainInsertWorker>(true); });
}

void BM_Baseline_MultiValuesInsert(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  RunTimed(state, "multi_values_" + std::to_string(rows), 1,
           [rows](int) { return std::make_unique<MultiValuesWorker>(rows); });
}

void BM_Baseline_UnnestInsert(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  RunTimed(state, "unnest_" + std::to_string(rows), 1,
           [rows](int) { return std::make_unique<UnnestWorker>(rows); });
}

void BM_Baseline_Copy(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  RunTimed(state, "copy_" + std::to_string(rows), 1,
           [rows](int) { return std::make_unique<CopyWorker>(rows); });
}

// ------------------------------------------------------------------ docledger

class AppendWorker : public Worker {
 public:
  AppendWorker(docledger::eventstore::PostgresEventStore& store, int events)
      : store_(store), events_(events), stream_(NewStream("append")) {}
  std::size_t Step() override {
    AppendRequest request{stream_, ExpectedVersion::Any(), {}};
    request.events.reserve(static_cast<std::size_t>(events_));
    for (int i = 0; i < events_; ++i) {
      NewEvent event;
      event.event_id = NewRandomUuid();
      event.event_type = kEventType;
      event.payload = Payload(++n_);
      event.metadata = kMetadata;
      request.events.push_back(std::move(event));
    }
    return store_.Append(request).positions.size();  // awaited
  }

 private:
  docledger::eventstore::PostgresEventStore& store_;
  int events_;
  std::string stream_;
  std::uint64_t n_ = 0;
};

void BM_Docledger_Append(benchmark::State& state) {
  const int writers = static_cast<int>(state.range(0));
  const int events = static_cast<int>(state.range(1));
  docledger::infrastructure::ConnectionPool pool(g_bench_url, 2);
  docledger::eventstore::PostgresEventStore store(pool);  // one store shared by all writers
  // Open the writer connection before the clock starts.
  store.Append(AppendRequest{NewStream("warmup"), ExpectedVersion::Any(),
                             {NewEvent{NewRandomUuid(), kEventType, 1, Payload(0), kMetadata}}});
  const auto before = store.Stats();
  RunTimed(state, "docledger_" + std::to_string(writers) + "x" + std::to_string(events), writers,
           [&](int) { return std::make_unique<AppendWorker>(store, events); });
  const auto after = store.Stats();
  const double batches = static_cast<double>(after.batches - before.batches);
  if (batches > 0) {
    state.counters["requests/batch"] =
        static_cast<double>(after.requests - before.requests) / batches;
    state.counters["events/batch"] =
        static_cast<double>(after.events_written - before.events_written) / batches;
  }
  state.counters["retries"] = static_cast<double>(after.retries - before.retries);
}

// Fills events (through COPY, so the order-lock and NOTIFY triggers fire as for any writer)
// until it holds at least kReadAllMinimum events.
std::int64_t EnsureEventsForReadAll() {
  pqxx::connection conn(g_bench_url);
  std::int64_t count = 0;
  {
    pqxx::nontransaction tx(conn);
    count = tx.exec("SELECT count(*) FROM events")[0][0].as<std::int64_t>();
  }
  const std::string stream = NewStream("fill");
  std::int64_t version = 0;
  while (count < static_cast<std::int64_t>(kReadAllMinimum)) {
    count += static_cast<std::int64_t>(CopyRows(conn, "events", stream, version, 20'000));
  }
  return count;
}

// Reads the whole log with `read_log(store, page, visit)` and reports events/s.
template <typename ReadLog>
void RunReadCase(benchmark::State& state, const std::string& key, ReadLog&& read_log) {
  const auto page = static_cast<std::size_t>(state.range(0));
  const auto expected = EnsureEventsForReadAll();
  Checkpoint();
  docledger::infrastructure::ConnectionPool pool(g_bench_url, 2);
  docledger::eventstore::PostgresEventStore store(pool);
  store.ReadAll(0, 1);  // open the connection before the clock starts
  for (auto _ : state) {
    const auto t0 = Clock::now();
    std::size_t total = 0;
    std::size_t bytes = 0;
    read_log(store, page, [&](const docledger::domain::RecordedEvent& e) {
      ++total;
      bytes += e.payload.size();
    });
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(elapsed);
    if (static_cast<std::int64_t>(total) < expected) {
      state.SkipWithError("the read returned fewer events than the log holds");
      break;
    }
    state.counters["events/s"] =
        benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
    state.counters["events"] = static_cast<double>(total);
    state.counters["payload_MB/s"] =
        benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsRate);
    RecordRate(key + std::to_string(page), static_cast<double>(total) / elapsed);
  }
}

// ReadAll page after page, as a naive caller would.
void BM_Docledger_ReadAll(benchmark::State& state) {
  RunReadCase(state, "read_all_", [](auto& store, std::size_t page, const auto& visit) {
    std::int64_t after = 0;
    for (;;) {
      const auto events = store.ReadAll(after, page);
      if (events.empty()) break;
      for (const auto& e : events) visit(e);
      after = events.back().sequence;
    }
  });
}

// ForEachEvent, which fetches the next page on a second connection while the current one
// is visited.
void BM_Docledger_ForEachEvent(benchmark::State& state) {
  RunReadCase(state, "read_all_stream_", [](auto& store, std::size_t page, const auto& visit) {
    store.ForEachEvent(0, page, visit);
  });
}

// Fixed single iteration, manual (= wall-clock) time: each case runs for Seconds().
#define DOCLEDGER_TIMED(b) b->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond)

DOCLEDGER_TIMED(BENCHMARK(BM_Baseline_PlainInsert))->ArgName("clients")->Arg(1)->Arg(8);
DOCLEDGER_TIMED(BENCHMARK(BM_Baseline_LockPerInsert))->ArgName("clients")->Arg(8);
DOCLEDGER_TIMED(BENCHMARK(BM_Baseline_MultiValuesInsert))->ArgName("rows")->Arg(100);
DOCLEDGER_TIMED(BENCHMARK(BM_Baseline_UnnestInsert))->ArgName("rows")->Arg(100);
DOCLEDGER_TIMED(BENCHMARK(BM_Baseline_Copy))->ArgName("rows")->Arg(10'000);
DOCLEDGER_TIMED(BENCHMARK(BM_Docledger_Append))
    ->ArgNames({"writers", "events"})
    ->Args({1, 1})
    ->Args({8, 1})
    ->Args({64, 1})
    ->Args({1, 100});
DOCLEDGER_TIMED(BENCHMARK(BM_Docledger_ReadAll))->ArgName("page")->Arg(1000)->Arg(5000);
DOCLEDGER_TIMED(BENCHMARK(BM_Docledger_ForEachEvent))->ArgName("page")->Arg(1000)->Arg(5000);

// ------------------------------------------------------------------ ratios

void PrintRatios() {
  std::lock_guard lock(g_rates_mutex);
  auto get = [](const char* key) {
    const auto it = g_rates.find(key);
    return it == g_rates.end() ? 0.0 : it->second;
  };
  struct Ratio {
    const char* label;
    double value;
    double target;
  };
  auto ratio = [&](const char* a, const char* b) {
    const double d = get(b);
    return d > 0 ? get(a) / d : 0.0;
  };
  const Ratio ratios[] = {
      {"docledger 1x1 / plain INSERT 1 client", ratio("docledger_1x1", "plain_insert_1"), 0.9},
      {"docledger 8 writers / plain INSERT 8 clients", ratio("docledger_8x1", "plain_insert_8"), 1.0},
      {"docledger 8 writers / lock-per-insert 8 clients", ratio("docledger_8x1", "lock_insert_8"), 3.0},
      {"docledger 64 writers / plain INSERT 8 clients", ratio("docledger_64x1", "plain_insert_8"), 3.0},
      {"docledger 1x100 batches / unnest 100 rows", ratio("docledger_1x100", "unnest_100"), 0.8},
  };
  std::fprintf(stderr, "\n%-50s %10s %8s  %s\n", "ratio", "value", "target", "");
  for (const auto& r : ratios) {
    std::fprintf(stderr, "%-50s %10.2f %8.2f  %s\n", r.label, r.value, r.target,
                 r.value >= r.target ? "ok" : "SHORT");
  }
  const double read_all = std::max({get("read_all_1000"), get("read_all_5000"), get("read_all_stream_1000"),
                                    get("read_all_stream_5000")});
  std::fprintf(stderr, "%-50s %10.0f %8.0f  %s\n", "read_all events/s (best page size)", read_all,
               200000.0, read_all >= 200000.0 ? "ok" : "SHORT");
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    std::fprintf(stderr, "event_store_benchmark: set DATABASE_URL to an admin URL "
                         "(e.g. scripts/pg-local start)\n");
    return 2;
  }
  g_admin_url = url;
  g_bench_url = UrlFor(g_admin_url, kBenchDatabase);
  try {
    RecreateDatabase();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "event_store_benchmark: cannot prepare %s: %s\n", kBenchDatabase, e.what());
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  PrintRatios();
  try {
    Admin(std::string("DROP DATABASE IF EXISTS ") + kBenchDatabase + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "event_store_benchmark: could not drop %s: %s\n", kBenchDatabase, e.what());
  }
  return 0;
}
