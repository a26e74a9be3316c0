// Capped exponential backoff, the one every retry loop uses (event store appends and reads,
// projector batches, the alert delivery worker, the Idempotency-Key wait).
#pragma once

#include <chrono>
#include <random>

namespace docledger::infrastructure {

struct Backoff {
  std::chrono::milliseconds base;
  std::chrono::milliseconds max;
  // The doubling stops at base << max_doublings (before `max` caps it), so the shift
  // never overflows.
  int max_doublings = 16;

  // min(max, base * 2^doublings), doublings clamped to [0, max_doublings]: no jitter.
  std::chrono::milliseconds Ceiling(int doublings) const;
  // Uniform in [Ceiling / 2, max(Ceiling, 1 ms)]: instances that failed together do not
  // retry together. A thread-local generator, or the given one (tests).
  std::chrono::milliseconds Jittered(int doublings) const;
  std::chrono::milliseconds Jittered(int doublings, std::mt19937& rng) const;
};

}  // namespace docledger::infrastructure
