#include "eventstore/event_rows.hpp"

#include <charconv>

#include <pqxx/field>

namespace docledger::eventstore {
namespace {

std::int64_t ToInt64(const pqxx::field& field) {
  std::int64_t value = 0;
  const char* text = field.c_str();
  std::from_chars(text, text + field.size(), value);
  return value;
}

// recorded_at arrives in PostgreSQL's ISO style on a UTC session ("2026-11-24
// 07:00:23.807078+00"); clients get RFC 3339 ("2026-11-24T07:00:23.807078Z").
std::string ToRfc3339(const pqxx::field& field) {
  std::string text(field.c_str(), field.size());
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  if (text.size() > 3 && text.compare(text.size() - 3, 3, "+00") == 0) text.replace(text.size() - 3, 3, "Z");
  return text;
}

}  // namespace

domain::RecordedEvent ToRecordedEvent(const pqxx::row& row) {
  domain::RecordedEvent event;
  event.sequence = ToInt64(row[0]);
  event.event_id.assign(row[1].c_str(), row[1].size());
  event.stream_id.assign(row[2].c_str(), row[2].size());
  event.stream_version = ToInt64(row[3]);
  event.event_type.assign(row[4].c_str(), row[4].size());
  event.schema_version = static_cast<int>(ToInt64(row[5]));
  event.payload.assign(row[6].c_str(), row[6].size());
  event.metadata.assign(row[7].c_str(), row[7].size());
  event.recorded_at = ToRfc3339(row[8]);
  return event;
}

}  // namespace docledger::eventstore
