#include "infrastructure/statements.hpp"

namespace docledger::infrastructure::statements {

namespace {
constexpr const char* kEventColumns =
    "sequence, event_id::text, stream_id, stream_version, event_type, schema_version, "
    "payload::text, metadata::text, "
    "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

void PrepareAll(pqxx::connection& conn) {
  conn.prepare(kAppendBatch,
               "SELECT request, outcome, event_id::text, stream_version, sequence, actual_version "
               "FROM docledger_append($1::int[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], "
               "$6::int[], $7::jsonb[], $8::jsonb[])");
  conn.prepare(kReadStream, std::string("SELECT ") + kEventColumns +
                                " FROM events WHERE stream_id = $1 AND stream_version >= $2 "
                                "ORDER BY stream_version LIMIT $3");
  conn.prepare(kReadAll, std::string("SELECT ") + kEventColumns +
                             " FROM events WHERE sequence > $1 ORDER BY sequence LIMIT $2");
  conn.prepare(kStreamVersion,
               "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1");
  conn.prepare(kHeadSequence, "SELECT coalesce(max(sequence), 0) FROM events");
}

}  // namespace docledger::infrastructure::statements
