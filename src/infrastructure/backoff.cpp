#include "infrastructure/backoff.hpp"

#include <algorithm>
#include <cstdint>

namespace docledger::infrastructure {

std::chrono::milliseconds Backoff::Ceiling(int doublings) const {
  const int shift = std::clamp(doublings, 0, max_doublings);
  return std::chrono::milliseconds(std::min<std::int64_t>(max.count(), base.count() << shift));
}

std::chrono::milliseconds Backoff::Jittered(int doublings, std::mt19937& rng) const {
  const std::int64_t cap = Ceiling(doublings).count();
  std::uniform_int_distribution<std::int64_t> jitter(cap / 2, std::max<std::int64_t>(cap, 1));
  return std::chrono::milliseconds(jitter(rng));
}

std::chrono::milliseconds Backoff::Jittered(int doublings) const {
  thread_local std::mt19937 rng{std::random_device{}()};
  return Jittered(doublings, rng);
}

}  // namespace docledger::infrastructure
