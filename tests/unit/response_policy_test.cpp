// The headers every response gets (api/response_policy.*), without sockets.
#include <gtest/gtest.h>

#include "api/response_policy.hpp"

namespace docledger::api {
namespace {

Request MakeRequest(http::verb method, std::map<std::string, std::string> headers = {}) {
  Request request{method, "/x", 11};
  for (const auto& [name, value] : headers) request.set(name, value);
  return request;
}

std::string Header(const Response& response, std::string_view name) {
  const auto it = response.find(name);
  return it == response.end() ? "" : std::string(it->value());
}

TEST(ResponsePolicy, ReadsWithAValidatorAreCacheableEverythingElseIsNotStored) {
  const ResponsePolicy policy{7, {}};
  Response read{http::status::ok, 11};
  read.set(http::field::etag, "\"3\"");
  ApplyResponsePolicy(policy, MakeRequest(http::verb::get), read);
  EXPECT_EQ(Header(read, "Cache-Control"), "private, max-age=7, must-revalidate");
  EXPECT_EQ(Header(read, "X-Content-Type-Options"), "nosniff");

  Response not_modified{http::status::not_modified, 11};
  not_modified.set(http::field::etag, "\"3\"");
  ApplyResponsePolicy(policy, MakeRequest(http::verb::head), not_modified);
  EXPECT_EQ(Header(not_modified, "Cache-Control"), "private, max-age=7, must-revalidate");

  Response created{http::status::created, 11};
  created.set(http::field::etag, "\"1\"");
  ApplyResponsePolicy(policy, MakeRequest(http::verb::post), created);
  EXPECT_EQ(Header(created, "Cache-Control"), "no-store");

  Response unvalidated{http::status::ok, 11};
  ApplyResponsePolicy(policy, MakeRequest(http::verb::get), unvalidated);
  EXPECT_EQ(Header(unvalidated, "Cache-Control"), "no-store");

  Response own{http::status::ok, 11};
  own.set(http::field::cache_control, "no-cache");
  ApplyResponsePolicy(policy, MakeRequest(http::verb::get), own);
  EXPECT_EQ(Header(own, "Cache-Control"), "no-cache");
}

TEST(ResponsePolicy, OnlyHtmlGetsAContentSecurityPolicy) {
  Response html{http::status::ok, 11};
  html.set(http::field::content_type, "text/html; charset=utf-8");
  ApplyResponsePolicy({}, MakeRequest(http::verb::get), html);
  EXPECT_EQ(Header(html, "Content-Security-Policy"), kHtmlContentSecurityPolicy);
  Response json{http::status::ok, 11};
  json.set(http::field::content_type, "application/json");
  ApplyResponsePolicy({}, MakeRequest(http::verb::get), json);
  EXPECT_EQ(Header(json, "Content-Security-Policy"), "");
}

TEST(ResponsePolicy, CorsIsOffUnlessTheOriginIsListed) {
  const std::map<std::string, std::string> preflight{{"Origin", "https://a.example"},
                                                     {"Access-Control-Request-Method", "PUT"}};
  EXPECT_FALSE(CorsPreflight({}, MakeRequest(http::verb::options, preflight)));
  const ResponsePolicy listed{0, {"https://a.example"}};
  const auto answer = CorsPreflight(listed, MakeRequest(http::verb::options, preflight));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result(), http::status::no_content);
  EXPECT_EQ(Header(*answer, "Access-Control-Allow-Origin"), "https://a.example");
  EXPECT_FALSE(CorsPreflight(listed, MakeRequest(http::verb::options, {{"Origin", "https://b.example"},
                                                                      {"Access-Control-Request-Method", "PUT"}})));
  EXPECT_FALSE(CorsPreflight(listed, MakeRequest(http::verb::options, {{"Origin", "https://a.example"}})));
  const ResponsePolicy any{0, {"*"}};
  Response response{http::status::ok, 11};
  ApplyResponsePolicy(any, MakeRequest(http::verb::get, {{"Origin", "https://c.example"}}), response);
  EXPECT_EQ(Header(response, "Access-Control-Allow-Origin"), "https://c.example");
  EXPECT_EQ(Header(response, "Vary"), "Origin");
  Response none{http::status::ok, 11};
  ApplyResponsePolicy(listed, MakeRequest(http::verb::get), none);
  EXPECT_EQ(Header(none, "Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace docledger::api
