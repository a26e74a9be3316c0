#include "projections/alerts/alert_queries_pg.hpp"

#include <limits>

#include "infrastructure/cursor.hpp"
#include "infrastructure/statements.hpp"
#include "projections/query_rows.hpp"

namespace docledger::projections {

Page PgAlertQueries::Alerts(const AlertFilter& filter, const std::string& cursor, int limit) {
  const std::int64_t before =
      cursor.empty() ? std::numeric_limits<std::int64_t>::max() : infrastructure::DecodeSequenceCursor(cursor);
  return WithConnection(pool_, [&](pqxx::nontransaction& tx) {
    return PageOf(tx.exec_prepared(infrastructure::statements::kAlertList, filter.type ? filter.type->c_str() : nullptr,
                                   filter.since ? filter.since->c_str() : nullptr, before, limit),
                  limit);
  });
}

}  // namespace docledger::projections
