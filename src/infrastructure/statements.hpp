// Every named statement of docledger, prepared on each connection when it opens
// (conventions 7). Callers use the names below with exec_prepared; values are never
// concatenated into SQL. libpqxx 7.10 renames exec_prepared: this file is where that
// upgrade happens.
#pragma once

#include <pqxx/connection>

namespace docledger::infrastructure::statements {

inline constexpr const char* kAppendBatch = "append_batch";
inline constexpr const char* kReadStream = "read_stream";
inline constexpr const char* kReadAll = "read_all";
inline constexpr const char* kStreamVersion = "stream_version";
inline constexpr const char* kHeadSequence = "head_sequence";

// Prepares all of the above on `conn`. Statements over tables that do not exist yet
// (before `docledger migrate`) are prepared lazily by PostgreSQL, so this never fails
// for that reason.
void PrepareAll(pqxx::connection& conn);

}  // namespace docledger::infrastructure::statements
