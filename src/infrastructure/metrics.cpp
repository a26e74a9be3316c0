#include "infrastructure/metrics.hpp"

#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <spdlog/common.h>

#include "infrastructure/logging.hpp"

namespace docledger::infrastructure {
namespace {

// Seconds: from a fast cached read (1 ms) to a request near the default timeout.
const prometheus::Histogram::BucketBoundaries kHttpBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
// Seconds for one group-commit transaction (one round trip and one fsync).
const prometheus::Histogram::BucketBoundaries kAppendBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
// Events per batch, up to EventStoreOptions::max_batch_events (2000).
const prometheus::Histogram::BucketBoundaries kBatchSizeBuckets = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};

}  // namespace

struct Metrics::Impl {
  prometheus::Registry registry;

  prometheus::Family<prometheus::Counter>& http_requests =
      prometheus::BuildCounter()
          .Name("docledger_http_requests_total")
          .Help("HTTP responses sent, by route pattern (\"unmatched\" when no route matched), "
                "method and status")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& http_duration =
      prometheus::BuildHistogram()
          .Name("docledger_http_request_duration_seconds")
          .Help("Time from the request's headers to its response being ready, by route "
                "pattern and method")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& events_appended =
      prometheus::BuildCounter()
          .Name("docledger_events_appended_total")
          .Help("Events newly written to the event store, by event type")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& append_duration_family =
      prometheus::BuildHistogram()
          .Name("docledger_append_duration_seconds")
          .Help("Time to write one group-commit batch (one transaction) of the event store")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& append_batch_family =
      prometheus::BuildHistogram()
          .Name("docledger_append_batch_size")
          .Help("Events per group-commit batch of the event store")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& projector_checkpoint =
      prometheus::BuildGauge()
          .Name("docledger_projector_checkpoint")
          .Help("Global sequence of the last event a projector has applied")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& projector_lag =
      prometheus::BuildGauge()
          .Name("docledger_projector_lag_events")
          .Help("Events recorded after a projector's checkpoint (head sequence minus checkpoint)")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& projector_parked =
      prometheus::BuildGauge()
          .Name("docledger_projector_parked")
          .Help("Events a projector could not apply and has parked (not counting the events "
                "held behind them)")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& db_pool =
      prometheus::BuildGauge()
          .Name("docledger_db_pool_connections")
          .Help("Connections of the request pool, by state (in_use: leased; idle: open and free)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& webhook_deliveries =
      prometheus::BuildCounter()
          .Name("docledger_webhook_deliveries_total")
          .Help("Alert webhook delivery attempts, by result")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& reads =
      prometheus::BuildCounter()
          .Name("docledger_reads_total")
          .Help("Routed reads by the database that answered (replica, primary) and why the "
                "primary did (no_replica, lagging, replica_unavailable; ok for the replica)")
          .Register(registry);

  prometheus::Family<prometheus::Counter>& retention_deleted =
      prometheus::BuildCounter()
          .Name("docledger_retention_deleted_rows_total")
          .Help("Rows the retention pruner deleted, by table")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& retention_passes =
      prometheus::BuildCounter()
          .Name("docledger_retention_passes_total")
          .Help("Retention pruner passes, by result (done; partial: a table stopped at its batch bound "
                "or on a lock; failed)")
          .Register(registry);

  // Unlabelled series exist from the start, so a scrape shows them at 0.
  prometheus::Histogram& append_duration = append_duration_family.Add({}, kAppendBuckets);
  prometheus::Histogram& append_batch_size = append_batch_family.Add({}, kBatchSizeBuckets);
  prometheus::Gauge& pool_in_use = db_pool.Add({{"state", "in_use"}});
  prometheus::Gauge& pool_idle = db_pool.Add({{"state", "idle"}});

  std::mutex event_types_mutex;
  std::set<std::string, std::less<>> event_types;

  std::mutex collectors_mutex;  // also serialises scrapes
  std::vector<std::function<void(Metrics&)>> collectors;

  std::string EventTypeLabel(const std::string& type) {
    const std::lock_guard lock(event_types_mutex);
    if (event_types.count(type) > 0) return type;
    if (event_types.size() >= kMaxEventTypeLabels) return "other";
    event_types.insert(type);
    return type;
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}

Metrics::~Metrics() = default;

void Metrics::ObserveHttpRequest(std::string_view route, std::string_view method, unsigned status,
                                 double seconds) {
  const std::string method_label(MethodLabel(method));
  const std::string route_label(route.empty() ? std::string_view("unmatched") : route);
  impl_->http_requests
      .Add({{"route", route_label}, {"method", method_label}, {"status", std::to_string(status)}})
      .Increment();
  impl_->http_duration.Add({{"route", route_label}, {"method", method_label}}, kHttpBuckets)
      .Observe(seconds);
}

void Metrics::ObserveAppendBatch(std::size_t batch_events, double seconds,
                                 const std::map<std::string, std::size_t>& written_by_type) {
  impl_->append_duration.Observe(seconds);
  impl_->append_batch_size.Observe(static_cast<double>(batch_events));
  for (const auto& [type, count] : written_by_type) {
    if (count == 0) continue;
    impl_->events_appended.Add({{"event_type", impl_->EventTypeLabel(type)}})
        .Increment(static_cast<double>(count));
  }
}

void Metrics::SetProjector(const std::string& projection, std::int64_t checkpoint,
                           std::int64_t lag_events, std::int64_t parked) {
  const prometheus::Labels labels{{"projection", projection}};
  impl_->projector_checkpoint.Add(labels).Set(static_cast<double>(checkpoint));
  impl_->projector_lag.Add(labels).Set(static_cast<double>(lag_events));
  impl_->projector_parked.Add(labels).Set(static_cast<double>(parked));
}

void Metrics::SetDbPoolConnections(std::size_t in_use, std::size_t idle) {
  impl_->pool_in_use.Set(static_cast<double>(in_use));
  impl_->pool_idle.Set(static_cast<double>(idle));
}

void Metrics::CountWebhookDelivery(const std::string& result) {
  impl_->webhook_deliveries.Add({{"result", result}}).Increment();
}

void Metrics::CountRetentionDeleted(const std::string& table, std::size_t rows) {
  impl_->retention_deleted.Add({{"table", table}}).Increment(static_cast<double>(rows));
}

void Metrics::CountRetentionPass(const std::string& result) {
  impl_->retention_passes.Add({{"result", result}}).Increment();
}

void Metrics::CountRead(const std::string& source, const std::string& reason) {
  impl_->reads.Add({{"source", source}, {"reason", reason}}).Increment();
}

void Metrics::AddCollector(std::function<void(Metrics&)> collector) {
  const std::lock_guard lock(impl_->collectors_mutex);
  impl_->collectors.push_back(std::move(collector));
}

std::string Metrics::Serialize() {
  {
    const std::lock_guard lock(impl_->collectors_mutex);
    for (const auto& collector : impl_->collectors) {
      try {
        collector(*this);
      } catch (const std::exception& e) {
        LogEvent(spdlog::level::warn, "metrics collector failed", {{"detail", e.what()}});
      } catch (...) {
        LogEvent(spdlog::level::warn, "metrics collector failed", {{"detail", "unknown"}});
      }
    }
  }
  return prometheus::TextSerializer().Serialize(impl_->registry.Collect());
}

prometheus::Registry& Metrics::registry() { return impl_->registry; }

std::string_view MethodLabel(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",    "HEAD",   "POST",   "PUT",
                                                "PATCH",  "DELETE", "OPTIONS"};
  for (const auto known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

}  // namespace docledger::infrastructure
