// The application service over the in-memory store: load -> decide -> append, dedup of
// uploads, If-Match, lost races decided again, idempotent extractions.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "domain/command_service.hpp"
#include "domain/domain_events.hpp"
#include "eventstore/in_memory_event_store.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"

namespace docledger::domain {
namespace {

const std::string kSha = std::string(64, 'c');

class CommandServiceTest : public ::testing::Test {
 protected:
  eventstore::InMemoryEventStore store_;
  infrastructure::JsonSchemaValidator validator_;
  infrastructure::UuidIdSource ids_;
  CommandService service_{store_, validator_, ids_};

  std::string NewProject() {
    return service_
        .Execute(CreateProject{"", "Invoices", "",
                               nlohmann::json::parse(R"({"type":"object","required":["total"]})"), {"invoice"}})
        .id;
  }
  UploadDocument Upload(const std::string& project, std::optional<std::string> url = std::nullopt) {
    return UploadDocument{"", project, "a.pdf", "application/pdf", kSha, 3, std::move(url), {}};
  }
};

TEST_F(CommandServiceTest, CreateAssignsAnIdAndRecordsMetadata) {
  CommandContext context{"ingest-key", "corr-1", "", std::nullopt, ""};
  const auto outcome = service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}, context);
  EXPECT_TRUE(outcome.created);
  EXPECT_EQ(outcome.version, 1);
  const auto events = store_.ReadStream(ProjectStream(outcome.id), 1, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "ProjectCreated");
  const auto metadata = nlohmann::json::parse(events[0].metadata);
  EXPECT_EQ(metadata["actor"], "ingest-key");
  EXPECT_EQ(metadata["correlation_id"], "corr-1");
}

TEST_F(CommandServiceTest, TheSameProjectSourceUrlAndShaGiveTheExistingDocument) {
  const auto project = NewProject();
  const auto first = service_.Execute(Upload(project, "https://example.org/a.pdf"));
  const auto second = service_.Execute(Upload(project, "https://example.org/a.pdf"));
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(first.id, second.id);
  EXPECT_TRUE(second.events.empty());
  EXPECT_EQ(store_.StreamVersion(DocumentStream(first.id)), 1);
  // Another URL, another sha or no URL at all: another document.
  EXPECT_NE(service_.Execute(Upload(project, "https://example.org/b.pdf")).id, first.id);
  EXPECT_NE(service_.Execute(Upload(project)).id, service_.Execute(Upload(project)).id);
}

TEST_F(CommandServiceTest, ConcurrentIdenticalUploadsMakeOneDocument) {
  const auto project = NewProject();
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> ids;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      const auto outcome = service_.Execute(Upload(project, "https://example.org/same.pdf"));
      if (outcome.created) ++created;
      std::lock_guard lock(mutex);
      ids.insert(outcome.id);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(store_.StreamVersion(DocumentStream(*ids.begin())), 1);
}

TEST_F(CommandServiceTest, ASourceIsOneDocumentThatNewBytesReviseAndNewMetadataDescribe) {
  const auto project = NewProject();
  const std::string url = "https://example.org/crawled.pdf";
  const auto first = service_.Execute(Upload(project, url));
  EXPECT_EQ(first.kind, UploadKind::kCreate);
  EXPECT_EQ(first.revision, 1);
  EXPECT_EQ(first.id, service_.SourceDocumentId(project, url));
  auto changed = Upload(project, url);
  changed.sha256 = std::string(64, 'd');
  const auto revised = service_.Execute(changed);
  EXPECT_EQ(revised.id, first.id);
  EXPECT_EQ(revised.kind, UploadKind::kRevise);
  EXPECT_FALSE(revised.created);
  EXPECT_EQ(revised.revision, 2);
  EXPECT_EQ(revised.events.size(), 1u);
  changed.metadata = {{"lang", "en"}};
  const auto described = service_.Execute(changed);
  EXPECT_EQ(described.kind, UploadKind::kUpdateMetadata);
  EXPECT_EQ(described.revision, 2);
  const auto again = service_.Execute(changed);
  EXPECT_EQ(again.kind, UploadKind::kDuplicate);
  EXPECT_TRUE(again.events.empty());
  const auto events = store_.ReadStream(DocumentStream(first.id), 1, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].event_type, "DocumentRevised");
  EXPECT_EQ(events[2].event_type, "DocumentMetadataUpdated");
}

TEST_F(CommandServiceTest, ConcurrentCrawlsOfOneSourceWithDifferentBytesMakeOneDocument) {
  const auto project = NewProject();
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> ids;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto upload = Upload(project, "https://example.org/busy.pdf");
      upload.sha256 = std::string(63, 'e') + static_cast<char>('0' + i);
      const auto outcome = service_.Execute(upload);
      if (outcome.created) ++created;
      std::lock_guard lock(mutex);
      ids.insert(outcome.id);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(created.load(), 1);
  // One upload and seven revisions, each decided on the state the previous one left.
  const auto events = store_.ReadStream(DocumentStream(*ids.begin()), 1, 20);
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(nlohmann::json::parse(events.back().payload)["revision"], 8);
}

TEST_F(CommandServiceTest, ASourceRecordedBeforeRevisionsAnswersForItsBytes) {
  const auto project = NewProject();
  const std::string url = "https://example.org/legacy.pdf";
  // What an upload with a source_url appended before sources had revisions.
  const auto legacy = service_.LegacySourceDocumentId(project, url, kSha);
  store_.Append({DocumentStream(legacy), ExpectedVersion::NoStream(),
                 {Encode(DocumentUploaded{legacy, project, "a.pdf", "application/pdf", kSha, 3, url, {}})}});
  const auto same = service_.Execute(Upload(project, url));
  EXPECT_EQ(same.id, legacy);
  EXPECT_EQ(same.kind, UploadKind::kDuplicate);
  auto described = Upload(project, url);
  described.metadata = {{"lang", "en"}};
  EXPECT_EQ(service_.Execute(described).kind, UploadKind::kUpdateMetadata);
  EXPECT_EQ(store_.StreamVersion(DocumentStream(legacy)), 2);
  // New bytes start the source's own document; from then on it answers for the source.
  auto changed = Upload(project, url);
  changed.sha256 = std::string(64, 'f');
  const auto own = service_.Execute(changed);
  EXPECT_EQ(own.id, service_.SourceDocumentId(project, url));
  EXPECT_EQ(own.kind, UploadKind::kCreate);
  const auto back = service_.Execute(Upload(project, url));
  EXPECT_EQ(back.id, own.id);
  EXPECT_EQ(back.kind, UploadKind::kRevise);
}

TEST_F(CommandServiceTest, IfMatchMismatchIsWrongExpectedVersion) {
  const auto project = NewProject();
  CommandContext stale{"", "", "", 5, ""};
  EXPECT_THROW(service_.Execute(UpdateProject{project, std::string("New"), {}, {}, {}, false}, stale),
               WrongExpectedVersion);
  CommandContext current{"", "", "", 1, ""};
  EXPECT_EQ(service_.Execute(UpdateProject{project, std::string("New"), {}, {}, {}, false}, current).version, 2);
}

TEST_F(CommandServiceTest, ExtractionLocksTheSchemaAndIsIdempotentById) {
  const auto project = NewProject();
  const auto document = service_.Execute(Upload(project)).id;
  RecordExtraction extraction{"", project, document, "invoice", {{"total", 3}}};
  const auto recorded = service_.Execute(extraction);
  EXPECT_TRUE(recorded.created);
  extraction.extraction_id = recorded.id;
  const auto again = service_.Execute(extraction);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.events, recorded.events);
  EXPECT_THROW(service_.Execute(UpdateProject{project, {}, {}, nlohmann::json{{"type", "object"}}, {}, false}), Conflict);
  const auto forced = service_.Execute(UpdateProject{project, {}, {}, nlohmann::json{{"type", "object"}}, {}, true});
  const auto events = store_.ReadStream(ProjectStream(project), forced.version, 1);
  EXPECT_TRUE(nlohmann::json::parse(events.at(0).payload)["forced"].get<bool>());
  // Same id, other content: a conflict, not an overwrite.
  extraction.data = {{"total", 4}};
  EXPECT_THROW(service_.Execute(extraction), Conflict);
}

TEST_F(CommandServiceTest, FirstExtractionAndSchemaChangeCannotBothWin) {
  // Many rounds of a first extraction racing an unforced schema change: either the change
  // lands first (the extraction is then validated against the new schema) or the
  // extraction locks the schema first (the change is refused). Never both unlocked.
  for (int round = 0; round < 30; ++round) {
    const auto project = NewProject();
    const auto document = service_.Execute(Upload(project)).id;
    std::atomic<bool> change_won{false};
    std::thread change([&] {
      try {
        service_.Execute(UpdateProject{project, {}, {}, nlohmann::json::parse(R"({"type":"object","required":["net"]})"),
                                       {}, false});
        change_won = true;
      } catch (const Conflict&) {
      }
    });
    bool extraction_recorded = false;
    try {
      service_.Execute(RecordExtraction{"", project, document, "invoice", {{"total", 1}}});
      extraction_recorded = true;
    } catch (const ValidationError&) {
    }
    change.join();
    // {"total": 1} lacks "net": it can only be recorded if the change lost.
    EXPECT_NE(change_won.load(), extraction_recorded) << "round " << round;
  }
}

TEST_F(CommandServiceTest, ConversionOfADeletedDocumentIsRefused) {
  const auto project = NewProject();
  const auto document = service_.Execute(Upload(project)).id;
  service_.Execute(DeleteDocument{document, ""});
  EXPECT_THROW(service_.Execute(ConvertDocument{document, "# x", ""}), Conflict);
  EXPECT_THROW(service_.Execute(ConvertDocument{"00000000-0000-4000-8000-000000000000", "# x", ""}), NotFound);
}

TEST_F(CommandServiceTest, JobLifecycle) {
  const auto job = service_.Execute(StartJob{"", "conversion", std::nullopt, std::nullopt, "w", {}});
  EXPECT_EQ(service_.Execute(FailJob{job.id, "ParseError", "bad"}).version, 2);
  EXPECT_THROW(service_.Execute(CompleteJob{job.id, {}}), Conflict);
}

// A request with an Idempotency-Key executed a second time (its first run committed, but the
// process died before the response was stored): the ids derive from the key, so the second
// run finds its own events and answers with them; nothing is created or applied twice.
TEST_F(CommandServiceTest, AKeyedRequestExecutedAgainFindsItsOwnEvents) {
  const CommandContext keyed{"ingest-key", "corr-1", "", std::nullopt, "key-123"};
  const auto first = service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}, keyed);
  const auto again = service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}, keyed);
  EXPECT_TRUE(first.created);
  EXPECT_EQ(again.id, first.id);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.events, first.events);
  EXPECT_EQ(store_.ReadStream(ProjectStream(first.id), 1, 10).size(), 1u);

  const auto job = service_.Execute(StartJob{"", "crawl", std::nullopt, std::nullopt, "w", {}}, keyed);
  EXPECT_NE(job.id, first.id) << "each kind of id derives separately";
  const CommandContext complete{"ingest-key", "corr-2", "", std::nullopt, "key-456"};
  const auto done = service_.Execute(CompleteJob{job.id, {}}, complete);
  const auto done_again = service_.Execute(CompleteJob{job.id, {}}, complete);
  EXPECT_EQ(done_again.events, done.events) << "answered with the first run's event, not a Conflict";
  EXPECT_EQ(store_.ReadStream(JobStream(job.id), 1, 10).size(), 2u);

  // Another key, or another actor with the same key, is another request.
  const CommandContext other_key{"ingest-key", "", "", std::nullopt, "key-789"};
  const CommandContext other_actor{"crawler-key", "", "", std::nullopt, "key-123"};
  EXPECT_NE(service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}, other_key).id, first.id);
  EXPECT_NE(service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}, other_actor).id, first.id);
  // Without a key, ids stay random.
  EXPECT_NE(service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}).id,
            service_.Execute(CreateProject{"", "P", "", {{"type", "object"}}, {}}).id);
}

}  // namespace
}  // namespace docledger::domain
