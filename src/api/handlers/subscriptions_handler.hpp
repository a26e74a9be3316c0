// /api/v1/subscriptions (admin): outbound subscriptions, signed webhooks driven by a cursor
// over the log (docs/subscriptions.md): create (the secret is shown once), list, one,
// PATCH (target, filters, pause/resume), DELETE, rewind, rotate-secret, deliveries.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddSubscriptionRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
