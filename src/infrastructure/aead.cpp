#include "infrastructure/aead.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace docledger::infrastructure::crypto {
namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }
unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

void Require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("AES-256-GCM: ") + what + " failed");
}

CipherContext StartGcm(std::string_view key, std::string_view nonce, bool encrypt) {
  if (key.size() != kKeyBytes || nonce.size() != kNonceBytes) throw std::invalid_argument("AES-256-GCM: bad key or nonce size");
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  Require(ctx != nullptr, "context");
  Require(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) == 1, "init");
  Require(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1, "ivlen");
  Require(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(nonce), encrypt ? 1 : 0) == 1, "key");
  return ctx;
}

void AddAad(EVP_CIPHER_CTX* ctx, std::string_view aad) {
  int ignored = 0;
  Require(EVP_CipherUpdate(ctx, nullptr, &ignored, Bytes(aad), static_cast<int>(aad.size())) == 1, "aad");
}

}  // namespace

std::string RandomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(Bytes(bytes), static_cast<int>(count)) != 1) throw std::runtime_error("RAND_bytes failed");
  return bytes;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string mac(32, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(), Bytes(mac), &length) ==
      nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  mac.resize(length);
  return mac;
}

std::string SealAesGcm(std::string_view key, std::string_view nonce, std::string_view plaintext,
                       std::string_view aad) {
  const auto ctx = StartGcm(key, nonce, true);
  AddAad(ctx.get(), aad);
  std::string out(plaintext.size() + kTagBytes, '\0');
  int length = 0;
  Require(EVP_CipherUpdate(ctx.get(), Bytes(out), &length, Bytes(plaintext), static_cast<int>(plaintext.size())) == 1,
          "encrypt");
  int final_length = 0;
  Require(EVP_CipherFinal_ex(ctx.get(), Bytes(out) + length, &final_length) == 1, "final");
  Require(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                              Bytes(out) + length + final_length) == 1,
          "tag");
  out.resize(static_cast<std::size_t>(length + final_length) + kTagBytes);
  return out;
}

std::optional<std::string> OpenAesGcm(std::string_view key, std::string_view nonce, std::string_view sealed,
                                      std::string_view aad) {
  if (sealed.size() < kTagBytes) return std::nullopt;
  const auto ciphertext = sealed.substr(0, sealed.size() - kTagBytes);
  std::string tag(sealed.substr(ciphertext.size()));
  const auto ctx = StartGcm(key, nonce, false);
  AddAad(ctx.get(), aad);
  std::string out(ciphertext.size(), '\0');
  int length = 0;
  Require(EVP_CipherUpdate(ctx.get(), Bytes(out), &length, Bytes(ciphertext), static_cast<int>(ciphertext.size())) == 1,
          "decrypt");
  Require(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), Bytes(tag)) == 1, "tag");
  int final_length = 0;
  if (EVP_CipherFinal_ex(ctx.get(), Bytes(out) + length, &final_length) != 1) return std::nullopt;
  out.resize(static_cast<std::size_t>(length + final_length));
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(Bytes(out), Bytes(bytes), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

}  // namespace docledger::infrastructure::crypto
