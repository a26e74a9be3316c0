// docledger replay with foreign keys between read models: a child rebuilt alone keeps its
// keys to the live parent; a parent is rebuilt as one group with every projection whose
// tables reference it, swapped in one transaction, keys pointing at the swapped-in tables.
//
//   test_documents  <-  test_document_tags                      (TestProjectionsDdl(true))
//                   <-  test_sections <- test_section_sources   (semantic_ir-shaped)
//                                     <- test_section_notes     (a grandchild, one test)
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/stream_catalog/stream_catalog.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_projections.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

using domain::ExpectedVersion;
using projection_runtime::ProjectionList;

const std::vector<std::string> kFamilyTables = {"test_documents", "test_document_tags", "test_sections",
                                                "test_section_sources"};

class ReplayForeignKeys : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    Sql(TestProjectionsDdl(/*with_foreign_key=*/true));
    Sql(TestSectionsDdl());
  }
  ProjectionList Known() const { return {docs_, tags_, sections_}; }

  // The life of one document: created, sections (one rewritten: two source rows), tags,
  // a note, a rename; when `deleted`, deleted (never re-created) and then tagged and
  // given a section, which the children skip.
  static std::vector<domain::NewEvent> History(int doc, bool deleted) {
    const auto d = std::to_string(doc);
    std::vector<domain::NewEvent> events{
        MakeEvent("TestDocCreated", R"({"title":"doc )" + d + "\"}"),
        MakeEvent("TestSectionAdded", R"({"section":"intro","heading":"Intro )" + d + "\"}"),
        MakeEvent("TestDocTagged", R"({"tag":"t1"})"),
        MakeEvent("TestSectionAdded", R"({"section":"body","heading":"Body )" + d + "\"}"),
        MakeEvent("TestSectionNoted", R"({"section":"intro","note":"n1"})"),
        MakeEvent("TestDocRenamed", R"({"title":"doc )" + d + " v2\"}"),
        MakeEvent("TestSectionAdded", R"({"section":"intro","heading":"Intro )" + d + " v2\"}"),
        MakeEvent("TestDocTagged", R"({"tag":"t2"})"),
    };
    if (deleted) {
      events.push_back(MakeEvent("TestDocDeleted", "{}"));
      events.push_back(MakeEvent("TestDocTagged", R"({"tag":"late"})"));
      events.push_back(MakeEvent("TestSectionAdded", R"({"section":"late","heading":"Late"})"));
    }
    return events;
  }
  // Documents first..first+count-1, every fourth deleted, their events interleaved in the
  // log (appended three at a time, round-robin over the documents).
  static void AppendHistories(eventstore::PostgresEventStore& store, int first, int count) {
    std::vector<std::vector<domain::NewEvent>> histories;
    for (int doc = first; doc < first + count; ++doc) histories.push_back(History(doc, doc % 4 == 3));
    for (std::size_t from = 0;; from += 3) {
      bool any = false;
      for (int i = 0; i < count; ++i) {
        auto& history = histories[static_cast<std::size_t>(i)];
        if (from >= history.size()) continue;
        any = true;
        std::vector<domain::NewEvent> chunk(history.begin() + static_cast<std::ptrdiff_t>(from),
                                            history.begin() + static_cast<std::ptrdiff_t>(std::min(from + 3, history.size())));
        store.Append(MakeAppend("doc-" + std::to_string(first + i), ExpectedVersion::Any(), std::move(chunk)));
      }
      if (!any) return;
    }
  }
  void AppendHistories(int first, int count) { AppendHistories(*store_, first, count); }
  // The incremental build: each projection caught up to the head, parents first.
  // Each projector up to the head, parents first, until the head stands still: parking a
  // poison event appends a ProjectionParked event (the alert's source), which a child
  // must not wait for its (stopped) parent to pass.
  void CatchUpLive(const ProjectionList& projections) {
    for (;;) {
      const auto head = store_->HeadSequence();
      for (const auto& projection : projections) {
        projection_runtime::ProjectorRunner runner(db_->url(), projection);
        runner.CatchUp(head);
        runner.Stop();
      }
      if (store_->HeadSequence() == head) return;
    }
  }
  std::map<std::string, std::string> Dumps(const std::vector<std::string>& tables) {
    std::map<std::string, std::string> dumps;
    for (const auto& table : tables) {
      dumps[table] = Sql("SELECT count(*)::text || ' rows, md5 ' || coalesce(md5(string_agg(x::text, '|' ORDER BY "
                         "x::text)), '-') FROM " + table + " AS x")[0][0].c_str();
    }
    return dumps;
  }
  // Every foreign key of the database: table, name, definition and the referenced table's
  // schema (a key left pointing at a shadow table would show here).
  std::string ForeignKeys() {
    return Sql("SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM (SELECT c.conrelid::regclass::text "
               "|| '.' || c.conname || ': ' || pg_get_constraintdef(c.oid) || ' -> ' || n.nspname || '.' || r.relname "
               "AS line FROM pg_constraint c JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON n.oid = "
               "r.relnamespace WHERE c.contype = 'f') AS keys")[0][0]
        .c_str();
  }
  std::string IndexNames() {
    return Sql("SELECT string_agg(tablename || '.' || indexname, ',' ORDER BY tablename, indexname) FROM pg_indexes "
               "WHERE schemaname = 'public' AND tablename LIKE 'test\\_%'")[0][0]
        .c_str();
  }
  int Count(const std::string& sql) { return Sql(sql)[0][0].as<int>(); }
  std::int64_t Checkpoint(const std::string& name) {
    auto r = Sql("SELECT last_sequence FROM projection_checkpoints WHERE name = '" + name + "'");
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  }
  int ShadowSchemas() {
    return Count("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'docledger\\_rebuild%'");
  }
  // Deleting a live parent row removes the children's rows: the swapped-in keys cascade
  // from the live parent.
  void ExpectDeletingADocumentCascades(const std::string& doc, bool with_tags) {
    const std::string where = " WHERE doc_id = '" + doc + "'";
    ASSERT_GT(Count("SELECT count(*) FROM test_sections" + where), 0);
    ASSERT_GT(Count("SELECT count(*) FROM test_section_sources" + where), 0);
    if (with_tags) {
      ASSERT_GT(Count("SELECT count(*) FROM test_document_tags" + where), 0);
    }
    Sql("DELETE FROM test_documents" + where);
    EXPECT_EQ(Count("SELECT count(*) FROM test_sections" + where), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM test_section_sources" + where), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM test_document_tags" + where), 0);
  }
  static void ExpectIdentical(const std::vector<projection_runtime::RebuildResult>& results) {
    for (const auto& result : results) {
      for (const auto& c : result.comparisons) {
        EXPECT_TRUE(c.identical()) << result.projection << "." << c.table << ": live " << c.live_rows << " rebuilt "
                                   << c.rebuilt_rows << (c.only_live.empty() ? "" : "; only live: " + c.only_live[0])
                                   << (c.only_rebuilt.empty() ? "" : "; only rebuilt: " + c.only_rebuilt[0]);
      }
    }
  }
  void RebuildWhileTheLiveProjectorsKeepWriting(const std::shared_ptr<const projections::Projection>& requested,
                                                std::size_t group_size);
  std::vector<projection_runtime::RebuildResult> Verify(const ProjectionList& requested) {
    const auto groups = projection_runtime::PlanRebuilds(db_->url(), requested, Known());
    EXPECT_EQ(groups.size(), 1u);
    projection_runtime::RebuildOptions verify;
    verify.verify_only = true;
    return projection_runtime::RebuildProjectionGroup(db_->url(), groups.at(0), verify);
  }

  std::shared_ptr<TestDocuments> docs_ = std::make_shared<TestDocuments>();
  std::shared_ptr<TestDocumentTags> tags_ = std::make_shared<TestDocumentTags>();
  std::shared_ptr<TestSections> sections_ = std::make_shared<TestSections>();
};

TEST_F(ReplayForeignKeys, AChildRebuiltAloneKeepsItsForeignKeysAndEqualsTheIncrementalTables) {
  AppendHistories(0, 30);
  CatchUpLive({docs_, tags_, sections_});
  const auto head = store_->HeadSequence();
  const auto incremental = Dumps(kFamilyTables);
  const auto keys_before = ForeignKeys();
  const auto indexes_before = IndexNames();
  ASSERT_NE(keys_before.find("test_sections_doc_id_fkey"), std::string::npos) << keys_before;
  Sql("UPDATE test_sections SET heading = 'damaged'");  // what the rebuild must repair

  const auto groups = projection_runtime::PlanRebuilds(db_->url(), {sections_}, Known());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].Names(), std::vector<std::string>{"test_sections"}) << "nothing references the child's tables";
  EXPECT_TRUE(groups[0].added.empty());
  const auto results = projection_runtime::RebuildProjectionGroup(db_->url(), groups[0], {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].swapped);
  EXPECT_EQ(results[0].checkpoint, head);
  EXPECT_EQ(Checkpoint("test_sections"), head);

  EXPECT_EQ(Dumps(kFamilyTables), incremental);
  EXPECT_EQ(ForeignKeys(), keys_before) << "the same keys, pointing at the live test_documents";
  EXPECT_EQ(IndexNames(), indexes_before);
  EXPECT_EQ(ShadowSchemas(), 0);
  ExpectIdentical(Verify({sections_}));
  ExpectDeletingADocumentCascades("5", /*with_tags=*/true);
}

TEST_F(ReplayForeignKeys, AChildRebuiltAloneNeverRunsAheadOfItsLiveParent) {
  AppendHistories(0, 10);
  CatchUpLive({docs_, sections_});
  const auto parent_checkpoint = Checkpoint("test_documents");
  AppendHistories(10, 10);  // test_documents' projector is not running: it stays behind
  ASSERT_GT(store_->HeadSequence(), parent_checkpoint);

  const auto result = projection_runtime::RebuildProjection(db_->url(), sections_, {});
  EXPECT_TRUE(result.swapped);
  EXPECT_EQ(result.checkpoint, parent_checkpoint);
  EXPECT_EQ(Checkpoint("test_sections"), parent_checkpoint);
  EXPECT_EQ(Count("SELECT count(*) FROM test_sections WHERE doc_id::int >= 10"), 0);

  CatchUpLive({docs_, sections_});
  EXPECT_GT(Count("SELECT count(*) FROM test_sections WHERE doc_id::int >= 10"), 0);
  ExpectIdentical(Verify({sections_}));
}

TEST_F(ReplayForeignKeys, ARebuiltChildHoldsTheStreamsItsParentParkedLikeTheLiveOne) {
  AppendHistories(0, 6);
  store_->Append(MakeAppend("doc-7", ExpectedVersion::Any(),
                            {MakeEvent("TestDocCreated", R"({"title":"bad","poison":true})"),
                             MakeEvent("TestSectionAdded", R"({"section":"intro","heading":"h"})"),
                             MakeEvent("TestDocTagged", R"({"tag":"t"})")}));
  AppendHistories(8, 4);
  CatchUpLive({docs_, tags_, sections_});
  ASSERT_EQ(Count("SELECT count(*) FROM projection_parked WHERE projection = 'test_documents' AND held_behind IS NULL"), 1);
  const std::string held_sections =
      "SELECT count(*) FROM projection_parked WHERE projection = 'test_sections' AND stream_id = 'doc-7' "
      "AND held_behind IS NOT NULL";
  ASSERT_EQ(Count(held_sections), 1) << "the live child holds the stream its parent parked";

  // Alone, the child reads the live parent's parked streams; in the parent's group, the
  // rebuilt parent's.
  ExpectIdentical(Verify({sections_}));
  ExpectIdentical(Verify({docs_}));
  EXPECT_TRUE(projection_runtime::RebuildProjection(db_->url(), sections_, {}).swapped);
  EXPECT_EQ(Count(held_sections), 1);
  const auto groups = projection_runtime::PlanRebuilds(db_->url(), {docs_}, Known());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(projection_runtime::RebuildProjectionGroup(db_->url(), groups[0], {}).size(), 3u);
  EXPECT_EQ(Count(held_sections), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked WHERE projection = 'test_documents' AND held_behind IS NULL"), 1);
}

TEST_F(ReplayForeignKeys, AParentRebuildAlsoRebuildsItsChildrenAndTheirKeysPointAtTheLiveParent) {
  AppendHistories(0, 30);
  CatchUpLive({docs_, tags_, sections_});
  const auto head = store_->HeadSequence();
  const auto incremental = Dumps(kFamilyTables);
  const auto keys_before = ForeignKeys();
  const auto indexes_before = IndexNames();
  // Damage: a document deleted from the live parent by hand (its children cascade with
  // it). Only children that read the REBUILT parent through Find get their rows back.
  Sql("UPDATE test_documents SET title = 'damaged'");
  Sql("DELETE FROM test_documents WHERE doc_id = '2'");
  ASSERT_EQ(Count("SELECT count(*) FROM test_sections WHERE doc_id = '2'"), 0);

  const auto groups = projection_runtime::PlanRebuilds(db_->url(), {docs_}, Known());
  ASSERT_EQ(groups.size(), 1u);
  const auto names = groups[0].Names();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0], "test_documents") << "parents first";
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"test_documents", "test_document_tags", "test_sections"}));
  EXPECT_EQ(groups[0].requested, std::vector<std::string>{"test_documents"});
  ASSERT_EQ(groups[0].added.size(), 2u);
  for (const auto& why : groups[0].added) {
    EXPECT_NE(why.find("references test_documents"), std::string::npos) << why;
  }

  const auto results = projection_runtime::RebuildProjectionGroup(db_->url(), groups[0], {});
  ASSERT_EQ(results.size(), 3u);
  for (const auto& result : results) {
    EXPECT_TRUE(result.swapped) << result.projection;
    EXPECT_EQ(result.checkpoint, head) << result.projection;
    EXPECT_EQ(Checkpoint(result.projection), head) << result.projection;
  }
  EXPECT_EQ(Dumps(kFamilyTables), incremental);
  EXPECT_EQ(ForeignKeys(), keys_before) << "every key back, pointing at the swapped-in public tables";
  EXPECT_EQ(IndexNames(), indexes_before);
  EXPECT_EQ(ShadowSchemas(), 0);
  ExpectIdentical(Verify({docs_}));
  ExpectDeletingADocumentCascades("2", /*with_tags=*/true);
}

// Rebuilds `requested` (and its group) while the live projectors of all three keep
// projecting new documents, some of them deleted (cascading into the children, and for a
// child rebuilt alone into its shadow tables too), and a reader joins the three tables.
void ReplayForeignKeys::RebuildWhileTheLiveProjectorsKeepWriting(const std::shared_ptr<const projections::Projection>& requested,
                                                                 std::size_t group_size) {
  AppendHistories(0, 40);
  projection_runtime::ProjectorOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  options.batch_size = 50;
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> live;
  for (const auto& projection : Known()) {
    live.push_back(std::make_unique<projection_runtime::ProjectorRunner>(db_->url(), projection, options));
    live.back()->Start();
  }
  const auto all_caught_up = [&] {
    const auto head = store_->HeadSequence();
    return std::all_of(live.begin(), live.end(), [&](const auto& r) { return r->Progress().checkpoint == head; });
  };
  ASSERT_TRUE(WaitUntil(all_caught_up));
  const auto keys_before = ForeignKeys();
  Sql("UPDATE test_sections SET heading = 'damaged'");  // in every group rebuilt here

  std::atomic<bool> rebuilding{true}, reading{true};
  std::atomic<int> reads{0}, failed_reads{0}, documents_written{0};
  std::thread reader([&] {
    pqxx::connection conn(db_->url());
    while (reading) {
      try {
        pqxx::nontransaction tx(conn);
        tx.exec("SELECT count(*) FROM test_documents d JOIN test_sections s USING (doc_id) "
                "JOIN test_document_tags t USING (doc_id)");
        ++reads;
      } catch (const std::exception&) {
        ++failed_reads;
      }
    }
  });
  // New documents (some deleted) for as long as the rebuild runs, and at least 20.
  auto writer_store = SecondStore();
  std::thread writer([&] {
    for (int doc = 1000; rebuilding || doc < 1020; ++doc) {
      AppendHistories(*writer_store, doc, 1);
      ++documents_written;
    }
  });
  ASSERT_TRUE(WaitUntil([&] { return documents_written.load() > 0; }));

  projection_runtime::RebuildOptions rebuild;
  rebuild.batch_size = 40;
  std::vector<projection_runtime::RebuildResult> results;
  try {
    const auto groups = projection_runtime::PlanRebuilds(db_->url(), {requested}, Known());
    EXPECT_EQ(groups.size(), 1u);
    results = projection_runtime::RebuildProjectionGroup(db_->url(), groups.at(0), rebuild);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "rebuild failed: " << e.what();
  }
  const int written_during_rebuild = documents_written.load();
  rebuilding = false;
  writer.join();
  const bool caught_up = WaitUntil(all_caught_up, std::chrono::seconds(60));
  reading = false;
  reader.join();
  for (auto& runner : live) runner->Stop();
  ASSERT_TRUE(caught_up);

  ASSERT_EQ(results.size(), group_size);
  for (const auto& result : results) EXPECT_TRUE(result.swapped) << result.projection;
  EXPECT_GT(written_during_rebuild, 1) << "events were appended during the rebuild";
  EXPECT_EQ(failed_reads.load(), 0) << "reads were served throughout the rebuild";
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM test_sections WHERE heading = 'damaged'"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM test_sections WHERE doc_id::int >= 1000"), 0)
      << "the live projectors went on after the swap";
  EXPECT_EQ(ForeignKeys(), keys_before);
  ExpectIdentical(Verify({docs_}));
  ExpectDeletingADocumentCascades("1000", /*with_tags=*/true);
}

TEST_F(ReplayForeignKeys, AGroupRebuildSwapsInWhileTheLiveProjectorsKeepWritingAndReadsKeepWorking) {
  RebuildWhileTheLiveProjectorsKeepWriting(docs_, 3);
}

TEST_F(ReplayForeignKeys, AChildRebuildSwapsInWhileTheLiveProjectorsKeepWritingAndReadsKeepWorking) {
  RebuildWhileTheLiveProjectorsKeepWriting(sections_, 1);
}

TEST_F(ReplayForeignKeys, VerifyOnAGroupComparesEveryTableOfTheGroup) {
  AppendHistories(0, 20);
  CatchUpLive({docs_, tags_, sections_});
  const auto head = store_->HeadSequence();

  auto results = Verify({docs_});
  ASSERT_EQ(results.size(), 3u);
  std::multiset<std::string> compared;
  for (const auto& result : results) {
    EXPECT_FALSE(result.swapped);
    EXPECT_EQ(result.checkpoint, head);
    for (const auto& c : result.comparisons) compared.insert(c.table);
  }
  EXPECT_EQ(compared, (std::multiset<std::string>{"test_documents", "test_document_tags", "test_sections",
                                                  "test_section_sources", "projection_parked", "projection_parked",
                                                  "projection_parked"}));
  ExpectIdentical(results);

  Sql("DELETE FROM test_section_sources WHERE doc_id = '5' AND section = 'intro'");  // two rows
  results = Verify({docs_});
  ASSERT_EQ(results.size(), 3u);
  for (const auto& result : results) {
    EXPECT_EQ(result.identical(), result.projection != "test_sections") << result.projection;
    for (const auto& c : result.comparisons) {
      EXPECT_EQ(c.identical(), c.table != "test_section_sources") << c.table;
      if (c.table == "test_section_sources") {
        EXPECT_EQ(c.live_rows + 2, c.rebuilt_rows);
        EXPECT_TRUE(c.only_live.empty());
        ASSERT_EQ(c.only_rebuilt.size(), 2u);
        EXPECT_NE(c.only_rebuilt[0].find("intro"), std::string::npos) << c.only_rebuilt[0];
      }
    }
  }
  EXPECT_EQ(Count("SELECT count(*) FROM test_section_sources WHERE doc_id = '5' AND section = 'intro'"), 0)
      << "verify changes nothing";
  EXPECT_EQ(Checkpoint("test_documents"), head);
  EXPECT_EQ(ShadowSchemas(), 0);
}

TEST_F(ReplayForeignKeys, GroupsFollowReferencesTransitivelyAndEachProjectionIsRebuiltOnce) {
  Sql(TestSectionNotesDdl());
  auto notes = std::make_shared<TestSectionNotes>();
  auto catalog = std::make_shared<projections::StreamCatalog>();
  const ProjectionList known{catalog, notes, sections_, tags_, docs_};  // children listed first on purpose
  const auto position = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };

  auto groups = projection_runtime::PlanRebuilds(db_->url(), {docs_}, known);
  ASSERT_EQ(groups.size(), 1u);
  auto names = groups[0].Names();
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0], "test_documents");
  EXPECT_LT(position(names, "test_sections"), position(names, "test_section_notes"));
  EXPECT_EQ(groups[0].added.size(), 3u);

  groups = projection_runtime::PlanRebuilds(db_->url(), {notes}, known);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].Names(), std::vector<std::string>{"test_section_notes"});

  groups = projection_runtime::PlanRebuilds(db_->url(), {notes, tags_, sections_}, known);
  ASSERT_EQ(groups.size(), 2u) << "tags alone; sections with the notes that reference them";
  std::set<std::vector<std::string>> planned;
  for (const auto& group : groups) planned.insert(group.Names());
  EXPECT_EQ(planned, (std::set<std::vector<std::string>>{{"test_document_tags"},
                                                         {"test_sections", "test_section_notes"}}));

  groups = projection_runtime::PlanRebuilds(db_->url(), known, known);  // replay --all
  std::vector<std::string> everything;
  for (const auto& group : groups) {
    for (const auto& name : group.Names()) everything.push_back(name);
  }
  EXPECT_EQ(std::set<std::string>(everything.begin(), everything.end()).size(), everything.size())
      << "each projection once";
  EXPECT_EQ(everything.size(), 5u);
  EXPECT_EQ(groups.size(), 2u) << "the four linked by keys, and stream_catalog";

  // The three-level group, rebuilt for real.
  AppendHistories(0, 12);
  CatchUpLive({docs_, tags_, sections_, notes});
  std::vector<std::string> tables = kFamilyTables;
  tables.push_back("test_section_notes");
  const auto incremental = Dumps(tables);
  const auto keys_before = ForeignKeys();
  ASSERT_GT(Count("SELECT count(*) FROM test_section_notes"), 0);
  Sql("DELETE FROM test_documents WHERE doc_id = '4'");  // cascades down three levels
  groups = projection_runtime::PlanRebuilds(db_->url(), {docs_}, known);
  ASSERT_EQ(groups.size(), 1u);
  const auto results = projection_runtime::RebuildProjectionGroup(db_->url(), groups[0], {});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(Dumps(tables), incremental);
  EXPECT_EQ(ForeignKeys(), keys_before);
  Sql("DELETE FROM test_documents WHERE doc_id = '4'");
  EXPECT_EQ(Count("SELECT count(*) FROM test_section_notes WHERE doc_id = '4'"), 0);
}

TEST_F(ReplayForeignKeys, ATableOfNoProjectionReferencingAParentBlocksOnlyThatParentsRebuild) {
  AppendHistories(0, 8);
  CatchUpLive({docs_, tags_, sections_});
  Sql("CREATE TABLE test_audit (doc_id TEXT REFERENCES test_documents (doc_id))");
  const auto message = [&](auto&& call) -> std::string {
    try {
      call();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(message([&] { projection_runtime::PlanRebuilds(db_->url(), {docs_}, Known()); }).find("test_audit"),
            std::string::npos);
  EXPECT_NE(message([&] { projection_runtime::RebuildProjection(db_->url(), docs_, {}); }).find("test_audit"),
            std::string::npos);
  EXPECT_EQ(ShadowSchemas(), 0);
  EXPECT_GT(Count("SELECT count(*) FROM test_documents"), 0);
  // The children's tables are not referenced: they still rebuild.
  EXPECT_TRUE(projection_runtime::RebuildProjection(db_->url(), sections_, {}).swapped);
  EXPECT_TRUE(projection_runtime::RebuildProjection(db_->url(), tags_, {}).swapped);
}

TEST_F(ReplayForeignKeys, TheParentsGroupCannotRunWhileItsChildIsBeingRebuilt) {
  pqxx::connection holder(db_->url());
  {
    pqxx::nontransaction tx(holder);
    tx.exec_params("SELECT pg_advisory_lock($1::int, hashtext('test_sections'))", projection_runtime::kRebuildLeaseClass);
  }
  const auto groups = projection_runtime::PlanRebuilds(db_->url(), {docs_}, Known());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_THROW(projection_runtime::RebuildProjectionGroup(db_->url(), groups[0], {}), std::runtime_error);
  EXPECT_EQ(ShadowSchemas(), 0);
}

}  // namespace
}  // namespace docledger::testing
