// Caching and hardening headers over a real server and PostgreSQL (issue 18, sections 4
// and 5): ETag/304 on lists and document views without building a body, Cache-Control by
// kind of response, nosniff everywhere, CORS for the allowed origin only, stored bytes
// never rendered.
#include "tests/support/api_fixture.hpp"

namespace docledger::testing {
namespace {

constexpr const char* kAllowedOrigin = "https://app.example.com";
using Headers = std::map<std::string, std::string>;

class ResponseHeaders : public ApiTest {
 protected:
  void ConfigureRouter(api::Router& router) override {
    router.SetResponsePolicy({/*read_max_age_seconds=*/5, {kAllowedOrigin}});
  }
  std::string CreateProject() {
    const auto reply = Call("POST", "/api/v1/projects", nlohmann::json{{"name", "P"}, {"entity_types", {"invoice"}}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply)["project_id"];
  }
  HttpReply Upload(const std::string& project, const std::string& content, const std::string& type = "application/pdf") {
    return Call("POST", "/api/v1/documents",
                nlohmann::json{{"project_id", project}, {"filename", "a"}, {"content_type", type}, {"content", content}});
  }
  static std::string Header(const HttpReply& reply, const std::string& name) {
    const auto it = reply.headers.find(name);
    return it == reply.headers.end() ? "" : it->second;
  }
};

TEST_F(ResponseHeaders, ListPagesAreAnswered304UntilTheirReadModelMoves) {
  const auto project = CreateProject();
  ASSERT_EQ(Upload(project, "one").status, 201);
  CatchUpAll();
  const std::string list = "/api/v1/documents?project_id=" + project;
  const auto first = Call("GET", list);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto etag = Header(first, "etag");
  EXPECT_EQ(etag.rfind("W/\"document_views-", 0), 0u) << etag;
  EXPECT_EQ(Header(first, "cache-control"), "private, max-age=5, must-revalidate");

  const auto again = Call("GET", list, std::string(), Headers{{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Header(again, "etag"), etag);

  ASSERT_EQ(Upload(project, "two").status, 201);
  CatchUpAll();
  const auto moved = Call("GET", list, std::string(), Headers{{"If-None-Match", etag}});
  ASSERT_EQ(moved.status, 200);
  EXPECT_NE(Header(moved, "etag"), etag);
  EXPECT_EQ(Json(moved)["items"].size(), 2u);
  // Every list endpoint carries one.
  for (const std::string& path : std::vector<std::string>{"/api/v1/projects", "/api/v1/alerts", "/api/v1/projects/" + project + "/extractions",
                                                             "/api/v1/projects/" + project + "/sources"}) {
    const auto reply = Call("GET", path);
    EXPECT_EQ(reply.status, 200) << path << " " << reply.body;
    EXPECT_EQ(reply.headers.count("etag"), 1u) << path;
  }
}

TEST_F(ResponseHeaders, ADocumentViewIsAnswered304FromItsVersion) {
  const auto project = CreateProject();
  const auto uploaded = Upload(project, "bytes");
  ASSERT_EQ(uploaded.status, 201);
  const std::string id = Json(uploaded)["document_id"];
  CatchUpAll();
  const auto view = Call("GET", "/api/v1/documents/" + id);
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(Header(view, "cache-control"), "private, max-age=5, must-revalidate");
  const auto same = Call("GET", "/api/v1/documents/" + id, std::string(), Headers{{"If-None-Match", Header(view, "etag")}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  const auto other = Call("GET", "/api/v1/documents/" + id, std::string(), Headers{{"If-None-Match", "\"999\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(Json(other)["document_id"], id);
  const auto missing = Call("GET", "/api/v1/documents/00000000-0000-4000-8000-000000000001", std::string(),
                            Headers{{"If-None-Match", "\"1\""}});
  EXPECT_EQ(missing.status, 404);
}

TEST_F(ResponseHeaders, WritesErrorsAndStoredBytesAreNeverCachedAndNothingIsSniffed) {
  const auto project = CreateProject();
  const auto uploaded = Upload(project, "<html><script>alert(1)</script></html>", "text/html");
  ASSERT_EQ(uploaded.status, 201);
  EXPECT_EQ(Header(uploaded, "cache-control"), "no-store");
  EXPECT_EQ(Header(uploaded, "x-content-type-options"), "nosniff");
  const std::string id = Json(uploaded)["document_id"];
  CatchUpAll();
  const auto bytes = Call("GET", "/api/v1/documents/" + id + "/content");
  ASSERT_EQ(bytes.status, 200);
  EXPECT_EQ(Header(bytes, "cache-control"), "no-store");
  EXPECT_EQ(Header(bytes, "content-disposition"), "attachment");
  EXPECT_EQ(Header(bytes, "content-security-policy").rfind("sandbox", 0), 0u);
  EXPECT_EQ(Header(bytes, "x-content-type-options"), "nosniff");
  const auto error = Call("GET", "/api/v1/documents/not-a-uuid");
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(Header(error, "cache-control"), "no-store");
  EXPECT_EQ(Header(error, "x-content-type-options"), "nosniff");
}

TEST_F(ResponseHeaders, CorsAnswersOnlyTheAllowedOrigin) {
  const Headers preflight{{"Origin", kAllowedOrigin},
                                                     {"Access-Control-Request-Method", "POST"}};
  const auto allowed = Call("OPTIONS", "/api/v1/documents", std::string(), preflight);
  EXPECT_EQ(allowed.status, 204);
  EXPECT_EQ(Header(allowed, "access-control-allow-origin"), kAllowedOrigin);
  EXPECT_NE(Header(allowed, "access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_NE(Header(allowed, "access-control-allow-headers").find("Authorization"), std::string::npos);

  const auto refused = Call("OPTIONS", "/api/v1/documents", std::string(),
                            Headers{{"Origin", "https://evil.example.net"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.headers.count("access-control-allow-origin"), 0u);

  const auto read = Call("GET", "/api/v1/projects", std::string(), Headers{{"Origin", kAllowedOrigin}});
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(Header(read, "access-control-allow-origin"), kAllowedOrigin);
  EXPECT_EQ(Header(read, "vary"), "Origin");
  EXPECT_NE(Header(read, "access-control-expose-headers").find("ETag"), std::string::npos);
  const auto foreign = Call("GET", "/api/v1/projects", std::string(), Headers{{"Origin", "https://evil.example.net"}});
  EXPECT_EQ(foreign.status, 200);
  EXPECT_EQ(foreign.headers.count("access-control-allow-origin"), 0u);
}

}  // namespace
}  // namespace docledger::testing
