// api/openapi.json against the router it describes: every route is described with its role,
// every described (non-planned) operation is routed, the document is valid OpenAPI 3.0
// (Debian's openapi-specification ships the official JSON Schema of 3.0), its $refs resolve,
// and its request body schemas accept exactly the fields the handlers accept.
//
// The router is built as `docledger serve` builds it, over services that need no database:
// an in-memory event store, and read models over a pool whose connections fail at once
// (StoreUnavailable, 503); ConnectionPool connects lazily, so building one is free.
#define VALIJSON_USE_EXCEPTIONS 1

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "api/handlers/console_handler.hpp"
#include "api/handlers/health_handler.hpp"
#include "api/handlers/metrics_handler.hpp"
#include "api/handlers/openapi_handler.hpp"
#include "api/handlers/server_routes.hpp"
#include "api/handlers/v1_routes.hpp"
#include "api/router.hpp"
#include "domain/command_service.hpp"
#include "domain/errors.hpp"
#include "domain/event_catalog.hpp"
#include "eventstore/in_memory_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "infrastructure/metrics.hpp"
#include "infrastructure/content_store.hpp"
#include "projections/read_queries_pg.hpp"
#include "tests/support/openapi_support.hpp"

#ifndef DOCLEDGER_VERSION
#define DOCLEDGER_VERSION "unknown"
#endif

namespace docledger {
namespace {

namespace http = boost::beast::http;
namespace oa = testing::openapi;
using nlohmann::json;

// The official JSON Schema of OpenAPI 3.0 documents, from Debian's openapi-specification
// package (scripts/install-deps installs it).
const char* const kOas30Schema = "/usr/share/openapi-specification/schemas/v3.0/schema.json";
// A database address that fails at once (no such socket directory).
const char* const kNoDatabase = "host=/nonexistent/docledger-openapi-test dbname=none connect_timeout=1";
const char* const kSomeUuid = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";

std::string RoleName(api::Role role) {
  switch (role) {
    case api::Role::kPublic: return "public";
    case api::Role::kRead: return "read";
    case api::Role::kWrite: return "write";
    case api::Role::kAdmin: return "admin";
  }
  return "?";
}

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class OpenApi : public ::testing::Test {
 protected:
  OpenApi()
      : pool_(kNoDatabase, 1),
        reads_(pool_),
        contents_(pool_),
        commands_(store_, validator_, ids_),
        services_{commands_, reads_.Queries(), contents_, store_, validator_,
                  []() -> json { throw domain::StoreUnavailable("no database in this test"); }} {
    api::AddServerRoutes(router_, {"test", [] { return api::ReadinessReport{true, ""}; }}, metrics_, services_);
    doc_ = json::parse(api::OpenApiDocument());
    spdlog::set_level(spdlog::level::err);  // the probes' 503s would log a warning each
  }
  ~OpenApi() override { spdlog::set_level(spdlog::level::info); }

  // Every (method, path template) of the document that is an operation.
  std::vector<std::pair<std::string, std::string>> Operations() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [path, item] : doc_.at("paths").items()) {
      for (const auto& method : oa::HttpMethods()) {
        if (item.contains(method)) out.emplace_back(method, path);
      }
    }
    return out;
  }

  // The concrete target for a path template: {id} -> a UUID, {stream_id} -> a stream.
  static std::string Concrete(const std::string& pattern) {
    std::string out;
    for (const auto segment : oa::SplitPath(pattern)) {
      out += "/";
      if (segment == "{stream_id}") {
        out += "probe-stream";
      } else if (oa::IsPlaceholder(segment)) {
        out += kSomeUuid;
      } else {
        out += segment;
      }
    }
    return out;
  }

  api::Response Send(const std::string& method, const std::string& target, const std::string& body,
                     std::map<std::string, std::string> headers = {}) const {
    std::string upper = method;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    api::Request request{http::string_to_verb(upper), target, 11};
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    return router_.Handle(request);
  }

  // The schema's properties and required names, following $ref and allOf.
  void Properties(const json& schema, std::map<std::string, json>& properties, std::set<std::string>& required) const {
    const json* resolved = oa::Resolve(doc_, schema);
    ASSERT_NE(resolved, nullptr);
    if (resolved->contains("properties")) {
      for (const auto& [name, value] : resolved->at("properties").items()) properties[name] = value;
    }
    if (resolved->contains("required")) {
      for (const auto& name : resolved->at("required")) required.insert(name.get<std::string>());
    }
    if (resolved->contains("allOf")) {
      for (const auto& part : resolved->at("allOf")) Properties(part, properties, required);
    }
  }

  eventstore::InMemoryEventStore store_;
  infrastructure::JsonSchemaValidator validator_;
  infrastructure::UuidIdSource ids_;
  infrastructure::ConnectionPool pool_;
  projections::PgReadQueries reads_;
  infrastructure::ContentStore contents_;
  domain::CommandService commands_;
  api::ApiServices services_;
  infrastructure::Metrics metrics_;
  api::Router router_;
  json doc_;
};

bool HasDetail(const api::Response& response, const std::string& path, const std::string& message_part = "") {
  const auto body = json::parse(response.body(), nullptr, false);
  if (!body.is_object() || !body.contains("error")) return false;
  for (const auto& detail : body["error"].value("details", json::array())) {
    if (detail.value("path", "") == path && detail.value("message", "").find(message_part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST_F(OpenApi, IsAnOpenApi30DocumentOfThisVersion) {
  EXPECT_TRUE(std::regex_match(doc_.at("openapi").get<std::string>(), std::regex(R"(3\.0\.\d+)")));
  EXPECT_EQ(doc_.at("info").at("version"), DOCLEDGER_VERSION);
  EXPECT_FALSE(doc_.at("info").at("title").get<std::string>().empty());
}

TEST_F(OpenApi, IsValidAgainstTheOfficialOpenApi30Schema) {
  const char* override_path = std::getenv("DOCLEDGER_OAS30_SCHEMA");
  std::ifstream file(override_path != nullptr ? override_path : kOas30Schema);
  ASSERT_TRUE(file) << kOas30Schema << " is missing: scripts/install-deps installs Debian's openapi-specification";
  const json meta = json::parse(file);
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter meta_adapter(meta);
  parser.populateSchema(meta_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc_);
  const bool valid = validator.validate(schema, target, &results);
  std::string errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& part : error.context) where += part;
    errors += where + ": " + error.description + "\n";
  }
  EXPECT_TRUE(valid) << errors;

  // The same validator refuses a broken document: the check above checks something.
  json broken = doc_;
  broken["paths"]["/health"]["get"].erase("responses");
  broken["openapi"] = "3.1.0";
  valijson::ValidationResults ignored;
  valijson::adapters::NlohmannJsonAdapter broken_target(broken);
  EXPECT_FALSE(validator.validate(schema, broken_target, &ignored));
}

TEST_F(OpenApi, DescribesEveryRouteWithItsRole) {
  const auto routes = router_.Routes();
  ASSERT_GT(routes.size(), 20u);
  for (const auto& route : routes) {
    const auto method = Lower(std::string(http::to_string(route.method)));
    SCOPED_TRACE(method + " " + route.pattern);
    const json* operation = oa::FindOperation(doc_, route.pattern, method);
    ASSERT_NE(operation, nullptr) << "route not described in api/openapi.json";
    EXPECT_FALSE(oa::IsPlanned(*operation)) << "a routed operation is marked x-docledger-planned";
    ASSERT_TRUE(operation->contains("x-docledger-role"));
    EXPECT_EQ(operation->at("x-docledger-role"), RoleName(route.role));
  }
}

TEST_F(OpenApi, EveryDescribedOperationIsRoutedUnlessPlanned) {
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : router_.Routes()) {
    routed.emplace(Lower(std::string(http::to_string(route.method))), route.pattern);
  }
  int planned = 0;
  for (const auto& [method, path] : Operations()) {
    SCOPED_TRACE(method + " " + path);
    const auto& operation = doc_["paths"][path][method];
    if (oa::IsPlanned(operation)) {
      ++planned;
      // Once it is routed, the flag is stale: the router check above then covers it.
      EXPECT_EQ(routed.count({method, path}), 0u) << "routed now: remove x-docledger-planned";
      continue;
    }
    EXPECT_EQ(routed.count({method, path}), 1u) << "described but not routed";
  }
  // Since the alerts issue every described operation is routed; planned ones may come back.
  RecordProperty("planned_operations", planned);
}

TEST_F(OpenApi, FollowsTheStructuralRules) {
  std::vector<std::string> broken;
  oa::CollectBrokenRefs(doc_, doc_, "", broken);
  EXPECT_TRUE(broken.empty()) << ::testing::PrintToString(broken);

  const auto& error_schema = doc_["components"]["schemas"]["Error"]["properties"]["error"];
  EXPECT_EQ(error_schema["required"], json({"code", "message", "details", "correlation_id"}));

  std::set<std::string> operation_ids;
  for (const auto& [method, path] : Operations()) {
    SCOPED_TRACE(method + " " + path);
    const auto& item = doc_["paths"][path];
    const auto& operation = item[method];
    ASSERT_TRUE(operation.contains("operationId"));
    EXPECT_TRUE(operation_ids.insert(operation["operationId"].get<std::string>()).second) << "duplicate operationId";
    const std::set<std::string> roles = {"public", "read", "write", "admin"};
    EXPECT_EQ(roles.count(operation.value("x-docledger-role", "")), 1u);

    // Placeholders of the path and path parameters name each other, and are required.
    std::set<std::string> placeholders, parameters;
    for (const auto segment : oa::SplitPath(path)) {
      if (oa::IsPlaceholder(segment)) placeholders.emplace(segment.substr(1, segment.size() - 2));
    }
    for (const auto* list : {&item, &operation}) {
      if (!list->contains("parameters")) continue;
      for (const auto& entry : list->at("parameters")) {
        const json* parameter = oa::Resolve(doc_, entry);
        ASSERT_NE(parameter, nullptr);
        if (parameter->at("in") == "path") {
          parameters.insert(parameter->at("name").get<std::string>());
          EXPECT_EQ(parameter->value("required", false), true);
        }
      }
    }
    EXPECT_EQ(placeholders, parameters);

    // Responses: status codes, X-Correlation-ID on each, the error body on each 4xx/5xx.
    ASSERT_TRUE(operation.contains("responses"));
    ASSERT_FALSE(operation["responses"].empty());
    for (const auto& [status, entry] : operation["responses"].items()) {
      SCOPED_TRACE(status);
      EXPECT_TRUE(std::regex_match(status, std::regex("[1-5][0-9][0-9]"))) << "statuses are exact codes";
      const json* response = oa::Resolve(doc_, entry);
      ASSERT_NE(response, nullptr);
      EXPECT_TRUE(response->contains("description"));
      ASSERT_TRUE(response->contains("headers"));
      EXPECT_TRUE(response->at("headers").contains("X-Correlation-ID"));
      // The health probes answer 503 with their own report, not an error body.
      if ((status[0] == '4' || status[0] == '5') && path != "/health/ready" && path != "/health") {
        EXPECT_EQ(response->at("content").at("application/json").at("schema"),
                  json({{"$ref", "#/components/schemas/Error"}}));
      }
    }
    // Security: public operations need no key; the others take the global schemes and
    // document 401 and 403.
    if (operation["x-docledger-role"] == "public") {
      EXPECT_EQ(operation.value("security", json()), json::array());
    } else {
      EXPECT_FALSE(operation.contains("security"));
      EXPECT_TRUE(operation["responses"].contains("401"));
      EXPECT_TRUE(operation["responses"].contains("403"));
    }
  }
  EXPECT_EQ(doc_["security"], json({{{"bearerAuth", json::array()}}, {{"apiKeyAuth", json::array()}}}));
  EXPECT_EQ(doc_["components"]["securitySchemes"]["apiKeyAuth"]["name"], "X-API-Key");
}

TEST_F(OpenApi, ListsTheEventCatalogue) {
  std::vector<std::string> catalogue;
  for (const auto& info : domain::EventCatalog()) catalogue.push_back(info.type);
  EXPECT_EQ(doc_["components"]["schemas"]["EventType"]["enum"].get<std::vector<std::string>>(), catalogue);
}

// For each operation with a JSON body: its example is accepted (no 400/415/422), an unknown
// field next to it is refused (422 naming the field), every documented property is known to
// the handler, and every documented required property is required.
TEST_F(OpenApi, RequestBodySchemasMatchWhatTheHandlersAccept) {
  int probed = 0;
  for (const auto& [method, path] : Operations()) {
    const auto& operation = doc_["paths"][path][method];
    if (!operation.contains("requestBody") || oa::IsPlanned(operation)) continue;
    SCOPED_TRACE(method + " " + path);
    ++probed;
    const auto& media = operation["requestBody"]["content"]["application/json"];
    ASSERT_TRUE(media.contains("example"));
    const json example = media["example"];
    const json* schema = oa::Resolve(doc_, media["schema"]);
    ASSERT_NE(schema, nullptr);
    const std::string target = Concrete(path);

    const auto accepted = Send(method, target, example.dump());
    const int status = static_cast<int>(accepted.result_int());
    EXPECT_TRUE(status != 400 && status != 415 && status != 422) << status << " " << accepted.body();
    EXPECT_TRUE(oa::DocumentsStatus(operation, status)) << status << " is not documented";

    json unknown = example;
    unknown["zz_not_a_field"] = 1;
    const auto refused = Send(method, target, unknown.dump());
    EXPECT_EQ(refused.result_int(), 422u) << refused.body();
    EXPECT_TRUE(HasDetail(refused, "/zz_not_a_field", "not a known field")) << refused.body();
    EXPECT_EQ(schema->value("additionalProperties", true), false) << "unknown fields are refused: say so";

    std::map<std::string, json> properties;
    std::set<std::string> required;
    Properties(media["schema"], properties, required);
    ASSERT_FALSE(properties.empty());
    for (const auto& [name, property] : properties) {
      SCOPED_TRACE(name);
      json with = example;
      if (!with.contains(name)) with[name] = nullptr;
      const auto reply = Send(method, target, with.dump());
      EXPECT_FALSE(HasDetail(reply, "/" + name, "not a known field")) << reply.body();
      if (required.count(name) != 0) {
        json without = example;
        without.erase(name);
        const auto missing = Send(method, target, without.dump());
        EXPECT_EQ(missing.result_int(), 422u) << missing.body();
        EXPECT_TRUE(HasDetail(missing, "/" + name)) << missing.body();
      }
    }
  }
  EXPECT_EQ(probed, 14);
}

TEST_F(OpenApi, IsServedAtOpenApiJsonWithAnETag) {
  const auto reply = Send("GET", "/openapi.json", "");
  ASSERT_EQ(reply.result_int(), 200u);
  EXPECT_EQ(reply.body(), std::string(api::OpenApiDocument()));
  EXPECT_EQ(reply[http::field::content_type], "application/json");
  const std::string etag(reply[http::field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(reply["X-Correlation-ID"].empty());

  const auto revalidated = Send("GET", "/openapi.json", "", {{"If-None-Match", etag}});
  EXPECT_EQ(revalidated.result_int(), 304u);
  EXPECT_TRUE(revalidated.body().empty());
  EXPECT_EQ(Send("GET", "/openapi.json", "", {{"If-None-Match", "\"other\""}}).result_int(), 200u);

  const auto head = Send("HEAD", "/openapi.json", "");
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(Send("POST", "/openapi.json", "{}").result_int(), 405u);
}

}  // namespace
}  // namespace docledger
