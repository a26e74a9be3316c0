// libFuzzer target for the router with every route `docledger serve` registers (health,
// /openapi.json, /console/*, /api/v1/*), built by fuzz/run-fuzzer router (a clang Meson build with
// -Dfuzzing=true). Writes go to an in-memory event store (fresh for every input, so a
// finding reproduces); the read models sit on a pool whose connections fail at once, so
// every read ends in StoreUnavailable -> 503, which the document lists.
//
// Input: up to 8 requests separated by "\n#next#\n", run in order on the same router (a
// request can use what an earlier one created). Each is
//   <method byte><target>\n<Header: value>\n...\n\n<body>
// The method byte: G GET, H HEAD, P POST, U PUT, D DELETE, A PATCH, O OPTIONS, B "BREW"
// (unknown to HTTP); lower case is the same method over HTTP/1.0; any other byte picks one
// of these by its value.
//
// Besides the sanitizers' findings, it traps when Router::Handle throws, or answers with a
// status api/openapi.json does not list for the operation hit (so never a 500), or an error
// body that is not the design's {"error":{code,message,details,correlation_id}}, or a JSON
// answer that is not JSON, or no X-Correlation-ID, or a 405 without Allow.
// ROUTER_FUZZER_PRINT=1 prints each request's method, target, status and body start.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/handlers/console_handler.hpp"
#include "api/handlers/health_handler.hpp"
#include "api/handlers/openapi_handler.hpp"
#include "api/handlers/v1_routes.hpp"
#include "api/router.hpp"
#include "domain/command_service.hpp"
#include "domain/errors.hpp"
#include "eventstore/in_memory_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "infrastructure/content_store.hpp"
#include "projections/read_queries_pg.hpp"
#include "tests/support/openapi_support.hpp"

namespace {

namespace http = boost::beast::http;
namespace api = docledger::api;
namespace oa = docledger::testing::openapi;
using nlohmann::json;

constexpr std::string_view kSeparator = "\n#next#\n";
constexpr std::size_t kMaxRequests = 8;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Ids from a counter: the same input makes the same ids.
class CountingIds final : public docledger::domain::IdSource {
 public:
  std::string NewId() override {
    char id[37];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(++next_));
    return id;
  }
  std::string NameBasedId(const std::string& name) override { return docledger::infrastructure::DeterministicUuid(name); }

 private:
  std::uint64_t next_ = 0;
};

struct Shared {
  json doc = json::parse(api::OpenApiDocument());
  bool print = std::getenv("ROUTER_FUZZER_PRINT") != nullptr;
  docledger::infrastructure::JsonSchemaValidator validator;
  // No such socket directory: every connection attempt fails at once.
  docledger::infrastructure::ConnectionPool pool{"host=/nonexistent/docledger-fuzz dbname=none connect_timeout=1", 1};
  docledger::projections::PgReadQueries reads{pool};
  docledger::infrastructure::ContentStore contents{pool};
  docledger::operations::PostgresProjectionOperations projection_operations{pool, {}};
};

Shared& Common() {
  static Shared* shared = new Shared();  // never destroyed: no teardown order issues
  return *shared;
}

struct Method {
  http::verb verb;
  const char* text;  // for verb::unknown
};

Method MethodOf(unsigned char byte, unsigned& version) {
  version = (byte >= 'a' && byte <= 'z') ? 10 : 11;
  const unsigned char upper = (byte >= 'a' && byte <= 'z') ? static_cast<unsigned char>(byte - 'a' + 'A') : byte;
  switch (upper) {
    case 'G': return {http::verb::get, nullptr};
    case 'H': return {http::verb::head, nullptr};
    case 'P': return {http::verb::post, nullptr};
    case 'U': return {http::verb::put, nullptr};
    case 'D': return {http::verb::delete_, nullptr};
    case 'A': return {http::verb::patch, nullptr};
    case 'O': return {http::verb::options, nullptr};
    case 'B': return {http::verb::unknown, "BREW"};
    default: break;
  }
  static const Method table[] = {{http::verb::get, nullptr},  {http::verb::post, nullptr},
                                 {http::verb::put, nullptr},  {http::verb::delete_, nullptr},
                                 {http::verb::head, nullptr}, {http::verb::patch, nullptr},
                                 {http::verb::get, nullptr},  {http::verb::post, nullptr}};
  return table[byte % 8];
}

// The request of one piece of the input; false when the harness cannot express it.
bool BuildRequest(std::string_view piece, api::Request& request) {
  if (piece.empty()) return false;
  unsigned version = 11;
  const Method method = MethodOf(static_cast<unsigned char>(piece.front()), version);
  piece.remove_prefix(1);
  const auto line_end = piece.find('\n');
  const std::string_view target = piece.substr(0, line_end);
  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : piece.substr(line_end + 1);
  if (method.text != nullptr) {
    request.method_string(method.text);
  } else {
    request.method(method.verb);
  }
  request.version(version);
  request.target(target);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) break;  // the body follows
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.insert(line.substr(0, colon), value);
  }
  request.body() = std::string(rest);
  if (!request.body().empty()) request.content_length(request.body().size());
  return true;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void CheckErrorBody(const api::Response& response, const std::string& correlation_id) {
  const auto type = response.find(http::field::content_type);
  Check(type != response.end() && type->value() == "application/json");
  const json body = json::parse(response.body(), nullptr, false);
  Check(body.is_object() && body.size() == 1 && body.contains("error"));
  const json& error = body["error"];
  Check(error.is_object() && error.size() == 4);
  Check(error.contains("code") && error["code"].is_string());
  Check(error.contains("message") && error["message"].is_string());
  Check(error.contains("details") && error["details"].is_array());
  Check(error.contains("correlation_id") && error["correlation_id"] == correlation_id);
  // The code is one the document lists.
  const auto& codes = Common().doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"];
  Check(std::find(codes.begin(), codes.end(), error["code"]) != codes.end());
}

void CheckResponse(const api::Request& request, const api::Response& response) {
  const json& doc = Common().doc;
  const int status = static_cast<int>(response.result_int());
  const auto id = response.find("X-Correlation-ID");
  Check(id != response.end() && !id->value().empty());
  const std::string correlation_id(id->value());
  const bool head = request.method() == http::verb::head;

  const std::string_view target(request.target().data(), request.target().size());
  if (target.empty() || target.front() != '/') {
    Check(status == 400);
  } else {
    const auto path = target.substr(0, target.find('?'));
    const auto pattern = oa::MatchPath(doc, path);
    const json* operation = nullptr;
    if (pattern) {
      const std::string method = request.method() == http::verb::unknown ? "" : Lower(request.method_string());
      operation = oa::FindOperation(doc, *pattern, method);
      if (operation == nullptr && head) operation = oa::FindOperation(doc, *pattern, "get");
      if (operation != nullptr && oa::IsPlanned(*operation)) operation = nullptr;
    }
    if (operation == nullptr) {
      // Not an operation of this build: the router's own answers (400 for a parameter
      // segment with broken percent-encoding, checked before the method).
      Check(status == 404 || status == 405 || status == 400);
    } else {
      Check(oa::DocumentsStatus(*operation, status));
    }
  }
  if (status == 405) Check(response.find(http::field::allow) != response.end());
  if (head) {
    Check(response.body().empty());
    return;
  }
  if (status >= 400) {
    CheckErrorBody(response, correlation_id);
  } else if (status == 304) {
    Check(response.body().empty());
  } else {
    const auto type = response.find(http::field::content_type);
    if (type != response.end() && type->value() == "application/json") {
      Check(json::accept(response.body()));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the router logs rejected requests
  Common();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Shared& shared = Common();
  docledger::eventstore::InMemoryEventStore store;
  CountingIds ids;
  docledger::domain::CommandService commands(store, shared.validator, ids);
  api::ApiServices services{commands, shared.reads.Queries(), shared.contents, store, shared.validator,
                            [] { return json{{"projections", json::array()}}; }};
  services.projection_operations = &shared.projection_operations;  // parked events: 503 like every read
  api::Router router;
  api::AddHealthRoutes(router, {"fuzz", [] { return api::ReadinessReport{false, "fuzzing"}; }});
  api::AddOpenApiRoute(router);
  api::AddConsoleRoutes(router);
  api::AddV1Routes(router, services);

  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (std::size_t n = 0; n < kMaxRequests && !input.empty(); ++n) {
    const auto separator = input.find(kSeparator);
    const std::string_view piece = input.substr(0, separator);
    input = separator == std::string_view::npos ? std::string_view() : input.substr(separator + kSeparator.size());
    api::Request request;
    try {
      if (!BuildRequest(piece, request)) continue;
    } catch (const std::exception&) {
      continue;  // Beast refused to hold it: not a request a server could receive
    }
    api::Response response;
    try {
      response = router.Handle(request);
    } catch (...) {
      Check(false);  // Handle must answer everything
    }
    if (Common().print) {  // ROUTER_FUZZER_PRINT=1: what each request of an input got
      std::fprintf(stderr, "%s %.*s -> %u %.*s\n", std::string(request.method_string()).c_str(),
                   static_cast<int>(std::min<std::size_t>(request.target().size(), 200)), request.target().data(),
                   response.result_int(), static_cast<int>(std::min<std::size_t>(response.body().size(), 300)),
                   response.body().data());
    }
    CheckResponse(request, response);
  }
  return 0;
}
