// The projector runtime: runs one Projection over the log, in batches, exactly once per
// event, across crashes, restarts and several processes (design.md "Projections"). The
// runner is the loop; each step is a piece of its own:
//
//   lease   projector_lease: a session advisory lock per projector name on the runner's
//           own connection: one active runner per projector across processes and hosts;
//           others stand by and take over within lease_retry after the holder's session ends.
//   batch   projector_range reads up to batch_size events after the checkpoint (never past
//           the head, a dependency's checkpoint or stop_at); projector_batch applies them
//           (projector_apply: rows through a BatchedRowWriter, a reactor's appends) and
//           advances the checkpoint with a compare-and-swap, all in ONE transaction.
//   wake    on NOTIFY (EventNotifier) or, failing that, every poll_interval.
//   retry   transient errors (connection lost, server restarting, serialization
//           failure, deadlock): the batch is retried with capped exponential backoff and
//           jitter, forever; the runner never dies of them (projector_errors tells them apart).
//   poison  projector_parking: a batch that fails deterministically is re-run event by
//           event; the failing event is parked (projection_parked) and later events of ITS
//           stream are held behind it, while every other stream keeps moving.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "projection_runtime/projector_apply.hpp"
#include "projection_runtime/projector_errors.hpp"
#include "projection_runtime/projector_lease.hpp"
#include "projection_runtime/projector_options.hpp"
#include "projection_runtime/projector_progress.hpp"
#include "projections/projection.hpp"

namespace docledger::eventstore {
class EventNotifier;
}  // namespace docledger::eventstore

namespace docledger::projection_runtime {

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
  bool HoldsLease() const { return lease_.Held(); }
  ProjectorProgress Progress() const { return progress_.Snapshot(); }
  // The checkpoint this runner last read or wrote.
  std::int64_t Checkpoint() const { return progress_.Checkpoint(); }
  const projections::Projection& projection() const { return *projection_.projection; }

  // Called after each committed batch with (checkpoint, events in the batch). Optional.
  void OnBatch(std::function<void(std::int64_t, std::size_t)> callback) { progress_.OnBatch(std::move(callback)); }
  // Called (on the runner's thread) each time it takes the lease. Optional; set before Start().
  void OnLeaseAcquired(std::function<void()> callback) { on_lease_ = std::move(callback); }

 private:
  enum class StepOutcome { kAdvanced, kIdle, kWaitingForDependency };

  void RunLoop();
  bool EnsureConnectedWithLease(bool wait);
  StepOutcome Step(std::int64_t target);
  void Disconnect();
  void WaitFor(std::chrono::milliseconds duration, std::int64_t after_sequence);
  template <typename Fn>
  auto WithTransientRetry(Fn&& fn);

  PreparedProjection projection_;
  ProjectorOptions options_;
  eventstore::EventNotifier* notifier_;
  ProjectorLease lease_;
  ProgressTracker progress_;
  std::function<void()> on_lease_;

  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex wait_mutex_;
  std::condition_variable wake_;
  std::chrono::steady_clock::time_point last_retry_check_{};
};

}  // namespace docledger::projection_runtime
