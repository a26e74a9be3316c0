#include "infrastructure/payload_seal.hpp"

#include "domain/content_fields.hpp"
#include "infrastructure/aead.hpp"
#include "infrastructure/content_encoding.hpp"

namespace docledger::infrastructure {
namespace {

constexpr const char* kMember = "sealed";

std::string Aad(std::string_view event_id) { return "docledger-event:" + std::string(event_id); }

const char* KindOf(const nlohmann::json& value) {
  if (value.is_string()) return "string";
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  return "null";
}

nlohmann::json EmptyOf(const std::string& kind) {
  if (kind == "string") return "";
  if (kind == "object") return nlohmann::json::object();
  if (kind == "array") return nlohmann::json::array();
  if (kind == "boolean") return false;
  if (kind == "number") return 0;
  return nullptr;
}

std::string Decoded(const nlohmann::json& envelope, const char* member) {
  const auto value = envelope.find(member);
  if (value == envelope.end() || !value->is_string()) throw SealError(std::string("sealed payload without ") + member);
  auto bytes = DecodeBase64(value->get<std::string>());
  if (!bytes) throw SealError(std::string("sealed payload: ") + member + " is not base64");
  return *bytes;
}

}  // namespace

std::optional<std::string> SealedOwner(const nlohmann::json& payload) {
  if (!payload.is_object()) return std::nullopt;
  const auto envelope = payload.find(kMember);
  if (envelope == payload.end() || !envelope->is_object()) return std::nullopt;
  const auto owner = envelope->find("document_id");
  if (owner == envelope->end() || !owner->is_string()) return std::nullopt;
  return owner->get<std::string>();
}

void SealPayload(nlohmann::json& payload, std::string_view event_type, std::string_view event_id,
                 std::string_view data_key) {
  if (!payload.is_object() || payload.contains(kMember)) return;
  nlohmann::json plain = nlohmann::json::object();
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& field : domain::ContentFields(event_type)) {
    const auto value = payload.find(field);
    if (value == payload.end()) continue;
    kinds[field] = KindOf(*value);
    plain[field] = std::move(*value);
    payload.erase(field);
  }
  if (plain.empty()) return;
  const auto plaintext = plain.dump();
  // A key of its own for the nonce (derived), not the encryption key itself.
  const auto nonce_key = crypto::HmacSha256(data_key, "docledger nonce key");
  const auto nonce =
      crypto::HmacSha256(nonce_key, std::string(event_id) + "\n" + plaintext).substr(0, crypto::kNonceBytes);
  payload[kMember] = {{"v", 1},
                      {"alg", "A256GCM"},
                      {"document_id", payload.value("document_id", "")},
                      {"fields", std::move(kinds)},
                      {"nonce", crypto::EncodeBase64(nonce)},
                      {"ciphertext", crypto::EncodeBase64(crypto::SealAesGcm(data_key, nonce, plaintext, Aad(event_id)))}};
}

OpenOutcome OpenPayload(nlohmann::json& payload, std::string_view event_id, const std::string* data_key) {
  if (!SealedOwner(payload)) return OpenOutcome::kClear;
  const auto envelope = std::move(payload[kMember]);
  payload.erase(kMember);
  const auto kinds = envelope.value("fields", nlohmann::json::object());
  if (data_key == nullptr) {
    for (const auto& [field, kind] : kinds.items()) payload[field] = EmptyOf(kind.is_string() ? kind.get<std::string>() : "");
    return OpenOutcome::kErased;
  }
  const auto plaintext =
      crypto::OpenAesGcm(*data_key, Decoded(envelope, "nonce"), Decoded(envelope, "ciphertext"), Aad(event_id));
  if (!plaintext) throw SealError("sealed payload of event " + std::string(event_id) + " does not open with its document's key");
  auto fields = nlohmann::json::parse(*plaintext, nullptr, false);
  if (!fields.is_object()) throw SealError("sealed payload of event " + std::string(event_id) + " is not a JSON object");
  for (auto& [field, value] : fields.items()) payload[field] = std::move(value);
  return OpenOutcome::kOpened;
}

}  // namespace docledger::infrastructure
