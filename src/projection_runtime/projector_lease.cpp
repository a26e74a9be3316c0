#include "projection_runtime/projector_lease.hpp"

#include <unistd.h>

#include <algorithm>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "infrastructure/connection_pool.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::projection_runtime {

using infrastructure::LogEvent;
namespace statements = infrastructure::statements;

LeaseKeepalive LeaseKeepaliveFor(std::chrono::seconds lease_timeout) {
  const auto t = static_cast<int>(lease_timeout.count());
  LeaseKeepalive k;
  k.idle_s = std::max(1, t * 3 / 10);
  k.interval_s = std::max(1, t / 10);
  k.count = 3;
  k.user_timeout_ms = (k.idle_s + k.count * k.interval_s) * 1000;
  return k;
}

ProjectorLease::ProjectorLease(std::string url, std::string projection, ProjectorOptions options)
    : url_(std::move(url)), projection_(std::move(projection)), options_(std::move(options)) {}

std::chrono::milliseconds ProjectorLease::RetryInterval() const {
  const std::chrono::milliseconds timeout = options_.lease_timeout;
  return std::min(options_.lease_retry, timeout / 10);
}

// Connects (application_name shows the holder; search_path selects a rebuild's shadow
// schema) and asks the server to probe the session (the lease is this session's).
void ProjectorLease::OpenSession() {
  held_ = false;
  conn_ = infrastructure::OpenConnection(url_);
  if (!options_.schema.empty()) {
    // A rebuild's shadow schema first: the same statements then read and write it.
    conn_->set_variable("search_path", infrastructure::QuoteIdentifier(options_.schema) + ", public");
  }
  pqxx::nontransaction tx(*conn_);
  const std::string app = options_.instance + "/" + projection_;
  tx.exec_prepared(statements::kSessionApplicationName, app.substr(0, 63));
  // The lease is this session's: make the server notice a vanished holder in time.
  const auto keepalive = LeaseKeepaliveFor(options_.lease_timeout);
  tx.exec_prepared(statements::kLeaseKeepalive, std::to_string(keepalive.idle_s),
                   std::to_string(keepalive.interval_s), std::to_string(keepalive.count),
                   std::to_string(keepalive.user_timeout_ms));
}

bool ProjectorLease::TryTake(ProgressTracker& progress) {
  if (!conn_ || !conn_->is_open()) OpenSession();
  {
    pqxx::nontransaction tx(*conn_);
    const bool acquired = !options_.take_lease ||
                          tx.exec_prepared1(statements::kLeaseTry, kProjectorLeaseClass, projection_)[0].as<bool>();
    if (!acquired) return false;
    tx.exec_prepared(statements::kCheckpointEnsure, projection_);
    progress.Resumed(tx.exec_prepared1(statements::kCheckpointRead, projection_)[0].as<std::int64_t>());
  }
  held_ = true;
  if (options_.take_lease) {
    LogEvent(spdlog::level::info, "projector lease acquired",
             {{"projection", projection_}, {"instance", options_.instance}, {"pid", ::getpid()},
              {"checkpoint", progress.Checkpoint()}});
  }
  return true;
}

void ProjectorLease::Release() {
  if (conn_ && held_ && options_.take_lease) {
    try {
      pqxx::nontransaction tx(*conn_);
      tx.exec_prepared(statements::kLeaseRelease, kProjectorLeaseClass, projection_);
    } catch (const std::exception&) {
      // The lease ends with the session anyway.
    }
  }
  if (held_ && options_.take_lease) {
    LogEvent(spdlog::level::info, "projector lease released", {{"projection", projection_}});
  }
  held_ = false;
  conn_.reset();
}

}  // namespace docledger::projection_runtime
