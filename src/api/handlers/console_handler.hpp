// The operator console: a small single-page app (console/, plain HTML + CSS + ES modules)
// built into the binary at build time (scripts/embed-files.py) and served publicly:
//   GET /console          308 to /console/
//   GET /console/         index.html
//   GET /console/{file}   its scripts and style sheet
// The pages hold no data: every call the app makes goes to the public v1 API with the key
// the operator types in (kept in sessionStorage only). Answers carry a strict
// Content-Security-Policy (everything from this origin, no inline script or style, no
// framing), a strong ETag (304 on If-None-Match) and Cache-Control: no-cache.
#pragma once

#include <span>

#include "api/embedded_file.hpp"

namespace docledger::api {

class Router;

// The files of console/ as built into this binary.
std::span<const EmbeddedFile> ConsoleFiles();

void AddConsoleRoutes(Router& router);

}  // namespace docledger::api
