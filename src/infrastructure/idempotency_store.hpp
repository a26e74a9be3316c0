// Idempotency-Key records (sql/005_api_support.sql): the first request with a key claims
// it, its response is stored, and later requests with the same key get that response.
// Two racing first requests: one claims, the other waits for the stored response. A claim
// whose process died (no response after `abandoned_after`) is taken over. Keys are kept
// for 24 hours.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace docledger::infrastructure {

class ConnectionPool;

struct StoredResponse {
  int status = 0;
  std::string body;
  std::string etag;  // "" when the response had none
};

enum class ClaimOutcome {
  kClaimed,   // this request runs; call Complete or Release
  kReplay,    // answered before: replay `response`
  kMismatch,  // the key was used with a different request (method, path or body)
  kInFlight,  // the first request has not answered within the wait
};

struct Claim {
  ClaimOutcome outcome = ClaimOutcome::kClaimed;
  std::optional<StoredResponse> response;
};

class IdempotencyStore {
 public:
  static constexpr std::chrono::hours kRetention{24};

  IdempotencyStore(ConnectionPool& pool, std::chrono::milliseconds abandoned_after)
      : pool_(pool), abandoned_after_(abandoned_after) {}

  // Claims (actor, key) for a request with `request_hash`, or reports how it was answered;
  // waits up to `wait` for a request in flight to answer.
  Claim ClaimKey(const std::string& actor, const std::string& key, const std::string& request_hash,
                 std::chrono::milliseconds wait);
  void Complete(const std::string& actor, const std::string& key, const StoredResponse& response);
  // The claimed request failed without a response worth replaying: forget the claim so
  // that a retry runs again.
  void Release(const std::string& actor, const std::string& key);

 private:
  ConnectionPool& pool_;
  std::chrono::milliseconds abandoned_after_;
};

}  // namespace docledger::infrastructure
