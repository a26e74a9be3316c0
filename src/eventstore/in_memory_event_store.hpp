// An in-memory EventStore for fast tests of code that uses the port. Same contract as
// PostgresEventStore (the shared contract suite runs against both); not durable.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/event_store.hpp"
#include "domain/event_validation.hpp"

namespace docledger::eventstore {

class InMemoryEventStore final : public domain::EventStore {
 public:
  explicit InMemoryEventStore(domain::AppendLimits limits = {}) : limits_(limits) {}

  domain::AppendResult Append(const domain::AppendRequest& request) override;
  std::vector<domain::RecordedEvent> ReadStream(const std::string& stream_id,
                                                std::int64_t from_version,
                                                std::size_t max) override;
  std::vector<domain::RecordedEvent> ReadAll(std::int64_t after_sequence,
                                             std::size_t max) override;
  std::int64_t StreamVersion(const std::string& stream_id) override;
  std::int64_t HeadSequence() override;

 private:
  domain::AppendLimits limits_;
  std::mutex mutex_;
  std::vector<domain::RecordedEvent> log_;                       // index = sequence - 1
  std::map<std::string, std::vector<std::size_t>> streams_;      // stream -> log indexes
  std::unordered_map<std::string, std::size_t> by_id_;           // event id -> log index
};

}  // namespace docledger::eventstore
