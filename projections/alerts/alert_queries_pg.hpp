// AlertQueries over PostgreSQL (statement kAlertList).
#pragma once

#include "projections/alerts/alert_queries.hpp"

namespace docledger::infrastructure {
class ConnectionPool;
}

namespace docledger::projections {

class PgAlertQueries final : public AlertQueries {
 public:
  explicit PgAlertQueries(infrastructure::ConnectionPool& pool) : pool_(pool) {}
  Page Alerts(const AlertFilter& filter, const std::string& cursor, int limit) override;

 private:
  infrastructure::ConnectionPool& pool_;
};

}  // namespace docledger::projections
