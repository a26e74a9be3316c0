// /api/v1/jobs (POST start), /api/v1/jobs/{id} (GET), /api/v1/jobs/{id}/complete and /fail.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddJobRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
