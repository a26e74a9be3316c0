// Who may call what without an API key, for every route `docledger serve` registers
// (api::AddServerRoutes, enumerated with Router::Routes): a route on the literal list of
// tests/support/public_routes.hpp needs no key, every other route names the role it needs.
// Router::Add without a role makes a route public, so a route added that way fails here
// until it gets a role or, deliberately, a line on the list.
//
// The router is built over services that need no database (as in openapi_test.cpp): an
// in-memory event store, and read models over a pool whose connections fail at once.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "api/handlers/console_handler.hpp"
#include "api/handlers/server_routes.hpp"
#include "api/middleware/auth.hpp"
#include "api/router.hpp"
#include "domain/command_service.hpp"
#include "domain/errors.hpp"
#include "eventstore/in_memory_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "infrastructure/metrics.hpp"
#include "infrastructure/content_store.hpp"
#include "projections/read_queries_pg.hpp"
#include "tests/support/public_routes.hpp"
#include "tests/support/route_targets.hpp"

namespace docledger {
namespace {

namespace http = boost::beast::http;
using testing::kConsoleFiles;
using testing::kPublicRoutes;
using testing::ConcreteTarget;

// A database address that fails at once (no such socket directory).
const char* const kNoDatabase = "host=/nonexistent/docledger-public-routes-test dbname=none connect_timeout=1";
const std::string kAdminKey = "admin-key-for-the-public-routes-test-0123456789";

std::string Label(const api::Router::RouteInfo& route) {
  return std::string(http::to_string(route.method)) + " " + route.pattern;
}

// What is wrong with `routes` against the literal list: one line per problem.
std::vector<std::string> PolicyViolations(const std::vector<api::Router::RouteInfo>& routes) {
  std::vector<std::string> problems;
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : routes) {
    const std::pair<std::string, std::string> key{std::string(http::to_string(route.method)), route.pattern};
    routed.insert(key);
    const bool listed = kPublicRoutes.count(key) == 1;
    if (listed && route.role != api::Role::kPublic) {
      problems.push_back(Label(route) + " is listed as public but asks for the " + api::ToString(route.role) +
                         " role");
    } else if (!listed && route.role == api::Role::kPublic) {
      problems.push_back(Label(route) +
                         " has no role requirement (give it a role in router.Add, or list it in "
                         "tests/support/public_routes.hpp if it must be public)");
    }
  }
  for (const auto& [method, pattern] : kPublicRoutes) {
    if (routed.count({method, pattern}) == 0) {
      problems.push_back(method + " " + pattern + " is listed as public but not routed (a stale line)");
    }
  }
  return problems;
}

class PublicRoutes : public ::testing::Test {
 protected:
  PublicRoutes()
      : pool_(kNoDatabase, 1),
        reads_(pool_),
        contents_(pool_),
        commands_(store_, validator_, ids_),
        services_{commands_, reads_.Queries(), contents_, store_, validator_,
                  []() -> nlohmann::json { throw domain::StoreUnavailable("no database in this test"); }} {
    api::AddServerRoutes(router_, {"test", [] { return api::ReadinessReport{true, ""}; }}, metrics_, services_);
    spdlog::set_level(spdlog::level::err);
  }
  ~PublicRoutes() override { spdlog::set_level(spdlog::level::info); }

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
};

TEST_F(PublicRoutes, EveryServerRouteIsOnThePublicListOrNamesARole) {
  const auto routes = router_.Routes();
  ASSERT_GT(routes.size(), kPublicRoutes.size() + 20) << "AddServerRoutes registered fewer routes than expected";
  int public_routes = 0;
  for (const auto& route : routes) {
    if (route.role == api::Role::kPublic) ++public_routes;
  }
  EXPECT_EQ(public_routes, static_cast<int>(kPublicRoutes.size()));
  const auto problems = PolicyViolations(routes);
  for (const auto& problem : problems) ADD_FAILURE() << problem;
  EXPECT_TRUE(problems.empty());
}

// The check above checks something: a route added without a role, and a listed public
// route that starts asking for a key, are both reported.
TEST_F(PublicRoutes, ARouteWithoutARoleAndAPublicRouteAskingForAKeyAreReported) {
  const auto handler = [](const api::RequestContext&) { return api::JsonResponse(http::status::ok, {}); };
  router_.Add(http::verb::get, "/api/v1/new-report", handler);  // no role: public
  auto problems = PolicyViolations(router_.Routes());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("GET /api/v1/new-report has no role requirement", 0), 0u) << problems[0];

  api::Router keyed;
  for (const auto& [method, pattern] : kPublicRoutes) {
    keyed.Add(http::string_to_verb(method), pattern, pattern == "/metrics" ? api::Role::kRead : api::Role::kPublic,
              handler);
  }
  problems = PolicyViolations(keyed.Routes());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "GET /metrics is listed as public but asks for the read role");
}

// GET /console/{file} is public for whatever file the binary carries: the files are listed.
TEST_F(PublicRoutes, TheConsoleServesExactlyTheListedFiles) {
  std::set<std::string> built_in;
  for (const auto& file : api::ConsoleFiles()) built_in.emplace(file.name);
  EXPECT_EQ(built_in, kConsoleFiles) << "a console file was added or removed: update kConsoleFiles";
  for (const auto& name : kConsoleFiles) {
    api::Request request{http::verb::get, "/console/" + name, 11};
    EXPECT_EQ(router_.Handle(request).result(), http::status::ok) << name;
  }
  api::Request missing{http::verb::get, "/console/secrets.json", 11};
  EXPECT_EQ(router_.Handle(missing).result(), http::status::not_found);
}

// With the auth middleware `docledger serve` installs, and no key: the listed routes answer,
// every other route is 401. Through the router, without sockets, for every route.
TEST_F(PublicRoutes, WithoutAKeyOnlyTheListedRoutesAnswer) {
  router_.Use(api::AuthMiddleware(std::make_shared<const api::ApiKeyAuthenticator>(
      std::vector<infrastructure::ApiKey>{{infrastructure::Role::kAdmin, kAdminKey}})));
  int answered = 0;
  int refused = 0;
  for (const auto& route : router_.Routes()) {
    SCOPED_TRACE(Label(route));
    api::Request request{route.method, ConcreteTarget(route.pattern), 11};
    request.set(http::field::host, "test");
    if (route.method == http::verb::post || route.method == http::verb::put) {
      request.set(http::field::content_type, "application/json");
      request.body() = "{}";
    }
    request.prepare_payload();
    const auto response = router_.Handle(request);
    const auto status = response.result_int();
    if (kPublicRoutes.count({std::string(http::to_string(route.method)), route.pattern}) == 1) {
      EXPECT_TRUE(status == 200 || status == 308) << status << " " << response.body();
      ++answered;
    } else {
      EXPECT_EQ(status, 401u) << response.body();
      EXPECT_EQ(response.count(http::field::www_authenticate), 1u);
      ++refused;
    }
  }
  EXPECT_EQ(answered, static_cast<int>(kPublicRoutes.size()));
  EXPECT_GT(refused, 20);
}

}  // namespace
}  // namespace docledger
