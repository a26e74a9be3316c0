#include "infrastructure/document_keys.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "domain/content_fields.hpp"
#include "domain/errors.hpp"
#include "infrastructure/aead.hpp"
#include "infrastructure/content_encoding.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/payload_seal.hpp"
#include "infrastructure/pg_array.hpp"

namespace docledger::infrastructure {
namespace {

// Only payloads that may be sealed are parsed: most events are not.
bool MayBeSealed(const std::string& payload) { return payload.find("\"sealed\"") != std::string::npos; }

}  // namespace

std::string DocumentKeys::Unwrap(const std::string& document_id, const std::string& wrapped_base64) const {
  const auto wrapped = DecodeBase64(wrapped_base64);
  auto key = wrapped ? master_.Unwrap(document_id, *wrapped) : std::nullopt;
  if (!key) {
    throw MasterKeyError("the data key of document " + document_id +
                         " does not unwrap with this master key (fingerprint " + master_.Fingerprint() + ")");
  }
  return std::move(*key);
}

void DocumentKeys::CheckOnce(pqxx::transaction_base& tx) const {
  if (checked_.load()) return;
  CheckMasterKey(tx);
  checked_ = true;
}

std::map<std::string, std::optional<std::string>> DocumentKeys::Find(pqxx::transaction_base& tx,
                                                                     const std::vector<std::string>& document_ids) const {
  std::map<std::string, std::optional<std::string>> keys;
  if (document_ids.empty()) return keys;
  CheckOnce(tx);
  const auto rows = tx.exec_params(
      "SELECT document_id::text, encode(wrapped_key, 'base64') FROM document_keys WHERE document_id = ANY($1::uuid[])",
      ToPgArray(document_ids));
  for (const auto& row : rows) {
    if (row[1].is_null()) {
      keys.emplace(row[0].c_str(), std::nullopt);
      continue;
    }
    std::string base64 = row[1].c_str();
    std::erase(base64, '\n');  // encode() breaks lines every 76 characters
    keys.emplace(row[0].c_str(), Unwrap(row[0].c_str(), base64));
  }
  return keys;
}

std::map<std::string, std::string> DocumentKeys::FindOrCreate(pqxx::transaction_base& tx,
                                                              const std::vector<std::string>& document_ids) const {
  CheckOnce(tx);
  // New documents are the usual case: one statement makes all their keys.
  std::map<std::string, std::string> fresh;
  std::vector<std::string> wrapped;
  for (const auto& id : document_ids) {
    auto key = crypto::RandomBytes(crypto::kKeyBytes);
    wrapped.push_back(crypto::EncodeBase64(master_.Wrap(id, key)));
    fresh.emplace(id, std::move(key));
  }
  const auto made = tx.exec_params(
      "INSERT INTO document_keys (document_id, wrapped_key, master_key_id) "
      "SELECT id, decode(wrapped, 'base64'), $3 FROM unnest($1::uuid[], $2::text[]) AS t(id, wrapped) "
      "ON CONFLICT (document_id) DO NOTHING RETURNING document_id::text",
      ToPgArray(document_ids), ToPgArray(wrapped), master_.Fingerprint());
  std::map<std::string, std::string> keys;
  for (const auto& row : made) keys.emplace(row[0].c_str(), std::move(fresh.at(row[0].c_str())));
  if (keys.size() == document_ids.size()) return keys;
  // The others had a row: their key, or an erasure's tombstone.
  std::vector<std::string> existing;
  for (const auto& id : document_ids) {
    if (!keys.contains(id)) existing.push_back(id);
  }
  for (auto& [id, key] : Find(tx, existing)) {
    if (!key) throw domain::DocumentErasedError(id);
    keys.emplace(id, std::move(*key));
  }
  return keys;
}

void DocumentKeys::Seal(domain::AppendRequest& request, const TransactionSource& transaction, SealingCache cache) const {
  struct ContentEvent {
    domain::NewEvent* event;
    nlohmann::json payload;
    std::string owner;
  };
  std::vector<ContentEvent> content;
  std::map<std::string, std::string> keys;
  std::vector<std::string> missing;
  for (auto& event : request.events) {
    if (domain::ContentFields(event.event_type).empty()) continue;
    auto payload = nlohmann::json::parse(event.payload, nullptr, false);
    auto owner = domain::ContentOwner(event.event_type, payload);
    if (!owner) continue;
    if (!keys.contains(*owner)) {
      auto cached = cache == SealingCache::kReadAndFill ? sealing_cache_.Get(*owner) : std::nullopt;
      if (cached) keys.emplace(*owner, std::move(*cached));
      else if (std::find(missing.begin(), missing.end(), *owner) == missing.end()) missing.push_back(*owner);
    }
    content.push_back({&event, std::move(payload), std::move(*owner)});
  }
  if (!missing.empty()) {
    for (auto& [owner, key] : FindOrCreate(transaction(), missing)) {
      if (cache != SealingCache::kBypass) sealing_cache_.Put(owner, key);
      keys.emplace(owner, std::move(key));
    }
  }
  for (auto& [event, payload, owner] : content) {
    if (event->event_id.empty()) event->event_id = NewRandomUuid();
    event->payload = SealPayload(std::move(payload), event->event_type, event->event_id, keys.at(owner));
  }
}

void DocumentKeys::Open(pqxx::transaction_base& tx, std::vector<domain::RecordedEvent>& events) const {
  std::vector<nlohmann::json> payloads(events.size());
  std::set<std::string> owners;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!MayBeSealed(events[i].payload)) continue;
    payloads[i] = nlohmann::json::parse(events[i].payload, nullptr, false);
    if (const auto owner = SealedOwner(payloads[i])) owners.insert(*owner);
  }
  if (owners.empty()) return;
  const auto keys = Find(tx, {owners.begin(), owners.end()});
  for (const auto& [owner, key] : keys) {
    if (!key) ForgetSealingKey(owner);
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto owner = SealedOwner(payloads[i]);
    if (!owner) continue;
    const auto key = keys.find(*owner);
    if (key == keys.end()) {
      throw SealError("event " + events[i].event_id + " is sealed with the key of document " + *owner +
                      ", which document_keys does not have (restored without it?)");
    }
    auto opened = OpenPayload(std::move(payloads[i]), events[i].event_id, key->second ? &*key->second : nullptr);
    events[i].content_erased = opened.outcome == OpenOutcome::kErased;
    events[i].payload = std::move(opened.text);
  }
}

void DocumentKeys::CheckMasterKey(pqxx::transaction_base& tx) const {
  const auto row = tx.exec_params1(
      "SELECT count(*), min(master_key_id) FROM document_keys WHERE wrapped_key IS NOT NULL AND master_key_id <> $1",
      master_.Fingerprint());
  const auto others = row[0].as<std::int64_t>();
  if (others == 0) {
    checked_ = true;
    return;
  }
  throw MasterKeyError(fmt::format(
      "this master key (fingerprint {}) is not the one that wrapped {} data key(s) (fingerprint {}): "
      "start with that key, or re-wrap them with `docledger keys rotate`",
      master_.Fingerprint(), others, row[1].c_str()));
}

std::size_t RewrapDataKeys(pqxx::transaction_base& tx, const MasterKey& from, const MasterKey& to) {
  // No key may be made under the old master key while this runs (a running instance).
  tx.exec("LOCK TABLE document_keys IN EXCLUSIVE MODE");
  const auto rows = tx.exec(
      "SELECT document_id::text, encode(wrapped_key, 'base64') FROM document_keys WHERE wrapped_key IS NOT NULL");
  std::size_t count = 0;
  for (const auto& row : rows) {
    std::string base64 = row[1].c_str();
    std::erase(base64, '\n');
    const auto document_id = row[0].as<std::string>();
    const auto wrapped = DecodeBase64(base64);
    const auto key = wrapped ? from.Unwrap(document_id, *wrapped) : std::nullopt;
    if (!key) throw MasterKeyError("the data key of document " + document_id + " does not unwrap with the current master key");
    tx.exec_params("UPDATE document_keys SET wrapped_key = decode($2, 'base64'), master_key_id = $3 "
                   "WHERE document_id = $1::uuid",
                   document_id, crypto::EncodeBase64(to.Wrap(document_id, *key)), to.Fingerprint());
    ++count;
  }
  return count;
}

}  // namespace docledger::infrastructure
