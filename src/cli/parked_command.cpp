// `docledger parked list|retry|skip`.
#include <iostream>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "operations/projection_operations.hpp"
#include "projection_runtime/projector_runner.hpp"

namespace docledger::cli {
namespace {

void PrintParked(const std::vector<projection_runtime::ParkedEvent>& parked, const std::set<std::string>& streams = {}) {
  std::cout << fmt::format("{:<18} {:>10} {:<28} {:>8}  {}\n", "PROJECTION", "SEQUENCE", "STREAM", "ATTEMPTS",
                           "ERROR");
  for (const auto& p : parked) {
    if (!streams.empty() && !streams.count(p.stream_id)) continue;
    std::cout << fmt::format("{:<18} {:>10} {:<28} {:>8}  {}\n", p.projection, p.sequence, p.stream_id, p.attempts,
                             p.error);
  }
}

int List(operations::ProjectionOperations& projectors, const ParkedArgs& args) {
  const auto parked = projectors.Parked(args.projection);
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : parked) out.push_back(projection_runtime::ToJson(p));
    std::cout << nlohmann::json{{"parked", out}}.dump(2) << "\n";
  } else if (parked.empty()) {
    std::cout << "no parked events\n";
  } else {
    PrintParked(parked);
  }
  return 0;
}

int Retry(operations::ProjectionOperations& projectors, const std::string& url, const ParkedArgs& args) {
  auto selected = SelectProjections({args.projection});
  if (!selected) return 2;
  const auto streams = projectors.RequestRetry(args.projection, args.stream, args.sequence);
  if (streams.empty()) {
    std::cout << "nothing parked matches\n";
    return 1;
  }
  projection_runtime::ProjectorOptions options;
  options.instance = InstanceName() + "/parked-retry";
  options.keys = DataKeysOrComplain(url);
  if (!options.keys) return 2;
  projection_runtime::ProjectorRunner runner(url, selected->front(), options);
  if (runner.TryAcquireLease()) {
    const auto applied = runner.RetryRequestedParked();
    runner.Stop();
    std::cout << applied << " event(s) applied\n";
  } else {
    std::cout << "projector " << args.projection << " runs in another process; it applies the retry within its poll "
              << "interval. Waiting...\n";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (projectors.RetriesPending(args.projection) > 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        std::cout << "still pending after 60 s; check `docledger status`\n";
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  const auto remaining = projectors.Parked(args.projection);
  std::size_t left = 0;
  for (const auto& p : remaining) left += streams.count(p.stream_id);
  if (left == 0) {
    std::cout << "stream(s) applied; nothing left parked for them\n";
    return 0;
  }
  std::cout << left << " event(s) still parked or held:\n";
  PrintParked(remaining, streams);
  return 1;
}

int Skip(operations::ProjectionOperations& projectors, const ParkedArgs& args) {
  const auto skipped = projectors.Skip(args.projection, args.sequence);
  if (!skipped) {
    std::cout << "no parked event at sequence " << args.sequence << " for " << args.projection << "\n";
    return 1;
  }
  const auto& stream = skipped->stream_id;
  const auto held = skipped->still_held;
  std::cout << "skipped sequence " << args.sequence << " (stream '" << stream << "')\n";
  if (held > 0) {
    std::cout << held << " later event(s) of this stream stay held; apply them with: docledger parked retry "
              << args.projection << " --stream '" << stream << "'\n";
  }
  return 0;
}

}  // namespace

int RunParked(const ParkedArgs& args) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  try {
    infrastructure::ConnectionPool pool(url, 1);
    operations::PostgresProjectionOperations projectors(pool, {});
    if (args.action == "list") return List(projectors, args);
    if (args.action == "retry") return Retry(projectors, url, args);
    return Skip(projectors, args);
  } catch (const std::exception& e) {
    std::cerr << "parked " << args.action << ": " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

}  // namespace docledger::cli
