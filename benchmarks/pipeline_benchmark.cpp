// The pipeline end to end, without HTTP: documents/s for upload -> convert -> analyze ->
// project on the local database, through the command service (domain decisions and the
// PostgreSQL event store) with every built-in projector and the semantic analyzer reactor
// running live, woken by LISTEN/NOTIFY as `docledger serve` runs them.
//
//   DATABASE_URL=postgresql://... build/bench/benchmarks/pipeline_benchmark
//   benchmarks/run-pipeline-benchmark         (throwaway cluster, release build)
//
// DATABASE_URL is an admin URL: the benchmark drops, creates and migrates the database
// docledger_pipeline_bench. PIPELINE_BENCH_DOCUMENTS (default 2000) documents of ~20 KB
// of technical Markdown are uploaded and converted by PIPELINE_BENCH_WORKERS (default 16)
// threads. The clock runs from the first command until every projector has passed the
// last event and every document's semantic IR is in the read model.
//
// Two runs (issue 19, docs/erasure.md): /sealed:0 stores content in clear, /sealed:1 seals
// it with per-document data keys as `docledger serve` does. Each then rebuilds every read
// model from the log (`docledger replay --all`'s path) and reports replay_events_per_s, so
// the cost of sealing shows on the append path and on replay as sealed / clear ratios.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "benchmarks/bench_database.hpp"
#include "domain/command_service.hpp"
#include "eventstore/event_notifier.hpp"
#include "eventstore/postgres_event_store.hpp"
#include "eventstore/sealing_event_store.hpp"
#include "infrastructure/document_keys.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace docledger;

std::string g_admin_url;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  const int parsed = value ? std::atoi(value) : 0;
  return parsed > 0 ? parsed : fallback;
}

// ~20 KB of technical Markdown: prose, display and inline formulas, definitions, a pipe
// table with a caption, cross-references and a code block; `n` makes each one distinct.
std::string Document(int n) {
  std::string text = "# Report " + std::to_string(n) + "\n\n## Definitions\n\n";
  int section = 0;
  while (text.size() < 20 * 1024) {
    ++section;
    text += "## Section " + std::to_string(section) + "\n\n";
    text += "**Throughput**: the number of documents processed per second in section " + std::to_string(section) +
            ".\nLatency is defined as the time from upload to a caught-up read model.\n\n";
    text += "The model follows $$T = \\frac{N}{t_{wall}} \\cdot \\alpha_" + std::to_string(section) +
            "$$ where $\\alpha$ is the efficiency, see Eq. (" + std::to_string(section) + ") and Section " +
            std::to_string(section) + ".1.\n\n";
    text += "| Stage | Median (ms) | p99 (ms) |\n|---|---:|---:|\n";
    for (int row = 0; row < 6; ++row) {
      text += "| stage " + std::to_string(row) + " | " + std::to_string(row * 3 + section) + " | " +
              std::to_string(row * 11 + section) + " |\n";
    }
    text += "\nTable " + std::to_string(section) + ": Stage latencies\n\n";
    text += "As Figure " + std::to_string(section) +
            " shows, most of the time goes to the database; see [the appendix](#appendix).\n\n"
            "```python\nprice = '$5 | not a table'\n```\n\n";
    text += "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
            "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
            "aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse.\n\n";
  }
  return text;
}

// Every read model rebuilt from sequence 0 and swapped in; events per second.
double ReplayRate(const std::string& url, std::shared_ptr<const infrastructure::DocumentKeys> keys, std::int64_t head) {
  std::vector<std::shared_ptr<const projections::Projection>> all;
  for (const auto& projection : projections::BuiltInProjections()) {
    if (!dynamic_cast<const projections::Reactor*>(projection.get())) all.push_back(projection);
  }
  projection_runtime::RebuildOptions options;
  options.keys = std::move(keys);
  const auto start = Clock::now();
  for (const auto& group : projection_runtime::PlanRebuilds(url, all, all)) {
    projection_runtime::RebuildProjectionGroup(url, group, options);
  }
  return static_cast<double>(head) / std::chrono::duration<double>(Clock::now() - start).count();
}

void BM_UploadConvertAnalyzeProject(benchmark::State& state) {
  const int documents = EnvInt("PIPELINE_BENCH_DOCUMENTS", 2000);
  const int workers = EnvInt("PIPELINE_BENCH_WORKERS", 16);
  const bool sealed = state.range(0) == 1;
  for (auto _ : state) {
    const auto url = bench::RecreateMigratedDatabase(g_admin_url, "docledger_pipeline_bench");
    infrastructure::ConnectionPool pool(url, static_cast<std::size_t>(workers));
    eventstore::PostgresEventStore store(pool);
    std::shared_ptr<const infrastructure::DocumentKeys> keys;
    if (sealed) keys = std::make_shared<const infrastructure::DocumentKeys>(infrastructure::MasterKey::Generate());
    eventstore::SealingEventStore sealing(store, pool, keys, eventstore::SealedReads::kOpened,
                                          infrastructure::DocumentKeys::SealingCache::kReadAndFill);
    domain::EventStore& command_store = sealed ? static_cast<domain::EventStore&>(sealing) : store;
    infrastructure::JsonSchemaValidator validator;
    infrastructure::UuidIdSource ids;
    domain::CommandService service(command_store, validator, ids);
    const auto project =
        service.Execute(domain::CreateProject{"", "Benchmark", "", {{"type", "object"}}, {"metric"}}).id;
    std::vector<std::string> texts;
    for (int i = 0; i < 64; ++i) texts.push_back(Document(i));

    eventstore::EventNotifier notifier(url, std::chrono::milliseconds(200));
    projection_runtime::ProjectorOptions options;
    options.batch_size = 1000;
    options.instance = "pipeline-bench";
    options.keys = keys;
    std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> runners;
    for (const auto& projection : projections::BuiltInProjections()) {
      runners.push_back(std::make_unique<projection_runtime::ProjectorRunner>(url, projection, options, &notifier));
    }
    // PIPELINE_BENCH_PROJECTORS=0: the commands alone, nothing projected (for diagnosis).
    const char* projectors_env = std::getenv("PIPELINE_BENCH_PROJECTORS");
    const bool run_projectors = projectors_env == nullptr || std::string(projectors_env) != "0";
    if (run_projectors) {
      for (auto& runner : runners) runner->Start();
    }

    std::atomic<int> next{0};
    std::atomic<std::uint64_t> bytes{0};
    std::latch ready(workers + 1);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&] {
        ready.arrive_and_wait();
        for (int n = next++; n < documents; n = next++) {
          const auto& markdown = texts[static_cast<std::size_t>(n) % texts.size()];
          const auto document = service
                                    .Execute(domain::UploadDocument{"", project, "report-" + std::to_string(n) + ".pdf",
                                                                    "application/pdf", std::string(64, 'f'), 250000,
                                                                    std::nullopt, {}})
                                    .id;
          service.Execute(domain::ConvertDocument{document, markdown, "bench"});
          bytes += markdown.size();
        }
      });
    }
    ready.arrive_and_wait();
    const auto start = Clock::now();
    for (auto& thread : threads) thread.join();
    const auto commands_done = Clock::now();

    pqxx::connection conn(url);
    for (; run_projectors;) {
      const auto head = store.HeadSequence();
      bool caught_up = true;
      for (auto& runner : runners) caught_up = caught_up && runner->Progress().checkpoint >= head;
      if (caught_up) {
        pqxx::nontransaction tx(conn);
        const auto sources = tx.exec("SELECT count(*) FROM semantic_ir_sources")[0][0].as<int>();
        if (sources == documents && store.HeadSequence() == head) break;
      }
      if (Clock::now() - commands_done > std::chrono::minutes(10)) {
        state.SkipWithError("the read models did not catch up within 10 minutes");
        break;
      }
      notifier.WaitForEventsAfter(head, std::chrono::milliseconds(5));
    }
    const auto end = Clock::now();
    const double seconds = std::chrono::duration<double>(end - start).count();
    state.SetIterationTime(seconds);
    pqxx::nontransaction tx(conn);
    state.counters["documents_per_s"] = documents / seconds;
    state.counters["commands_only_documents_per_s"] =
        documents / std::chrono::duration<double>(commands_done - start).count();
    state.counters["markdown_MB_per_s"] = static_cast<double>(bytes.load()) / 1e6 / seconds;
    state.counters["semantic_ir_rows"] = tx.exec("SELECT count(*) FROM semantic_ir")[0][0].as<double>();
    state.counters["events"] = static_cast<double>(store.HeadSequence());
    state.counters["parked"] = tx.exec("SELECT count(*) FROM projection_parked")[0][0].as<double>();
    for (auto& runner : runners) runner->Stop();
    const auto replay = ReplayRate(url, keys, store.HeadSequence());
    state.counters["replay_events_per_s"] = replay;
    std::fprintf(stderr, "pipeline%s: %d documents of ~20 KB in %.2f s = %.0f documents/s (commands alone %.0f/s)\n",
                 sealed ? " sealed" : "", documents, seconds, documents / seconds,
                 documents / std::chrono::duration<double>(commands_done - start).count());
    std::fprintf(stderr, "replay%s: %.0f events in the log, %.0f events/s\n", sealed ? " sealed" : "",
                 static_cast<double>(store.HeadSequence()), replay);
  }
}
BENCHMARK(BM_UploadConvertAnalyzeProject)
    ->ArgName("sealed")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace

int main(int argc, char** argv) {
  const char* url = std::getenv("DATABASE_URL");
  if (!url) {
    std::fprintf(stderr, "pipeline_benchmark: set DATABASE_URL to an admin URL of a PostgreSQL server\n");
    return 2;
  }
  g_admin_url = url;
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  bench::RunAdmin(g_admin_url, "DROP DATABASE IF EXISTS docledger_pipeline_bench WITH (FORCE)");
  return 0;
}
