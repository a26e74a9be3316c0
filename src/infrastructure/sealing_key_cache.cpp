#include "infrastructure/sealing_key_cache.hpp"

#include <openssl/crypto.h>

namespace docledger::infrastructure {
namespace {

void Wipe(std::string& key) { OPENSSL_cleanse(key.data(), key.size()); }

}  // namespace

std::optional<std::string> SealingKeyCache::Get(const std::string& document_id, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(document_id);
  if (found == entries_.end()) return std::nullopt;
  if (found->second.expires <= now) {
    Wipe(found->second.key);
    entries_.erase(found);
    return std::nullopt;
  }
  if (found->second.forgotten) return std::nullopt;
  return found->second.key;
}

void SealingKeyCache::Put(const std::string& document_id, std::string key, Clock::time_point now) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (now >= next_sweep_) {
    DropExpired(now);
    next_sweep_ = now + ttl_ / 2;
  }
  if (const auto found = entries_.find(document_id); found != entries_.end()) {
    if (found->second.forgotten && found->second.expires > now) {
      Wipe(key);
      return;
    }
    Wipe(found->second.key);
    found->second = {std::move(key), now + ttl_};
    return;
  }
  MakeRoom(now);
  entries_.emplace(document_id, Entry{std::move(key), now + ttl_});
}

void SealingKeyCache::Forget(const std::string& document_id, Clock::time_point now) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  auto found = entries_.find(document_id);
  if (found == entries_.end()) {
    MakeRoom(now);
    found = entries_.emplace(document_id, Entry{}).first;
  }
  Wipe(found->second.key);
  found->second = {std::string(), now + ttl_, true};
}

std::size_t SealingKeyCache::Size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void SealingKeyCache::DropExpired(Clock::time_point now) {
  for (auto entry = entries_.begin(); entry != entries_.end();) {
    if (entry->second.expires > now) {
      ++entry;
      continue;
    }
    Wipe(entry->second.key);
    entry = entries_.erase(entry);
  }
}

// Expired entries go first; when none has expired, an arbitrary one (a miss costs one
// look-up, nothing else; a dropped mark only lets a key be cached again, not used to open).
void SealingKeyCache::MakeRoom(Clock::time_point now) {
  if (entries_.size() < capacity_) return;
  DropExpired(now);
  if (entries_.size() < capacity_) return;
  Wipe(entries_.begin()->second.key);
  entries_.erase(entries_.begin());
}

}  // namespace docledger::infrastructure
