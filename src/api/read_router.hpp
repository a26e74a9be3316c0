// Read routing (DATABASE_READ_URL): which database answers a read, the primary or a
// streaming replica, and read-your-writes on top of it.
//
//   plain read      the replica when one is configured and healthy (eventually
//                   consistent: it may be behind the primary by its replay lag).
//   min_sequence    the client wrote at global sequence N and wants to see it: the read
//                   waits (at most `wait`) until the replica has applied N (the read
//                   model's projection checkpoint, or the log's head for stream reads and
//                   the feed); past that it is answered by the primary, after waiting
//                   (again at most `wait`) for the primary's projection to reach N.
//   replica down    a read that fails on the replica with a connection error is answered
//                   by the primary; the replica is then skipped for `replica_retry` (one
//                   warning line, one line when it is back; docledger_reads_total counts).
//
// Never a 5xx because of the replica: only the primary's own errors reach the client.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "domain/errors.hpp"
#include "domain/event_store.hpp"
#include "projections/read_queries.hpp"

namespace docledger::infrastructure {
class Metrics;
}

namespace docledger::api {

enum class ReadSource { kPrimary, kReplica };
const char* ToString(ReadSource source);

// One database reads can go to: its read models and its event store (reads only).
struct ReadEndpoint {
  const projections::ReadQueries& reads;
  domain::EventStore& store;
};

struct ReadRouterOptions {
  std::chrono::milliseconds wait{500};            // DOCLEDGER_READ_WAIT_MS, per database
  std::chrono::milliseconds poll{10};             // how often a waiting read looks again
  std::chrono::milliseconds replica_retry{1000};  // a failed replica is skipped this long
};

class ReadRouter {
 public:
  // `replica` unset: every read goes to the primary (min_sequence still waits for the
  // primary's projections). `metrics` may be null.
  ReadRouter(ReadEndpoint primary, std::optional<ReadEndpoint> replica, ReadRouterOptions options = {},
             infrastructure::Metrics* metrics = nullptr);

  // Runs `read(ReadEndpoint&)` on the database chosen as described above. `projection`
  // names the read model the read needs ("" = the event log). Returns the read's result
  // and who answered. Exceptions of the read itself (not found, bad input) propagate;
  // connection trouble on the replica sends the read to the primary.
  template <typename Read>
  auto Serve(const std::string& projection, std::optional<std::int64_t> min_sequence, Read&& read)
      -> std::pair<decltype(read(std::declval<ReadEndpoint&>())), ReadSource>;

  bool HasReplica() const { return replica_.has_value(); }
  // For GET /health: "not_configured", "ok" or "unavailable" (as last seen by a read).
  std::string ReplicaState() const;

 private:
  bool ReplicaUsable();
  void ReplicaFailed(const std::string& detail);
  void ReplicaServed();
  void Count(ReadSource source, const char* reason);
  // Waits until `endpoint` has reached `min_sequence` for `projection`, at most `wait`.
  bool AwaitPosition(ReadEndpoint& endpoint, const std::string& projection, std::int64_t min_sequence);

  ReadEndpoint primary_;
  std::optional<ReadEndpoint> replica_;
  ReadRouterOptions options_;
  infrastructure::Metrics* metrics_;
  mutable std::mutex mutex_;
  bool replica_down_ = false;
  std::chrono::steady_clock::time_point retry_at_{};
};

template <typename Read>
auto ReadRouter::Serve(const std::string& projection, std::optional<std::int64_t> min_sequence, Read&& read)
    -> std::pair<decltype(read(std::declval<ReadEndpoint&>())), ReadSource> {
  using Result = std::pair<decltype(read(std::declval<ReadEndpoint&>())), ReadSource>;
  const char* reason = "no_replica";
  if (replica_ && ReplicaUsable()) {
    try {
      if (!min_sequence || AwaitPosition(*replica_, projection, *min_sequence)) {
        Result result{read(*replica_), ReadSource::kReplica};
        ReplicaServed();
        Count(ReadSource::kReplica, "ok");
        return result;
      }
      reason = "lagging";
    } catch (const domain::StoreTimeout&) {
      throw;  // the request's deadline is spent: asking the primary would double it
    } catch (const domain::StoreUnavailable& e) {
      ReplicaFailed(e.what());
      reason = "replica_unavailable";
    }
  } else if (replica_) {
    reason = "replica_unavailable";
  }
  if (min_sequence) AwaitPosition(primary_, projection, *min_sequence);
  Result result{read(primary_), ReadSource::kPrimary};
  Count(ReadSource::kPrimary, reason);
  return result;
}

}  // namespace docledger::api
