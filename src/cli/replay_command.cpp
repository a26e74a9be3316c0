// `docledger replay <projection>... | --all [--verify]`: progress bar on a terminal,
// plain progress lines otherwise, and the events/s figure at the end. Projections linked
// by foreign keys are rebuilt as one group (projection_rebuild.hpp); the command says
// which projections it adds to a group and why.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "infrastructure/pg_errors.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "projections/registry.hpp"

namespace docledger::cli {
namespace {

class ProgressPrinter {
 public:
  ProgressPrinter() : tty_(::isatty(STDERR_FILENO) == 1) {}

  void operator()(const projection_runtime::RebuildProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    const bool done = p.checkpoint >= p.target;
    if (done && printed_done_) return;  // the final report repeats the last batch's
    if (!done && now - last_ < (tty_ ? std::chrono::milliseconds(100) : std::chrono::seconds(2))) return;
    printed_done_ = done;
    last_ = now;
    const double fraction = p.target > 0 ? std::min(1.0, static_cast<double>(p.checkpoint) / p.target) : 1.0;
    const double rate = p.seconds > 0 ? p.events / p.seconds : 0;
    const double eta = fraction > 0 && fraction < 1 ? p.seconds * (1 - fraction) / fraction : 0;
    if (tty_) {
      const int width = 30;
      const int filled = static_cast<int>(fraction * width);
      std::fprintf(stderr, "\r%-20s [%s%s] %3.0f%%  seq %lld/%lld  %.0f ev/s  ETA %.0fs ", p.projection.c_str(),
                   std::string(filled, '#').c_str(), std::string(width - filled, ' ').c_str(), fraction * 100,
                   static_cast<long long>(p.checkpoint), static_cast<long long>(p.target), rate, eta);
      if (done) std::fputc('\n', stderr);
    } else {
      std::fprintf(stderr, "replay %s: sequence %lld of %lld (%.0f%%), %llu events, %.0f events/s, ETA %.0f s\n",
                   p.projection.c_str(), static_cast<long long>(p.checkpoint), static_cast<long long>(p.target),
                   fraction * 100, static_cast<unsigned long long>(p.events), rate, eta);
    }
    std::fflush(stderr);
  }

 private:
  bool tty_;
  bool printed_done_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int RunReplay(const ReplayArgs& args) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  if (args.all == !args.projections.empty()) {
    std::cerr << "replay: name the projections to rebuild, or --all\n";
    return 2;
  }
  auto selected = SelectProjections(args.all ? std::vector<std::string>{} : args.projections);
  if (!selected) return 2;
  projection_runtime::ProjectionList requested;
  for (const auto& projection : *selected) {
    if (args.all && dynamic_cast<const projections::Reactor*>(projection.get()) != nullptr) {
      std::cout << "skipped " << projection->Name() << ": a reactor (its effects are events, nothing to rebuild)\n";
      continue;
    }
    requested.push_back(projection);
  }
  // Projections whose tables reference one another by foreign key are rebuilt and
  // swapped together; PlanRebuilds says which, and in what order.
  std::vector<projection_runtime::RebuildGroup> groups;
  try {
    groups = projection_runtime::PlanRebuilds(url, requested, projections::BuiltInProjections());
  } catch (const std::exception& e) {
    std::cerr << "replay: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
  const auto keys = DataKeysOrComplain(url);
  if (!keys) return 2;
  int exit_code = 0;
  for (const auto& group : groups) {
    const auto names = fmt::format("{}", fmt::join(group.Names(), ", "));
    for (const auto& added : group.added) {
      std::cout << fmt::format("replay {}: also rebuilds {}\n", fmt::join(group.requested, ", "), added);
    }
    if (group.projections.size() > 1) {
      std::cout << fmt::format("replay: {} are rebuilt together and swapped in one transaction\n", names);
    }
    std::cout << std::flush;
    projection_runtime::RebuildOptions options;
    options.verify_only = args.verify;
    options.batch_size = args.batch_size;
    options.instance = InstanceName() + "/replay";
    options.keys = keys;
    std::map<std::string, ProgressPrinter> printers;  // one progress line per projection
    options.on_progress = [&printers](const projection_runtime::RebuildProgress& p) { printers[p.projection](p); };
    try {
      for (const auto& result : projection_runtime::RebuildProjectionGroup(url, group, options)) {
        if (args.verify) {
          std::cout << fmt::format("verify {}: {} at sequence {}\n", result.projection,
                                   result.identical() ? "IDENTICAL" : "DIFFERENT", result.checkpoint);
          for (const auto& c : result.comparisons) {
            std::cout << fmt::format("  {:<24} live {:>9} rows md5 {}  rebuilt {:>9} rows md5 {}  {}\n", c.table,
                                     c.live_rows, c.live_checksum, c.rebuilt_rows, c.rebuilt_checksum,
                                     c.identical() ? "ok" : "DIFFERS");
            for (const auto& row : c.only_live) std::cout << "    only live:    " << row << "\n";
            for (const auto& row : c.only_rebuilt) std::cout << "    only rebuilt: " << row << "\n";
          }
          if (!result.identical()) exit_code = 4;
        } else {
          std::cout << fmt::format(
              "replayed {}: {} events in {:.1f} s ({:.0f} events/s), checkpoint {}, swapped in\n", result.projection,
              result.events, result.seconds, result.EventsPerSecond(), result.checkpoint);
        }
      }
    } catch (const projection_runtime::RebuildAlreadyRunning& e) {
      std::cerr << "replay " << names << ": another rebuild of " << e.projection()
                << " is running; nothing was changed: run this again once it has finished\n";
      exit_code = 5;
    } catch (const std::exception& e) {
      std::cerr << "replay " << names << ": " << infrastructure::DescribeError(e) << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace docledger::cli
