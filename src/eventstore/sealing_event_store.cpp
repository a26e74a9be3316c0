#include "eventstore/sealing_event_store.hpp"

#include <algorithm>
#include <optional>

#include <pqxx/pqxx>

#include "domain/content_fields.hpp"
#include "domain/event_validation.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/pg_errors.hpp"

namespace docledger::eventstore {

SealingEventStore::SealingEventStore(domain::EventStore& inner, infrastructure::ConnectionPool& pool,
                                     std::shared_ptr<const infrastructure::DocumentKeys> keys, SealedReads reads,
                                     infrastructure::DocumentKeys::SealingCache cache)
    : inner_(inner), pool_(pool), keys_(std::move(keys)), reads_(reads), cache_(cache) {}

domain::AppendResult SealingEventStore::Append(const domain::AppendRequest& request) {
  ForgetErased(request);
  const bool has_content = std::any_of(request.events.begin(), request.events.end(), [](const domain::NewEvent& e) {
    return !domain::ContentFields(e.event_type).empty();
  });
  if (!has_content) {
    auto result = inner_.Append(request);
    ForgetErased(request);  // again, now that the erasure is committed
    return result;
  }
  auto sealed = request;
  // Ids given (as the store would) and canonical (lower case) first: the ciphertext is
  // bound to the id as stored.
  for (auto& event : sealed.events) {
    if (event.event_id.empty()) event.event_id = infrastructure::NewRandomUuid();
  }
  domain::RequireValidAppend(sealed);
  infrastructure::Translated([&] {
    // Autocommit: a data key made here is committed (durably) before any event sealed with it.
    std::optional<infrastructure::ConnectionPool::Lease> lease;
    std::optional<pqxx::nontransaction> tx;
    keys_->Seal(
        sealed,
        [&]() -> pqxx::transaction_base& {
          if (!tx) tx.emplace(*lease.emplace(pool_.Acquire()));
          return *tx;
        },
        cache_);
  });
  return inner_.Append(sealed);
}

// An erasure appended through this store: its key must not seal anything any more (the
// append destroys it; a refused erasure costs one look-up later). The cache keeps a mark
// that a seal racing the erasure cannot overwrite.
void SealingEventStore::ForgetErased(const domain::AppendRequest& request) {
  for (const auto& event : request.events) {
    if (event.event_type != "DocumentErased") continue;
    const auto payload = nlohmann::json::parse(event.payload, nullptr, false);
    if (payload.is_object() && payload.value("document_id", nlohmann::json()).is_string()) {
      keys_->ForgetSealingKey(payload["document_id"].get<std::string>());
    }
  }
}

void SealingEventStore::Open(std::vector<domain::RecordedEvent>& events) {
  const bool any_sealed = std::any_of(events.begin(), events.end(), [](const domain::RecordedEvent& e) {
    return !domain::ContentFields(e.event_type).empty();
  });
  if (!any_sealed) return;
  infrastructure::Translated([&] {
    auto lease = pool_.Acquire();
    pqxx::nontransaction tx(*lease);
    keys_->Open(tx, events);
  });
}

std::vector<domain::RecordedEvent> SealingEventStore::Opened(std::vector<domain::RecordedEvent> events) {
  if (reads_ == SealedReads::kOpened) Open(events);
  return events;
}

std::vector<domain::RecordedEvent> SealingEventStore::ReadStream(const std::string& stream_id,
                                                                 std::int64_t from_version, std::size_t max) {
  return Opened(inner_.ReadStream(stream_id, from_version, max));
}

std::vector<domain::RecordedEvent> SealingEventStore::ReadAll(std::int64_t after_sequence, std::size_t max) {
  return Opened(inner_.ReadAll(after_sequence, max));
}

}  // namespace docledger::eventstore
