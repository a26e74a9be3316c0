#include "api/handlers/v1_routes.hpp"

#include "api/handlers/alerts_handler.hpp"
#include "api/handlers/documents_handler.hpp"
#include "api/handlers/extractions_handler.hpp"
#include "api/handlers/jobs_handler.hpp"
#include "api/handlers/projections_handler.hpp"
#include "api/handlers/projects_handler.hpp"
#include "api/handlers/sources_handler.hpp"
#include "api/handlers/streams_handler.hpp"
#include "api/handlers/subscriptions_handler.hpp"
#include "api/handlers/subscribe_handler.hpp"

namespace docledger::api {

void AddV1Routes(Router& router, ApiServices& services) {
  AddProjectRoutes(router, services);
  AddDocumentRoutes(router, services);
  AddSourceRoutes(router, services);
  AddExtractionRoutes(router, services);
  AddJobRoutes(router, services);
  AddStreamRoutes(router, services);
  AddProjectionRoutes(router, services);
  AddSubscribeRoute(router, services);
  AddAlertRoutes(router, services);
  AddSubscriptionRoutes(router, services);
}

}  // namespace docledger::api
