#include "domain/json_kind.hpp"

namespace docledger::domain {

bool IsKind(const nlohmann::json& value, JsonKind kind) {
  switch (kind) {
    case JsonKind::kString: return value.is_string();
    case JsonKind::kInteger: return value.is_number_integer();
    case JsonKind::kBoolean: return value.is_boolean();
    case JsonKind::kObject: return value.is_object();
    case JsonKind::kArray: return value.is_array();
  }
  return false;
}

const char* KindWord(JsonKind kind) {
  switch (kind) {
    case JsonKind::kString: return "a string";
    case JsonKind::kInteger: return "an integer";
    case JsonKind::kBoolean: return "a boolean";
    case JsonKind::kObject: return "an object";
    case JsonKind::kArray: return "an array";
  }
  return "?";
}

const nlohmann::json* PresentMember(const nlohmann::json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

}  // namespace docledger::domain
