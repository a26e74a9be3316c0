// The sealed envelope inside an event's JSONB payload (docs/erasure.md). The content fields
// of the event type (domain/content_fields.hpp) are moved into one member:
//
//   "sealed": {"v": 1, "alg": "A256GCM", "zip": "zstd", "document_id": "<uuid>",
//              "fields": {"markdown": "string"},        <- names and JSON kinds, no values
//              "nonce": "<base64, 12 bytes>", "ciphertext": "<base64, AES-256-GCM + tag>"}
//
// The plaintext is the JSON object of the moved fields, compressed with zstd first when that
// makes it smaller ("zip" present; envelopes without it hold the JSON text as it is, as
// every envelope written before compression does). The associated data is the event id,
// so a ciphertext copied into another event does not open. The nonce is derived from the
// data key, the event id and the bytes encrypted, with whether they are compressed
// (HMAC-SHA256, first 12 bytes): sealing the same event twice gives the same bytes, so a
// retried append is still recognised as the same event, and two different byte strings
// never share a nonce under one key.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace docledger::infrastructure {

// A sealed payload that its document's key does not open (altered bytes, or a key that is
// not the one it was sealed with): never treated as erased.
class SealError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The document whose key sealed this payload; nullopt when it is not sealed.
std::optional<std::string> SealedOwner(const nlohmann::json& payload);

// The payload's text with the content fields of `event_type` it has moved into the
// envelope; the payload's text unchanged when it has none or is sealed already.
std::string SealPayload(nlohmann::json payload, std::string_view event_type, std::string_view event_id,
                        std::string_view data_key);

enum class OpenOutcome { kClear, kOpened, kErased };

struct OpenedPayload {
  OpenOutcome outcome = OpenOutcome::kClear;
  std::string text;  // the payload's JSON with its sealed fields back; empty for kClear (unchanged)
};

// Puts the sealed fields back into `payload` (parsed from the stored text). The opened
// fields are not parsed again: the plaintext is the JSON object text SealPayload encrypted
// (GCM vouches for it), joined as text to the payload's clear members. `data_key` nullptr
// (the document was erased): each field gets the empty value of its kind ("", {}, [], 0,
// false, null), the same for every reader, so a replay after an erasure is deterministic.
// Throws SealError when a key is given and does not open the envelope.
OpenedPayload OpenPayload(nlohmann::json payload, std::string_view event_id, const std::string* data_key);

}  // namespace docledger::infrastructure
