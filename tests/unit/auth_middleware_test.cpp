// The auth middleware through a Router (no sockets): every combination of missing /
// invalid / valid key x public / read / write / admin route x both header forms; the
// constant-time comparison and the key names.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include "api/middleware/auth.hpp"
#include "api/router.hpp"
#include "infrastructure/config.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

using nlohmann::json;
using InfraRole = infrastructure::Role;

const std::string kReadKey = "read-key-0123456789";
const std::string kWriteKey = "write-key-0123456789";
const std::string kAdminKey = "admin-key-0123456789";

std::string Header(const Response& response, std::string_view name) {
  const auto it = response.find(name);
  return it == response.end() ? "" : std::string(it->value());
}

class AuthMiddlewareTest : public ::testing::Test {
 protected:
  AuthMiddlewareTest() {
    const auto echo = [](const RequestContext& ctx) {
      return JsonResponse(http::status::ok, {{"actor", ctx.actor}, {"role", ToString(ctx.role)}});
    };
    router_.Add(http::verb::get, "/public", Role::kPublic, echo);
    router_.Add(http::verb::get, "/read", Role::kRead, echo);
    router_.Add(http::verb::get, "/write", Role::kWrite, echo);
    router_.Add(http::verb::get, "/admin", Role::kAdmin, echo);
    router_.Use(AuthMiddleware(std::make_shared<const ApiKeyAuthenticator>(
        std::vector<infrastructure::ApiKey>{{InfraRole::kRead, kReadKey},
                                            {InfraRole::kWrite, kWriteKey},
                                            {InfraRole::kAdmin, kAdminKey}})));
  }

  Response Get(const std::string& target, const std::map<std::string, std::string>& headers = {},
               RoutingOutcome* outcome = nullptr) {
    Request request{http::verb::get, target, 11};
    request.set(http::field::host, "test");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.prepare_payload();
    return router_.Handle(request, outcome);
  }

  Router router_;
};

enum class KeyState { kMissing, kInvalid, kRead, kWrite, kAdmin };
enum class HeaderForm { kBearer, kXApiKey };

TEST_F(AuthMiddlewareTest, EveryKeyRouteAndHeaderCombination) {
  struct RouteCase {
    std::string target;
    Role required;
  };
  const std::vector<RouteCase> routes = {{"/public", Role::kPublic},
                                         {"/read", Role::kRead},
                                         {"/write", Role::kWrite},
                                         {"/admin", Role::kAdmin}};
  struct KeyCase {
    KeyState state;
    std::string key;
    Role role;
    std::string name;
  };
  const std::vector<KeyCase> keys = {
      {KeyState::kMissing, "", Role::kPublic, ""},
      {KeyState::kInvalid, "not-a-configured-key", Role::kPublic, ""},
      {KeyState::kRead, kReadKey, Role::kRead, ApiKeyName(InfraRole::kRead, kReadKey)},
      {KeyState::kWrite, kWriteKey, Role::kWrite, ApiKeyName(InfraRole::kWrite, kWriteKey)},
      {KeyState::kAdmin, kAdminKey, Role::kAdmin, ApiKeyName(InfraRole::kAdmin, kAdminKey)}};

  int cases = 0;
  for (const auto form : {HeaderForm::kBearer, HeaderForm::kXApiKey}) {
    for (const auto& route : routes) {
      for (const auto& key : keys) {
        SCOPED_TRACE(route.target + " key=" + (key.key.empty() ? "(none)" : key.key) +
                     (form == HeaderForm::kBearer ? " via Authorization: Bearer" : " via X-API-Key"));
        std::map<std::string, std::string> headers;
        if (key.state != KeyState::kMissing) {
          if (form == HeaderForm::kBearer) {
            headers["Authorization"] = "Bearer " + key.key;
          } else {
            headers["X-API-Key"] = key.key;
          }
        }
        RoutingOutcome outcome;
        const auto response = Get(route.target, headers, &outcome);
        ++cases;
        EXPECT_EQ(outcome.pattern, route.target);
        const json body = json::parse(response.body());

        if (route.required == Role::kPublic) {
          // Public routes skip auth altogether: no identity even with a valid key.
          EXPECT_EQ(response.result(), http::status::ok);
          EXPECT_EQ(body["actor"], "");
          EXPECT_EQ(body["role"], "public");
          EXPECT_EQ(outcome.actor, "");
          continue;
        }
        if (key.state == KeyState::kMissing || key.state == KeyState::kInvalid) {
          EXPECT_EQ(response.result(), http::status::unauthorized);
          EXPECT_EQ(Header(response, "WWW-Authenticate"), "Bearer");
          EXPECT_EQ(body["error"]["code"], "unauthorized");
          const std::string message = body["error"]["message"];
          EXPECT_NE(message.find(key.state == KeyState::kMissing ? "missing" : "invalid"),
                    std::string::npos)
              << message;
          EXPECT_EQ(outcome.actor, "");
          if (!key.key.empty()) {
            EXPECT_EQ(response.body().find(key.key), std::string::npos);
          }
          continue;
        }
        if (key.role < route.required) {
          EXPECT_EQ(response.result(), http::status::forbidden);
          EXPECT_EQ(Header(response, "WWW-Authenticate"), "");
          EXPECT_EQ(body["error"]["code"], "forbidden");
          const std::string required = ToString(route.required);
          EXPECT_NE(body["error"]["message"].get<std::string>().find("requires the " + required + " role"),
                    std::string::npos)
              << body.dump();
          EXPECT_EQ(body["error"]["details"],
                    json::array({{{"required_role", required}, {"role", ToString(key.role)}}}));
          EXPECT_EQ(outcome.actor, key.name) << "a forbidden request is still attributed";
          EXPECT_EQ(response.body().find(key.key), std::string::npos);
          continue;
        }
        EXPECT_EQ(response.result(), http::status::ok) << response.body();
        EXPECT_EQ(body["actor"], key.name);
        EXPECT_EQ(body["role"], ToString(key.role));
        EXPECT_EQ(outcome.actor, key.name);
      }
    }
  }
  EXPECT_EQ(cases, 2 * 4 * 5);
}

TEST_F(AuthMiddlewareTest, BearerSchemeIsCaseInsensitiveAndWhitespaceTrimmed) {
  for (const auto& value : std::vector<std::string>{"bearer " + kReadKey, "BEARER " + kReadKey,
                                                   "Bearer   " + kReadKey + "  ", "Bearer\t" + kReadKey}) {
    EXPECT_EQ(Get("/read", {{"Authorization", value}}).result(), http::status::ok) << value;
  }
  EXPECT_EQ(Get("/read", {{"X-API-Key", "  " + kReadKey + " "}}).result(), http::status::ok);
}

TEST_F(AuthMiddlewareTest, OtherSchemesAndEmptyTokensCountAsMissing) {
  for (const auto& value :
       std::vector<std::string>{"Basic " + kReadKey, "Bearer", "Bearer   ", kReadKey, "Bearer" + kReadKey}) {
    const auto response = Get("/read", {{"Authorization", value}});
    EXPECT_EQ(response.result(), http::status::unauthorized) << value;
    EXPECT_NE(json::parse(response.body())["error"]["message"].get<std::string>().find("missing"),
              std::string::npos);
  }
  EXPECT_EQ(Get("/read", {{"X-API-Key", "   "}}).result(), http::status::unauthorized);
  // Another scheme in Authorization does not hide a valid X-API-Key.
  EXPECT_EQ(Get("/read", {{"Authorization", "Basic dXNlcjpwYXNz"}, {"X-API-Key", kReadKey}}).result(),
            http::status::ok);
}

TEST_F(AuthMiddlewareTest, BearerWinsOverXApiKey) {
  const auto response = Get("/admin", {{"Authorization", "Bearer " + kReadKey}, {"X-API-Key", kAdminKey}});
  EXPECT_EQ(response.result(), http::status::forbidden);
}

TEST_F(AuthMiddlewareTest, KeysAreCaseSensitiveAndNotPrefixMatched) {
  for (const auto& key : std::vector<std::string>{"READ-KEY-0123456789", kReadKey.substr(0, kReadKey.size() - 1),
                                                 kReadKey + "x", "x"}) {
    EXPECT_EQ(Get("/read", {{"X-API-Key", key}}).result(), http::status::unauthorized) << key;
  }
}

TEST_F(AuthMiddlewareTest, RejectedKeysNeverReachTheLog) {
  std::ostringstream out;
  infrastructure::InitLogging(infrastructure::LogFormat::kJson,
                              std::make_shared<spdlog::sinks::ostream_sink_mt>(out),
                              spdlog::level::trace);
  Get("/read", {{"Authorization", "Bearer wrong-secret-value"}});
  Get("/admin", {{"X-API-Key", kReadKey}});
  Get("/admin", {{"X-API-Key", kAdminKey}});
  infrastructure::InitLogging(infrastructure::LogFormat::kText);
  EXPECT_EQ(out.str().find("wrong-secret-value"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find(kReadKey), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find(kAdminKey), std::string::npos) << out.str();
}

TEST(ConstantTimeEqualsTest, EqualOnlyForIdenticalStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret-key", "secret-key"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key", "secret-kez"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key", "Secret-key"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key", "secret-key2"));
  EXPECT_FALSE(ConstantTimeEquals("secret-key", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
  EXPECT_TRUE(ConstantTimeEquals(std::string(1000, 'k'), std::string(1000, 'k')));
}

TEST(Sha256Test, MatchesKnownDigests) {
  const auto hex = [](const Sha256Digest& d) {
    std::string s;
    for (const auto b : d) {
      static constexpr char kHex[] = "0123456789abcdef";
      s += kHex[b >> 4];
      s += kHex[b & 0x0f];
    }
    return s;
  };
  EXPECT_EQ(hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(Sha256("dev-admin-key")),
            "df76ff796f70d2c9cb055ea6280553caa27eda26b70e01082c160de75a05a4a9");
}

TEST(ApiKeyNameTest, RoleAndTheFirstEightHexDigitsOfTheKeysSha256) {
  EXPECT_EQ(ApiKeyName(InfraRole::kAdmin, "dev-admin-key"), "admin-df76ff79");
  EXPECT_EQ(ApiKeyName(InfraRole::kRead, kReadKey), "read-b53f0001");
  EXPECT_EQ(ApiKeyName(InfraRole::kRead, kReadKey), ApiKeyName(InfraRole::kRead, kReadKey));
  const std::regex format("(read|write|admin)-[0-9a-f]{8}");
  for (const auto role : {InfraRole::kRead, InfraRole::kWrite, InfraRole::kAdmin}) {
    const auto name = ApiKeyName(role, kWriteKey);
    EXPECT_TRUE(std::regex_match(name, format)) << name;
    EXPECT_EQ(name.find(kWriteKey), std::string::npos);
  }
  EXPECT_NE(ApiKeyName(InfraRole::kWrite, kWriteKey), ApiKeyName(InfraRole::kWrite, kAdminKey));
}

TEST(ApiKeyAuthenticatorTest, FindsEveryConfiguredKeyAndNamesThemInOrder) {
  const ApiKeyAuthenticator auth({{InfraRole::kAdmin, kAdminKey}, {InfraRole::kRead, kReadKey}});
  EXPECT_EQ(auth.KeyNames(), (std::vector<std::string>{ApiKeyName(InfraRole::kAdmin, kAdminKey),
                                                       ApiKeyName(InfraRole::kRead, kReadKey)}));
  const auto admin = auth.Authenticate(kAdminKey);
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->role, Role::kAdmin);
  const auto read = auth.Authenticate(kReadKey);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->role, Role::kRead);
  EXPECT_EQ(read->name, "read-b53f0001");
  EXPECT_FALSE(auth.Authenticate(kWriteKey).has_value());
  EXPECT_FALSE(auth.Authenticate("").has_value());
  EXPECT_FALSE(ApiKeyAuthenticator({}).Authenticate(kAdminKey).has_value());
}

TEST(RoleMappingTest, ConfigRolesMapToRouteRolesInOrder) {
  EXPECT_EQ(ToApiRole(InfraRole::kRead), Role::kRead);
  EXPECT_EQ(ToApiRole(InfraRole::kWrite), Role::kWrite);
  EXPECT_EQ(ToApiRole(InfraRole::kAdmin), Role::kAdmin);
  EXPECT_LT(Role::kPublic, Role::kRead);
  EXPECT_LT(Role::kRead, Role::kWrite);
  EXPECT_LT(Role::kWrite, Role::kAdmin);
}

}  // namespace
}  // namespace docledger::api
