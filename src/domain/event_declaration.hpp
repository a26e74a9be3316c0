// The words an event declaration (domain_events.hpp) is written in. Each event struct
// carries, next to its members:
//   kType          its type name (events.event_type), current schema version and meaning;
//   kFields        one field per payload key, in member order: the key, the member, how it
//                  is written and read (Presence) and the draft-07 JSON Schema of its value;
//   kOlderVersions (only a type whose schema changed) for each older version, oldest
//                  first, its schema made from the next version's and its upcast to it.
// The payload's schema is made from kFields ("properties" and "required", no other keys),
// so what Encode writes and what the catalogue accepts cannot drift apart.
#pragma once

#include <nlohmann/json.hpp>

namespace docledger::domain {

struct EventTypeDecl {
  const char* name;         // as stored in events.event_type
  int version;              // the current schema version
  const char* description;  // one line, for the catalogue
};

enum class Presence {
  kRequired,  // written always; the schema requires it; a payload without it does not decode
  kExpected,  // written always; the schema requires it; read as empty when missing or null
  kOptional,  // not required by the schema; read as empty when missing or null (a bool: false
              // unless it is true); a std::optional member is written only when it is set
  kNullable,  // a std::optional member, written as null when unset; the schema allows null
};

template <Presence P, class Event, class Member>
struct FieldDecl {
  static constexpr Presence presence = P;
  const char* key;
  Member Event::*member;
  const char* schema;  // JSON Schema of the value, as JSON text
};

template <class Event, class Member>
constexpr FieldDecl<Presence::kRequired, Event, Member> Required(const char* key, Member Event::*member,
                                                                 const char* schema) {
  return {key, member, schema};
}
template <class Event, class Member>
constexpr FieldDecl<Presence::kExpected, Event, Member> Expected(const char* key, Member Event::*member,
                                                                 const char* schema) {
  return {key, member, schema};
}
template <class Event, class Member>
constexpr FieldDecl<Presence::kOptional, Event, Member> Optional(const char* key, Member Event::*member,
                                                                 const char* schema) {
  return {key, member, schema};
}
template <class Event, class Member>
constexpr FieldDecl<Presence::kNullable, Event, Member> Nullable(const char* key, Member Event::*member,
                                                                 const char* schema) {
  return {key, member, schema};
}

// An older schema version of an event type. Decode upcasts a payload of version v through
// every later older version's `upcast` (v, v+1, ...) to the current one.
struct OlderVersion {
  int version;
  nlohmann::json (*schema)(nlohmann::json next_version_schema);
  nlohmann::json (*upcast)(nlohmann::json payload);  // to version + 1
};

// Shared pieces of the payload schemas.
namespace schema {
inline constexpr const char* kUuid =
    R"({"type":"string","pattern":"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"})";
inline constexpr const char* kText = R"({"type":"string","maxLength":1024})";
inline constexpr const char* kName = R"({"type":"string","minLength":1,"maxLength":200})";
inline constexpr const char* kNames =
    R"({"type":"array","items":{"type":"string","minLength":1,"maxLength":200},"maxItems":1000,"uniqueItems":true})";
inline constexpr const char* kSha256 = R"({"type":"string","pattern":"^[0-9a-f]{64}$"})";
inline constexpr const char* kString = R"({"type":"string"})";
inline constexpr const char* kObject = R"({"type":"object"})";
inline constexpr const char* kAny = "{}";
inline constexpr const char* kBoolean = R"({"type":"boolean"})";
inline constexpr const char* kCount = R"({"type":"integer","minimum":0})";
inline constexpr const char* kPositive = R"({"type":"integer","minimum":1})";
}  // namespace schema

}  // namespace docledger::domain
