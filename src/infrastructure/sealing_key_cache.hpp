// The data keys this process sealed with lately, so that the next event of the same document
// is sealed without a database round trip (docs/erasure.md "Cost"). For sealing only:
// opening always reads document_keys, so a key destroyed by an erasure never opens anything.
// An entry lives `ttl` at most (expired keys are wiped at the next Put, or when met), and is
// dropped when its document is erased through this process or read as erased: Forget leaves
// a mark, for `ttl`, that no Put of the document's key overrides (a seal that read the key
// just before the erasure committed). A key erased by another instance can still seal an
// event whose append raced the erasure: that event is sealed with a destroyed key, so it
// reads as erased, like one sealed just before.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace docledger::infrastructure {

class SealingKeyCache {
 public:
  using Clock = std::chrono::steady_clock;

  SealingKeyCache(std::size_t capacity, Clock::duration ttl) : capacity_(capacity), ttl_(ttl) {}

  std::optional<std::string> Get(const std::string& document_id, Clock::time_point now = Clock::now());
  void Put(const std::string& document_id, std::string key, Clock::time_point now = Clock::now());
  void Forget(const std::string& document_id, Clock::time_point now = Clock::now());
  std::size_t Size() const;

 private:
  struct Entry {
    std::string key;
    Clock::time_point expires;
    bool forgotten = false;  // the document was erased: no key until the mark expires
  };
  void DropExpired(Clock::time_point now);
  void MakeRoom(Clock::time_point now);

  const std::size_t capacity_;
  const Clock::duration ttl_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  Clock::time_point next_sweep_{};
};

}  // namespace docledger::infrastructure
