// GET /api/v1/events/subscribe (admin): the global log as Server-Sent Events. Catches up
// from Last-Event-ID (or ?after=, a sequence; default 0 = from the start), then streams
// live. Each event is "id: <sequence>", "event: <event_type>", "data: <event JSON>"; the
// ids are gap-free and increasing (the log's global order), so a client that reconnects
// with its last id misses nothing and sees nothing twice.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddSubscribeRoute(Router& router, ApiServices& services);

}  // namespace docledger::api
