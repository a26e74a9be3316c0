#include "api/middleware/metrics.hpp"

#include "infrastructure/metrics.hpp"

namespace docledger::api {

void RecordRequestMetrics(infrastructure::Metrics& metrics, const RequestSummary& summary) {
  metrics.ObserveHttpRequest(summary.route, summary.method, summary.status,
                             std::chrono::duration<double>(summary.duration).count());
}

}  // namespace docledger::api
