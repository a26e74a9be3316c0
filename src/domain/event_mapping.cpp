#include "domain/event_mapping.hpp"

#include "domain/domain_events.hpp"
#include "domain/json_kind.hpp"

namespace docledger::domain::mapping {
namespace {

const json& Field(const json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end()) throw DecodeError(std::string("payload lacks \"") + key + "\"");
  return *it;
}

const json& Expect(const json& value, const char* key, JsonKind kind) {
  if (!IsKind(value, kind)) throw DecodeError(std::string("\"") + key + "\" is not " + KindWord(kind));
  return value;
}

std::string String(const json& value, const char* key) { return Expect(value, key, JsonKind::kString).get<std::string>(); }

json Object(const json& value, const char* key) { return Expect(value, key, JsonKind::kObject); }

std::vector<std::string> Strings(const json& value, const char* key) {
  Expect(value, key, JsonKind::kArray);
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) throw DecodeError(std::string("\"") + key + "\" holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

void ReadRequired(const json& payload, const char* key, std::string& out) { out = String(Field(payload, key), key); }

void ReadRequired(const json& payload, const char* key, std::int64_t& out) {
  out = Expect(Field(payload, key), key, JsonKind::kInteger).get<std::int64_t>();
}

void ReadRequired(const json& payload, const char* key, json& out) { out = Field(payload, key); }

void ReadRequired(const json& payload, const char* key, std::vector<std::string>& out) {
  out = Strings(Field(payload, key), key);
}

void ReadRequired(const json& payload, const char* key, std::vector<SemanticItem>& out) {
  const auto& items = Expect(Field(payload, key), key, JsonKind::kArray);
  out.reserve(items.size());
  try {
    for (const auto& item : items) out.push_back(SemanticItemFromJson(item));
  } catch (const json::exception& error) {
    throw DecodeError(std::string("an item does not fit: ") + error.what());
  }
}

void ReadOrEmpty(const json& payload, const char* key, std::string& out) {
  const auto* value = PresentMember(payload, key);
  out = value ? String(*value, key) : std::string();
}

void ReadOrEmpty(const json& payload, const char* key, json& out) {
  const auto* value = PresentMember(payload, key);
  out = value ? Object(*value, key) : json::object();
}

void ReadOrEmpty(const json& payload, const char* key, bool& out) {
  auto it = payload.find(key);
  out = it != payload.end() && it->is_boolean() && it->get<bool>();
}

void ReadOrEmpty(const json& payload, const char* key, std::optional<std::string>& out) {
  const auto* value = PresentMember(payload, key);
  if (value) out = String(*value, key);
}

void ReadOrEmpty(const json& payload, const char* key, std::optional<json>& out) {
  if (!payload.contains(key)) return;
  const auto* value = PresentMember(payload, key);
  out = value ? Object(*value, key) : json::object();
}

void ReadOrEmpty(const json& payload, const char* key, std::optional<std::vector<std::string>>& out) {
  if (payload.contains(key)) out = Strings(payload.at(key), key);
}

void ReadOrEmpty(const json& payload, const char* key, std::vector<std::string>& out) {
  const auto* value = PresentMember(payload, key);
  out = value ? Strings(*value, key) : std::vector<std::string>();
}

void ReadOrEmpty(const json& payload, const char* key, std::optional<std::int64_t>& out) {
  const auto* value = PresentMember(payload, key);
  if (value) out = Expect(*value, key, JsonKind::kInteger).get<std::int64_t>();
}

void Write(json& payload, const char* key, const std::vector<SemanticItem>& items, Presence) {
  json array = json::array();
  for (const auto& item : items) array.push_back(ToJson(item));
  payload[key] = std::move(array);
}

json ObjectSchema(json properties, json required) {
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

json ValueSchema(const char* text, Presence presence) {
  auto schema = json::parse(text);
  if (presence != Presence::kNullable) return schema;
  return {{"anyOf", {std::move(schema), {{"type", "null"}}}}};
}

}  // namespace docledger::domain::mapping
