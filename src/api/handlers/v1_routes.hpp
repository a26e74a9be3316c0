// Every /api/v1 route, registered on one router (the order does not matter: the router
// picks the most specific pattern).
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddV1Routes(Router& router, ApiServices& services);

}  // namespace docledger::api
