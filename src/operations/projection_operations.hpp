// The port through which the API and the CLI see and steer the projectors: their status,
// the webhook outbox's counts, parked events (list, request a retry, skip). The API
// (GET /api/v1/projections[/{name}/parked...]) and `docledger status|parked` use it instead
// of raw connections; PostgresProjectionOperations is the adapter (on a connection pool,
// projection_runtime/projection_status.* underneath). Errors: a lost connection or a
// server that is down is domain::StoreUnavailable (pg_errors).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "projection_runtime/projection_status.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::operations {

class ProjectionOperations {
 public:
  virtual ~ProjectionOperations() = default;
  // Every projector of `names` (see the adapter's constructor), in that order.
  virtual std::vector<projection_runtime::ProjectionStatus> Status() = 0;
  // Outbox rows of the alert webhook per delivery status (pending, delivered, ...).
  virtual std::map<std::string, std::int64_t> AlertDeliveries() = 0;
  // Parked and held events of `projection` ("" = every projector).
  virtual std::vector<projection_runtime::ParkedEvent> Parked(const std::string& projection) = 0;
  // projection_runtime::RequestParkedRetry: the streams marked (empty: nothing matches).
  virtual std::set<std::string> RequestRetry(const std::string& projection, const std::string& stream,
                                             std::int64_t sequence) = 0;
  // projection_runtime::SkipParked: nullopt when nothing is parked there.
  virtual std::optional<projection_runtime::SkippedParked> Skip(const std::string& projection,
                                                                std::int64_t sequence) = 0;
  // Rows of `projection` whose retry was requested and not yet applied.
  virtual std::int64_t RetriesPending(const std::string& projection) = 0;
};

// The status as GET /api/v1/projections answers it: {"projections": [...]}.
nlohmann::json StatusJson(const std::vector<projection_runtime::ProjectionStatus>& statuses);

class PostgresProjectionOperations : public ProjectionOperations {
 public:
  // `names`: the projectors Status() reports.
  PostgresProjectionOperations(infrastructure::ConnectionPool& pool, std::vector<std::string> names)
      : pool_(pool), names_(std::move(names)) {}

  std::vector<projection_runtime::ProjectionStatus> Status() override;
  std::map<std::string, std::int64_t> AlertDeliveries() override;
  std::vector<projection_runtime::ParkedEvent> Parked(const std::string& projection) override;
  std::set<std::string> RequestRetry(const std::string& projection, const std::string& stream,
                                     std::int64_t sequence) override;
  std::optional<projection_runtime::SkippedParked> Skip(const std::string& projection, std::int64_t sequence) override;
  std::int64_t RetriesPending(const std::string& projection) override;

 private:
  infrastructure::ConnectionPool& pool_;
  std::vector<std::string> names_;
};

}  // namespace docledger::operations
