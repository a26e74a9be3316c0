// The signing secrets of subscriptions, in subscription_secrets, wrapped by the master key
// (docs/erasure.md) with "subscription/<id>/<version>" as associated data: a database dump
// alone does not let anyone forge a delivery. Every method works in the caller's
// transaction.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

#include "infrastructure/master_key.hpp"

namespace docledger::subscriptions {

struct RotatedSecret {
  std::int64_t version = 0;
  std::string secret;                // the new secret's bytes
  std::string previous_valid_until;  // RFC 3339: the older secrets sign until then
};

class SubscriptionSecrets {
 public:
  explicit SubscriptionSecrets(const infrastructure::MasterKey& master) : master_(master) {}

  // A new secret, version 1 (the subscription's first); returns its bytes.
  std::string Create(pqxx::transaction_base& tx, const std::string& subscription_id) const;
  // A new secret with the next version; the ones that sign now keep signing for `overlap`.
  RotatedSecret Rotate(pqxx::transaction_base& tx, const std::string& subscription_id,
                       std::chrono::seconds overlap) const;
  // The secrets that sign now, newest first. Throws infrastructure::MasterKeyError when one
  // was wrapped by another master key.
  std::vector<std::string> Signing(pqxx::transaction_base& tx, const std::string& subscription_id) const;
  void Delete(pqxx::transaction_base& tx, const std::string& subscription_id) const;
  // Re-wraps every secret under `next` (docledger keys rotate); returns how many.
  std::size_t Rewrap(pqxx::transaction_base& tx, const infrastructure::MasterKey& next) const;

 private:
  std::string Wrap(const std::string& subscription_id, std::int64_t version, const std::string& secret) const;
  const infrastructure::MasterKey& master_;
};

}  // namespace docledger::subscriptions
