#include "api/handlers/sources_handler.hpp"

#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"

namespace docledger::api {

void AddSourceRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::get, "/api/v1/projects/{id}/sources", Role::kRead,
             [&services](const RequestContext& context) {
               const auto project = UuidParam(context, "id", "project");
               const auto cursor = CursorParam(context);
               const auto limit = LimitParam(context);
               return ServeList(services, context, "document_sources", [&](ReadEndpoint& db) {
                 return db.reads.sources.Sources(project, cursor, limit);
               });
             });
}

}  // namespace docledger::api
