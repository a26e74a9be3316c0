// The routes anyone may call without an API key, as a literal list written independently
// of the handlers' own declarations. tests/unit/public_routes_test.cpp holds every route
// `docledger serve` registers against it (a route off the list must name a role; a route
// on it must not ask for a key); tests/integration/public_routes_pgtest.cpp calls each of
// them, and a sample of the others, on the real binary without a key.
//
// Adding a public route is a security decision: add it here, in the same change.
#pragma once

#include <set>
#include <string>
#include <utility>

namespace docledger::testing {

// (method, route pattern)
inline const std::set<std::pair<std::string, std::string>> kPublicRoutes = {
    {"GET", "/health"},
    {"GET", "/health/live"},
    {"GET", "/health/ready"},
    {"GET", "/metrics"},
    {"GET", "/openapi.json"},
    // The operator console's static files: /console redirects to /console/ (index.html),
    // /console/{file} serves the other files built into the binary, exactly kConsoleFiles.
    // The pages hold no data; what they show comes from the v1 API with the operator's key.
    {"GET", "/console"},
    {"GET", "/console/"},
    {"GET", "/console/{file}"},
};

// The files of console/ built into the binary, so served by GET /console/{file}.
inline const std::set<std::string> kConsoleFiles = {"api.js", "app.js", "console.css", "index.html", "views.js"};

}  // namespace docledger::testing
