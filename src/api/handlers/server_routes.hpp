// Every route `docledger serve` answers, registered by one function, so that the server and
// the tests that enumerate its routes (who may call what: tests/unit/public_routes_test.cpp;
// what api/openapi.json describes: tests/unit/openapi_test.cpp) see the same list.
//
// Public (no key): the health probes, /metrics, /openapi.json and the operator console's
// static files (/console, /console/, /console/{file}). Every other route names the role it
// needs; Router::Add without a role makes a route public, and the test above refuses any
// public route that is not on its literal list.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/handlers/health_handler.hpp"

namespace docledger::infrastructure {
class Metrics;
}

namespace docledger::api {

class Router;

// `metrics` and `services` must outlive the router. `console`: also serve /openapi.json and
// the console (DOCLEDGER_CONSOLE); without them both answer 404.
void AddServerRoutes(Router& router, HealthOptions health, infrastructure::Metrics& metrics, ApiServices& services,
                     bool console = true);

}  // namespace docledger::api
