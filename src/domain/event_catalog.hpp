// The catalogue of domain event types: for each, its current schema version, a JSON Schema
// (draft-07) per version, and the upcasters that read old versions as the current one.
// Stored events are never rewritten: Decode upcasts when it reads. All of it is made from
// the event declarations in domain_events.hpp, in the order of the DomainEvent variant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "domain/schema_validator.hpp"

namespace docledger::domain {

struct EventSchema {
  int version = 1;
  nlohmann::json schema;  // draft-07 JSON Schema of the payload at this version
};

struct EventTypeInfo {
  std::string type;
  int current_version = 1;
  std::string description;
  std::vector<EventSchema> versions;  // oldest first; the last is current_version
};

const std::vector<EventTypeInfo>& EventCatalog();
const EventTypeInfo* FindEventType(std::string_view type);

// The payload of `type` at `from_version` as the current version reads it. Throws
// DecodeError for an unknown type or version (newer than this build knows, or < 1).
nlohmann::json UpcastPayload(const std::string& type, int from_version, nlohmann::json payload);

// Why a client-supplied event cannot be appended: unknown type, unknown schema version, a
// payload that does not fit that version's schema. Paths start with `path` (e.g.
// "/events/0"): "/events/0/event_type", "/events/0/payload/sha256". Empty when it fits.
std::vector<ValidationIssue> CheckEvent(const SchemaValidator& validator, const std::string& type,
                                        int schema_version, const nlohmann::json& payload,
                                        const std::string& path = "");

}  // namespace docledger::domain
