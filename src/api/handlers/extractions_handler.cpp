#include "api/handlers/extractions_handler.hpp"

#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"

namespace docledger::api {

void AddExtractionRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::post, "/api/v1/projects/{id}/extractions", Role::kWrite,
             [&services](const RequestContext& context) {
               const auto body = JsonBody(context);
               BodyReader reader(body);
               domain::RecordExtraction command;
               command.project_id = UuidParam(context, "id", "project");
               command.extraction_id = reader.OptionalString("extraction_id").value_or("");
               command.document_id = reader.RequiredString("document_id");
               command.entity_type = reader.RequiredString("entity_type");
               command.data = reader.RequiredValue("data");
               reader.Finish();
               const auto outcome = services.commands.Execute(command, CommandContextOf(context));
               auto json = OutcomeJson(outcome, "extraction_id");
               json.update({{"project_id", command.project_id}, {"document_id", command.document_id},
                            {"entity_type", command.entity_type}, {"valid", true}});
               return VersionedResponse(outcome.created ? http::status::created : http::status::ok, json,
                                        outcome.version);
             });

  router.Add(http::verb::get, "/api/v1/projects/{id}/extractions", Role::kRead,
             [&services](const RequestContext& context) {
               const auto project = UuidParam(context, "id", "project");
               const auto cursor = CursorParam(context);
               const auto limit = LimitParam(context);
               return ServeList(services, context, "extractions", [&](ReadEndpoint& db) {
                 return db.reads.extractions.Extractions(project, cursor, limit);
               });
             });

  router.Add(http::verb::get, "/api/v1/extractions/{id}", Role::kRead, [&services](const RequestContext& context) {
    const auto id = UuidParam(context, "id", "extraction");
    return ServeRead(services, context, "extractions", [&](ReadEndpoint& db) {
      const auto extraction = db.reads.extractions.Extraction(id);
      if (!extraction) throw HttpError::NotFound("no such extraction: " + id);
      return JsonResponse(http::status::ok, *extraction);
    });
  });
}

}  // namespace docledger::api
