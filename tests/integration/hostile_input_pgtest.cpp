// Hostile input against the real server (v1 routes, PostgreSQL), as raw bytes over sockets:
// malformed, truncated, deep, huge, invalid UTF-8, NUL bytes, lying lengths, traversal,
// SQL metacharacters, duplicate keys, out-of-range numbers. Each gets its 4xx with the JSON
// error body (never a 500, never a silent close where an answer is possible); afterwards the
// server still answers and the event log holds exactly what the accepted requests wrote.
#include <string>
#include <vector>

#include "api/handlers/health_handler.hpp"
#include "api/handlers/openapi_handler.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/raw_http.hpp"

namespace docledger::testing {
namespace {

using namespace std::string_literals;

const std::string kJson = "Content-Type: application/json";
const std::string kDropTable = "'; DROP TABLE events; --";
const std::string kDropTableEncoded = "%27%3B%20DROP%20TABLE%20events%3B%20--";

class HostileInput : public ApiTest {
 protected:
  void ConfigureRouter(api::Router& router) override {
    api::AddHealthRoutes(router, {"test", [] { return api::ReadinessReport{true, ""}; }});
    api::AddOpenApiRoute(router);
  }
  RawReply Send(const std::string& bytes) {
    const auto exchange = RawHttp(server_->Port(), bytes);
    return exchange.First();
  }
  RawReply Post(const std::string& target, const std::string& body, std::vector<std::string> headers = {kJson}) {
    return Send(RawRequest("POST", target, body, headers));
  }
  RawReply Get(const std::string& target) { return Send(RawRequest("GET", target)); }

  // A write that succeeded: remember how many events it reports, to compare with the log.
  void Written(const RawReply& reply) {
    ASSERT_TRUE(reply.status == 200 || reply.status == 201) << reply.status << " " << reply.body;
    const auto body = nlohmann::json::parse(reply.body);
    written_ += static_cast<std::int64_t>(body.at("events").size());
  }

  std::int64_t written_ = 0;
};

// The answer has `status`, the design's error body and the correlation id of its header.
void ExpectError(const RawReply& reply, int status, const std::string& code = "") {
  ASSERT_EQ(reply.status, status) << reply.body;
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << reply.body;
  ASSERT_TRUE(body.contains("error")) << reply.body;
  const auto& error = body["error"];
  ASSERT_TRUE(error.is_object());
  ASSERT_TRUE(error.contains("code") && error["code"].is_string()) << reply.body;
  ASSERT_TRUE(error.contains("message") && error["message"].is_string()) << reply.body;
  ASSERT_TRUE(error.contains("details") && error["details"].is_array()) << reply.body;
  ASSERT_TRUE(error.contains("correlation_id") && error["correlation_id"].is_string()) << reply.body;
  EXPECT_EQ(error["correlation_id"], reply.Header("x-correlation-id"));
  EXPECT_EQ(reply.Header("content-type"), "application/json");
  if (!code.empty()) {
    EXPECT_EQ(error["code"], code) << reply.body;
  }
}

// ExpectError with the line of the call in the failure message.
#define EXPECT_ERROR(...)      \
  do {                         \
    SCOPED_TRACE("request");   \
    ExpectError(__VA_ARGS__);  \
  } while (false)

bool HasDetailPath(const RawReply& reply, const std::string& path) {
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  if (!body.is_object()) return false;
  for (const auto& detail : body["error"]["details"]) {
    if (detail.value("path", "") == path) return true;
  }
  return false;
}

std::string Chunked(const std::string& target, const std::vector<std::string>& chunks) {
  std::string out = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + kJson + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size[32];
  for (const auto& chunk : chunks) {
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    out += size + chunk + "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST_F(HostileInput, EveryHostileRequestGetsItsClientErrorAndTheStoreStaysIntact) {
  // Something to aim at: a project and a document.
  const auto project_reply = Post("/api/v1/projects", R"({"name":"Target","entity_types":["invoice"]})");
  Written(project_reply);
  const std::string project = nlohmann::json::parse(project_reply.body)["project_id"];
  const auto document_reply =
      Post("/api/v1/documents", R"({"project_id":")" + project + R"(","filename":"a.pdf","content":"%PDF"})");
  Written(document_reply);
  const std::string document = nlohmann::json::parse(document_reply.body)["document_id"];
  const std::string job = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
  const auto valid_event = [&](const std::string& payload_extra = "") {
    return R"({"events":[{"event_type":"JobCompleted","payload":{"job_id":")" + job + R"(","result":{)" +
           payload_extra + "}}}]}";
  };

  {
    SCOPED_TRACE("malformed and truncated JSON, wrong types");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":)"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"Inv)"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"x"} trailing)"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", "name=x"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", "{\"name\":\"x\",}"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", "[1,2]"), 422, "validation_failed");
    EXPECT_ERROR(Post("/api/v1/projects", "\"just a string\""), 422, "validation_failed");
    const auto types = Post("/api/v1/projects", R"({"name":5,"entity_types":"invoice","json_schema":[],"size":{}})");
    EXPECT_ERROR(types, 422, "validation_failed");
    for (const auto* path : {"/name", "/entity_types", "/json_schema", "/size"}) {
      EXPECT_TRUE(HasDetailPath(types, path)) << path << " " << types.body;
    }
    EXPECT_ERROR(Post("/api/v1/streams/hostile-types/events", R"({"events":{"event_type":1}})"), 422);
    EXPECT_ERROR(Post("/api/v1/streams/hostile-types/events",
                     R"({"expected_version":18446744073709551615,"events":[{"event_type":"JobCompleted","payload":{}}]})"),
                422);
    EXPECT_ERROR(Post("/api/v1/jobs/" + job + "/fail", R"({"error_type":["x"]})"), 422);
    EXPECT_ERROR(Post("/api/v1/projects", "{}", {"Content-Type: text/plain"}), 415, "unsupported_media_type");
    EXPECT_ERROR(Post("/api/v1/projects", ""), 400);
  }
  {
    SCOPED_TRACE("huge and many unknown field names are named briefly, never echoed whole");
    const std::string huge = "\u00e9" + std::string(1 << 20, 'k') + "/~";
    const auto long_name = Post("/api/v1/projects", R"({"name":"x",")" + huge + R"(":1})");
    EXPECT_ERROR(long_name, 422, "validation_failed");
    EXPECT_LT(long_name.body.size(), 2048u);
    EXPECT_TRUE(HasDetailPath(long_name, "/\xC3\xA9" + std::string(62, 'k') + "...")) << long_name.body;
    std::string many = R"({"events":[{"event_type":"JobCompleted","payload":{"job_id":")" + job + R"("})";
    for (int i = 0; i < 5000; ++i) many += ",\"extra" + std::to_string(i) + "\":" + std::to_string(i);
    const auto many_names = Post("/api/v1/streams/hostile-unknown/events", many + "}]}");
    EXPECT_ERROR(many_names, 422, "validation_failed");
    EXPECT_LT(many_names.body.size(), 8192u);
    EXPECT_TRUE(HasDetailPath(many_names, "/events/0")) << "one issue counts the rest";
    const auto slashes = Post("/api/v1/projects", R"({"name":"x","a/b~c":1})");
    EXPECT_TRUE(HasDetailPath(slashes, "/a~1b~0c")) << slashes.body;
  }
  {
    SCOPED_TRACE("deep nesting");
    EXPECT_ERROR(Post("/api/v1/projects", std::string(10000, '[')), 400);
    EXPECT_ERROR(Post("/api/v1/projects", std::string(10000, '[') + std::string(10000, ']')), 400);
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"x","json_schema":{"a":)" + std::string(10000, '[') +
                                             std::string(10000, ']') + "}}"),
                400);
    std::string objects;
    for (int i = 0; i < 10000; ++i) objects += R"({"a":)";
    EXPECT_ERROR(Post("/api/v1/streams/hostile-deep/events", objects + "1" + std::string(10000, '}')), 400);
  }
  {
    SCOPED_TRACE("5 MB strings");
    const std::string huge(5 * 1024 * 1024, 'a');
    const auto name = Post("/api/v1/projects", R"({"name":")" + huge + R"("})");
    EXPECT_ERROR(name, 422, "validation_failed");
    EXPECT_TRUE(HasDetailPath(name, "/name")) << name.body.substr(0, 500);
    EXPECT_LT(name.body.size(), 64u * 1024) << "the error must not echo the 5 MB";
    EXPECT_ERROR(Post("/api/v1/documents/" + document + "/conversion", R"({"markdown":")" + huge + R"("})"), 422);
    EXPECT_ERROR(Post("/api/v1/streams/hostile-huge/events", valid_event(R"("blob":")" + huge + R"(")")), 422);
    EXPECT_ERROR(Post("/api/v1/projects", R"({")" + huge + R"(":1})"), 422);
  }
  {
    SCOPED_TRACE("bodies over the 8 MB limit");
    const std::string length = std::to_string(9 * 1024 * 1024);
    EXPECT_ERROR(Send(RawRequest("POST", "/api/v1/projects", "", {kJson}, &length)), 413, "payload_too_large");
    EXPECT_ERROR(Send(RawRequest("POST", "/api/v1/projects", "", {kJson, "Expect: 100-continue"}, &length)), 413,
                "payload_too_large");
    std::vector<std::string> chunks(9, std::string(1024 * 1024, ' '));
    EXPECT_ERROR(Send(Chunked("/api/v1/projects", chunks)), 413, "payload_too_large");
    EXPECT_ERROR(Post("/api/v1/projects", std::string(9 * 1024 * 1024, ' ')), 413, "payload_too_large");
  }
  {
    SCOPED_TRACE("invalid UTF-8");
    EXPECT_ERROR(Post("/api/v1/projects", "{\"name\":\"\xff\xfe\"}"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", "{\"name\":\"\xc0\xaf\"}"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", "{\"name\":\"\xed\xa0\x80\"}"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"\ud800"})"), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", "{\"\xff\":1}"), 400, "malformed_json");
    EXPECT_ERROR(Get("/api/v1/streams/%FF%FE/events"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/streams/%C0%AF/events"), 404, "not_found");
    EXPECT_ERROR(Post("/api/v1/streams/%FF%FE/events", valid_event()), 422, "validation_failed");
    EXPECT_ERROR(Get("/api/v1/projects/%FF"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/documents?project_id=%FF"), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/projects?cursor=ff7c00"), 400, "bad_request");
    EXPECT_ERROR(Send("DELETE /api/v1/documents/" + document + "?reason=%FF HTTP/1.1\r\nHost: x\r\n\r\n"), 422);
    const auto raw = Get("/api/v1/streams/\xff\xfe/events");
    EXPECT_TRUE(raw.status == 400 || raw.status == 404) << raw.status;
    EXPECT_ERROR(raw, raw.status);
  }
  {
    SCOPED_TRACE("NUL bytes");
    EXPECT_ERROR(Post("/api/v1/projects", "{\"name\":\"a\0b\"}"s), 400, "malformed_json");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"a\u0000b"})"), 422, "validation_failed");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"x","json_schema":{"type":"object","\u0000":1}})"), 422);
    EXPECT_ERROR(Post("/api/v1/streams/hostile-nul/events", valid_event(R"("x":"\u0000")")), 422);
    EXPECT_ERROR(Post("/api/v1/jobs/" + job + "/fail", R"({"error_type":"E\u0000"})"), 404);
    EXPECT_ERROR(Get("/api/v1/streams/a%00b/events"), 404, "not_found");
    EXPECT_ERROR(Post("/api/v1/streams/a%00b/events", valid_event()), 422, "validation_failed");
    EXPECT_ERROR(Get("/api/v1/projects/%00"), 404);
    EXPECT_ERROR(Get("/api/v1/documents?project_id=%00"), 400);
    EXPECT_ERROR(Get("/api/v1/projects?cursor=%00"), 400);
    EXPECT_ERROR(Get("/api/v1/events?after=%00"), 400);
    EXPECT_ERROR(Send("GET /api/v1/projects HTTP/1.1\r\nHost: x\r\nX-Test: a\0b\r\n\r\n"s), 400);
    EXPECT_ERROR(Send("GET /api/v1/pro\0jects HTTP/1.1\r\nHost: x\r\n\r\n"s), 400);
  }
  {
    SCOPED_TRACE("huge headers");
    EXPECT_ERROR(Send(RawRequest("GET", "/api/v1/projects", "", {"X-Filler: " + std::string(20000, 'x')})), 431,
                "headers_too_large");
    std::vector<std::string> many;
    for (int i = 0; i < 2000; ++i) many.push_back("X-H" + std::to_string(i) + ": v");
    EXPECT_ERROR(Send(RawRequest("GET", "/api/v1/projects", "", many)), 431, "headers_too_large");
    EXPECT_ERROR(Get("/api/v1/streams/" + std::string(20000, 's') + "/events"), 431);
  }
  {
    SCOPED_TRACE("unknown routes and methods");
    EXPECT_ERROR(Get("/api/v1/nothing"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v2/projects"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/projects/" + project + "/extractions/extra"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/projects//extractions"), 404, "not_found");
    const auto patch = Send(RawRequest("PATCH", "/api/v1/projects", "{}", {kJson}));
    EXPECT_ERROR(patch, 405, "method_not_allowed");
    EXPECT_EQ(patch.Header("allow"), "GET, HEAD, POST");
    const auto unknown = Send(RawRequest("BREW", "/api/v1/projects/" + project));
    EXPECT_ERROR(unknown, 405, "method_not_allowed");
    EXPECT_EQ(unknown.Header("allow"), "DELETE, GET, HEAD, PUT");
    EXPECT_ERROR(Send("GET * HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    EXPECT_ERROR(Send("GET http://example.org/api/v1/projects HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    EXPECT_ERROR(Send("HELLO\r\n\r\n"), 400);
    EXPECT_ERROR(Send("GET /health/live HTTP/9.9\r\n\r\n"), 400);
  }
  {
    SCOPED_TRACE("path traversal");
    EXPECT_ERROR(Get("/api/v1/documents/..%2F..%2Fetc%2Fpasswd"), 404, "not_found");
    EXPECT_ERROR(Send(RawRequest("DELETE", "/api/v1/documents/..%2F..%2Fetc%2Fpasswd")), 404, "not_found");
    EXPECT_ERROR(Post("/api/v1/documents/..%2F..%2Fetc%2Fpasswd/conversion", R"({"markdown":"x"})"), 404);
    EXPECT_ERROR(Get("/api/v1/documents/../../etc/passwd"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/streams/..%2f/events"), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/streams/..%2f..%2f..%2fetc%2fpasswd/events"), 404, "not_found");
    EXPECT_ERROR(Get("/openapi.json/..%2f..%2fetc%2fpasswd"), 404, "not_found");
  }
  {
    SCOPED_TRACE("SQL metacharacters");
    EXPECT_ERROR(Get("/api/v1/projects/" + kDropTableEncoded), 404, "not_found");
    EXPECT_ERROR(Get("/api/v1/documents?project_id=" + kDropTableEncoded), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/documents?status=" + kDropTableEncoded), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/projects?cursor=" + kDropTableEncoded), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/projects?limit=" + kDropTableEncoded), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/events?after=" + kDropTableEncoded), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/documents/" + document + "/semantic-ir?type=" + kDropTableEncoded), 400);
    EXPECT_ERROR(Get("/api/v1/streams/" + kDropTableEncoded + "/events"), 404, "not_found");
    EXPECT_ERROR(Post("/api/v1/projects/" + project + "/extractions",
                     R"({"document_id":")" + kDropTable + R"(","entity_type":"invoice","data":{}})"),
                422);
    // As data, the text is just text: stored and read back verbatim.
    const auto stored = Post("/api/v1/streams/" + kDropTableEncoded + "/events", valid_event());
    Written(stored);
    EXPECT_EQ(nlohmann::json::parse(stored.body)["stream_id"], kDropTable);
    const auto read = Get("/api/v1/streams/" + kDropTableEncoded + "/events");
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(nlohmann::json::parse(read.body)["stream_id"], kDropTable);
    const auto named = Post("/api/v1/projects", nlohmann::json{{"name", kDropTable}}.dump());
    Written(named);
  }
  {
    SCOPED_TRACE("duplicate keys, out-of-range numbers");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"a","name":"b"})"), 400, "bad_request");
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"a","json_schema":{"type":"object","type":"array"}})"), 400);
    EXPECT_ERROR(Post("/api/v1/streams/hostile-dup/events",
                     R"({"events":[{"event_type":"JobCompleted","payload":{"job_id":"a","job_id":"b"}}]})"),
                400);
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"x","json_schema":{"type":"object","maximum":1e400}})"), 400);
    EXPECT_ERROR(Post("/api/v1/projects", R"({"name":"x","json_schema":{"type":"object","minimum":-1e400}})"), 400);
    EXPECT_ERROR(Post("/api/v1/streams/hostile-num/events", valid_event(R"("n":1e400)")), 400);
  }
  {
    SCOPED_TRACE("lying lengths, truncated and chunked bodies");
    // The connection closes in the middle of the body: answered, nothing written.
    const std::string length = "100";
    const auto truncated =
        RawHttp(server_->Port(), RawRequest("POST", "/api/v1/projects", R"({"name":"tr)", {kJson}, &length), true);
    EXPECT_ERROR(truncated.First(), 400, "bad_request");
    // Content-Length shorter than the body: the rest is read as the next request.
    const std::string five = "5";
    const auto shorter = RawHttp(server_->Port(), RawRequest("POST", "/api/v1/projects", R"({"name":"x"})", {kJson}, &five),
                                 true, 2);
    ASSERT_EQ(shorter.replies.size(), 2u);
    EXPECT_ERROR(shorter.replies[0], 400, "malformed_json");
    EXPECT_ERROR(shorter.replies[1], 400, "bad_request");
    EXPECT_ERROR(Send("POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 12\r\nContent-Length: 13\r\n\r\n{\"name\":\"x\"}"),
                400);
    EXPECT_ERROR(Send("POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400);
    EXPECT_ERROR(Send("POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"), 400);
    EXPECT_ERROR(Send("POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
                400);
    // Chunked: a well-formed body is read; a broken chunk size is refused.
    const auto chunked = Send(Chunked("/api/v1/projects", {R"({"name":)", R"("Chunked",)", R"("entity_types":[]})"}));
    Written(chunked);
    EXPECT_ERROR(Send("POST /api/v1/projects HTTP/1.1\r\nHost: x\r\n" + kJson +
                     "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                400);
    // Not chunked last: no body length. Refused as a whole (not read as an empty body
    // followed by a request "{}"), and the connection closed.
    const auto not_chunked = RawHttp(server_->Port(), "POST /api/v1/projects HTTP/1.1\r\nHost: x\r\n" + kJson +
                                                          "\r\nTransfer-Encoding: gzip\r\n\r\n{}",
                                     false, 2);
    ASSERT_EQ(not_chunked.replies.size(), 1u);
    EXPECT_ERROR(not_chunked.First(), 400, "bad_request");
    EXPECT_TRUE(not_chunked.closed_by_server);
    const auto chunk_truncated = RawHttp(
        server_->Port(),
        "POST /api/v1/projects HTTP/1.1\r\nHost: x\r\n" + kJson + "\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"na", true);
    EXPECT_ERROR(chunk_truncated.First(), 400, "bad_request");
  }
  {
    SCOPED_TRACE("headers with bad values");
    EXPECT_ERROR(Send(RawRequest("PUT", "/api/v1/projects/" + project, R"({"name":"y"})", {kJson, "If-Match: abc"})),
                400);
    EXPECT_ERROR(Send(RawRequest("PUT", "/api/v1/projects/" + project, R"({"name":"y"})",
                                {kJson, "If-Match: \"99999999999999999999\""})),
                400);
    EXPECT_ERROR(Send(RawRequest("PUT", "/api/v1/projects/" + project, R"({"name":"y"})", {kJson, "If-Match: \"7\""})),
                412, "precondition_failed");
    EXPECT_ERROR(Get("/api/v1/projects/%zz"), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/projects?limit=%z"), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/projects?limit=-1"), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/projects?limit=99999999999999999999"), 400, "bad_request");
    EXPECT_ERROR(Get("/api/v1/streams/x/events?from=0"), 400, "bad_request");
    const auto correlation = Send(RawRequest("GET", "/api/v1/nothing", "", {"X-Correlation-ID: " + std::string(500, 'c')}));
    EXPECT_ERROR(correlation, 404);
    EXPECT_NE(correlation.Header("x-correlation-id"), std::string(500, 'c'));
    const auto media = Post("/api/v1/projects", R"({"name":"Case"})", {"Content-Type: Application/JSON ; charset=UTF-8"});
    Written(media);
  }
  {
    SCOPED_TRACE("JSON Schemas that cannot be applied");
    // A project schema whose pattern std::regex cannot compile (too many states, or not a
    // regular expression): the extraction is refused, not a 500.
    for (const std::string pattern : {"a{200000}", "(", "[z-a]"}) {
      SCOPED_TRACE(pattern);
      const auto created = Post("/api/v1/projects", nlohmann::json{{"name", "Patterns"},
                                                                   {"entity_types", {"e"}},
                                                                   {"json_schema",
                                                                    {{"type", "object"},
                                                                     {"properties", {{"x", {{"type", "string"}, {"pattern", pattern}}}}}}}}
                                                        .dump());
      if (created.status == 422) continue;  // refused when the project is created: fine too
      Written(created);
      const std::string id = nlohmann::json::parse(created.body)["project_id"];
      const auto document_of = Post("/api/v1/documents",
                                    R"({"project_id":")" + id + R"(","filename":"p.pdf","content":")" + pattern + "\"}");
      Written(document_of);
      const std::string doc = nlohmann::json::parse(document_of.body)["document_id"];
      EXPECT_ERROR(Post("/api/v1/projects/" + id + "/extractions",
                       R"({"document_id":")" + doc + R"(","entity_type":"e","data":{"x":"a"}})"),
                  422, "validation_failed");
    }
  }

  // Still serving, the log intact: exactly the accepted writes, every stream gap-free.
  const auto live = Get("/health/live");
  EXPECT_EQ(live.status, 200) << live.body;
  EXPECT_FALSE(Sql("SELECT to_regclass('public.events')")[0][0].is_null());
  EXPECT_EQ(Count("SELECT count(*) FROM events"), written_);
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT stream_id FROM events GROUP BY stream_id "
                  "HAVING max(stream_version) <> count(*) OR min(stream_version) <> 1) s"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE payload IS NULL OR metadata IS NULL OR event_type = ''"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE stream_id = '''; DROP TABLE events; --'"), 1);
}

}  // namespace
}  // namespace docledger::testing
