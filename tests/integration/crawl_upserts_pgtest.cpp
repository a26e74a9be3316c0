// Crawl upserts (issue 18, section 2) over the real server and PostgreSQL: a source_url
// within a project is one document; new bytes append revisions, new metadata updates it,
// the same crawl again is deduplicated; GET /api/v1/projects/{id}/sources pages the
// sources; two crawls at once make one document; a log written before sources had
// revisions replays to the same views; and a replay rebuilds the same read models.
#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "domain/domain_events.hpp"
#include "infrastructure/content_encoding.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "tests/support/api_fixture.hpp"

namespace docledger::testing {
namespace {

const char* const kPaper = "# Energy\n\n**Mass**: the amount of matter in a body.\n\n$$E = mc^2$$\n";
const char* const kUrl = "https://example.org/crawl/energy.md";

class CrawlUpserts : public ApiTest {
 protected:
  std::string CreateProject() {
    const auto reply = Call("POST", "/api/v1/projects", nlohmann::json{{"name", "Crawled"}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply)["project_id"];
  }
  HttpReply Crawl(const std::string& project, const std::string& url, const std::string& content,
                  const nlohmann::json& metadata = nlohmann::json::object()) {
    return Call("POST", "/api/v1/documents",
                nlohmann::json{{"project_id", project}, {"filename", "energy.md"}, {"content_type", "text/markdown"},
                               {"source_url", url}, {"metadata", metadata}, {"content", content}});
  }
  nlohmann::json Get(const std::string& target) {
    const auto reply = Call("GET", target);
    EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
    return Json(reply);
  }
  // md5 of each read model a document's events feed, row by row.
  std::vector<std::string> ReadModelDigests() {
    std::vector<std::string> digests;
    for (const auto* query :
         {"SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY document_id), '')) FROM document_views t",
          "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY document_id), '')) FROM document_sources t",
          "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY document_id), '')) FROM semantic_ir_sources t",
          "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY document_id, ordinal), '')) FROM semantic_ir t"}) {
      digests.push_back(Sql(query)[0][0].c_str());
    }
    return digests;
  }
  // `docledger replay --all`'s path: every read model rebuilt from sequence 0 and swapped in.
  void RebuildAll() {
    for (const auto& result : ReplayAll()) EXPECT_TRUE(result.swapped) << result.projection;
  }
};

TEST_F(CrawlUpserts, ARecrawledSourceIsOneDocumentWithRevisionsMetadataAndDuplicates) {
  const auto project = CreateProject();
  const auto first = Crawl(project, kUrl, kPaper);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Json(first)["change"], "created");
  EXPECT_EQ(Json(first)["revision"], 1);
  const std::string id = Json(first)["document_id"];
  ASSERT_EQ(Call("POST", "/api/v1/documents/" + id + "/conversion", nlohmann::json{{"markdown", kPaper}}).status, 200);
  CatchUpAll();
  ASSERT_GT(Get("/api/v1/documents/" + id + "/semantic-ir")["items"].size(), 0u);

  // New bytes: the next revision of the same document; its conversion and IR are superseded.
  const std::string v2 = std::string(kPaper) + "\nRevised.\n";
  const auto revised = Crawl(project, kUrl, v2);
  ASSERT_EQ(revised.status, 200) << revised.body;
  EXPECT_EQ(Json(revised)["document_id"], id);
  EXPECT_EQ(Json(revised)["change"], "revised");
  EXPECT_EQ(Json(revised)["revision"], 2);
  EXPECT_EQ(Json(revised)["deduplicated"], false);
  CatchUpAll();
  auto view = Get("/api/v1/documents/" + id);
  EXPECT_EQ(view["revision"], 2);
  EXPECT_EQ(view["sha256"], infrastructure::Sha256Hex(v2));
  EXPECT_EQ(view["size_bytes"], v2.size());
  EXPECT_EQ(view["status"], "uploaded") << "the new revision waits for its conversion";
  EXPECT_FALSE(view.contains("conversion_event_id")) << view.dump();
  EXPECT_FALSE(view.contains("converted_length")) << view.dump();
  EXPECT_EQ(Get("/api/v1/documents/" + id + "/semantic-ir")["items"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + id + "/content").body, v2);
  // A converter polling for uploaded documents finds the new revision.
  const auto waiting = Get("/api/v1/documents?status=uploaded&project_id=" + project)["items"];
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["document_id"], id);

  // The same bytes with new metadata: a metadata update, no new revision.
  const auto described = Crawl(project, kUrl, v2, {{"lang", "en"}});
  ASSERT_EQ(described.status, 200) << described.body;
  EXPECT_EQ(Json(described)["change"], "metadata_updated");
  EXPECT_EQ(Json(described)["deduplicated"], false);
  EXPECT_EQ(Json(described)["revision"], 2);
  // The same crawl again: deduplicated, nothing appended.
  const auto again = Crawl(project, kUrl, v2, {{"lang", "en"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["deduplicated"], true);
  EXPECT_EQ(Json(again)["change"], "deduplicated");
  EXPECT_TRUE(Json(again)["events"].empty());
  EXPECT_EQ(Json(again)["version"], Json(described)["version"]);

  // The new revision converted: its IR replaces the old one.
  ASSERT_EQ(Call("POST", "/api/v1/documents/" + id + "/conversion", nlohmann::json{{"markdown", v2}}).status, 200);
  CatchUpAll();
  view = Get("/api/v1/documents/" + id);
  EXPECT_EQ(view["revision"], 2);
  EXPECT_EQ(view["metadata"], (nlohmann::json{{"lang", "en"}}));
  EXPECT_EQ(view["status"], "converted");
  const auto items = Get("/api/v1/documents/" + id + "/semantic-ir")["items"];
  ASSERT_GT(items.size(), 0u);
  for (const auto& item : items) EXPECT_EQ(item["source_event_id"], view["conversion_event_id"]) << item.dump();
  EXPECT_EQ(Count("SELECT count(*) FROM document_views"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked"), 0);
}

TEST_F(CrawlUpserts, SourcesArePagedAndAReplayBuildsTheSameReadModels) {
  const auto project = CreateProject();
  const auto other_project = CreateProject();
  ASSERT_EQ(Crawl(project, kUrl, "v1").status, 201);
  ASSERT_EQ(Crawl(project, kUrl, "v2").status, 200);
  ASSERT_EQ(Crawl(project, kUrl, "v3").status, 200);
  ASSERT_EQ(Crawl(project, kUrl, "v3", {{"lang", "en"}}).status, 200);
  ASSERT_EQ(Crawl(project, kUrl, "v3", {{"lang", "en"}}).status, 200);
  ASSERT_EQ(Crawl(project, "https://example.org/crawl/b.md", "b").status, 201);
  ASSERT_EQ(Crawl(project, "https://example.org/crawl/c.md", "c").status, 201);
  ASSERT_EQ(Crawl(other_project, kUrl, "v1").status, 201) << "the same URL in another project is another source";
  const auto plain = Call("POST", "/api/v1/documents",
                          nlohmann::json{{"project_id", project}, {"filename", "n.md"}, {"content", "not crawled"}});
  ASSERT_EQ(plain.status, 201) << plain.body;
  CatchUpAll();

  const auto base = "/api/v1/projects/" + project + "/sources";
  const auto page1 = Get(base + "?limit=2");
  ASSERT_EQ(page1["items"].size(), 2u) << page1.dump();
  ASSERT_TRUE(page1["next_cursor"].is_string()) << page1.dump();
  const auto page2 = Get(base + "?limit=2&cursor=" + page1["next_cursor"].get<std::string>());
  ASSERT_EQ(page2["items"].size(), 1u) << page2.dump();
  EXPECT_TRUE(page2["next_cursor"].is_null()) << page2.dump();
  std::set<std::string> urls;
  for (const auto* page : {&page1, &page2}) {
    for (const auto& row : (*page)["items"]) urls.insert(row["source_url"].get<std::string>());
  }
  EXPECT_EQ(urls, (std::set<std::string>{kUrl, "https://example.org/crawl/b.md", "https://example.org/crawl/c.md"}));
  const auto& energy = page1["items"][0];  // first crawled first
  EXPECT_EQ(energy["source_url"], kUrl);
  EXPECT_EQ(energy["revisions"], 3);
  EXPECT_EQ(energy["sha256"], infrastructure::Sha256Hex("v3"));
  EXPECT_EQ(energy["project_id"], project);
  EXPECT_LT(energy["first_crawled_at"].get<std::string>(), energy["last_crawled_at"].get<std::string>());
  EXPECT_EQ(Get("/api/v1/documents/" + energy["document_id"].get<std::string>())["revision"], 3);
  EXPECT_EQ(Get("/api/v1/projects/" + other_project + "/sources")["items"].size(), 1u);
  EXPECT_EQ(Call("GET", base + "?cursor=garbage").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/projects/not-a-uuid/sources").status, 404) << "as every {id} route";

  const auto before = ReadModelDigests();
  RebuildAll();
  EXPECT_EQ(ReadModelDigests(), before);
  EXPECT_EQ(Get(base + "?limit=2"), page1);
}

TEST_F(CrawlUpserts, TwoCrawlsOfOneSourceAtOnceMakeOneDocument) {
  const auto project = CreateProject();
  constexpr int kCrawls = 6;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<int> statuses;
  std::set<std::string> ids;
  for (int i = 0; i < kCrawls; ++i) {
    // Half the crawls bring the same bytes, half other bytes: creates, revisions and duplicates race.
    threads.emplace_back([&, i] {
      const auto reply = Crawl(project, kUrl, i % 2 == 0 ? "same" : "other " + std::to_string(i));
      std::lock_guard lock(mutex);
      statuses.push_back(reply.status);
      ids.insert(Json(reply).value("document_id", ""));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), kCrawls - 1);
  ASSERT_EQ(ids.size(), 1u);
  CatchUpAll();
  EXPECT_EQ(Count("SELECT count(*) FROM document_views"), 1);
  const auto sources = Get("/api/v1/projects/" + project + "/sources")["items"];
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0]["document_id"], *ids.begin());
  EXPECT_EQ(sources[0]["revisions"], Get("/api/v1/documents/" + *ids.begin())["revision"]);
}

// What uploads with a source_url appended before sources had revisions: a document per
// project + source_url + sha256 (a re-crawl with changed content made a second one), in
// DocumentUploaded v2 as it was written then.
domain::NewEvent OldUpload(const std::string& document, const std::string& project, const std::string& sha,
                           std::int64_t size) {
  domain::NewEvent event;
  event.event_type = "DocumentUploaded";
  event.schema_version = 2;
  event.payload = nlohmann::json{{"content_type", "text/markdown"}, {"document_id", document},
                                 {"filename", "energy.md"},         {"metadata", {{"pages", 4}}},
                                 {"project_id", project},           {"sha256", sha},
                                 {"size_bytes", size},              {"source_url", kUrl}}
                      .dump();
  event.metadata = R"({"actor":"crawler"})";
  return event;
}

TEST_F(CrawlUpserts, ALogFromBeforeRevisionsReplaysToTheSameViews) {
  const auto project = CreateProject();
  const auto old_sha = infrastructure::Sha256Hex("old");
  const auto new_sha = infrastructure::Sha256Hex("new!");
  const auto first = service_->LegacySourceDocumentId(project, kUrl, old_sha);
  const auto second = service_->LegacySourceDocumentId(project, kUrl, new_sha);
  store_->Append(
      {domain::DocumentStream(first), domain::ExpectedVersion::NoStream(), {OldUpload(first, project, old_sha, 3)}});
  store_->Append(
      {domain::DocumentStream(second), domain::ExpectedVersion::NoStream(), {OldUpload(second, project, new_sha, 4)}});
  const auto converted =
      Call("POST", "/api/v1/documents/" + first + "/conversion", nlohmann::json{{"markdown", kPaper}});
  ASSERT_EQ(converted.status, 200) << converted.body;
  CatchUpAll();

  // The views as the code of that time built them (plus revision 1).
  const auto old_view = Get("/api/v1/documents/" + first);
  EXPECT_EQ(old_view["status"], "converted");
  EXPECT_EQ(old_view["sha256"], old_sha);
  EXPECT_EQ(old_view["source_url"], kUrl);
  EXPECT_EQ(old_view["metadata"], (nlohmann::json{{"pages", 4}}));
  EXPECT_EQ(old_view["revision"], 1);
  EXPECT_EQ(old_view["version"], 2);
  const auto new_view = Get("/api/v1/documents/" + second);
  EXPECT_EQ(new_view["status"], "uploaded");
  EXPECT_EQ(new_view["sha256"], new_sha);
  EXPECT_EQ(new_view["revision"], 1);
  EXPECT_GT(Get("/api/v1/documents/" + first + "/semantic-ir")["items"].size(), 0u);
  EXPECT_EQ(Get("/api/v1/projects/" + project + "/sources")["items"].size(), 2u) << "one row per document of that time";

  const auto before = ReadModelDigests();
  RebuildAll();
  EXPECT_EQ(ReadModelDigests(), before);
  EXPECT_EQ(Get("/api/v1/documents/" + first), old_view);
  EXPECT_EQ(Get("/api/v1/documents/" + second), new_view);
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked"), 0);

  // A crawl of bytes such a document holds still answers with it, as then.
  const auto again = Call("POST", "/api/v1/documents",
                          nlohmann::json{{"project_id", project}, {"filename", "energy.md"},
                                         {"content_type", "text/markdown"}, {"source_url", kUrl},
                                         {"metadata", {{"pages", 4}}}, {"content", "old"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["document_id"], first);
  EXPECT_EQ(Json(again)["deduplicated"], true);
}

}  // namespace
}  // namespace docledger::testing
