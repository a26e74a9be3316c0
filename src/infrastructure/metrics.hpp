// The process's Prometheus metrics: one registry owning every docledger_* family, a small
// API the rest of the code calls, and the text exposition for GET /metrics.
//
// One instance is made by `docledger serve` and passed (by pointer or reference) to what
// records into it; code given no instance records nothing, so tests need no set-up. Label
// values are bounded: routes are patterns (never raw paths), methods a fixed set, event
// types capped (see kMaxEventTypeLabels).
//
// Families (all prefixed docledger_):
//   http_requests_total{route,method,status}           counter
//   http_request_duration_seconds{route,method}        histogram
//   events_appended_total{event_type}                  counter
//   append_duration_seconds                            histogram (one group-commit write)
//   append_batch_size                                  histogram (events per batch)
//   projector_checkpoint{projection}                   gauge  } refreshed on scrape by
//   projector_lag_events{projection}                   gauge  } collectors (serve)
//   projector_parked{projection}                       gauge  }
//   db_pool_connections{state="in_use"|"idle"}         gauge  }
//   webhook_deliveries_total{result}                   counter
//   retention_deleted_rows_total{table}                counter
//   retention_passes_total{result}                     counter
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace docledger::infrastructure {

class Metrics {
 public:
  // Distinct event_type label values kept; later new types are counted as "other".
  static constexpr std::size_t kMaxEventTypeLabels = 200;

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One HTTP response: `route` is the matched pattern or "unmatched", `method` an HTTP
  // method name (anything but the standard methods is recorded as "OTHER").
  void ObserveHttpRequest(std::string_view route, std::string_view method, unsigned status,
                          double seconds);

  // One committed group-commit batch of the event store: `batch_events` events in the
  // transaction, written in `seconds`; `written_by_type` counts the newly written events
  // (not duplicates of earlier appends) per event type.
  void ObserveAppendBatch(std::size_t batch_events, double seconds,
                          const std::map<std::string, std::size_t>& written_by_type);

  void SetProjector(const std::string& projection, std::int64_t checkpoint,
                    std::int64_t lag_events, std::int64_t parked);
  void SetDbPoolConnections(std::size_t in_use, std::size_t idle);
  // A webhook delivery attempt ended with `result` (e.g. "delivered", "failed").
  void CountWebhookDelivery(const std::string& result);
  // A routed read (read_router.*) answered by `source` ("replica" | "primary") for
  // `reason` ("ok", "no_replica", "lagging", "replica_unavailable").
  void CountRead(const std::string& source, const std::string& reason);
  // The retention pruner deleted `rows` rows of `table` (a fixed set of table names).
  void CountRetentionDeleted(const std::string& table, std::size_t rows);
  // A retention pass ended with `result` ("done", "partial" = stopped at its bound or on a
  // lock, "failed").
  void CountRetentionPass(const std::string& result);

  // Runs at the start of every Serialize(), in the order added, to refresh gauges that are
  // cheaper to read on demand than to keep current. A collector that throws is logged and
  // skipped (the scrape still answers, with the last values). Collectors run one scrape
  // at a time; keep them fast (they run on the scraping request's worker thread).
  void AddCollector(std::function<void(Metrics&)> collector);

  // The Prometheus text exposition format (version 0.0.4) of every family.
  std::string Serialize();

  prometheus::Registry& registry();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The `method` label for an HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS as
// they are; anything else (unknown or empty) "OTHER", so clients cannot create series.
std::string_view MethodLabel(std::string_view method);

}  // namespace docledger::infrastructure
