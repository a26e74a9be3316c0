// The PostgreSQL event store: gap-free global order (advisory lock, sql/001) and group
// commit (concurrent appends of this process share one transaction).
//
// Group commit: every Append queues its request; whichever caller finds no batch in
// flight becomes the leader, takes the queued requests (up to max_batch_events, never two
// for the same stream or event id in one batch), writes them with ONE call of
// docledger_append on the writer connection (one round trip, one lock, one fsync), hands
// each caller its own result or error, and steps down; the next waiting caller leads the
// next batch. While a batch is in flight, new requests pile up for the next one, so the
// batch size follows the load with no timer and no added latency for a lone writer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "domain/event_store.hpp"
#include "domain/event_validation.hpp"
#include "infrastructure/connection_pool.hpp"

namespace docledger::eventstore {

struct EventStoreOptions {
  std::size_t max_batch_events = 2000;   // events per group-commit transaction
  std::size_t max_batch_bytes = 16 << 20;  // payload + metadata bytes per transaction
  int max_attempts = 5;                  // per batch, for transient errors
  std::chrono::milliseconds base_backoff{20};
  std::chrono::milliseconds max_backoff{1000};
  domain::AppendLimits limits;
};

// What one committed group-commit batch did (OnBatchCommitted; metrics).
struct AppendBatchCommitted {
  std::size_t requests = 0;        // append requests in the batch
  std::size_t events = 0;          // events in the batch's transaction
  std::size_t events_written = 0;  // of which newly written (not duplicates of earlier appends)
  std::chrono::steady_clock::duration duration{};  // the successful write (one transaction)
  std::map<std::string, std::size_t> written_by_type;  // events_written per event type
};

struct EventStoreStats {
  std::uint64_t batches = 0;
  std::uint64_t requests = 0;
  std::uint64_t events_written = 0;
  std::uint64_t retries = 0;
};

class PostgresEventStore final : public domain::EventStore {
 public:
  // Reads use `pool`; appends use one dedicated writer connection to pool.url(), set up
  // like the pool's (pool.OpenUnpooled(): the same statement_timeout).
  explicit PostgresEventStore(infrastructure::ConnectionPool& pool, EventStoreOptions options = {});
  ~PostgresEventStore() override;

  domain::AppendResult Append(const domain::AppendRequest& request) override;
  std::vector<domain::RecordedEvent> ReadStream(const std::string& stream_id,
                                                std::int64_t from_version,
                                                std::size_t max) override;
  std::vector<domain::RecordedEvent> ReadAll(std::int64_t after_sequence,
                                             std::size_t max) override;
  std::int64_t StreamVersion(const std::string& stream_id) override;
  std::int64_t HeadSequence() override;
  // Fetches page N+1 on a second pooled connection while page N is visited, so the
  // server's work and this process's decoding overlap.
  std::int64_t ForEachEvent(std::int64_t after_sequence, std::size_t page_size,
                            const std::function<void(const domain::RecordedEvent&)>& visit) override;

  EventStoreStats Stats() const;
  // Requests waiting for a batch (not counting the one in flight). For tests and metrics.
  std::size_t QueuedRequests() const;

  // Called (on the appending leader's thread) after each batch commits; for metrics.
  // Optional. An exception it throws is logged and ignored.
  void OnBatchCommitted(std::function<void(const AppendBatchCommitted&)> callback);

 private:
  struct Pending {
    const domain::AppendRequest* request = nullptr;
    std::optional<domain::AppendResult> result;
    std::exception_ptr error;
    bool answered = false;  // guarded by mutex_: result or error is set, the caller may return
    bool leader = false;    // guarded by mutex_: this caller writes the next batch
    std::condition_variable wake;  // signalled for exactly this caller
  };

  std::vector<Pending*> TakeBatch();                  // requires mutex_
  void WriteBatch(const std::vector<Pending*>& batch);  // never throws
  static void AnswerCanceled(const std::vector<Pending*>& batch, const std::exception& error);
  void WriteOnce(const std::vector<Pending*>& batch, bool retried);  // throws pqxx errors
  template <typename Fn>
  auto WithReadConnection(Fn&& fn);

  infrastructure::ConnectionPool& pool_;
  EventStoreOptions options_;

  mutable std::mutex mutex_;
  std::deque<Pending*> queue_;
  bool leader_active_ = false;
  EventStoreStats stats_;
  std::function<void(const AppendBatchCommitted&)> on_batch_;

  std::unique_ptr<pqxx::connection> writer_;  // used only by the current leader
};

}  // namespace docledger::eventstore
