// The log itself: /api/v1/streams/{stream_id}/events (GET read with ETag = stream
// version; POST append with expected version or If-Match, events checked against the
// catalogue) and /api/v1/events?after=&limit= (the global feed, admin).
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddStreamRoutes(Router& router, ApiServices& services);

// A recorded event as the API shows it (payload and metadata as JSON objects).
nlohmann::json EventJson(const domain::RecordedEvent& event);

}  // namespace docledger::api
