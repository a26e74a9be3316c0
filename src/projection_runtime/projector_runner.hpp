// The projector runtime: runs one Projection over the log, in batches, exactly once per
// event, across crashes, restarts and several processes (design.md "Projections").
//
//   batch   read up to batch_size events after the checkpoint (never past the head, a
//           dependency's checkpoint or stop_at), apply them through a BatchedRowWriter and
//           advance the checkpoint with a compare-and-swap, all in ONE transaction.
//   wake    on NOTIFY (EventNotifier) or, failing that, every poll_interval.
//   retry   transient errors (connection lost, server restarting, serialization
//           failure, deadlock): the batch is retried with capped exponential backoff and
//           jitter, forever; the runner never dies of them.
//   poison  a batch that fails deterministically is re-run event by event; the failing
//           event is parked (projection_parked) and later events of ITS stream are held
//           behind it, while every other stream keeps moving.
//   lease   a session advisory lock per projector name on the runner's own connection:
//           one active runner per projector across processes and hosts; others stand by
//           and take over within lease_retry after the holder's session ends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "projections/projection.hpp"

namespace docledger::eventstore {
class EventNotifier;
}  // namespace docledger::eventstore

namespace docledger::projection_runtime {

class BatchedRowWriter;

// Advisory lock classes (first int of the two-int key).
inline constexpr int kProjectorLeaseClass = 0x646c70;  // "dlp": live projector leases
inline constexpr int kRebuildLeaseClass = 0x646c72;    // "dlr": one rebuild per projector

struct ProjectorOptions {
  std::size_t batch_size = 1000;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds base_backoff{50};
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds lease_retry{1000};  // at most; lease_timeout / 10 when smaller
  // DOCLEDGER_LEASE_TIMEOUT: a vanished lease holder (host lost, no FIN) is replaced within
  // this bound. The runner's session asks the server to probe the connection with TCP
  // keepalives (and tcp_user_timeout) so that PostgreSQL ends a dead holder's session, and
  // so releases its lock, within 0.8 x lease_timeout; stand-bys retry every lease_timeout / 10.
  std::chrono::seconds lease_timeout{10};
  std::string instance = "docledger";  // shown as the lease holder (application_name)
  // "" = public; a rebuild's shadow schema otherwise. It comes first in the runner's
  // search_path: the projection's own tables, its checkpoint and parked rows, and
  // whatever else a rebuild puts there (the parents rebuilt in the same group: their
  // tables for Find, their checkpoints for the dependency rule) resolve to the shadow
  // schema; everything else (a parent that is not rebuilt, events) to public.
  std::string schema;
  bool take_lease = true;  // false only for a rebuild's shadow runner (the rebuild holds its own)
  // Effects outside the projection's own tables: outbox rows (OutboxTables) and the
  // ProjectionParked event appended when parking. false for `replay --verify`, which
  // must change nothing.
  bool external_effects = true;
};

// The server-side TCP settings of a lease session for a lease timeout T (seconds): idle
// 0.3 T, then 3 probes 0.1 T apart (each at least 1 s), and unacknowledged data aborts the
// connection after the same time. A dead peer is detected after idle + 3 x interval.
struct LeaseKeepalive {
  int idle_s = 3;
  int interval_s = 1;
  int count = 3;
  int user_timeout_ms = 6000;
  std::chrono::seconds DetectionBound() const { return std::chrono::seconds(idle_s + count * interval_s); }
};
LeaseKeepalive LeaseKeepaliveFor(std::chrono::seconds lease_timeout);

struct ProjectorProgress {
  std::int64_t checkpoint = 0;
  std::uint64_t events_applied = 0;
  std::uint64_t batches = 0;
  std::uint64_t parked = 0;
  std::uint64_t transient_retries = 0;
};

class ProjectorRunner {
 public:
  ProjectorRunner(std::string url, std::shared_ptr<const projections::Projection> projection,
                  ProjectorOptions options = {}, eventstore::EventNotifier* notifier = nullptr);
  ~ProjectorRunner();
  ProjectorRunner(const ProjectorRunner&) = delete;
  ProjectorRunner& operator=(const ProjectorRunner&) = delete;

  // Runs in a background thread until Stop(): waits for the lease, then projects forever.
  void Start();
  // Stops at a batch boundary and releases the lease.
  void Stop();

  // Runs in the calling thread until the checkpoint reaches `target` (the head at the time
  // of the call when target < 0). Takes the lease first (waits for it). Returns the
  // checkpoint. Transient errors are retried as in Start().
  std::int64_t CatchUp(std::int64_t target = -1);

  // Applies the parked events of every stream with retry requested (docledger parked
  // retry), in order; first requests it for the streams held only because a dependency
  // had parked them and has since cleared them. Needs the lease: call from the lease holder (the runner does it by
  // itself between batches) or after CatchUp. Returns the number of events applied.
  std::size_t RetryRequestedParked();

  // Connects and takes the lease if it is free; false when another instance holds it.
  bool TryAcquireLease();
  bool HoldsLease() const { return holds_lease_.load(); }
  ProjectorProgress Progress() const;
  // The checkpoint this runner last read or wrote.
  std::int64_t Checkpoint() const { return checkpoint_; }
  const projections::Projection& projection() const { return *projection_; }

  // Called after each committed batch with (checkpoint, events in the batch). Optional.
  void OnBatch(std::function<void(std::int64_t, std::size_t)> callback) { on_batch_ = std::move(callback); }
  // Called (on the runner's thread) each time it takes the lease. Optional; set before Start().
  void OnLeaseAcquired(std::function<void()> callback) { on_lease_ = std::move(callback); }

 private:
  enum class StepOutcome { kAdvanced, kIdle, kWaitingForDependency };

  void RunLoop();
  bool EnsureConnectedWithLease(bool wait);
  StepOutcome Step(std::int64_t target);
  std::size_t BatchLimit() const;
  bool ApplyOneByOne(const std::vector<domain::RecordedEvent>& events, std::int64_t expected,
                     std::int64_t new_checkpoint);
  bool CommitBatch(const std::vector<domain::RecordedEvent>& events, std::int64_t expected,
                   std::int64_t new_checkpoint);
  void ApplyEvent(pqxx::transaction_base& tx, BatchedRowWriter& writer, const domain::RecordedEvent& event);
  void Park(const domain::RecordedEvent& event, const std::string& error, std::int64_t expected);
  std::int64_t UpperBound(std::int64_t target);
  void LoadParkedStreams(pqxx::transaction_base& tx);
  void Disconnect();
  void WaitFor(std::chrono::milliseconds duration, std::int64_t after_sequence);
  template <typename Fn>
  auto WithTransientRetry(Fn&& fn);

  std::string url_;
  std::shared_ptr<const projections::Projection> projection_;
  std::vector<projections::TableSpec> tables_;
  std::vector<projections::TableSpec> read_tables_;
  std::vector<projections::TableSpec> outbox_tables_;
  const projections::Reactor* reactor_;  // non-null when the projection is a reactor
  std::string types_array_;  // text[] literal of the event types, or empty for all
  std::string dependencies_array_;  // text[] literal of DependsOn(), or empty
  ProjectorOptions options_;
  eventstore::EventNotifier* notifier_;

  std::unique_ptr<pqxx::connection> conn_;
  std::map<std::string, std::int64_t> parked_streams_;  // stream -> first parked sequence
  std::int64_t checkpoint_ = 0;
  std::function<void(std::int64_t, std::size_t)> on_batch_;
  std::function<void()> on_lease_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> holds_lease_{false};
  std::thread thread_;
  std::mutex wait_mutex_;
  std::condition_variable wake_;
  mutable std::mutex progress_mutex_;
  ProjectorProgress progress_;
  std::chrono::steady_clock::time_point last_retry_check_{};
};

// Thrown when the checkpoint moved under us (another runner, or a rebuild's swap).
class CheckpointMoved : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace docledger::projection_runtime
