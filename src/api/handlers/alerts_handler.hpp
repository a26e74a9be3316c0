// GET /api/v1/alerts[?type=&since=&cursor=&limit=] (read): alerts, newest first, each with
// its webhook delivery. POST /api/v1/recovery[?dry_run=true] (admin): resolve orphaned
// extractions, as `docledger recover` does; answers the run's summary.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddAlertRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
