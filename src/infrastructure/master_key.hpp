// The master key: wraps every document's data key (AES-256-GCM, the document id as
// associated data), never the content itself. Given as DOCLEDGER_MASTER_KEY (64 hex digits
// or base64 of 32 bytes) or DOCLEDGER_MASTER_KEY_FILE (the same text in a file);
// docs/erasure.md. Its fingerprint (not secret) is stored beside each wrapped key, so a
// start with the wrong master key is refused instead of silently failing to decrypt.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace docledger::infrastructure {

class MasterKeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MasterKey {
 public:
  // From its text form (surrounding whitespace ignored). Throws MasterKeyError naming the
  // problem (never the key).
  static MasterKey FromText(std::string_view text);
  // A new random key.
  static MasterKey Generate();

  // 16 hex digits identifying the key (HMAC-SHA256 of a fixed label under the key).
  const std::string& Fingerprint() const { return fingerprint_; }
  // The key as text (64 hex digits), for writing a generated key to a file.
  std::string ToText() const;

  // nonce || AES-256-GCM(data_key) with the document id as associated data.
  std::string Wrap(std::string_view document_id, std::string_view data_key) const;
  // nullopt when `wrapped` was not made by this key for this document.
  std::optional<std::string> Unwrap(std::string_view document_id, std::string_view wrapped) const;

 private:
  explicit MasterKey(std::string key);
  std::string key_;
  std::string fingerprint_;
};

// The master key of the configuration: `text` when set, else the file's content. With
// neither, `generate_at` (development): the file is read, or created (mode 0600, its folder
// too) with a new key. Throws MasterKeyError.
MasterKey LoadMasterKey(const std::string& text, const std::string& file, const std::string& generate_at);

}  // namespace docledger::infrastructure
