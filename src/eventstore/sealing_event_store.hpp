// An EventStore that seals: appends through it have the content fields of their events
// sealed with the document's data key (docs/erasure.md) before the inner store writes them.
// Reads either open the sealed payloads (the command side, which decides on content) or
// return them as stored (the feed, stream reads and SSE show envelopes; docs/erasure.md
// "Who sees what").
#pragma once

#include <memory>

#include "domain/event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/document_keys.hpp"

namespace docledger::eventstore {

enum class SealedReads { kAsStored, kOpened };

class SealingEventStore final : public domain::EventStore {
 public:
  // `inner`, `pool` and `keys` must outlive this store. Key look-ups and first-use key
  // creation use `pool` (autocommit statements, committed before the append), and only for
  // keys the sealing cache does not hold.
  // `cache`: kReadAndFill for the command side (its decisions refuse an erased document),
  // kFillOnly for raw appends (docs/erasure.md "Cost").
  SealingEventStore(domain::EventStore& inner, infrastructure::ConnectionPool& pool,
                    std::shared_ptr<const infrastructure::DocumentKeys> keys, SealedReads reads,
                    infrastructure::DocumentKeys::SealingCache cache);

  // Throws domain::DocumentErasedError when an event carries content of an erased document.
  domain::AppendResult Append(const domain::AppendRequest& request) override;
  std::vector<domain::RecordedEvent> ReadStream(const std::string& stream_id, std::int64_t from_version,
                                                std::size_t max) override;
  std::vector<domain::RecordedEvent> ReadAll(std::int64_t after_sequence, std::size_t max) override;
  std::int64_t StreamVersion(const std::string& stream_id) override { return inner_.StreamVersion(stream_id); }
  std::int64_t HeadSequence() override { return inner_.HeadSequence(); }

  // Opens the sealed payloads of `events`.
  void Open(std::vector<domain::RecordedEvent>& events);

 private:
  std::vector<domain::RecordedEvent> Opened(std::vector<domain::RecordedEvent> events);
  void ForgetErased(const domain::AppendRequest& request);

  domain::EventStore& inner_;
  infrastructure::ConnectionPool& pool_;
  std::shared_ptr<const infrastructure::DocumentKeys> keys_;
  SealedReads reads_;
  infrastructure::DocumentKeys::SealingCache cache_;
};

}  // namespace docledger::eventstore
