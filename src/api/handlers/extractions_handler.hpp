// /api/v1/projects/{id}/extractions (POST record: 422 with the validator's messages; GET
// list) and /api/v1/extractions/{id}.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddExtractionRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
