// /api/v1/documents...: upload (JSON with text `content` or `content_base64`, or just
// `sha256` + `size_bytes` when the file lives elsewhere; with a `source_url`, a re-crawl of
// the source's one document: a new revision, a metadata update or a duplicate), list with filters and a cursor,
// the view, the stored content, delete, the conversion result or failure, and the
// document's semantic IR by type.
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddDocumentRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
