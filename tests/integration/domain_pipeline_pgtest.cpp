// Commands -> events -> projections over real PostgreSQL: every read model of the
// pipeline, the semantic analyzer reactor, cascades, re-conversion, concurrent uploads
// and deletes with the projectors running live.
#include <atomic>
#include <thread>

#include "domain/domain_events.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "tests/support/pipeline_fixture.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {
namespace {

const char* const kPaper = R"(# Energy

## Definitions

**Mass**: the amount of matter in a body.

The relation is

$$E = mc^2$$

| Quantity | Unit |
|---|---|
| E | J |
| m | kg |

Table 1: Units

See Table 1 and Section 2.
)";

TEST_F(PipelineTest, UploadConvertAnalyzeProjectsEveryReadModel) {
  const auto project = NewProject();
  const auto document = Upload(project);
  service_->Execute(domain::ConvertDocument{document, kPaper, "pandoc"});
  CatchUpAll();

  const auto view = Sql("SELECT status, converted_length, version, metadata->>'pages', sha256, project_id::text "
                        "FROM document_views WHERE document_id = '" + document + "'");
  ASSERT_EQ(view.size(), 1u);
  EXPECT_EQ(view[0][0].as<std::string>(), "converted");
  EXPECT_EQ(view[0][1].as<std::int64_t>(), static_cast<std::int64_t>(std::string(kPaper).size()));
  EXPECT_EQ(view[0][2].as<int>(), 2);
  EXPECT_EQ(view[0][3].as<std::string>(), "3");
  EXPECT_EQ(view[0][5].as<std::string>(), project);

  // The analyzer's items landed through the reactor and the semantic_ir projection.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE event_type = 'SemanticIRExtracted'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir WHERE document_id = '" + document + "' AND ir_type = 'formula' "
                  "AND expression = 'E = mc^2'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir WHERE ir_type = 'definition' AND term = 'Mass'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir WHERE ir_type = 'table' AND row_count = 2 AND column_count = 2 "
                  "AND table_data->0->>'Unit' = 'J'"), 1);
  EXPECT_GE(Count("SELECT count(*) FROM semantic_ir WHERE ir_type = 'cross_reference'"), 2);
  EXPECT_EQ(Count("SELECT count(DISTINCT id) FROM semantic_ir"), Count("SELECT count(*) FROM semantic_ir"));
  EXPECT_EQ(Count("SELECT item_count FROM semantic_ir_sources WHERE document_id = '" + document + "'"),
            Count("SELECT count(*) FROM semantic_ir"));
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked"), 0);
}

TEST_F(PipelineTest, DeletingADocumentCascadesItsSemanticIr) {
  const auto project = NewProject();
  const auto keep = Upload(project, "keep.pdf");
  const auto drop = Upload(project, "drop.pdf");
  service_->Execute(domain::ConvertDocument{keep, kPaper, ""});
  service_->Execute(domain::ConvertDocument{drop, kPaper, ""});
  CatchUpAll();
  const auto per_document = Count("SELECT count(*) FROM semantic_ir WHERE document_id = '" + keep + "'");
  ASSERT_GT(per_document, 0);
  service_->Execute(domain::DeleteDocument{drop, "duplicate"});
  CatchUpAll();
  EXPECT_EQ(Count("SELECT count(*) FROM document_views WHERE document_id = '" + drop + "'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir WHERE document_id = '" + drop + "'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir_sources WHERE document_id = '" + drop + "'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir"), per_document);
}

TEST_F(PipelineTest, ReconversionReplacesTheItemsAndAFailureKeepsThem) {
  const auto project = NewProject();
  const auto document = Upload(project);
  service_->Execute(domain::ConvertDocument{document, kPaper, ""});
  CatchUpAll();
  ASSERT_GT(Count("SELECT count(*) FROM semantic_ir"), 1);
  service_->Execute(domain::ConvertDocument{document, "Only $$a + b$$ here.", ""});
  CatchUpAll();
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir WHERE expression = 'a + b' AND ordinal = 0"), 1);
  service_->Execute(domain::FailConversion{document, "OcrError", "page 2 unreadable"});
  CatchUpAll();
  const auto view = Sql("SELECT status, conversion_error FROM document_views");
  EXPECT_EQ(view[0][0].as<std::string>(), "conversion_failed");
  EXPECT_EQ(view[0][1].as<std::string>(), "OcrError: page 2 unreadable");
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir"), 1);
}

TEST_F(PipelineTest, ProjectsExtractionsAndJobs) {
  const auto project = NewProject(R"({"type":"object","required":["total"],"properties":{"total":{"type":"number"}}})");
  const auto document = Upload(project);
  const auto extraction =
      service_->Execute(domain::RecordExtraction{"", project, document, "entity", {{"total", 9.5}}}).id;
  service_->Execute(domain::UpdateProject{project, std::string("Renamed"), {}, nlohmann::json{{"type", "object"}}, {}, true});
  const auto job = service_->Execute(domain::StartJob{"", "embedding", document, project, "embedder-1", {}}).id;
  service_->Execute(domain::FailJob{job, "RateLimitError", "429 from the model API"});
  const auto done = service_->Execute(domain::StartJob{"", "crawl", std::nullopt, project, "crawler", {}}).id;
  service_->Execute(domain::CompleteJob{done, {{"pages", 12}}});
  CatchUpAll();

  const auto projects = Sql("SELECT name, schema_revision, has_extractions, version FROM projects");
  ASSERT_EQ(projects.size(), 1u);
  EXPECT_EQ(projects[0][0].as<std::string>(), "Renamed");
  EXPECT_EQ(projects[0][1].as<int>(), 2);
  EXPECT_TRUE(projects[0][2].as<bool>());
  EXPECT_EQ(projects[0][3].as<int>(), 3);

  const auto extractions = Sql("SELECT project_id::text, document_id::text, entity_type, data->>'total', valid, "
                               "schema_revision FROM extractions WHERE extraction_id = '" + extraction + "'");
  ASSERT_EQ(extractions.size(), 1u);
  EXPECT_EQ(extractions[0][0].as<std::string>(), project);
  EXPECT_EQ(extractions[0][1].as<std::string>(), document);
  EXPECT_EQ(extractions[0][3].as<std::string>(), "9.5");
  EXPECT_TRUE(extractions[0][4].as<bool>());
  EXPECT_EQ(extractions[0][5].as<int>(), 1);

  const auto failed = Sql("SELECT status, error_type, error, duration_ms IS NOT NULL FROM jobs WHERE job_id = '" + job + "'");
  EXPECT_EQ(failed[0][0].as<std::string>(), "failed");
  EXPECT_EQ(failed[0][1].as<std::string>(), "RateLimitError");
  EXPECT_EQ(failed[0][2].as<std::string>(), "RateLimitError: 429 from the model API");
  EXPECT_TRUE(failed[0][3].as<bool>());
  EXPECT_EQ(Sql("SELECT status, result->>'pages' FROM jobs WHERE job_id = '" + done + "'")[0][1].as<std::string>(), "12");
}

TEST_F(PipelineTest, ReaddingADeletedDocumentStartsItOver) {
  const auto project = NewProject();
  domain::UploadDocument upload{"", project, "a.pdf", "application/pdf", std::string(64, 'e'), 1,
                                std::string("https://example.org/a.pdf"), {}};
  const auto first = service_->Execute(upload);
  service_->Execute(domain::ConvertDocument{first.id, kPaper, ""});
  service_->Execute(domain::DeleteDocument{first.id, ""});
  const auto again = service_->Execute(upload);
  EXPECT_EQ(again.id, first.id);
  EXPECT_TRUE(again.created);
  CatchUpAll();
  EXPECT_EQ(Sql("SELECT status FROM document_views")[0][0].as<std::string>(), "uploaded");
  // The old conversion's semantic IR does not come back with the document.
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir"), 0);
}

TEST_F(PipelineTest, ConcurrentUploadsConvertsAndDeletesLeaveNoOrphansAndNothingParked) {
  const auto project = NewProject();
  StartAll();
  std::vector<std::thread> workers;
  std::atomic<int> deleted{0};
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 60; ++i) {
        const auto document = Upload(project, "w" + std::to_string(w) + "-" + std::to_string(i));
        service_->Execute(domain::ConvertDocument{document, kPaper, ""});
        if (i % 3 == 0) {
          service_->Execute(domain::DeleteDocument{document, ""});
          ++deleted;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  ASSERT_TRUE(WaitUntil(
      [&] {
        const auto head = store_->HeadSequence();
        for (auto& runner : runners_) {
          if (runner->Progress().checkpoint < head) return false;
        }
        return Count("SELECT count(*) FROM events WHERE event_type = 'SemanticIRExtracted'") == 240 &&
               store_->HeadSequence() == head;
      },
      std::chrono::seconds(120)));
  StopAll();
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM document_views"), 240 - deleted.load());
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir s LEFT JOIN document_views d USING (document_id) "
                  "WHERE d.document_id IS NULL"), 0);
  // Every live converted document shows its items.
  EXPECT_EQ(Count("SELECT count(*) FROM document_views d WHERE NOT EXISTS "
                  "(SELECT 1 FROM semantic_ir_sources s WHERE s.document_id = d.document_id)"), 0);
}

// Every read model of a mixed workload built incrementally (projectors running live while
// commands arrive) equals a replay from sequence 0; then a real replay of document_views
// (which rebuilds semantic_ir with it, because of the foreign keys) changes nothing.
TEST_F(PipelineTest, IncrementalReadModelsEqualAReplay) {
  const auto project = NewProject(R"({"type":"object","required":["total"]})");
  StartAll();
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 40; ++i) {
        const auto document = Upload(project, "w" + std::to_string(w) + "-" + std::to_string(i));
        if (i % 5 == 4) {
          service_->Execute(domain::FailConversion{document, "OcrError", "scan " + std::to_string(i)});
        } else {
          service_->Execute(domain::ConvertDocument{document, i % 2 ? kPaper : "Only $$a_" + std::to_string(i) + "$$", ""});
        }
        if (i % 3 == 0) service_->Execute(domain::RecordExtraction{"", project, document, "entity", {{"total", i}}});
        if (i % 4 == 0) service_->Execute(domain::ConvertDocument{document, "Second $$b$$ and **T**: t.", ""});
        if (i % 7 == 0) service_->Execute(domain::DeleteDocument{document, ""});
        const auto job = service_->Execute(domain::StartJob{"", "conversion", document, project, "w", {}}).id;
        if (i % 2) {
          service_->Execute(domain::CompleteJob{job, {}});
        } else {
          service_->Execute(domain::FailJob{job, "E", "m"});
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  ASSERT_TRUE(WaitUntil(
      [&] {
        const auto head = store_->HeadSequence();
        for (auto& runner : runners_) {
          if (runner->Progress().checkpoint < head) return false;
        }
        return Count("SELECT count(*) FROM events WHERE event_type = 'SemanticIRExtracted'") ==
                   Count("SELECT count(*) FROM events WHERE event_type = 'DocumentConverted'") &&
               store_->HeadSequence() == head;
      },
      std::chrono::seconds(120)));
  ASSERT_GT(Count("SELECT count(*) FROM semantic_ir"), 0);
  StopAll();

  std::vector<std::shared_ptr<const projections::Projection>> all;
  for (const auto& projection : projections::BuiltInProjections()) {
    if (!dynamic_cast<const projections::Reactor*>(projection.get())) all.push_back(projection);
  }
  const auto verify = RebuildWith(/*verify_only=*/true);
  for (const auto& group : projection_runtime::PlanRebuilds(db_->url(), all, all)) {
    for (const auto& result : projection_runtime::RebuildProjectionGroup(db_->url(), group, verify)) {
      for (const auto& c : result.comparisons) {
        EXPECT_TRUE(c.identical()) << c.table << ": live " << c.live_rows << " rebuilt " << c.rebuilt_rows
                                   << (c.only_live.empty() ? "" : "; only live: " + c.only_live[0])
                                   << (c.only_rebuilt.empty() ? "" : "; only rebuilt: " + c.only_rebuilt[0]);
      }
    }
  }

  const auto before = Sql("SELECT md5(string_agg(s::text, ',' ORDER BY document_id, ordinal)) FROM semantic_ir s")[0][0];
  std::vector<std::shared_ptr<const projections::Projection>> views;
  for (const auto& projection : all) {
    if (projection->Name() == "document_views") views.push_back(projection);
  }
  const auto groups = projection_runtime::PlanRebuilds(db_->url(), views, all);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].Names(), (std::vector<std::string>{"document_views", "semantic_ir"}));
  for (const auto& result : projection_runtime::RebuildProjectionGroup(db_->url(), groups[0], RebuildWith())) {
    EXPECT_TRUE(result.swapped) << result.projection;
  }
  EXPECT_EQ(Sql("SELECT md5(string_agg(s::text, ',' ORDER BY document_id, ordinal)) FROM semantic_ir s")[0][0].c_str(),
            std::string(before.c_str()));
  // The keys came back: deleting a view cascades its items.
  Sql("DELETE FROM document_views");
  EXPECT_EQ(Count("SELECT count(*) FROM semantic_ir"), 0);
}

TEST_F(PipelineTest, AnOldDocumentUploadedV1IsProjectedThroughItsUpcast) {
  const auto project = NewProject();
  const std::string document = "0b7e4b4e-9c3a-4f5e-8d21-3f1a2b3c4d5e";
  domain::NewEvent v1;
  v1.event_type = "DocumentUploaded";
  v1.schema_version = 1;
  v1.payload = nlohmann::json{{"document_id", document},   {"project_id", project},
                              {"filename", "legacy.pdf"}, {"content_type", "application/pdf"},
                              {"size_bytes", 7},          {"content_hash", "sha256:" + std::string(64, '7')}}
                   .dump();
  store_->Append({domain::DocumentStream(document), domain::ExpectedVersion::NoStream(), {v1}});
  // The command side reads it too: the document can be converted.
  service_->Execute(domain::ConvertDocument{document, "$$x$$", ""});
  CatchUpAll();
  const auto view = Sql("SELECT sha256, status FROM document_views WHERE document_id = '" + document + "'");
  ASSERT_EQ(view.size(), 1u);
  EXPECT_EQ(view[0][0].as<std::string>(), std::string(64, '7'));
  EXPECT_EQ(view[0][1].as<std::string>(), "converted");
  EXPECT_EQ(Count("SELECT count(*) FROM projection_parked"), 0);
}

}  // namespace
}  // namespace docledger::testing
