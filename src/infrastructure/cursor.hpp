// The opaque cursors of keyset-paginated lists, and the checks that keep a forged one
// away from PostgreSQL: a cursor is refused where it is parsed (InvalidCursor, HTTP 400),
// never by reading a data error back from the database.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace docledger::infrastructure {

class InvalidCursor : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// "<sort key>|<id>" as lower-case hex.
std::string EncodeCursor(const std::string& sort_key, const std::string& id);
// The (sort key, id) of a cursor made by EncodeCursor; InvalidCursor otherwise.
std::pair<std::string, std::string> DecodeCursor(const std::string& cursor);
// A cursor whose sort key is a timestamp and whose id is a UUID (lists by created_at).
std::pair<std::string, std::string> DecodeTimeCursor(const std::string& cursor);
// A cursor whose sort key is a sequence (a decimal integer); the id is not used.
std::int64_t DecodeSequenceCursor(const std::string& cursor);

// An ISO 8601 date or timestamp PostgreSQL reads as a timestamptz: YYYY-MM-DD, then
// optionally [T or space]HH:MM[:SS[.fraction]] and a zone (Z, +HH, +HHMM, +HH:MM). Days
// and months are checked against the calendar.
bool IsTimestamp(std::string_view text);
// 8-4-4-4-12 hexadecimal digits.
bool IsUuid(std::string_view text);

}  // namespace docledger::infrastructure
