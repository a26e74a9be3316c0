// The parameters of sql/001's append functions: one array per column, one element per
// event, each tagged with the index of its request. Built by the event store's group
// commit and by a reactor's batch; executed with docledger_append (set-wise) or, for one
// request, docledger_append_one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "domain/event.hpp"

namespace docledger::eventstore {

struct AppendArrays {
  std::vector<int> request_index;
  std::vector<std::string> streams;
  std::vector<std::int64_t> expected;
  std::vector<std::string> event_ids;
  std::vector<std::string> types;
  std::vector<int> schema_versions;
  std::vector<std::string> payloads;
  std::vector<std::string> metadata;

  void Reserve(std::size_t events);
  // Adds the request's events as request number `index`.
  void Add(int index, const domain::AppendRequest& request);
  bool empty() const { return event_ids.empty(); }

  // Rows (request, outcome, event_id, stream_version, sequence, actual_version).
  pqxx::result ExecuteBatch(pqxx::transaction_base& tx) const;
  // The same for exactly one request (all events of one stream and expected version).
  pqxx::result ExecuteOne(pqxx::transaction_base& tx, const domain::AppendRequest& request) const;
};

}  // namespace docledger::eventstore
