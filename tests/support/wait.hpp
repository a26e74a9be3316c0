// Awaiting a condition in tests (never a fixed sleep): polls `condition` until it holds
// or `timeout` passes; returns whether it holds.
#pragma once

#include <chrono>
#include <thread>

namespace docledger::testing {

template <typename Condition>
bool WaitUntil(Condition&& condition, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace docledger::testing
