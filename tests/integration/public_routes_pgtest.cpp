// The public routes of tests/support/public_routes.hpp on the real `docledger serve`
// binary, over real sockets and without a key: each answers; a sample of the other routes
// (reads, writes, admin, streaming) is 401 with the JSON error body. The unit test
// tests/unit/public_routes_test.cpp holds every registered route against the same list.
#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/public_routes.hpp"
#include "tests/support/server_process.hpp"

namespace docledger::testing {
namespace {

using PublicRoutesOverHttp = PgTest;

TEST_F(PublicRoutesOverHttp, EachListedPublicRouteAnswersWithoutAKeyAndOthersAreRefused) {
  ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr) << "DOCLEDGER_BINARY must name the docledger binary";
  ServerProcess server(db_->url(), FreePort());
  ASSERT_TRUE(server.WaitUntilServing());

  // Every listed route, {file} as each console file.
  std::vector<std::string> targets;
  for (const auto& [method, pattern] : kPublicRoutes) {
    ASSERT_EQ(method, "GET");
    if (pattern == "/console/{file}") {
      for (const auto& file : kConsoleFiles) targets.push_back("/console/" + file);
    } else {
      targets.push_back(pattern);
    }
  }
  ASSERT_EQ(targets.size(), kPublicRoutes.size() - 1 + kConsoleFiles.size());
  for (const auto& target : targets) {
    const auto reply = HttpRequest(server.port(), "GET", target);
    EXPECT_EQ(reply.status, target == "/console" ? 308 : 200) << target << ": " << reply.body;
    EXPECT_EQ(reply.headers.count("www-authenticate"), 0u) << target;
  }

  struct Call {
    std::string method;
    std::string target;
  };
  const std::string id = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
  const std::vector<Call> protected_calls = {
      {"GET", "/api/v1/projects"},
      {"POST", "/api/v1/projects"},
      {"DELETE", "/api/v1/projects/" + id},
      {"GET", "/api/v1/documents/" + id},
      {"POST", "/api/v1/jobs/" + id + "/fail"},
      {"GET", "/api/v1/alerts"},
      {"POST", "/api/v1/recovery"},
      {"GET", "/api/v1/streams/s-1/events"},
      {"POST", "/api/v1/streams/s-1/events"},
      {"GET", "/api/v1/events?after=0"},
      {"GET", "/api/v1/events/subscribe"},
      {"GET", "/api/v1/projections"},
      {"GET", "/api/v1/projections/stream_catalog/parked"},
  };
  for (const auto& call : protected_calls) {
    const auto label = call.method + " " + call.target;
    const std::string body = call.method == "POST" ? "{}" : "";
    const auto reply = HttpRequest(server.port(), call.method, call.target, body,
                                   body.empty() ? std::map<std::string, std::string>{}
                                                : std::map<std::string, std::string>{{"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 401) << label << ": " << reply.body;
    EXPECT_EQ(reply.headers.count("www-authenticate"), 1u) << label;
    const auto json = nlohmann::json::parse(reply.body, nullptr, false);
    const auto error = json.is_object() ? json.value("error", nlohmann::json::object()) : nlohmann::json::object();
    EXPECT_EQ(error.value("code", ""), "unauthorized") << label << ": " << reply.body;
  }
  EXPECT_EQ(server.Terminate(), 0);
}

}  // namespace
}  // namespace docledger::testing
