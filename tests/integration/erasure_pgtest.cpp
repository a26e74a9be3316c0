// Forgetting a document (issue 19, docs/erasure.md) over the real server and PostgreSQL:
// after an erasure no table, read model, event payload or pg_dump holds the document's
// marker while other documents keep theirs; the log keeps its order; a replay equals the
// live read models; an erasure racing conversions leaves no plaintext and parks nothing;
// and a start with the wrong master key is refused before anything is written.
#include <atomic>
#include <cstdlib>
#include <thread>

#include "tests/support/api_fixture.hpp"
#include "tests/support/shell.hpp"

namespace docledger::testing {
namespace {

const std::string kMarker = "QUOKKA-7731-MARKER";
const std::string kOtherMarker = "WOMBAT-5150-MARKER";

std::string Paper(const std::string& marker) {
  return "# " + marker + "\n\n**" + marker + "**: the amount of matter.\n\n$$E_{" + marker + "} = mc^2$$\n";
}

class Erasure : public ApiTest {
 protected:
  std::string CreateProject() {
    const auto reply = Call("POST", "/api/v1/projects", nlohmann::json{{"name", "Erasure"}, {"entity_types", {"fact"}}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply)["project_id"];
  }
  // A document whose every content-bearing field carries `marker`: file name, bytes,
  // metadata, source URL, Markdown (and so semantic IR), an extraction, a job input.
  std::string Document(const std::string& project, const std::string& marker) {
    const auto uploaded = Call("POST", "/api/v1/documents",
                               nlohmann::json{{"project_id", project},
                                              {"filename", marker + ".md"},
                                              {"content_type", "text/markdown"},
                                              {"source_url", "https://example.org/" + marker},
                                              {"metadata", {{"author", marker}}},
                                              {"content", Paper(marker)}});
    EXPECT_EQ(uploaded.status, 201) << uploaded.body;
    const std::string id = Json(uploaded)["document_id"];
    EXPECT_EQ(Call("POST", "/api/v1/documents/" + id + "/conversion", nlohmann::json{{"markdown", Paper(marker)}}).status,
              200);
    EXPECT_EQ(Call("POST", "/api/v1/projects/" + project + "/extractions",
                   nlohmann::json{{"document_id", id}, {"entity_type", "fact"}, {"data", {{"quote", marker}}}})
                  .status,
              201);
    EXPECT_EQ(Call("POST", "/api/v1/jobs",
                   nlohmann::json{{"kind", "embedding"}, {"document_id", id}, {"input", {{"chunk", marker}}}})
                  .status,
              201);
    return id;
  }
  // The whole database as pg_dump writes it (schema and data).
  std::string Dump() {
    const auto [status, output] = Shell("pg_dump --no-owner '" + db_->url() + "'");
    EXPECT_EQ(status, 0) << output.substr(0, 500);
    return output;
  }
  std::int64_t Parked() { return Count("SELECT count(*) FROM projection_parked"); }
  void ExpectReplayEqualsLive() {
    for (const auto& result : ReplayAll(/*verify_only=*/true)) {
      for (const auto& c : result.comparisons) {
        EXPECT_TRUE(c.identical()) << c.table << ": live " << c.live_rows << " rebuilt " << c.rebuilt_rows
                                   << (c.only_live.empty() ? "" : "; only live: " + c.only_live[0])
                                   << (c.only_rebuilt.empty() ? "" : "; only rebuilt: " + c.only_rebuilt[0]);
      }
    }
  }
};

TEST_F(Erasure, ErasedContentIsNowhereOtherDocumentsAreUntouchedAndTheLogKeepsItsOrder) {
  const auto project = CreateProject();
  const auto erased = Document(project, kMarker);
  const auto kept = Document(project, kOtherMarker);
  CatchUpAll();
  // Sealed from the start: no event payload holds either marker in clear.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE payload::text LIKE '%MARKER%'"), 0);
  const auto before = Json(Call("GET", "/api/v1/documents/" + erased));
  ASSERT_EQ(before.value("filename", ""), kMarker + ".md") << before.dump();
  ASSERT_NE(Dump().find(kMarker), std::string::npos) << "the read models hold it until the erasure";
  const auto events_before = Count("SELECT count(*) FROM events");
  const auto head_before = Count("SELECT max(sequence) FROM events");

  const auto reply = Call("POST", "/api/v1/documents/" + erased + "/erase", nlohmann::json{{"reason", "erasure request"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(Json(reply)["already_erased"], false);
  EXPECT_EQ(Json(reply)["unshredded_events"], 0);
  EXPECT_EQ(Json(reply)["contents_deleted"], 1);
  CatchUpAll();

  const auto dump = Dump();
  EXPECT_EQ(dump.find(kMarker), std::string::npos) << "pg_dump still holds the marker";
  EXPECT_NE(dump.find(kOtherMarker), std::string::npos) << "the other document is untouched";
  EXPECT_EQ(Count("SELECT count(*) FROM events"), events_before + 1) << "only DocumentErased was added";
  EXPECT_EQ(Count("SELECT max(sequence) FROM events"), head_before + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE sequence <= " + std::to_string(head_before)), events_before);
  EXPECT_EQ(Count("SELECT count(*) FROM events"), Count("SELECT max(sequence) FROM events")) << "no gap";
  EXPECT_EQ(Count("SELECT count(*) FROM document_keys WHERE document_id = '" + erased + "' AND wrapped_key IS NULL"), 1);

  const auto view = Json(Call("GET", "/api/v1/documents/" + erased));
  EXPECT_FALSE(view["erased_at"].is_null()) << view.dump();
  EXPECT_EQ(view["filename"], "");
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + erased + "/content").status, 404);
  EXPECT_EQ(Json(Call("GET", "/api/v1/documents/" + kept)).value("filename", ""), kOtherMarker + ".md");
  EXPECT_EQ(Call("GET", "/api/v1/documents/" + kept + "/content").status, 200);
  const auto erased_event = Sql("SELECT payload FROM events WHERE event_type = 'DocumentErased'");
  ASSERT_EQ(erased_event.size(), 1u);
  const auto payload = nlohmann::json::parse(erased_event[0][0].c_str());
  EXPECT_EQ(payload["reason"], "erasure request");
  EXPECT_EQ(payload["unshredded_events"], 0);

  // Nothing may add content to it any more; erasing again changes nothing.
  EXPECT_EQ(Call("POST", "/api/v1/documents/" + erased + "/conversion", nlohmann::json{{"markdown", "x"}}).status, 410);
  const auto again = Call("POST", "/api/v1/documents/" + erased + "/erase", nlohmann::json{{"reason", "twice"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["already_erased"], true);
  EXPECT_EQ(Count("SELECT count(*) FROM events"), events_before + 1);
  EXPECT_EQ(Call("POST", "/api/v1/documents/" + erased + "/erase", nlohmann::json::object()).status, 422);
  // Only the erase route appends DocumentErased: not the generic append.
  const auto raw = Call("POST", "/api/v1/streams/document-" + kept + "/events",
                        nlohmann::json{{"events", {{{"event_type", "DocumentErased"},
                                                    {"payload", {{"document_id", kept}, {"reason", "sneaky"},
                                                                 {"unshredded_events", 0}}}}}}});
  EXPECT_EQ(raw.status, 422) << raw.body;
  EXPECT_EQ(Count("SELECT count(*) FROM document_keys WHERE wrapped_key IS NULL"), 1);
  EXPECT_EQ(Parked(), 0);
}

TEST_F(Erasure, AReplayAfterAnErasureEqualsTheLiveReadModelsAndSoDoesOneFromScratch) {
  const auto project = CreateProject();
  const auto erased = Document(project, kMarker);
  Document(project, kOtherMarker);
  CatchUpAll();
  ASSERT_EQ(Call("POST", "/api/v1/documents/" + erased + "/erase", nlohmann::json{{"reason", "r"}}).status, 200);
  CatchUpAll();
  StopAll();
  ExpectReplayEqualsLive();

  const auto digest = [&] {
    return std::string(Sql("SELECT md5(string_agg(t::text, ',' ORDER BY document_id)) FROM document_views t")[0][0].c_str()) +
           Sql("SELECT count(*) FROM extractions")[0][0].c_str() + Sql("SELECT count(*) FROM semantic_ir")[0][0].c_str();
  };
  const auto live = digest();
  for (const auto& result : ReplayAll()) EXPECT_TRUE(result.swapped) << result.projection;
  EXPECT_EQ(digest(), live);
  EXPECT_EQ(Dump().find(kMarker), std::string::npos);
  EXPECT_EQ(Parked(), 0);
}

TEST_F(Erasure, AnErasureRacingConversionsLeavesNoPlaintextAndParksNothing) {
  StartAll();
  const auto project = CreateProject();
  const auto uploaded = Call("POST", "/api/v1/documents",
                             nlohmann::json{{"project_id", project}, {"filename", "race.md"},
                                            {"content_type", "text/markdown"}, {"content", Paper(kMarker)}});
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string id = Json(uploaded)["document_id"];
  std::atomic<bool> erased{false};
  std::atomic<int> refused{0};
  std::atomic<int> converted{0};
  std::thread converter([&] {
    // Conversions until the erasure is answered, then one more: every one either landed
    // before the erasure (and is shredded with the key) or is refused with 410.
    for (bool last = false; !last;) {
      last = erased.load();
      const auto reply = Call("POST", "/api/v1/documents/" + id + "/conversion",
                              nlohmann::json{{"markdown", Paper(kMarker) + std::to_string(converted.load())}});
      if (reply.status == 200) ++converted;
      if (reply.status == 410) ++refused;
      EXPECT_TRUE(reply.status == 200 || reply.status == 410) << reply.status << " " << reply.body;
    }
  });
  while (converted.load() < 3) std::this_thread::yield();
  const auto reply = Call("POST", "/api/v1/documents/" + id + "/erase", nlohmann::json{{"reason", "race"}});
  erased = true;
  converter.join();
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_GE(refused.load(), 1);
  StopAll();
  CatchUpAll();
  EXPECT_EQ(Dump().find(kMarker), std::string::npos);
  EXPECT_EQ(Parked(), 0);
  ExpectReplayEqualsLive();
}

// The wrong master key (or none in production): `serve` and `replay` stop at once with a
// clear line, and nothing is written.
TEST_F(Erasure, AWrongOrMissingMasterKeyIsRefusedAtStartWithNothingWritten) {
  const auto project = CreateProject();
  Document(project, kMarker);
  CatchUpAll();
  const char* binary = std::getenv("DOCLEDGER_BINARY");
  ASSERT_NE(binary, nullptr);
  const auto events = Count("SELECT count(*) FROM events");
  const auto keys = Count("SELECT count(*) FROM document_keys");
  const std::string wrong = "1f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
  const std::string env = "env DATABASE_URL='" + db_->url() + "' DOCLEDGER_LISTEN=127.0.0.1:0 ";
  const auto serve = Shell(env + "DOCLEDGER_MASTER_KEY=" + wrong + " " + binary + " serve");
  EXPECT_EQ(serve.first, 2) << serve.second;
  EXPECT_NE(serve.second.find("is not the one that wrapped 1 data key(s)"), std::string::npos) << serve.second;
  EXPECT_EQ(serve.second.find(wrong), std::string::npos) << "the key is never printed";
  const auto replay = Shell(env + "DOCLEDGER_MASTER_KEY=" + wrong + " " + binary + " replay --all");
  EXPECT_EQ(replay.first, 2) << replay.second;
  const auto missing = Shell(env + "DOCLEDGER_ENV=production DOCLEDGER_API_KEYS=admin:Vb7Qw2Lp9Xs4Nd6Rf8Ht1Jk3Mz5Cg0Ye2Ua4Wo6" +
                             " DOCLEDGER_DB_ALLOW_PLAINTEXT=true DOCLEDGER_MASTER_KEY= DOCLEDGER_MASTER_KEY_FILE= " + binary + " serve");
  EXPECT_EQ(missing.first, 2) << missing.second;
  EXPECT_NE(missing.second.find("DOCLEDGER_MASTER_KEY: a master key is required in production"), std::string::npos)
      << missing.second;
  const auto right = Shell(env + "DOCLEDGER_MASTER_KEY=" + std::string(kTestMasterKey) + " " + binary +
                           " erase 00000000-0000-4000-8000-000000000000 --reason test");
  EXPECT_EQ(right.first, 3) << right.second;
  EXPECT_NE(right.second.find("not found"), std::string::npos) << right.second;
  EXPECT_EQ(Count("SELECT count(*) FROM events"), events);
  EXPECT_EQ(Count("SELECT count(*) FROM document_keys"), keys);
}

}  // namespace
}  // namespace docledger::testing
