#include "api/handlers/jobs_handler.hpp"

#include "api/handlers/handler_support.hpp"
#include "api/handlers/read_routing.hpp"
#include "domain/job.hpp"

namespace docledger::api {

void AddJobRoutes(Router& router, ApiServices& services) {
  router.Add(http::verb::post, "/api/v1/jobs", Role::kWrite, [&services](const RequestContext& context) {
    const auto body = JsonBody(context);
    BodyReader reader(body);
    domain::StartJob command;
    command.job_id = reader.OptionalString("job_id").value_or("");
    command.kind = reader.RequiredString("kind");
    command.document_id = reader.OptionalString("document_id");
    command.project_id = reader.OptionalString("project_id");
    command.worker = reader.OptionalString("worker").value_or(context.actor);
    command.input = reader.OptionalObject("input").value_or(nlohmann::json::object());
    reader.Finish();
    const auto outcome = services.commands.Execute(command, CommandContextOf(context));
    auto json = OutcomeJson(outcome, "job_id");
    json.update({{"kind", command.kind}, {"status", "running"}});
    return VersionedResponse(outcome.created ? http::status::created : http::status::ok, json, outcome.version);
  });

  router.Add(http::verb::get, "/api/v1/jobs/{id}", Role::kRead, [&services](const RequestContext& context) {
    const auto id = UuidParam(context, "id", "job");
    return ServeRead(services, context, "jobs", [&](ReadEndpoint& db) {
      const auto job = db.reads.jobs.Job(id);
      if (!job) throw HttpError::NotFound("no such job: " + id);
      return ConditionalGet(context, *job);
    });
  });

  router.Add(http::verb::post, "/api/v1/jobs/{id}/complete", Role::kWrite, [&services](const RequestContext& context) {
    domain::CompleteJob command{UuidParam(context, "id", "job"), nlohmann::json::object()};
    if (!context.request.body().empty()) {
      const auto body = JsonBody(context);
      BodyReader reader(body);
      command.result = reader.OptionalObject("result").value_or(nlohmann::json::object());
      reader.Finish();
    }
    const auto outcome = services.commands.Execute(command, CommandContextOf(context));
    auto json = OutcomeJson(outcome, "job_id");
    json["status"] = "completed";
    return VersionedResponse(http::status::ok, json, outcome.version);
  });

  router.Add(http::verb::post, "/api/v1/jobs/{id}/fail", Role::kWrite, [&services](const RequestContext& context) {
    const auto body = JsonBody(context);
    BodyReader reader(body);
    domain::FailJob command{UuidParam(context, "id", "job"), reader.RequiredString("error_type"),
                            reader.OptionalString("message").value_or("")};
    reader.Finish();
    const auto outcome = services.commands.Execute(command, CommandContextOf(context));
    auto json = OutcomeJson(outcome, "job_id");
    json.update({{"status", "failed"}, {"error", domain::DescribeJobError(command.error_type, command.message)}});
    return VersionedResponse(http::status::ok, json, outcome.version);
  });
}

}  // namespace docledger::api
