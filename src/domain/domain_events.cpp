#include "domain/domain_events.hpp"

#include <string_view>
#include <type_traits>
#include <utility>

#include "domain/event_catalog.hpp"
#include "domain/event_mapping.hpp"

namespace docledger::domain {
namespace {

using nlohmann::json;

using Decoder = DomainEvent (*)(const json& payload);

template <class Event>
DomainEvent DecodeAs(const json& payload) {
  return mapping::DecodePayload<Event>(payload);
}

// Type name -> decoder, one per DomainEvent alternative.
template <class Variant>
struct DecoderTable;
template <class... Events>
struct DecoderTable<std::variant<Events...>> {
  static constexpr std::pair<std::string_view, Decoder> kEntries[] = {{Events::kType.name, &DecodeAs<Events>}...};
};

DomainEvent DecodeCurrent(const std::string& type, const json& payload) {
  if (!payload.is_object()) throw DecodeError("payload is not a JSON object");
  for (const auto& [name, decode] : DecoderTable<DomainEvent>::kEntries) {
    if (name == type) return decode(payload);
  }
  throw DecodeError("unknown event type \"" + type + "\"");
}

}  // namespace

std::string EventTypeOf(const DomainEvent& event) {
  return std::visit([](const auto& e) -> std::string { return std::decay_t<decltype(e)>::kType.name; }, event);
}

NewEvent Encode(const DomainEvent& event, std::string event_id, const nlohmann::json& metadata) {
  NewEvent out;
  out.event_id = std::move(event_id);
  std::visit(
      [&out](const auto& e) {
        using Event = std::decay_t<decltype(e)>;
        out.event_type = Event::kType.name;
        out.schema_version = Event::kType.version;
        out.payload = mapping::EncodePayload(e).dump();
      },
      event);
  out.metadata = metadata.dump();
  return out;
}

DomainEvent Decode(const std::string& event_type, int schema_version, const nlohmann::json& payload) {
  return DecodeCurrent(event_type, UpcastPayload(event_type, schema_version, payload));
}

DomainEvent Decode(const RecordedEvent& event) {
  json payload;
  try {
    payload = json::parse(event.payload);
  } catch (const json::exception& error) {
    throw DecodeError(std::string("payload is not JSON: ") + error.what());
  }
  return Decode(event.event_type, event.schema_version, payload);
}

bool IsDomainEventType(const std::string& event_type) { return FindEventType(event_type) != nullptr; }

std::string ProjectStream(const std::string& project_id) { return "project-" + project_id; }
std::string DocumentStream(const std::string& document_id) { return "document-" + document_id; }
std::string JobStream(const std::string& job_id) { return "job-" + job_id; }
std::string ExtractionStream(const std::string& extraction_id) { return "extraction-" + extraction_id; }
std::string SemanticIrStream(const std::string& document_id) { return "semantic-ir-" + document_id; }
std::string RecoveryStream(const std::string& run_id) { return "recovery-" + run_id; }
std::string ProjectionStream(const std::string& projection) { return "projection-" + projection; }
std::string SubscriptionStream(const std::string& subscription_id) { return "subscription-" + subscription_id; }

}  // namespace docledger::domain
