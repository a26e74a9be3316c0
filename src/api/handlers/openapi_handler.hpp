// GET /openapi.json (public): the OpenAPI 3.0 document of this build. The document lives in
// api/openapi.json and is embedded into the binary at build time (scripts/embed-text.py);
// tests/unit/openapi_test.cpp checks that it describes exactly the routes the router has.
#pragma once

#include <string_view>

namespace docledger::api {

class Router;

// The exact text of api/openapi.json as built into this binary.
std::string_view OpenApiDocument();

// GET /openapi.json: 200 application/json with a strong ETag (a hash of the text); 304
// when If-None-Match names it.
void AddOpenApiRoute(Router& router);

}  // namespace docledger::api
