#include "api/handlers/projects_handler.hpp"

#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

bool ForceParam(const RequestContext& context) {
  const auto force = context.QueryParam("force");
  if (!force || *force == "false") return false;
  if (*force == "true" || force->empty()) return true;
  throw HttpError::BadRequest("force must be true or false");
}

}  // namespace

void AddProjectRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::post, "/api/v1/projects", Role::kWrite, [&services](const RequestContext& context) {
    const auto body = JsonBody(context);
    BodyReader reader(body);
    domain::CreateProject command;
    command.project_id = reader.OptionalString("project_id").value_or("");
    command.name = reader.RequiredString("name");
    command.description = reader.OptionalString("description").value_or("");
    command.json_schema = reader.OptionalObject("json_schema").value_or(nlohmann::json{{"type", "object"}});
    command.entity_types = reader.OptionalStrings("entity_types").value_or(std::vector<std::string>{});
    reader.Finish();
    const auto outcome = services.commands.Execute(command, CommandContextOf(context));
    auto json = OutcomeJson(outcome, "project_id");
    json.update({{"name", command.name}, {"description", command.description}, {"json_schema", command.json_schema},
                 {"entity_types", command.entity_types}, {"schema_revision", 1}});
    return VersionedResponse(http::status::created, json, outcome.version);
  });

  router.Add(http::verb::get, "/api/v1/projects", Role::kRead, [&services](const RequestContext& context) {
    const auto cursor = CursorParam(context);
    const auto limit = LimitParam(context);
    return ServeList(services, context, "projects", [&](ReadEndpoint& db) { return db.reads.projects.Projects(cursor, limit); });
  });

  router.Add(http::verb::get, "/api/v1/projects/{id}", Role::kRead, [&services](const RequestContext& context) {
    const auto id = UuidParam(context, "id", "project");
    return ServeRead(services, context, "projects", [&](ReadEndpoint& db) {
      const auto project = db.reads.projects.Project(id);
      if (!project) throw HttpError::NotFound("no such project: " + id);
      return ConditionalGet(context, *project);
    });
  });

  router.Add(http::verb::put, "/api/v1/projects/{id}", Role::kWrite, [&services](const RequestContext& context) {
    const auto body = JsonBody(context);
    BodyReader reader(body);
    domain::UpdateProject command;
    command.project_id = UuidParam(context, "id", "project");
    command.name = reader.OptionalString("name");
    command.description = reader.OptionalString("description");
    command.json_schema = reader.OptionalObject("json_schema");
    command.entity_types = reader.OptionalStrings("entity_types");
    reader.Finish();
    command.force = ForceParam(context);
    const auto outcome = services.commands.Execute(command, CommandContextOf(context));
    auto json = OutcomeJson(outcome, "project_id");
    json["changed"] = !outcome.events.empty();
    json["forced"] = command.force && !outcome.events.empty();
    // Existing extractions may no longer match the new schema: operators want to see who did it.
    if (json["forced"]) {
      infrastructure::LogEvent(spdlog::level::warn, "project_schema_forced",
                               {{"project_id", command.project_id}, {"actor", context.actor}, {"version", outcome.version}});
    }
    return VersionedResponse(http::status::ok, json, outcome.version);
  });

  router.Add(http::verb::delete_, "/api/v1/projects/{id}", Role::kAdmin, [&services](const RequestContext& context) {
    domain::DeleteProject command{UuidParam(context, "id", "project")};
    const auto outcome = services.commands.Execute(command, CommandContextOf(context));
    auto json = OutcomeJson(outcome, "project_id");
    json["deleted"] = true;
    return VersionedResponse(http::status::ok, json, outcome.version);
  });
}

}  // namespace docledger::api
