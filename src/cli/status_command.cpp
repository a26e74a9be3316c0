// `docledger status [--json]`.
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/pg_errors.hpp"
#include "operations/projection_operations.hpp"

namespace docledger::cli {

int RunStatus(bool json) {
  const auto url = DatabaseUrlOrComplain();
  if (url.empty()) return 2;
  try {
    infrastructure::ConnectionPool pool(url, 1);
    operations::PostgresProjectionOperations projectors(pool, ProjectionNames());
    const auto statuses = projectors.Status();
    // The alert webhook's outbox, per delivery status.
    const auto deliveries = projectors.AlertDeliveries();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : statuses) out.push_back(projection_runtime::ToJson(s));
      std::cout << nlohmann::json{{"projections", out}, {"alert_deliveries", deliveries}}.dump(2) << "\n";
      return 0;
    }
    std::cout << fmt::format("{:<20} {:>12} {:>12} {:>10} {:>9} {:>7} {:>6}  {}\n", "PROJECTION", "CHECKPOINT", "HEAD",
                             "LAG", "LAG_S", "PARKED", "HELD", "LEASE");
    for (const auto& s : statuses) {
      std::cout << fmt::format("{:<20} {:>12} {:>12} {:>10} {:>9.1f} {:>7} {:>6}  {}\n", s.name, s.checkpoint, s.head,
                               s.lag_events, s.lag_seconds, s.parked, s.held,
                               s.lease_holder.empty() ? "-" : s.lease_holder);
    }
    std::cout << "\nALERT DELIVERIES";
    for (const char* status : {"pending", "delivered", "throttled", "dead"}) {
      std::cout << "  " << status << " " << (deliveries.count(status) ? deliveries.at(status) : 0);
    }
    std::cout << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "status: " << infrastructure::DescribeError(e) << "\n";
    return 1;
  }
}

}  // namespace docledger::cli
