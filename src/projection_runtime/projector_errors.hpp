// How the projector runtime tells failures apart: a permanent one (retrying the same
// events cannot fix it: the batch is re-run event by event and the failing event parked)
// from a transient one (the batch is retried after a reconnect).
#pragma once

#include <exception>
#include <stdexcept>

namespace docledger::projection_runtime {

// Thrown when the checkpoint moved under us (another runner, or a rebuild's swap).
class CheckpointMoved : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure applying events that retrying the same events cannot fix: anything a
// projection throws, and PostgreSQL errors that are neither transient nor in doubt.
// CheckpointMoved and StoreUnavailable (cannot connect) are not.
bool IsPermanent(const std::exception& e);

}  // namespace docledger::projection_runtime
