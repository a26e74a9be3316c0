#include "eventstore/append_arrays.hpp"

#include "infrastructure/pg_array.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::eventstore {

using infrastructure::ToPgArray;
namespace statements = infrastructure::statements;

void AppendArrays::Reserve(std::size_t events) {
  request_index.reserve(events);
  expected.reserve(events);
  schema_versions.reserve(events);
  for (auto* v : {&streams, &event_ids, &types, &payloads, &metadata}) v->reserve(events);
}

void AppendArrays::Add(int index, const domain::AppendRequest& request) {
  for (const auto& event : request.events) {
    request_index.push_back(index);
    streams.push_back(request.stream_id);
    expected.push_back(request.expected.ToWire());
    event_ids.push_back(event.event_id);
    types.push_back(event.event_type);
    schema_versions.push_back(event.schema_version);
    payloads.push_back(event.payload);
    metadata.push_back(event.metadata);
  }
}

pqxx::result AppendArrays::ExecuteBatch(pqxx::transaction_base& tx) const {
  return tx.exec_prepared(statements::kAppendBatch, ToPgArray(request_index), ToPgArray(streams), ToPgArray(expected),
                          ToPgArray(event_ids), ToPgArray(types), ToPgArray(schema_versions), ToPgArray(payloads),
                          ToPgArray(metadata));
}

pqxx::result AppendArrays::ExecuteOne(pqxx::transaction_base& tx, const domain::AppendRequest& request) const {
  return tx.exec_prepared(statements::kAppendOne, request.stream_id, request.expected.ToWire(), ToPgArray(event_ids),
                          ToPgArray(types), ToPgArray(schema_versions), ToPgArray(payloads), ToPgArray(metadata));
}

}  // namespace docledger::eventstore
