// Wakes readers (projectors, SSE, tests) when new events are committed: LISTEN on the
// channel that sql/001's trigger NOTIFYs at commit, plus a poll of the log's head as a
// fallback, so a lost notification costs at most `poll_interval`.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace docledger::eventstore {

inline constexpr const char* kEventsChannel = "docledger_events";

class EventNotifier {
 public:
  explicit EventNotifier(std::string url,
                         std::chrono::milliseconds poll_interval = std::chrono::milliseconds(500));
  ~EventNotifier();
  EventNotifier(const EventNotifier&) = delete;
  EventNotifier& operator=(const EventNotifier&) = delete;

  // Blocks until an event with sequence > after_sequence is known to be committed, or the
  // timeout passes. Returns the highest committed sequence known.
  std::int64_t WaitForEventsAfter(std::int64_t after_sequence, std::chrono::milliseconds timeout);

  std::int64_t KnownHead() const { return head_.load(); }
  // True once the LISTEN connection is established (notifications are being received).
  bool Listening() const { return listening_.load(); }

 private:
  void Run();
  void Publish(std::int64_t head);

  std::string url_;
  std::chrono::milliseconds poll_interval_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<std::int64_t> head_{0};
  std::mutex mutex_;
  std::condition_variable advanced_;
  std::thread thread_;
};

}  // namespace docledger::eventstore
