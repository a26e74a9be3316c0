// Per-document data keys (docs/erasure.md): one random 256-bit key per document, stored in
// `document_keys` wrapped by the master key, made on the document's first sealed event and
// destroyed when a DocumentErased is appended (a trigger of the events table, in the
// appending transaction). Seal and Open apply them to events on their way into and out of
// the log; every method works in the caller's transaction. Seal keeps the keys it used in
// a SealingKeyCache, so that the next events of a document are sealed without a look-up.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

#include "domain/event.hpp"
#include "infrastructure/master_key.hpp"
#include "infrastructure/sealing_key_cache.hpp"

namespace docledger::infrastructure {

class DocumentKeys {
 public:
  // A transaction for the key look-ups Seal cannot answer from its cache; asked for only then.
  using TransactionSource = std::function<pqxx::transaction_base&()>;
  // How Seal may use its cache of sealing keys. A key is cached only once its row is
  // committed, so no event is ever sealed with a key whose row does not exist.
  enum class SealingCache {
    // Look-ups in autocommit statements, for a caller that refuses content for an erased
    // document itself (the command side: the document's stream shows DocumentErased).
    kReadAndFill,
    // Look-ups in autocommit statements; every key read from document_keys, so an erasure
    // committed anywhere is refused at once (raw appends: nothing else checks erasure).
    kFillOnly,
    // Look-ups in the caller's transaction, which may roll back and sees its own uncommitted
    // keys (a reactor's batch: once per batch).
    kBypass,
  };

  // Sealing keys are cached for one minute at most (docs/erasure.md "Cost").
  static constexpr std::size_t kCachedKeys = 10000;
  static constexpr std::chrono::seconds kCachedKeyLifetime{60};

  explicit DocumentKeys(MasterKey master) : master_(std::move(master)), sealing_cache_(kCachedKeys, kCachedKeyLifetime) {}
  DocumentKeys(const DocumentKeys&) = delete;
  DocumentKeys& operator=(const DocumentKeys&) = delete;

  const MasterKey& master() const { return master_; }

  // The data keys of these documents: nullopt for an erased one (its tombstone); a document
  // with no row at all is absent from the map.
  std::map<std::string, std::optional<std::string>> Find(pqxx::transaction_base& tx,
                                                         const std::vector<std::string>& document_ids) const;

  // Seals the content fields of every event of `request` that carries a document's content
  // (domain/content_fields.hpp); gives such events an id first when they have none (the
  // ciphertext is bound to it). Keys not cached are read in one look-up through
  // `transaction`, and made for documents that have none (a concurrent first use gets the
  // same one). Throws domain::DocumentErasedError when a look-up finds the document erased.
  void Seal(domain::AppendRequest& request, const TransactionSource& transaction, SealingCache cache) const;

  // Drops the document's key from the sealing cache (it is being, or was, erased).
  void ForgetSealingKey(const std::string& document_id) const { sealing_cache_.Forget(document_id); }

  // Opens every sealed payload; those of erased documents get empty content fields and
  // content_erased = true. Throws SealError when a present key does not open a payload, or
  // when a sealed payload's document has no row in document_keys (an incomplete restore:
  // never read as erased).
  void Open(pqxx::transaction_base& tx, std::vector<domain::RecordedEvent>& events) const;

  // Throws MasterKeyError when live data keys were wrapped by another master key. Run at
  // start-up, and by the first Find/FindOrCreate of a process that could not run it then
  // (the database was not reachable): no key is read or made under a wrong master key.
  void CheckMasterKey(pqxx::transaction_base& tx) const;

 private:
  void CheckOnce(pqxx::transaction_base& tx) const;
  // The documents' keys: made for those without a row (one statement), read for the
  // others (a concurrent first use). Throws domain::DocumentErasedError when one was erased.
  std::map<std::string, std::string> FindOrCreate(pqxx::transaction_base& tx,
                                                  const std::vector<std::string>& document_ids) const;
  std::string Unwrap(const std::string& document_id, const std::string& wrapped_base64) const;

  mutable std::atomic<bool> checked_{false};
  MasterKey master_;
  mutable SealingKeyCache sealing_cache_;
};

// `docledger keys rotate`: re-wraps every live data key from `from` to `to`; returns how
// many. Events are not touched. Throws MasterKeyError when a key does not unwrap with `from`.
std::size_t RewrapDataKeys(pqxx::transaction_base& tx, const MasterKey& from, const MasterKey& to);

}  // namespace docledger::infrastructure
