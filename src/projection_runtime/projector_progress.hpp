// Where a projector runner is and what it has done: the checkpoint it last read or wrote,
// and the counters ProjectorRunner::Progress() shows. The lease, batch and parking steps
// record into it as each transaction commits, so the counters follow the database even when
// a later transaction of the same step fails. Read from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>

namespace docledger::projection_runtime {

struct ProjectorProgress {
  std::int64_t checkpoint = 0;  // as of the last committed batch or park
  std::uint64_t events_applied = 0;
  std::uint64_t batches = 0;
  std::uint64_t parked = 0;
  std::uint64_t transient_retries = 0;
};

class ProgressTracker {
 public:
  // The checkpoint last read or written.
  std::int64_t Checkpoint() const { return checkpoint_.load(); }
  ProjectorProgress Snapshot() const;

  // Called after each committed batch with (checkpoint, events in the batch). Optional.
  void OnBatch(std::function<void(std::int64_t, std::size_t)> callback) { on_batch_ = std::move(callback); }

  // The checkpoint as read from the database (the lease taken, or the checkpoint found
  // moved under us): the counters stay as they are.
  void Resumed(std::int64_t checkpoint) { checkpoint_ = checkpoint; }
  // A batch of `events` events committed up to `checkpoint`, `applied` of them applied
  // (the others held behind a parked event); then the OnBatch callback.
  void Committed(std::int64_t checkpoint, std::size_t applied, std::size_t events);
  // An event parked at `checkpoint`, which the checkpoint now is.
  void Parked(std::int64_t checkpoint);
  void TransientRetry();

 private:
  std::atomic<std::int64_t> checkpoint_{0};
  mutable std::mutex mutex_;
  ProjectorProgress progress_;
  std::function<void(std::int64_t, std::size_t)> on_batch_;
};

}  // namespace docledger::projection_runtime
