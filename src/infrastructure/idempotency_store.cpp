#include "infrastructure/idempotency_store.hpp"

#include <atomic>
#include <thread>

#include <pqxx/pqxx>

#include "infrastructure/backoff.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {

Claim IdempotencyStore::ClaimKey(const std::string& actor, const std::string& key, const std::string& request_hash,
                                 std::chrono::milliseconds wait) {
  static std::atomic<std::uint64_t> claims{0};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const Backoff poll{std::chrono::milliseconds(2), std::chrono::milliseconds(100)};
  int polls = 0;
  auto lease = pool_.Acquire();
  if (++claims % 1000 == 0) {
    pqxx::nontransaction tx(*lease);
    tx.exec_prepared(statements::kIdempotencyExpire, std::to_string(kRetention.count()) + " hours");
  }
  for (;;) {
    {
      pqxx::nontransaction tx(*lease);
      const auto abandoned = std::to_string(abandoned_after_.count()) + " milliseconds";
      if (!tx.exec_prepared(statements::kIdempotencyClaim, actor, key, request_hash, abandoned).empty()) {
        return {ClaimOutcome::kClaimed, std::nullopt};
      }
      const auto row = tx.exec_prepared(statements::kIdempotencyRead, actor, key);
      if (!row.empty()) {
        if (row[0][0].c_str() != request_hash) return {ClaimOutcome::kMismatch, std::nullopt};
        if (!row[0][1].is_null()) {
          return {ClaimOutcome::kReplay,
                  StoredResponse{row[0][1].as<int>(), row[0][2].c_str(), row[0][3].is_null() ? "" : row[0][3].c_str()}};
        }
      }
      // No row (released meanwhile): the next round claims it. A row in flight: wait.
    }
    if (std::chrono::steady_clock::now() >= deadline) return {ClaimOutcome::kInFlight, std::nullopt};
    std::this_thread::sleep_for(poll.Ceiling(polls++));  // 2, 4, ... 64, 100, 100 ms
  }
}

void IdempotencyStore::Complete(const std::string& actor, const std::string& key, const StoredResponse& response) {
  auto lease = pool_.Acquire();
  pqxx::nontransaction tx(*lease);
  tx.exec_prepared(statements::kIdempotencyComplete, actor, key, response.status, response.body,
                   response.etag.empty() ? nullptr : response.etag.c_str());
}

void IdempotencyStore::Release(const std::string& actor, const std::string& key) {
  auto lease = pool_.Acquire();
  pqxx::nontransaction tx(*lease);
  tx.exec_prepared(statements::kIdempotencyRelease, actor, key);
}

}  // namespace docledger::infrastructure
