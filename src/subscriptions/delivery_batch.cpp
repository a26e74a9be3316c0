#include "subscriptions/delivery_batch.hpp"

#include <nlohmann/json.hpp>

namespace docledger::subscriptions {
namespace {

std::string Quoted(const std::string& text) { return nlohmann::json(text).dump(); }

std::string Body(const std::string& subscription_id, std::int64_t after, std::int64_t through,
                 const std::vector<std::string>& events, std::size_t count) {
  std::string body = "{\"subscription_id\":" + Quoted(subscription_id) +
                     ",\"after_sequence\":" + std::to_string(after) +
                     ",\"through_sequence\":" + std::to_string(through) + ",\"events\":[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) body += ',';
    body += events[i];
  }
  body += "]}";
  return body;
}

}  // namespace

std::string WebhookId(const std::string& subscription_id, std::int64_t after, std::int64_t through) {
  std::string compact;
  for (const char c : subscription_id) {
    if (c != '-') compact += c;
  }
  return "msg_" + compact + "_" + std::to_string(after) + "_" + std::to_string(through);
}

std::string EventJsonText(const domain::RecordedEvent& event) {
  return "{\"sequence\":" + std::to_string(event.sequence) + ",\"event_id\":" + Quoted(event.event_id) +
         ",\"stream_id\":" + Quoted(event.stream_id) + ",\"stream_version\":" + std::to_string(event.stream_version) +
         ",\"event_type\":" + Quoted(event.event_type) + ",\"schema_version\":" +
         std::to_string(event.schema_version) + ",\"payload\":" + event.payload + ",\"metadata\":" + event.metadata +
         ",\"recorded_at\":" + Quoted(event.recorded_at) + "}";
}

DeliveryBatch MakeBatch(const std::string& subscription_id, std::int64_t after,
                        const std::vector<domain::RecordedEvent>& events, std::int64_t bound,
                        std::size_t max_body_bytes) {
  constexpr std::size_t kEnvelope = 200;  // the body's own keys and numbers
  std::vector<std::string> texts;
  texts.reserve(events.size());
  std::size_t size = kEnvelope;
  for (const auto& event : events) {
    auto text = EventJsonText(event);
    if (!texts.empty() && size + text.size() + 1 > max_body_bytes) break;
    size += text.size() + 1;
    texts.push_back(std::move(text));
  }
  DeliveryBatch batch;
  batch.after = after;
  batch.event_count = texts.size();
  batch.through = texts.size() == events.size() ? bound : events[texts.size() - 1].sequence;
  batch.webhook_id = WebhookId(subscription_id, after, batch.through);
  batch.body = Body(subscription_id, after, batch.through, texts, texts.size());
  return batch;
}

}  // namespace docledger::subscriptions
