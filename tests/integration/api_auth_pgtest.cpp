// Auth and roles for every routed v1 operation, on a real server: no key is 401, a key
// whose role is below the route's is 403, a key with the route's role gets past auth.
#include "api/middleware/auth.hpp"
#include "tests/support/api_fixture.hpp"

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
  static std::string Target(const std::string& pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] != '{') {
        out += pattern[i];
        continue;
      }
      const auto close = pattern.find('}', i);
      out += pattern.substr(i, close - i + 1) == "{stream_id}" ? "stream-1" : "00000000-0000-4000-8000-000000000000";
      i = close;
    }
    return out;
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
    const auto target = Target(route.pattern);
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

TEST_F(ApiAuth, TheActorOfAWriteIsTheKeysName) {
  const auto reply = Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "crawl"}}, {{"X-API-Key", kWriteKey}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const auto metadata = nlohmann::json::parse(Sql("SELECT metadata::text FROM events")[0][0].c_str());
  EXPECT_EQ(metadata["actor"], api::ApiKeyName(infrastructure::Role::kWrite, kWriteKey));
  EXPECT_EQ(metadata["actor"].get<std::string>().rfind("write-", 0), 0u);
}

}  // namespace
}  // namespace docledger::testing
