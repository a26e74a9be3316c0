// The v1 resources over a real server and PostgreSQL: success and error paths, status
// codes, bodies, ETags and preconditions.
#include <set>
#include <thread>

#include "tests/support/api_fixture.hpp"
#include "tests/support/log_capture.hpp"

namespace docledger::testing {
namespace {

const char* const kMarkdown = "# Paper\n\n**Mass**: the amount of matter.\n\n$$E = mc^2$$\n\nSee Section 2.\n";

std::vector<std::string> Paths(const nlohmann::json& error) {
  std::vector<std::string> paths;
  for (const auto& detail : error["error"]["details"]) paths.push_back(detail.value("path", ""));
  return paths;
}

bool Has(const std::vector<std::string>& paths, const std::string& path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

// The JSON log lines with this message (written before the response was sent).
std::vector<nlohmann::json> LogLines(const LogCapture& capture, const std::string& msg) {
  std::vector<nlohmann::json> found;
  for (const auto& line : capture.Lines()) {
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (!parsed.is_discarded() && parsed.value("msg", "") == msg) found.push_back(std::move(parsed));
  }
  return found;
}

class ApiV1 : public ApiTest {
 protected:
  std::string CreateProject(const nlohmann::json& schema = {{"type", "object"}}) {
    const auto reply = Call("POST", "/api/v1/projects",
                            nlohmann::json{{"name", "Invoices"}, {"json_schema", schema}, {"entity_types", {"invoice"}}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply)["project_id"];
  }
  std::string UploadDocument(const std::string& project, const std::string& content = "%PDF-1.4 bytes") {
    const auto reply = Call("POST", "/api/v1/documents",
                            nlohmann::json{{"project_id", project}, {"filename", "a.pdf"},
                                           {"content_type", "application/pdf"}, {"content", content}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply)["document_id"];
  }
};

TEST_F(ApiV1, ProjectLifecycleWithETagsAndPreconditions) {
  const auto created = Call("POST", "/api/v1/projects", nlohmann::json{{"name", "P"}, {"entity_types", {"invoice"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers.at("etag"), "\"1\"");
  const std::string id = Json(created)["project_id"];
  CatchUpAll();

  const auto got = Call("GET", "/api/v1/projects/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got)["name"], "P");
  EXPECT_EQ(got.headers.at("etag"), "\"1\"");
  EXPECT_EQ(Call("GET", "/api/v1/projects/" + id, std::string(), {{"If-None-Match", "\"1\""}}).status, 304);

  const auto stale = Call("PUT", "/api/v1/projects/" + id, nlohmann::json{{"name", "Q"}}, {{"If-Match", "\"7\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(Json(stale)["error"]["code"], "precondition_failed");
  const auto renamed = Call("PUT", "/api/v1/projects/" + id, nlohmann::json{{"name", "Q"}}, {{"If-Match", "\"1\""}});
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.headers.at("etag"), "\"2\"");

  const auto list = Call("GET", "/api/v1/projects");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(Json(list)["items"].size(), 1u);

  EXPECT_EQ(Call("DELETE", "/api/v1/projects/" + id).status, 200);
  EXPECT_EQ(Call("DELETE", "/api/v1/projects/" + id).status, 404);
  CatchUpAll();
  EXPECT_EQ(Call("GET", "/api/v1/projects/" + id).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/projects/not-a-uuid").status, 404);
}

TEST_F(ApiV1, SchemaChangeIsAConflictWhileExtractionsExistUnlessForced) {
  const auto project = CreateProject();
  const auto document = UploadDocument(project);
  const auto recorded = Call("POST", "/api/v1/projects/" + project + "/extractions",
                             nlohmann::json{{"document_id", document}, {"entity_type", "invoice"}, {"data", {{"n", 1}}}});
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  const nlohmann::json change = {{"json_schema", {{"type", "object"}, {"required", {"n"}}}}};
  const LogCapture capture(infrastructure::LogFormat::kJson);
  const auto refused = Call("PUT", "/api/v1/projects/" + project, change);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Json(refused)["error"]["code"], "conflict");
  const auto forced = Call("PUT", "/api/v1/projects/" + project + "?force=true", change);
  EXPECT_EQ(forced.status, 200) << forced.body;
  EXPECT_EQ(Json(forced)["forced"], true);
  // One warning, for the forced change only, naming the project and who forced it.
  const auto warnings = LogLines(capture, "project_schema_forced");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0]["level"], "warn");
  EXPECT_EQ(warnings[0]["project_id"], project);
  EXPECT_TRUE(warnings[0].contains("actor")) << "who forced it (the API key name; none here: no auth)";
  EXPECT_EQ(warnings[0]["version"], Json(forced)["version"]);
  EXPECT_EQ(Call("PUT", "/api/v1/projects/" + project + "?force=maybe", change).status, 400);
}

TEST_F(ApiV1, BadProjectBodiesAre422WithEveryPath) {
  const auto reply = Call("POST", "/api/v1/projects",
                          nlohmann::json{{"name", 5}, {"json_schema", {{"type", "objekt"}}}, {"colour", "red"}});
  ASSERT_EQ(reply.status, 422) << reply.body;
  const auto paths = Paths(Json(reply));
  EXPECT_TRUE(Has(paths, "/name")) << reply.body;
  EXPECT_TRUE(Has(paths, "/colour")) << reply.body;
  EXPECT_FALSE(Json(reply)["error"]["correlation_id"].get<std::string>().empty());
  EXPECT_EQ(Call("POST", "/api/v1/projects", std::string("{\"name\":")).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/projects", std::string("name=x"), {{"Content-Type", "application/x-www-form-urlencoded"}}).status,
            415);
  EXPECT_EQ(Call("POST", "/api/v1/projects", std::string("[1,2]")).status, 422);
  const auto schema = Call("POST", "/api/v1/projects", nlohmann::json{{"name", "x"}, {"json_schema", {{"type", "objekt"}}}});
  EXPECT_EQ(schema.status, 422);
  EXPECT_TRUE(Has(Paths(Json(schema)), "/json_schema")) << schema.body;
}

TEST_F(ApiV1, UploadDeduplicatesStoresContentAndChecksInput) {
  const auto project = CreateProject();
  const nlohmann::json upload = {{"project_id", project},
                                 {"filename", "report.pdf"},
                                 {"content_type", "application/pdf"},
                                 {"source_url", "https://example.org/report.pdf"},
                                 {"content_base64", "JVBERi0xLjQK"}};
  const auto first = Call("POST", "/api/v1/documents", upload);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Json(first)["deduplicated"], false);
  EXPECT_EQ(Json(first)["size_bytes"], 9);
  const auto second = Call("POST", "/api/v1/documents", upload);
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Json(second)["deduplicated"], true);
  EXPECT_EQ(Json(second)["document_id"], Json(first)["document_id"]);
  const std::string id = Json(first)["document_id"];
  CatchUpAll();
  const auto content = Call("GET", "/api/v1/documents/" + id + "/content");
  EXPECT_EQ(content.status, 200);
  EXPECT_EQ(content.body, "%PDF-1.4\n");
  EXPECT_EQ(content.headers.at("content-type"), "application/pdf");

  auto bad = upload;
  bad["content_base64"] = "not base64!";
  EXPECT_EQ(Call("POST", "/api/v1/documents", bad).status, 422);
  bad.erase("content_base64");
  EXPECT_EQ(Call("POST", "/api/v1/documents", bad).status, 422) << "no content and no sha256";
  bad["project_id"] = "00000000-0000-4000-8000-000000000000";
  bad["content"] = "x";
  EXPECT_EQ(Call("POST", "/api/v1/documents", bad).status, 404) << "unknown project";
}

TEST_F(ApiV1, ConversionViewSemanticIrAndDelete) {
  const auto project = CreateProject();
  const auto document = UploadDocument(project);
  const auto converted = Call("POST", "/api/v1/documents/" + document + "/conversion",
                              nlohmann::json{{"markdown", kMarkdown}, {"converter", "pandoc"}});
  ASSERT_EQ(converted.status, 200) << converted.body;
  CatchUpAll();
  const auto view = Call("GET", "/api/v1/documents/" + document);
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(Json(view)["status"], "converted");
  EXPECT_EQ(view.headers.at("etag"), "\"2\"");
  const auto formulas = Call("GET", "/api/v1/documents/" + document + "/semantic-ir?type=formula");
  ASSERT_EQ(formulas.status, 200) << formulas.body;
  const auto formula_items = Json(formulas)["items"];  // a copy: the temporary dies before a loop
  ASSERT_FALSE(formula_items.empty()) << formulas.body;
  for (const auto& item : formula_items) EXPECT_EQ(item["ir_type"], "formula");
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + document + "/semantic-ir?type=poem").status, 400);

  EXPECT_EQ(Call("POST", "/api/v1/documents/" + document + "/conversion", nlohmann::json{{"markdown", "x"}, {"error_type", "E"}})
                .status,
            422);
  EXPECT_EQ(Call("DELETE", "/api/v1/documents/" + document).status, 200);
  const auto late = Call("POST", "/api/v1/documents/" + document + "/conversion",
                         nlohmann::json{{"error_type", "OcrError"}, {"message", "late"}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(Call("POST", "/api/v1/documents/00000000-0000-4000-8000-000000000001/conversion",
                 nlohmann::json{{"markdown", "x"}})
                .status,
            404);
  CatchUpAll();
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + document).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + document + "/semantic-ir").status, 404);
}

TEST_F(ApiV1, DocumentListFiltersAndPagesWithACursor) {
  const auto project = CreateProject();
  const auto other = CreateProject();
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.insert(UploadDocument(project, "content " + std::to_string(i)));
  UploadDocument(other);
  CatchUpAll();
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const auto reply =
        Call("GET", "/api/v1/documents?project_id=" + project + "&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto body = Json(reply);
    for (const auto& item : body["items"]) seen.insert(item["document_id"].get<std::string>());
    cursor = body["next_cursor"].is_string() ? body["next_cursor"].get<std::string>() : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(Call("GET", "/api/v1/documents?cursor=zz").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/documents?limit=0").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/documents?status=lost").status, 400);
  EXPECT_EQ(Json(Call("GET", "/api/v1/documents?status=converted"))["items"].size(), 0u);
}

TEST_F(ApiV1, ExtractionsValidateAgainstTheProjectSchema) {
  const auto project = CreateProject({{"type", "object"},
                                      {"required", {"total"}},
                                      {"properties", {{"total", {{"type", "number"}, {"minimum", 0}}}}}});
  const auto document = UploadDocument(project);
  const auto invalid = Call("POST", "/api/v1/projects/" + project + "/extractions",
                            nlohmann::json{{"document_id", document}, {"entity_type", "invoice"}, {"data", {{"total", -3}}}});
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_TRUE(Has(Paths(Json(invalid)), "/data/total")) << invalid.body;
  const auto valid = Call("POST", "/api/v1/projects/" + project + "/extractions",
                          nlohmann::json{{"document_id", document}, {"entity_type", "invoice"}, {"data", {{"total", 3}}}});
  ASSERT_EQ(valid.status, 201) << valid.body;
  const std::string id = Json(valid)["extraction_id"];
  CatchUpAll();
  const auto got = Call("GET", "/api/v1/extractions/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Json(got)["data"]["total"], 3);
  EXPECT_EQ(Json(got)["schema_current"], true);
  EXPECT_EQ(Json(Call("GET", "/api/v1/projects/" + project + "/extractions"))["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/extractions/00000000-0000-4000-8000-000000000000").status, 404);
}

TEST_F(ApiV1, JobsStartCompleteAndFailOnce) {
  const auto started = Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "embedding"}, {"worker", "embedder-1"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = Json(started)["job_id"];
  const auto failed = Call("POST", "/api/v1/jobs/" + id + "/fail",
                           nlohmann::json{{"error_type", "RateLimitError"}, {"message", "429 from the model"}});
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(Call("POST", "/api/v1/jobs/" + id + "/complete").status, 409);
  CatchUpAll();
  const auto job = Json(Call("GET", "/api/v1/jobs/" + id));
  EXPECT_EQ(job["status"], "failed");
  EXPECT_EQ(job["error"], "RateLimitError: 429 from the model");
  EXPECT_EQ(Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "mining"}}).status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/jobs/00000000-0000-4000-8000-000000000000/complete").status, 404);
}

TEST_F(ApiV1, StreamsAppendWithExpectedVersionAndReadWithETag) {
  const std::string stream = "/api/v1/streams/project-0b7e4b4e-9c3a-4f5e-8d21-3f1a2b3c4d5e/events";
  const nlohmann::json event = {{"event_type", "ProjectCreated"},
                                {"payload",
                                 {{"project_id", "0b7e4b4e-9c3a-4f5e-8d21-3f1a2b3c4d5e"},
                                  {"name", "From the log"},
                                  {"json_schema", {{"type", "object"}}},
                                  {"entity_types", nlohmann::json::array()}}}};
  const auto appended = Call("POST", stream, nlohmann::json{{"expected_version", "no_stream"}, {"events", {event}}});
  ASSERT_EQ(appended.status, 201) << appended.body;
  EXPECT_EQ(appended.headers.at("etag"), "\"1\"");
  const auto position = Json(appended)["events"][0];
  EXPECT_FALSE(position["event_id"].get<std::string>().empty()) << "the server's event id is returned";

  const auto conflict = Call("POST", stream, nlohmann::json{{"expected_version", 0}, {"events", {event}}});
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(Call("POST", stream, nlohmann::json{{"events", {event}}}, {{"If-Match", "\"5\""}}).status, 412);

  auto unknown = event;
  unknown["event_type"] = "ProjectExploded";
  const auto refused = Call("POST", stream, nlohmann::json{{"events", {unknown}}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Has(Paths(Json(refused)), "/events/0/event_type")) << refused.body;
  auto misfit = event;
  misfit["payload"]["name"] = 42;
  EXPECT_TRUE(Has(Paths(Json(Call("POST", stream, nlohmann::json{{"events", {misfit}}}))), "/events/0/payload/name"));

  const auto read = Call("GET", stream);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.headers.at("etag"), "\"1\"");
  EXPECT_EQ(Json(read)["events"][0]["payload"]["name"], "From the log");
  // The server's metadata: the appending request's correlation id, whatever the client sent.
  EXPECT_EQ(Json(read)["events"][0]["metadata"]["correlation_id"], appended.headers.at("x-correlation-id"));
  EXPECT_EQ(Call("GET", stream, std::string(), {{"If-None-Match", "\"1\""}}).status, 304);
  EXPECT_EQ(Call("GET", "/api/v1/streams/no-such-stream/events").status, 404);

  const auto feed = Call("GET", "/api/v1/events?after=0&limit=1");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(Json(feed)["events"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/events?after=-1").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/projections").status, 200);
}

}  // namespace
}  // namespace docledger::testing

namespace docledger::testing {
namespace {

const std::string kSomeJob = "6a1f4f0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";

TEST_F(ApiTest, IdempotencyKeyReplaysTheFirstResponseAndNeverAppendsTwice) {
  const nlohmann::json body = {{"kind", "crawl"}, {"worker", "crawler-1"}};
  const LogCapture capture(infrastructure::LogFormat::kJson);
  const auto first = Call("POST", "/api/v1/jobs", body, {{"Idempotency-Key", "job-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  const auto again = Call("POST", "/api/v1/jobs", body, {{"Idempotency-Key", "job-1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.at("etag"), first.headers.at("etag"));
  EXPECT_EQ(again.headers.at("idempotent-replayed"), "true");
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE event_type = 'JobStarted'"), 1);
  // The replay (not the first request) logs one info line with the key and what it answered.
  const auto replays = LogLines(capture, "idempotent_replay");
  ASSERT_EQ(replays.size(), 1u);
  EXPECT_EQ(replays[0]["level"], "info");
  EXPECT_EQ(replays[0]["idempotency_key"], "job-1");
  EXPECT_EQ(replays[0]["path"], "/api/v1/jobs");
  EXPECT_EQ(replays[0]["status"], 201);
  // The same key for another request is refused.
  const auto other = Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "embedding"}}, {{"Idempotency-Key", "job-1"}});
  EXPECT_EQ(other.status, 422) << other.body;
  // A failed request is not stored: fixing it and retrying with the key runs it.
  EXPECT_EQ(Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "nope"}}, {{"Idempotency-Key", "job-2"}}).status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "nope"}}, {{"Idempotency-Key", "job-2"}}).status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/jobs", body, {{"Idempotency-Key", std::string(300, 'k')}}).status, 400);
}

TEST_F(ApiTest, RacingRequestsWithOneIdempotencyKeyAppendOnce) {
  for (int round = 0; round < 10; ++round) {
    const auto key = "race-" + std::to_string(round);
    std::vector<std::thread> clients;
    std::vector<HttpReply> replies(6);
    for (std::size_t i = 0; i < replies.size(); ++i) {
      clients.emplace_back([&, i] {
        replies[i] = Call("POST", "/api/v1/jobs", nlohmann::json{{"kind", "crawl"}}, {{"Idempotency-Key", key}});
      });
    }
    for (auto& client : clients) client.join();
    for (const auto& reply : replies) {
      EXPECT_EQ(reply.status, 201) << reply.body;
      EXPECT_EQ(reply.body, replies[0].body);
    }
  }
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE event_type = 'JobStarted'"), 10);
}

// The process died after the first run committed but before its response was stored (the
// stored answer is gone, as after a claim takeover): the run again with the same key finds
// the events its ids derive to and answers with them. Nothing is created twice.
TEST_F(ApiTest, AKeyedRequestRunAgainAfterALostAnswerCreatesNothingTwice) {
  const nlohmann::json project = {{"name", "P"}, {"entity_types", {"invoice"}}};
  const auto first = Call("POST", "/api/v1/projects", project, {{"Idempotency-Key", "lost-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  const nlohmann::json append = {
      {"events", {{{"event_type", "JobStarted"}, {"payload", {{"job_id", kSomeJob}, {"kind", "crawl"}}}}}}};
  const auto appended = Call("POST", "/api/v1/streams/lost-answers/events", append, {{"Idempotency-Key", "lost-2"}});
  ASSERT_EQ(appended.status, 201) << appended.body;
  Sql("DELETE FROM idempotency_keys");

  const auto again = Call("POST", "/api/v1/projects", project, {{"Idempotency-Key", "lost-1"}});
  EXPECT_LT(again.status, 300) << again.body;
  EXPECT_EQ(Json(again)["project_id"], Json(first)["project_id"]);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE event_type = 'ProjectCreated'"), 1);
  const auto appended_again =
      Call("POST", "/api/v1/streams/lost-answers/events", append, {{"Idempotency-Key", "lost-2"}});
  EXPECT_EQ(appended_again.status, 200) << appended_again.body;
  EXPECT_EQ(Json(appended_again)["already_recorded"], true);
  EXPECT_EQ(Json(appended_again)["events"], Json(appended)["events"]);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE stream_id = 'lost-answers'"), 1);
}

}  // namespace
}  // namespace docledger::testing
