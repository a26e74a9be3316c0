#include "api/handlers/subscribe_handler.hpp"

#include "api/handlers/streams_handler.hpp"
#include "domain/text_rules.hpp"

namespace docledger::api {
namespace {

constexpr std::size_t kPage = 500;

class EventFeedProducer final : public StreamProducer {
 public:
  EventFeedProducer(domain::EventStore& store, std::function<std::int64_t()> known_head, std::int64_t after)
      : store_(store), known_head_(std::move(known_head)), last_(after) {}

  bool Ready() override { return catching_up_ || !known_head_ || known_head_() > last_; }

  std::string Read() override {
    std::string out;
    if (first_) {
      out = "retry: 2000\n\n";  // reconnect after 2 s; the client resends Last-Event-ID
      first_ = false;
    }
    const auto events = store_.ReadAll(last_, kPage);
    catching_up_ = events.size() == kPage;
    for (const auto& event : events) {
      out += "id: " + std::to_string(event.sequence) + "\nevent: " + event.event_type + "\ndata: " +
             EventJson(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
      last_ = event.sequence;
    }
    return out;
  }

 private:
  domain::EventStore& store_;
  std::function<std::int64_t()> known_head_;
  std::int64_t last_;
  bool catching_up_ = true;
  bool first_ = true;
};

std::int64_t StartAfter(const RequestContext& context) {
  std::string text;
  if (const auto header = context.request.find("Last-Event-ID"); header != context.request.end()) {
    text = std::string(header->value());
  } else if (auto after = context.QueryParam("after")) {
    text = *after;
  } else {
    return 0;
  }
  const auto after = domain::ParseDigits<std::int64_t>(text, 18);
  if (!after) throw HttpError::BadRequest("Last-Event-ID (or after) must be an event sequence number");
  return *after;
}

}  // namespace

void AddSubscribeRoute(Router& router, ApiServices& services) {
  router.Add(http::verb::get, "/api/v1/events/subscribe", Role::kAdmin, [&services](const RequestContext& context) {
    const auto after = StartAfter(context);
    if (context.stream == nullptr) throw HttpError::BadRequest("this endpoint streams; it cannot be called here");
    *context.stream = std::make_shared<EventFeedProducer>(services.store, services.known_head, after);
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::cache_control, "no-store");
    response.set("X-Accel-Buffering", "no");
    return response;
  });
}

}  // namespace docledger::api
