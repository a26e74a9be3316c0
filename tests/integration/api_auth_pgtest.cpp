// Auth and roles for every routed v1 operation, on a real server: no key is 401, a key
// whose role is below the route's is 403, a key with the route's role gets past auth.
#include "api/middleware/auth.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/route_targets.hpp"

#include <map>
#include <optional>
#include <set>

namespace docledger::testing {
namespace {

const std::string kReadKey = "read-key-0123456789abcdef0123456789";
const std::string kWriteKey = "write-key-0123456789abcdef012345678";
const std::string kAdminKey = "admin-key-0123456789abcdef012345678";

class ApiAuth : public ApiTest {
 protected:
  void ConfigureRouter(api::Router& router) override {
    const std::vector<infrastructure::ApiKey> keys = {{infrastructure::Role::kRead, kReadKey},
                                                      {infrastructure::Role::kWrite, kWriteKey},
                                                      {infrastructure::Role::kAdmin, kAdminKey}};
    router.Use(api::AuthMiddleware(std::make_shared<const api::ApiKeyAuthenticator>(keys)));
  }
  static const std::string& KeyFor(api::Role role) {
    return role == api::Role::kAdmin ? kAdminKey : role == api::Role::kWrite ? kWriteKey : kReadKey;
  }
};

TEST_F(ApiAuth, EveryRouteChecksTheKeyAndTheRole) {
  int checked = 0;
  for (const auto& route : router_.Routes()) {
    if (route.role == api::Role::kPublic) continue;
    const std::string method(api::http::to_string(route.method));
    const auto target = ConcreteTarget(route.pattern);
    const std::string body = route.method == api::http::verb::get || route.method == api::http::verb::delete_ ? "" : "{}";
    const auto label = method + " " + route.pattern;

    const auto anonymous = Call(method, target, body);
    EXPECT_EQ(anonymous.status, 401) << label;
    EXPECT_EQ(anonymous.headers.count("www-authenticate"), 1u) << label;
    EXPECT_EQ(Call(method, target, body, {{"Authorization", "Bearer wrong-key"}}).status, 401) << label;
    if (route.role != api::Role::kRead) {
      const auto below = route.role == api::Role::kAdmin ? kWriteKey : kReadKey;
      const auto refused = Call(method, target, body, {{"X-API-Key", below}});
      EXPECT_EQ(refused.status, 403) << label;
      EXPECT_EQ(Json(refused)["error"]["code"], "forbidden") << label;
    }
    if (route.pattern != "/api/v1/events/subscribe") {  // would stream
      const auto allowed = Call(method, target, body, {{"Authorization", "Bearer " + KeyFor(route.role)}});
      EXPECT_NE(allowed.status, 401) << label;
      EXPECT_NE(allowed.status, 403) << label;
      EXPECT_LT(allowed.status, 500) << label << ": " << allowed.body;
    }
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

// The access policy as a literal table, written independently of the router's own
// declarations: a route whose role changes, or a route added without a line here, fails.
struct RouteRole {
  std::string method;
  std::string pattern;
  api::Role role;
};
const std::vector<RouteRole> kAccessPolicy = {
    {"POST", "/api/v1/projects", api::Role::kWrite},
    {"GET", "/api/v1/projects", api::Role::kRead},
    {"GET", "/api/v1/projects/{id}", api::Role::kRead},
    {"PUT", "/api/v1/projects/{id}", api::Role::kWrite},
    {"DELETE", "/api/v1/projects/{id}", api::Role::kAdmin},
    {"POST", "/api/v1/projects/{id}/extractions", api::Role::kWrite},
    {"GET", "/api/v1/projects/{id}/extractions", api::Role::kRead},
    {"GET", "/api/v1/projects/{id}/sources", api::Role::kRead},
    {"GET", "/api/v1/extractions/{id}", api::Role::kRead},
    {"POST", "/api/v1/documents", api::Role::kWrite},
    {"GET", "/api/v1/documents", api::Role::kRead},
    {"GET", "/api/v1/documents/{id}", api::Role::kRead},
    {"GET", "/api/v1/documents/{id}/content", api::Role::kRead},
    {"DELETE", "/api/v1/documents/{id}", api::Role::kWrite},
    {"POST", "/api/v1/documents/{id}/erase", api::Role::kAdmin},
    {"POST", "/api/v1/documents/{id}/conversion", api::Role::kWrite},
    {"GET", "/api/v1/documents/{id}/semantic-ir", api::Role::kRead},
    {"POST", "/api/v1/jobs", api::Role::kWrite},
    {"GET", "/api/v1/jobs/{id}", api::Role::kRead},
    {"POST", "/api/v1/jobs/{id}/complete", api::Role::kWrite},
    {"POST", "/api/v1/jobs/{id}/fail", api::Role::kWrite},
    {"GET", "/api/v1/alerts", api::Role::kRead},
    {"POST", "/api/v1/recovery", api::Role::kAdmin},
    {"GET", "/api/v1/streams/{stream_id}/events", api::Role::kRead},
    {"POST", "/api/v1/streams/{stream_id}/events", api::Role::kWrite},
    {"GET", "/api/v1/events", api::Role::kAdmin},
    {"GET", "/api/v1/events/subscribe", api::Role::kAdmin},
    {"GET", "/api/v1/projections", api::Role::kRead},
    {"GET", "/api/v1/projections/{name}/parked", api::Role::kAdmin},
    {"POST", "/api/v1/projections/{name}/parked/{sequence}/retry", api::Role::kAdmin},
    {"POST", "/api/v1/projections/{name}/parked/{sequence}/skip", api::Role::kAdmin},
    {"POST", "/api/v1/subscriptions", api::Role::kAdmin},
    {"GET", "/api/v1/subscriptions", api::Role::kAdmin},
    {"GET", "/api/v1/subscriptions/{id}", api::Role::kAdmin},
    {"PATCH", "/api/v1/subscriptions/{id}", api::Role::kAdmin},
    {"DELETE", "/api/v1/subscriptions/{id}", api::Role::kAdmin},
    {"POST", "/api/v1/subscriptions/{id}/rewind", api::Role::kAdmin},
    {"POST", "/api/v1/subscriptions/{id}/rotate-secret", api::Role::kAdmin},
    {"GET", "/api/v1/subscriptions/{id}/deliveries", api::Role::kAdmin},
};

// What each caller gets from a route that needs `required`: 401 without a valid key, 403
// below the role, and past auth (neither) at or above it.
int ExpectedAuthStatus(std::optional<api::Role> caller, api::Role required) {
  if (!caller) return 401;
  return static_cast<int>(*caller) < static_cast<int>(required) ? 403 : 0;
}

TEST_F(ApiAuth, EveryRouteAndRoleGetTheStatusOfTheAccessPolicyTable) {
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : router_.Routes()) {
    if (route.role == api::Role::kPublic) continue;
    routed.emplace(std::string(api::http::to_string(route.method)), route.pattern);
  }
  std::set<std::pair<std::string, std::string>> tabled;
  for (const auto& rule : kAccessPolicy) tabled.emplace(rule.method, rule.pattern);
  EXPECT_EQ(routed, tabled) << "a v1 route and the access policy table differ";

  const std::vector<std::pair<std::optional<api::Role>, std::string>> callers = {
      {std::nullopt, ""}, {api::Role::kRead, kReadKey}, {api::Role::kWrite, kWriteKey}, {api::Role::kAdmin, kAdminKey}};
  int cells = 0;
  for (const auto& rule : kAccessPolicy) {
    if (rule.pattern == "/api/v1/events/subscribe") continue;  // allowed calls would stream; checked above
    const std::string body = rule.method == "GET" || rule.method == "DELETE" ? "" : "{}";
    for (const auto& [role, key] : callers) {
      std::map<std::string, std::string> headers;
      if (!key.empty()) headers["X-API-Key"] = key;
      const auto reply = Call(rule.method, ConcreteTarget(rule.pattern), body, headers);
      const auto label = rule.method + " " + rule.pattern + " as " + (key.empty() ? "anonymous" : key.substr(0, key.find('-')));
      const int expected = ExpectedAuthStatus(role, rule.role);
      if (expected != 0) {
        EXPECT_EQ(reply.status, expected) << label;
      } else {
        EXPECT_NE(reply.status, 401) << label;
        EXPECT_NE(reply.status, 403) << label;
        EXPECT_LT(reply.status, 500) << label << ": " << reply.body;
      }
      ++cells;
    }
  }
  EXPECT_EQ(cells, static_cast<int>(kAccessPolicy.size() - 1) * 4);
}

TEST_F(ApiAuth, TheActorOfAWriteIsTheKeysName) {
  const auto reply = Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "crawl"}}, {{"X-API-Key", kWriteKey}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const auto metadata = nlohmann::json::parse(Sql("SELECT metadata::text FROM events")[0][0].c_str());
  EXPECT_EQ(metadata["actor"], api::ApiKeyName(infrastructure::Role::kWrite, kWriteKey));
  EXPECT_EQ(metadata["actor"].get<std::string>().rfind("write-", 0), 0u);
}

}  // namespace
}  // namespace docledger::testing
