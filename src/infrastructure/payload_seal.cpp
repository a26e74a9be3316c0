#include "infrastructure/payload_seal.hpp"

#include <zstd.h>

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

// Sealed fields are compressed before they are encrypted (ciphertext does not compress:
// PostgreSQL would store, and log in its WAL, all of it). zstd's fastest level costs far
// less than the bytes it saves; a plaintext that does not shrink is sealed as it is.
constexpr int kZstdLevel = 1;
constexpr unsigned long long kMaxOpenedBytes = 256ull << 20;

std::optional<std::string> Compressed(const std::string& plaintext) {
  std::string out(ZSTD_compressBound(plaintext.size()), '\0');
  const auto size = ZSTD_compress(out.data(), out.size(), plaintext.data(), plaintext.size(), kZstdLevel);
  if (ZSTD_isError(size) || size >= plaintext.size()) return std::nullopt;
  out.resize(size);
  return out;
}

std::string Decompressed(const std::string& compressed, std::string_view event_id) {
  const auto size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxOpenedBytes) {
    throw SealError("sealed payload of event " + std::string(event_id) + " is not a zstd frame of known size");
  }
  std::string out(size, '\0');
  const auto written = ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(written) || written != size) {
    throw SealError("sealed payload of event " + std::string(event_id) + " does not decompress");
  }
  return out;
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

std::string SealPayload(nlohmann::json payload, std::string_view event_type, std::string_view event_id,
                        std::string_view data_key) {
  if (!payload.is_object() || payload.contains(kMember)) return payload.dump();
  nlohmann::json plain = nlohmann::json::object();
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& field : domain::ContentFields(event_type)) {
    const auto value = payload.find(field);
    if (value == payload.end()) continue;
    kinds[field] = KindOf(*value);
    plain[field] = std::move(*value);
    payload.erase(field);
  }
  if (plain.empty()) return payload.dump();
  const auto plaintext = plain.dump();
  const auto compressed = Compressed(plaintext);
  const auto& sealed_bytes = compressed ? *compressed : plaintext;
  // A key of its own for the nonce (derived), not the encryption key itself. The nonce is
  // bound to the bytes encrypted (and whether they are compressed): two different byte
  // strings never share one under a key, whatever the zstd version.
  const auto nonce_key = crypto::HmacSha256(data_key, "docledger nonce key");
  const auto nonce = crypto::HmacSha256(nonce_key, std::string(event_id) + (compressed ? "\nzstd\n" : "\n") + sealed_bytes)
                         .substr(0, crypto::kNonceBytes);
  // The envelope is written as text: base64 needs no escaping, and the ciphertext is most of it.
  const nlohmann::json owner = payload.value("document_id", "");
  std::string envelope = R"({"v":1,"alg":"A256GCM",)" + std::string(compressed ? R"("zip":"zstd",)" : "") +
                         R"("document_id":)" + owner.dump() + R"(,"fields":)" + kinds.dump() + R"(,"nonce":")" +
                         crypto::EncodeBase64(nonce) + R"(","ciphertext":")" +
                         crypto::EncodeBase64(crypto::SealAesGcm(data_key, nonce, sealed_bytes, Aad(event_id))) + "\"}";
  auto text = payload.dump();
  text.pop_back();  // the closing brace
  if (text.size() > 1) text += ',';
  return text + "\"" + kMember + "\":" + envelope + "}";
}

OpenedPayload OpenPayload(nlohmann::json payload, std::string_view event_id, const std::string* data_key) {
  if (!SealedOwner(payload)) return {};
  const auto envelope = std::move(payload[kMember]);
  payload.erase(kMember);
  const auto kinds = envelope.value("fields", nlohmann::json::object());
  if (data_key == nullptr) {
    for (const auto& [field, kind] : kinds.items()) payload[field] = EmptyOf(kind.is_string() ? kind.get<std::string>() : "");
    return {OpenOutcome::kErased, payload.dump()};
  }
  auto plaintext =
      crypto::OpenAesGcm(*data_key, Decoded(envelope, "nonce"), Decoded(envelope, "ciphertext"), Aad(event_id));
  if (!plaintext) throw SealError("sealed payload of event " + std::string(event_id) + " does not open with its document's key");
  const auto zip = envelope.find("zip");
  if (zip != envelope.end()) {
    if (*zip != "zstd") throw SealError("sealed payload of event " + std::string(event_id) + " has an unknown zip");
    plaintext = Decompressed(*plaintext, event_id);
  }
  if (plaintext->size() < 2 || plaintext->front() != '{' || plaintext->back() != '}') {
    throw SealError("sealed payload of event " + std::string(event_id) + " is not a JSON object");
  }
  for (const auto& [field, kind] : kinds.items()) payload.erase(field);  // the sealed value is the one
  auto text = payload.dump();
  if (text == "{}") return {OpenOutcome::kOpened, std::move(*plaintext)};
  if (*plaintext != "{}") {
    text.back() = ',';
    text.append(*plaintext, 1);
  }
  return {OpenOutcome::kOpened, std::move(text)};
}

}  // namespace docledger::infrastructure
