#include "domain/event_catalog.hpp"

#include <iterator>
#include <variant>

#include "domain/domain_events.hpp"
#include "domain/event_mapping.hpp"

namespace docledger::domain {
namespace {

using nlohmann::json;

using Upcaster = json (*)(int from_version, json payload);

// The schema of every version, oldest first: each older version's is made from the next one's.
template <class Event>
EventTypeInfo InfoOf() {
  std::vector<EventSchema> versions = {{Event::kType.version, mapping::PayloadSchema<Event>()}};
  if constexpr (requires { Event::kOlderVersions; }) {
    for (auto older = std::rbegin(Event::kOlderVersions); older != std::rend(Event::kOlderVersions); ++older) {
      versions.insert(versions.begin(), EventSchema{older->version, older->schema(versions.front().schema)});
    }
  }
  return {Event::kType.name, Event::kType.version, Event::kType.description, std::move(versions)};
}

template <class Event>
json UpcastToCurrent(int from_version, json payload) {
  if constexpr (requires { Event::kOlderVersions; }) {
    for (const auto& older : Event::kOlderVersions) {
      if (older.version >= from_version) payload = older.upcast(std::move(payload));
    }
  }
  return payload;
}

// What the declarations must get right, checked when this file compiles: distinct type
// names, and older versions 1, 2, ... up to the one before the current.
template <class Event>
constexpr bool VersionsAreContiguous() {
  int expected = 1;
  if constexpr (requires { Event::kOlderVersions; }) {
    for (const auto& older : Event::kOlderVersions) {
      if (older.version != expected++) return false;
    }
  }
  return Event::kType.version == expected;
}

constexpr bool SameName(const char* a, const char* b) { return std::string_view(a) == std::string_view(b); }

template <class Variant>
struct Catalog;
template <class... Events>
struct Catalog<std::variant<Events...>> {
  static_assert((VersionsAreContiguous<Events>() && ...), "older versions must be 1, 2, ... current - 1");
  static constexpr bool NamesAreDistinct() {
    const char* names[] = {Events::kType.name...};
    for (std::size_t i = 0; i < sizeof...(Events); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (SameName(names[i], names[j])) return false;
      }
    }
    return true;
  }
  static_assert(NamesAreDistinct(), "two event types share a name");
  static std::vector<EventTypeInfo> Infos() { return {InfoOf<Events>()...}; }
  static constexpr Upcaster kUpcasters[] = {&UpcastToCurrent<Events>...};
};

}  // namespace

const std::vector<EventTypeInfo>& EventCatalog() {
  static const std::vector<EventTypeInfo> catalog = Catalog<DomainEvent>::Infos();
  return catalog;
}

const EventTypeInfo* FindEventType(std::string_view type) {
  for (const auto& info : EventCatalog()) {
    if (info.type == type) return &info;
  }
  return nullptr;
}

nlohmann::json UpcastPayload(const std::string& type, int from_version, nlohmann::json payload) {
  const auto* info = FindEventType(type);
  if (!info) throw DecodeError("unknown event type \"" + type + "\"");
  if (from_version < 1 || from_version > info->current_version) {
    throw DecodeError(type + " has no schema version " + std::to_string(from_version) + " (current is " +
                      std::to_string(info->current_version) + ")");
  }
  const auto index = static_cast<std::size_t>(info - EventCatalog().data());
  return Catalog<DomainEvent>::kUpcasters[index](from_version, std::move(payload));
}

std::vector<ValidationIssue> CheckEvent(const SchemaValidator& validator, const std::string& type,
                                        int schema_version, const nlohmann::json& payload, const std::string& path) {
  const auto* info = FindEventType(type);
  if (!info) {
    std::string known;
    for (const auto& entry : EventCatalog()) known += (known.empty() ? "" : ", ") + entry.type;
    return {{path + "/event_type", "unknown event type \"" + type + "\"; known types: " + known}};
  }
  for (const auto& version : info->versions) {
    if (version.version != schema_version) continue;
    auto issues = validator.Validate(version.schema, payload);
    for (auto& issue : issues) issue.path = path + "/payload" + issue.path;
    return issues;
  }
  return {{path + "/schema_version", type + " has no schema version " + std::to_string(schema_version) +
                                         " (current is " + std::to_string(info->current_version) + ")"}};
}

}  // namespace docledger::domain
