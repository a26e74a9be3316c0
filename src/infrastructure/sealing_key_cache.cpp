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
  return found->second.key;
}

void SealingKeyCache::Put(const std::string& document_id, std::string key, Clock::time_point now) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (const auto found = entries_.find(document_id); found != entries_.end()) {
    Wipe(found->second.key);
    found->second = {std::move(key), now + ttl_};
    return;
  }
  MakeRoom(now);
  entries_.emplace(document_id, Entry{std::move(key), now + ttl_});
}

void SealingKeyCache::Forget(const std::string& document_id) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(document_id);
  if (found == entries_.end()) return;
  Wipe(found->second.key);
  entries_.erase(found);
}

std::size_t SealingKeyCache::Size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

// Expired entries go first; when none has expired, an arbitrary one (a miss costs one
// look-up, nothing else).
void SealingKeyCache::MakeRoom(Clock::time_point now) {
  if (entries_.size() < capacity_) return;
  for (auto entry = entries_.begin(); entry != entries_.end();) {
    if (entry->second.expires > now) {
      ++entry;
      continue;
    }
    Wipe(entry->second.key);
    entry = entries_.erase(entry);
  }
  if (entries_.size() < capacity_) return;
  Wipe(entries_.begin()->second.key);
  entries_.erase(entries_.begin());
}

}  // namespace docledger::infrastructure
