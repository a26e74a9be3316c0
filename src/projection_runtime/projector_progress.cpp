#include "projection_runtime/projector_progress.hpp"

namespace docledger::projection_runtime {

ProjectorProgress ProgressTracker::Snapshot() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

void ProgressTracker::Committed(std::int64_t checkpoint, std::size_t applied, std::size_t events) {
  checkpoint_ = checkpoint;
  {
    std::lock_guard lock(mutex_);
    progress_.checkpoint = checkpoint;
    progress_.events_applied += applied;
    ++progress_.batches;
  }
  if (on_batch_) on_batch_(checkpoint, events);
}

void ProgressTracker::Parked(std::int64_t checkpoint) {
  checkpoint_ = checkpoint;
  std::lock_guard lock(mutex_);
  progress_.checkpoint = checkpoint;
  ++progress_.parked;
}

void ProgressTracker::TransientRetry() {
  std::lock_guard lock(mutex_);
  ++progress_.transient_retries;
}

}  // namespace docledger::projection_runtime
