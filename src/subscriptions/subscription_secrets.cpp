#include "subscriptions/subscription_secrets.hpp"

#include <pqxx/pqxx>

#include "infrastructure/aead.hpp"
#include "infrastructure/content_encoding.hpp"
#include "infrastructure/statements.hpp"
#include "subscriptions/webhook_signature.hpp"

namespace docledger::subscriptions {
namespace {

std::string Label(const std::string& subscription_id, std::int64_t version) {
  return "subscription/" + subscription_id + "/" + std::to_string(version);
}

std::string Unwrap(const infrastructure::MasterKey& master, const std::string& subscription_id, std::int64_t version,
                   const std::string& wrapped_base64, const std::string& master_key_id) {
  if (master_key_id != master.Fingerprint()) {
    throw infrastructure::MasterKeyError("the signing secret of subscription " + subscription_id +
                                         " was wrapped by another master key (" + master_key_id + ")");
  }
  const auto wrapped = infrastructure::DecodeBase64(wrapped_base64);
  auto secret = wrapped ? master.Unwrap(Label(subscription_id, version), *wrapped) : std::nullopt;
  if (!secret) {
    throw infrastructure::MasterKeyError("the signing secret of subscription " + subscription_id +
                                         " does not open with the master key");
  }
  return *secret;
}

}  // namespace

std::string SubscriptionSecrets::Wrap(const std::string& subscription_id, std::int64_t version,
                                      const std::string& secret) const {
  return infrastructure::crypto::EncodeBase64(master_.Wrap(Label(subscription_id, version), secret));
}

std::string SubscriptionSecrets::Create(pqxx::transaction_base& tx, const std::string& subscription_id) const {
  auto secret = NewSecret();
  tx.exec_params(
      "INSERT INTO subscription_secrets (subscription_id, secret_version, wrapped_secret, master_key_id) "
      "VALUES ($1::uuid, 1, $2, $3) ON CONFLICT (subscription_id, secret_version) DO UPDATE "
      "SET wrapped_secret = EXCLUDED.wrapped_secret, master_key_id = EXCLUDED.master_key_id",
      subscription_id, Wrap(subscription_id, 1, secret), master_.Fingerprint());
  return secret;
}

RotatedSecret SubscriptionSecrets::Rotate(pqxx::transaction_base& tx, const std::string& subscription_id,
                                          std::chrono::seconds overlap) const {
  tx.exec_params(
      "UPDATE subscription_secrets SET valid_until = now() + $2 * interval '1 second' "
      "WHERE subscription_id = $1::uuid AND (valid_until IS NULL OR valid_until > now() + $2 * interval '1 second')",
      subscription_id, static_cast<std::int64_t>(overlap.count()));
  const auto row = tx.exec_params1(
      "SELECT coalesce(max(secret_version), 0) + 1, "
      "to_char((now() + $2 * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
      "FROM subscription_secrets WHERE subscription_id = $1::uuid",
      subscription_id, static_cast<std::int64_t>(overlap.count()));
  RotatedSecret rotated{row[0].as<std::int64_t>(), NewSecret(), row[1].c_str()};
  tx.exec_params(
      "INSERT INTO subscription_secrets (subscription_id, secret_version, wrapped_secret, master_key_id) "
      "VALUES ($1::uuid, $2, $3, $4)",
      subscription_id, rotated.version, Wrap(subscription_id, rotated.version, rotated.secret), master_.Fingerprint());
  return rotated;
}

std::vector<std::string> SubscriptionSecrets::Signing(pqxx::transaction_base& tx,
                                                      const std::string& subscription_id) const {
  std::vector<std::string> secrets;
  for (const auto& row : tx.exec_prepared(infrastructure::statements::kSubscriptionSecrets, subscription_id)) {
    secrets.push_back(Unwrap(master_, subscription_id, row[0].as<std::int64_t>(), row[1].c_str(), row[2].c_str()));
  }
  return secrets;
}

void SubscriptionSecrets::Delete(pqxx::transaction_base& tx, const std::string& subscription_id) const {
  tx.exec_params("DELETE FROM subscription_secrets WHERE subscription_id = $1::uuid", subscription_id);
}

std::size_t SubscriptionSecrets::Rewrap(pqxx::transaction_base& tx, const infrastructure::MasterKey& next) const {
  const auto rows = tx.exec(
      "SELECT subscription_id::text, secret_version, wrapped_secret, master_key_id FROM subscription_secrets "
      "FOR UPDATE");
  const SubscriptionSecrets rewrapped(next);
  for (const auto& row : rows) {
    const std::string id = row[0].c_str();
    const auto version = row[1].as<std::int64_t>();
    const auto secret = Unwrap(master_, id, version, row[2].c_str(), row[3].c_str());
    tx.exec_params(
        "UPDATE subscription_secrets SET wrapped_secret = $3, master_key_id = $4 "
        "WHERE subscription_id = $1::uuid AND secret_version = $2",
        id, version, rewrapped.Wrap(id, version, secret), next.Fingerprint());
  }
  return rows.size();
}

}  // namespace docledger::subscriptions
