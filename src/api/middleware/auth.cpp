#include "api/middleware/auth.hpp"

#include <cctype>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "api/http_error.hpp"
#include "domain/text_rules.hpp"

namespace docledger::api {
namespace {

using domain::TrimSpaceTab;

bool DigestsEqual(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// "Bearer KEY" -> KEY; anything else (another scheme, no token) -> nullopt.
std::optional<std::string_view> BearerToken(std::string_view value) {
  value = TrimSpaceTab(value);
  constexpr std::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size() || (value[kScheme.size()] != ' ' && value[kScheme.size()] != '\t')) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  }
  const auto token = TrimSpaceTab(value.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 failed (OpenSSL EVP_Digest)");
  }
  return digest;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return DigestsEqual(Sha256(a), Sha256(b));
}

std::string ApiKeyName(infrastructure::Role role, std::string_view key) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto digest = Sha256(key);
  std::string name = std::string(infrastructure::ToString(role)) + "-";
  for (std::size_t i = 0; i < 4; ++i) {
    name += kHex[digest[i] >> 4];
    name += kHex[digest[i] & 0x0f];
  }
  return name;
}

Role ToApiRole(infrastructure::Role role) {
  switch (role) {
    case infrastructure::Role::kRead: return Role::kRead;
    case infrastructure::Role::kWrite: return Role::kWrite;
    case infrastructure::Role::kAdmin: return Role::kAdmin;
  }
  throw std::invalid_argument("unknown role");
}

const char* ToString(Role role) {
  switch (role) {
    case Role::kPublic: return "public";
    case Role::kRead: return "read";
    case Role::kWrite: return "write";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::optional<std::string_view> PresentedKey(const Request& request) {
  const auto authorization = request.find(http::field::authorization);
  if (authorization != request.end()) {
    const auto token = BearerToken({authorization->value().data(), authorization->value().size()});
    if (token) return token;
  }
  const auto api_key = request.find("X-API-Key");
  if (api_key != request.end()) {
    const auto value = TrimSpaceTab({api_key->value().data(), api_key->value().size()});
    if (!value.empty()) return value;
  }
  return std::nullopt;
}

ApiKeyAuthenticator::ApiKeyAuthenticator(const std::vector<infrastructure::ApiKey>& keys) {
  entries_.reserve(keys.size());
  for (const auto& key : keys) {
    entries_.push_back({Sha256(key.key), {ApiKeyName(key.role, key.key), ToApiRole(key.role)}});
  }
}

std::optional<ApiKeyAuthenticator::Identity> ApiKeyAuthenticator::Authenticate(
    std::string_view key) const {
  const Sha256Digest digest = Sha256(key);
  const Entry* found = nullptr;
  // No early exit: every key is compared, whichever matches.
  for (const auto& entry : entries_) {
    if (DigestsEqual(entry.digest, digest)) found = &entry;
  }
  if (found == nullptr) return std::nullopt;
  return found->identity;
}

std::vector<std::string> ApiKeyAuthenticator::KeyNames() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& entry : entries_) names.push_back(entry.identity.name);
  return names;
}

Middleware AuthMiddleware(std::shared_ptr<const ApiKeyAuthenticator> authenticator) {
  if (!authenticator) throw std::invalid_argument("AuthMiddleware needs an authenticator");
  return [authenticator = std::move(authenticator)](RequestContext& context,
                                                    const Next& next) -> Response {
    if (context.required_role == Role::kPublic) return next(context);
    const auto key = PresentedKey(context.request);
    if (!key) {
      throw HttpError::Unauthorized(
          "missing API key: send \"Authorization: Bearer KEY\" or \"X-API-Key: KEY\"");
    }
    const auto identity = authenticator->Authenticate(*key);
    if (!identity) throw HttpError::Unauthorized("invalid API key");
    context.actor = identity->name;
    context.role = identity->role;
    if (identity->role < context.required_role) {
      const std::string required = ToString(context.required_role);
      const std::string held = ToString(identity->role);
      throw HttpError(http::status::forbidden, "forbidden",
                      "this operation requires the " + required + " role; the key has the " +
                          held + " role",
                      nlohmann::json::array({{{"required_role", required}, {"role", held}}}));
    }
    return next(context);
  };
}

}  // namespace docledger::api
