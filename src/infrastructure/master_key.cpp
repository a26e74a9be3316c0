#include "infrastructure/master_key.hpp"

#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "infrastructure/aead.hpp"
#include "infrastructure/content_encoding.hpp"

namespace docledger::infrastructure {
namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

std::optional<std::string> FromHex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = digit(text[i]);
    const int low = digit(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MasterKeyError("DOCLEDGER_MASTER_KEY_FILE: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteNewKeyFile(const std::string& path, const MasterKey& key) {
  const std::filesystem::path file(path);
  const auto old_mask = ::umask(077);  // the folder 0700, the file 0600
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << key.ToText() << "\n";
  out.close();
  ::umask(old_mask);
  if (!out) throw MasterKeyError("cannot write a new master key to " + path);
}

}  // namespace

MasterKey::MasterKey(std::string key)
    : key_(std::move(key)), fingerprint_(crypto::Hex(crypto::HmacSha256(key_, "docledger master key")).substr(0, 16)) {}

MasterKey MasterKey::FromText(std::string_view text) {
  const auto trimmed = Trim(text);
  auto bytes = trimmed.size() == 2 * crypto::kKeyBytes ? FromHex(trimmed) : DecodeBase64(trimmed);
  if (!bytes || bytes->size() != crypto::kKeyBytes) {
    throw MasterKeyError("the master key must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)");
  }
  if (bytes->find_first_not_of(bytes->front()) == std::string::npos) {
    throw MasterKeyError("the master key is one byte repeated: a placeholder, not a key");
  }
  return MasterKey(std::move(*bytes));
}

MasterKey MasterKey::Generate() { return MasterKey(crypto::RandomBytes(crypto::kKeyBytes)); }

std::string MasterKey::ToText() const { return crypto::Hex(key_); }

std::string MasterKey::Wrap(std::string_view document_id, std::string_view data_key) const {
  const auto nonce = crypto::RandomBytes(crypto::kNonceBytes);
  return nonce + crypto::SealAesGcm(key_, nonce, data_key, document_id);
}

std::optional<std::string> MasterKey::Unwrap(std::string_view document_id, std::string_view wrapped) const {
  if (wrapped.size() < crypto::kNonceBytes + crypto::kTagBytes) return std::nullopt;
  return crypto::OpenAesGcm(key_, wrapped.substr(0, crypto::kNonceBytes), wrapped.substr(crypto::kNonceBytes),
                            document_id);
}

MasterKey LoadMasterKey(const std::string& text, const std::string& file, const std::string& generate_at) {
  if (!text.empty()) return MasterKey::FromText(text);
  if (!file.empty()) return MasterKey::FromText(ReadFile(file));
  if (generate_at.empty()) throw MasterKeyError("no master key: set DOCLEDGER_MASTER_KEY or DOCLEDGER_MASTER_KEY_FILE");
  if (std::filesystem::exists(generate_at)) return MasterKey::FromText(ReadFile(generate_at));
  auto key = MasterKey::Generate();
  WriteNewKeyFile(generate_at, key);
  return key;
}

}  // namespace docledger::infrastructure
