#include "subscriptions/webhook_signature.hpp"

#include "infrastructure/aead.hpp"

namespace docledger::subscriptions {

namespace crypto = infrastructure::crypto;

std::string NewSecret() { return crypto::RandomBytes(kSecretBytes); }

std::string SecretText(std::string_view secret) { return "whsec_" + crypto::EncodeBase64(secret); }

std::string Signature(std::string_view secret, std::string_view webhook_id, std::int64_t timestamp,
                      std::string_view body) {
  std::string signed_content;
  signed_content.reserve(webhook_id.size() + body.size() + 24);
  signed_content.append(webhook_id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  return "v1," + crypto::EncodeBase64(crypto::HmacSha256(secret, signed_content));
}

std::string SignatureHeader(const std::vector<std::string>& secrets, std::string_view webhook_id,
                            std::int64_t timestamp, std::string_view body) {
  std::string header;
  for (const auto& secret : secrets) {
    if (!header.empty()) header += ' ';
    header += Signature(secret, webhook_id, timestamp, body);
  }
  return header;
}

}  // namespace docledger::subscriptions
