// How an event declaration (event_declaration.hpp) becomes a payload, a value and a schema:
// EncodePayload, DecodePayload and PayloadSchema walk the type's kFields. Used by
// domain_events.cpp and event_catalog.cpp only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/event_declaration.hpp"
#include "domain/semantic_ir.hpp"

namespace docledger::domain::mapping {

using nlohmann::json;

// Readers of one field: a missing or mistyped value is a DecodeError naming the field.
// ReadRequired: the key must be there, with a value of the member's type (data: any value).
void ReadRequired(const json& payload, const char* key, std::string& out);
void ReadRequired(const json& payload, const char* key, std::int64_t& out);
void ReadRequired(const json& payload, const char* key, json& out);
void ReadRequired(const json& payload, const char* key, std::vector<std::string>& out);
void ReadRequired(const json& payload, const char* key, std::vector<SemanticItem>& out);
// ReadOrEmpty: missing or null reads as empty ("", {}, false, nullopt). A bool is true only
// when it is true; an optional object or list, when present, is read as the plain member is.
void ReadOrEmpty(const json& payload, const char* key, std::string& out);
void ReadOrEmpty(const json& payload, const char* key, json& out);
void ReadOrEmpty(const json& payload, const char* key, bool& out);
void ReadOrEmpty(const json& payload, const char* key, std::optional<std::string>& out);
void ReadOrEmpty(const json& payload, const char* key, std::optional<json>& out);
void ReadOrEmpty(const json& payload, const char* key, std::optional<std::vector<std::string>>& out);
void ReadOrEmpty(const json& payload, const char* key, std::vector<std::string>& out);
void ReadOrEmpty(const json& payload, const char* key, std::optional<std::int64_t>& out);

template <class Member>
void Write(json& payload, const char* key, const Member& value, Presence) {
  payload[key] = value;
}
template <class Member>
void Write(json& payload, const char* key, const std::optional<Member>& value, Presence presence) {
  if (value) {
    payload[key] = *value;
  } else if (presence == Presence::kNullable) {
    payload[key] = nullptr;
  }
}
void Write(json& payload, const char* key, const std::vector<SemanticItem>& items, Presence);

// {"$schema": draft-07, "type": "object", "properties", "required", "additionalProperties": false}
json ObjectSchema(json properties, json required);
// The field's schema, or {"anyOf": [it, {"type": "null"}]} for a nullable one.
json ValueSchema(const char* text, Presence presence);

template <class Event>
json EncodePayload(const Event& event) {
  json payload = json::object();
  std::apply([&](const auto&... field) { (Write(payload, field.key, event.*field.member, field.presence), ...); },
             Event::kFields);
  return payload;
}

template <Presence P, class Event, class Member>
void Read(const json& payload, const FieldDecl<P, Event, Member>& field, Event& event) {
  if constexpr (P == Presence::kRequired) {
    ReadRequired(payload, field.key, event.*field.member);
  } else {
    ReadOrEmpty(payload, field.key, event.*field.member);
  }
}

// `payload` is a JSON object at the current schema version.
template <class Event>
Event DecodePayload(const json& payload) {
  Event event;
  std::apply([&](const auto&... field) { (Read(payload, field, event), ...); }, Event::kFields);
  return event;
}

template <class Event>
json PayloadSchema() {
  json properties = json::object();
  json required = json::array();
  std::apply(
      [&](const auto&... field) {
        ((properties[field.key] = ValueSchema(field.schema, field.presence)), ...);
        ((field.presence == Presence::kRequired || field.presence == Presence::kExpected
              ? required.push_back(field.key)
              : void()),
         ...);
      },
      Event::kFields);
  return ObjectSchema(std::move(properties), std::move(required));
}

}  // namespace docledger::domain::mapping
