// GET /api/v1/projects/{id}/sources: a project's crawled sources (one row per source
// document: its id, source_url, current sha256, revisions, first and last crawled at),
// first crawled first, with a cursor; served from the document_sources read model.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddSourceRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
