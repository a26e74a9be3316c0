// Awaiting a condition in tests, never a fixed sleep.
//
// Signal: state this process changes (a callback, a thread of the test) is awaited on a
// condition variable that the changing code wakes. WaitUntil: state only another process
// or PostgreSQL changes (a checkpoint row, a server's answer, a lock) has no event to wait
// for in this process, so it is looked at again every 2 ms until it holds or `timeout`
// passes. Both return whether the condition holds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

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

class Signal {
 public:
  // Call after changing the state a waiter's condition reads.
  void Notify() {
    { const std::lock_guard lock(mutex_); }  // a waiter is either before its check or waiting
    changed_.notify_all();
  }
  template <typename Condition>
  bool WaitUntil(Condition&& condition, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, std::forward<Condition>(condition));
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
};

}  // namespace docledger::testing
