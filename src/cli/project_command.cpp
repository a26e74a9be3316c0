// `docledger project [projection...]`: the projectors without the HTTP API. With several
// instances, one holds each lease and the others stand by.
#include <csignal>
#include <cstdlib>
#include <map>
#include <string>
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "eventstore/event_notifier.hpp"
#include "infrastructure/config.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/migrations.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projection_runtime/schema_check.hpp"

namespace docledger::cli {

int RunProject(const std::vector<std::string>& names) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  auto selected = SelectProjections(names);
  if (!selected) return 2;

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  eventstore::EventNotifier notifier(url);
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> runners;
  projection_runtime::ProjectorOptions options;
  options.instance = InstanceName();
  options.keys = DataKeysOrComplain(url);
  if (!options.keys) return 2;
  // DOCLEDGER_LEASE_TIMEOUT, validated as `serve` does (docs/configuration.md).
  try {
    std::map<std::string, std::string> env{{"DATABASE_URL", url}};
    if (const char* timeout = std::getenv("DOCLEDGER_LEASE_TIMEOUT")) env["DOCLEDGER_LEASE_TIMEOUT"] = timeout;
    options.lease_timeout = infrastructure::ParseConfig(env).lease_timeout;
  } catch (const infrastructure::ConfigError& e) {
    std::cerr << e.what() << std::endl;
    return 2;
  }
  // As `serve` does: a table or column the projections write that the database lacks is
  // named now, not found by events parking.
  try {
    auto conn = infrastructure::OpenConnection(url);
    if (infrastructure::MigrationRunner().Pending(*conn).empty()) {  // pending: the runners wait, as before
      projection_runtime::RequireProjectionSchema(*conn, *selected);
    }
  } catch (const projection_runtime::ProjectionSchemaMismatch& e) {
    std::cerr << e.what() << std::endl;
    return 2;
  } catch (const std::exception& e) {  // not reachable yet: the runners wait for it, as before
    infrastructure::LogEvent(spdlog::level::warn, "the read-model tables were not checked", {{"detail", e.what()}});
  }
  for (const auto& projection : *selected) {
    runners.push_back(std::make_unique<projection_runtime::ProjectorRunner>(url, projection, options, &notifier));
    runners.back()->Start();
  }
  infrastructure::LogEvent(spdlog::level::info, "projecting; SIGTERM stops at a batch boundary",
                           {{"projections", runners.size()}, {"instance", options.instance}});
  int received = 0;
  sigwait(&signals, &received);
  infrastructure::LogEvent(spdlog::level::info, "signal received; stopping projectors", {{"signal", received}});
  for (auto& runner : runners) runner->Stop();
  return 0;
}

}  // namespace docledger::cli
