// Authentication and authorisation (design.md "HTTP contract (v1)"): API keys from
// DOCLEDGER_API_KEYS, roles read < write < admin.
//
// A router middleware. Public routes (Role::kPublic: health probes, /metrics) pass
// untouched. Otherwise the key is taken from "Authorization: Bearer KEY" (scheme
// case-insensitive) or else "X-API-Key: KEY" and looked up in constant time: the key's
// SHA-256 is compared with the digest of EVERY configured key with CRYPTO_memcmp, so
// neither the position of a mismatch nor any key's length shows in the timing. Only the
// digests are kept.
//   no key / unknown key  -> 401 unauthorized, WWW-Authenticate: Bearer
//   role below the route  -> 403 forbidden naming the required role
//   otherwise             -> context.actor = the key's name, context.role = its role
// Keys have no names in the configuration: a key is named "<role>-<first 8 hex digits of
// its SHA-256>" (ApiKeyName), a stable fingerprint that is not a secret and that request
// logs and rate limits use. Keys themselves are never logged.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.hpp"
#include "infrastructure/config.hpp"

namespace docledger::api {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest Sha256(std::string_view data);

// True if `a` and `b` are equal. The time taken depends on their lengths (hashing) but not
// on their contents: both are hashed and the digests compared with CRYPTO_memcmp.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// "<role>-<first 8 lower-case hex digits of sha256(key)>", e.g. "admin-1f0c5a7e".
std::string ApiKeyName(infrastructure::Role role, std::string_view key);

Role ToApiRole(infrastructure::Role role);
// "public", "read", "write", "admin".
const char* ToString(Role role);

// The key a request presents: the token of "Authorization: Bearer KEY", else the value of
// "X-API-Key"; surrounding whitespace removed; nullopt when neither carries a key.
std::optional<std::string_view> PresentedKey(const Request& request);

class ApiKeyAuthenticator {
 public:
  struct Identity {
    std::string name;  // ApiKeyName
    Role role = Role::kRead;
  };

  explicit ApiKeyAuthenticator(const std::vector<infrastructure::ApiKey>& keys);

  // The identity of `key`, or nullopt. Compares against every configured key.
  std::optional<Identity> Authenticate(std::string_view key) const;

  // The configured keys' names (for the start-up log), in configuration order.
  std::vector<std::string> KeyNames() const;

 private:
  struct Entry {
    Sha256Digest digest;
    Identity identity;
  };
  std::vector<Entry> entries_;
};

Middleware AuthMiddleware(std::shared_ptr<const ApiKeyAuthenticator> authenticator);

}  // namespace docledger::api
