// The read models' progress and their parked events:
//   GET  /api/v1/projections                                  (read) checkpoint, head, lag in
//        events and seconds, parked and held counts, lease holder, per projector
//   GET  /api/v1/projections/{name}/parked                    (admin) parked and held events,
//        each with its error and the event itself
//   POST /api/v1/projections/{name}/parked/{sequence}/retry   (admin) `docledger parked retry`
//   POST /api/v1/projections/{name}/parked/{sequence}/skip    (admin) `docledger parked skip`
// The logic is projection_runtime/projection_status.* (shared with the CLI); a retry is applied
// by the serving projector, which holds the lease, within its poll interval (202).
#pragma once

#include "api/handlers/api_services.hpp"
#include "api/router.hpp"

namespace docledger::api {

void AddProjectionRoutes(Router& router, ApiServices& services);

}  // namespace docledger::api
