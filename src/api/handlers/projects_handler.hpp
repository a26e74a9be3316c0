// /api/v1/projects and /api/v1/projects/{id}: create (write), list and get (read), update
// with ?force=true and If-Match (write), delete (admin).
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddProjectRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
