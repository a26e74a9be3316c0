// Every decision rule of the project, document, extraction and job aggregates, as pure
// functions over state built with Evolve from events.
#include <gtest/gtest.h>

#include "domain/document.hpp"
#include "domain/extraction.hpp"
#include "domain/job.hpp"
#include "domain/project.hpp"
#include "infrastructure/json_schema_validator.hpp"

namespace docledger::domain {
namespace {

const std::string kProject = "11111111-1111-4111-8111-111111111111";
const std::string kDocument = "22222222-2222-4222-8222-222222222222";
const std::string kExtraction = "33333333-3333-4333-8333-333333333333";
const std::string kJob = "44444444-4444-4444-8444-444444444444";
const std::string kSha = std::string(64, 'a');

const infrastructure::JsonSchemaValidator& Validator() {
  static const infrastructure::JsonSchemaValidator validator;
  return validator;
}

nlohmann::json InvoiceSchema() {
  return nlohmann::json::parse(R"({"type":"object","required":["total"],
      "properties":{"total":{"type":"number","minimum":0},"currency":{"type":"string","enum":["EUR","USD"]}}})");
}

template <typename State>
State Replay(const std::vector<DomainEvent>& events) {
  State state;
  for (const auto& event : events) state = Evolve(std::move(state), event);
  return state;
}

ProjectState CreatedProject(bool with_extractions = false) {
  std::vector<DomainEvent> events = {ProjectCreated{kProject, "Invoices", "", InvoiceSchema(), {"invoice"}}};
  if (with_extractions) events.push_back(ProjectExtractionsStarted{kProject, kExtraction});
  return Replay<ProjectState>(events);
}

DocumentState UploadedDocument() {
  return Replay<DocumentState>({DocumentUploaded{kDocument, kProject, "a.pdf", "application/pdf", kSha, 10,
                                                 std::string("https://example.org/a.pdf"), nlohmann::json::object()}});
}

std::vector<std::string> IssuePaths(const ValidationError& error) {
  std::vector<std::string> paths;
  for (const auto& issue : error.issues()) paths.push_back(issue.path);
  return paths;
}

TEST(ProjectDecisions, CreateGivesProjectCreatedWithTheSchema) {
  const auto events = Decide(ProjectState{}, CreateProject{kProject, "Invoices", "d", InvoiceSchema(), {"invoice"}},
                             Validator());
  ASSERT_EQ(events.size(), 1u);
  const auto& created = std::get<ProjectCreated>(events[0]);
  EXPECT_EQ(created.json_schema, InvoiceSchema());
  EXPECT_EQ(created.entity_types, std::vector<std::string>{"invoice"});
}

TEST(ProjectDecisions, CreateRefusesAnExistingProject) {
  EXPECT_THROW(Decide(CreatedProject(), CreateProject{kProject, "x", "", {}, {}}, Validator()), Conflict);
}

TEST(ProjectDecisions, CreateReportsEveryBadFieldWithItsPath) {
  try {
    Decide(ProjectState{}, CreateProject{"not-a-uuid", "", "", nlohmann::json::parse(R"({"type":"no-such-type"})"),
                                         {"a", "a"}},
           Validator());
    FAIL() << "expected ValidationError";
  } catch (const ValidationError& error) {
    EXPECT_EQ(IssuePaths(error), (std::vector<std::string>{"/project_id", "/name", "/json_schema", "/entity_types/1"}));
  }
}

TEST(ProjectDecisions, SchemaChangeWithoutExtractionsBumpsTheRevision) {
  UpdateProject update{kProject, {}, {}, nlohmann::json{{"type", "object"}}, {}, false};
  const auto events = Decide(CreatedProject(), update, Validator());
  ASSERT_EQ(events.size(), 1u);
  const auto& updated = std::get<ProjectUpdated>(events[0]);
  EXPECT_EQ(updated.schema_revision, 2);
  EXPECT_FALSE(updated.forced);
}

TEST(ProjectDecisions, SchemaChangeIsRefusedWhileExtractionsExist) {
  UpdateProject update{kProject, {}, {}, nlohmann::json{{"type", "object"}}, {}, false};
  EXPECT_THROW(Decide(CreatedProject(true), update, Validator()), Conflict);
  UpdateProject types{kProject, {}, {}, {}, std::vector<std::string>{"receipt"}, false};
  EXPECT_THROW(Decide(CreatedProject(true), types, Validator()), Conflict);
}

TEST(ProjectDecisions, ForcedSchemaChangeIsRecordedAsForced) {
  UpdateProject update{kProject, {}, {}, nlohmann::json{{"type", "object"}}, {}, true};
  const auto events = Decide(CreatedProject(true), update, Validator());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::get<ProjectUpdated>(events[0]).forced);
}

TEST(ProjectDecisions, RenameIsAllowedWhileExtractionsExistAndKeepsTheRevision) {
  UpdateProject update{kProject, std::string("Renamed"), {}, InvoiceSchema(), {}, false};  // same schema: no change
  const auto events = Decide(CreatedProject(true), update, Validator());
  ASSERT_EQ(events.size(), 1u);
  const auto& updated = std::get<ProjectUpdated>(events[0]);
  EXPECT_EQ(updated.name, "Renamed");
  EXPECT_FALSE(updated.json_schema.has_value());
  EXPECT_EQ(updated.schema_revision, 1);
  EXPECT_FALSE(updated.forced);
}

TEST(ProjectDecisions, UpdateWithNothingNewDecidesNothing) {
  UpdateProject update{kProject, std::string("Invoices"), {}, {}, {}, false};
  EXPECT_TRUE(Decide(CreatedProject(), update, Validator()).empty());
}

TEST(ProjectDecisions, UpdateAndDeleteOfAMissingOrDeletedProjectAreNotFound) {
  EXPECT_THROW(Decide(ProjectState{}, UpdateProject{kProject, std::string("x"), {}, {}, {}, false}, Validator()), NotFound);
  auto deleted = Evolve(CreatedProject(), ProjectDeleted{kProject});
  EXPECT_THROW(Decide(deleted, DeleteProject{kProject}), NotFound);
  EXPECT_EQ(Decide(CreatedProject(), DeleteProject{kProject}).size(), 1u);
}

TEST(DocumentDecisions, UploadGivesDocumentUploaded) {
  UploadDocument upload{kDocument, kProject, "a.pdf", "application/pdf", kSha, 10, std::nullopt, {}};
  const auto events = Decide(DocumentState{}, CreatedProject(), upload);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<DocumentUploaded>(events[0]).sha256, kSha);
}

TEST(DocumentDecisions, TheSameUploadAgainDecidesNothing) {
  UploadDocument upload{kDocument, kProject, "a.pdf", "application/pdf", kSha, 10,
                        std::string("https://example.org/a.pdf"), {}};
  EXPECT_TRUE(Decide(UploadedDocument(), CreatedProject(), upload).empty());
}

UploadDocument Crawl(const std::string& sha, const std::string& filename = "a.pdf",
                     nlohmann::json metadata = nlohmann::json::object()) {
  return {kDocument, kProject, filename, "application/pdf", sha, 10, std::string("https://example.org/a.pdf"),
          std::move(metadata)};
}

TEST(DocumentDecisions, ClassifyUploadTellsCreateReviseMetadataUpdateAndDuplicate) {
  const auto uploaded = UploadedDocument();
  const std::string other(64, 'b');
  EXPECT_EQ(ClassifyUpload(DocumentState{}, Crawl(kSha)), UploadKind::kCreate);
  EXPECT_EQ(ClassifyUpload(uploaded, Crawl(other)), UploadKind::kRevise);
  EXPECT_EQ(ClassifyUpload(uploaded, Crawl(other, "b.pdf", {{"lang", "de"}})), UploadKind::kRevise)
      << "new bytes are a revision whatever the description";
  EXPECT_EQ(ClassifyUpload(uploaded, Crawl(kSha, "a.pdf", {{"lang", "de"}})), UploadKind::kUpdateMetadata);
  EXPECT_EQ(ClassifyUpload(uploaded, Crawl(kSha, "renamed.pdf")), UploadKind::kUpdateMetadata);
  auto retyped = Crawl(kSha);
  retyped.content_type = "application/x-pdf";
  EXPECT_EQ(ClassifyUpload(uploaded, retyped), UploadKind::kUpdateMetadata);
  EXPECT_EQ(ClassifyUpload(uploaded, Crawl(kSha)), UploadKind::kDuplicate);
  auto null_metadata = Crawl(kSha);
  null_metadata.metadata = nullptr;
  EXPECT_EQ(ClassifyUpload(uploaded, null_metadata), UploadKind::kDuplicate) << "no metadata is the empty object";
  const auto deleted = Replay<DocumentState>({DocumentUploaded{kDocument, kProject, "a.pdf", "application/pdf", kSha,
                                                               10, std::string("https://example.org/a.pdf"), {}},
                                              DocumentDeleted{kDocument, ""}});
  EXPECT_EQ(ClassifyUpload(deleted, Crawl(other)), UploadKind::kCreate) << "a deleted source starts over";
  EXPECT_STREQ(UploadKindName(UploadKind::kUpdateMetadata), "metadata_updated");
}

TEST(DocumentDecisions, NewBytesForASourceAppendTheNextRevision) {
  const std::string other(64, 'b');
  auto state = UploadedDocument();
  auto events = Decide(state, CreatedProject(), Crawl(other, "a.pdf", {{"lang", "en"}}));
  ASSERT_EQ(events.size(), 1u);
  const auto& revised = std::get<DocumentRevised>(events[0]);
  EXPECT_EQ(revised.document_id, kDocument);
  EXPECT_EQ(revised.sha256, other);
  EXPECT_EQ(revised.revision, 2);
  EXPECT_EQ(revised.metadata, (nlohmann::json{{"lang", "en"}}));
  state = Evolve(state, events[0]);
  EXPECT_EQ(state.revision, 2);
  EXPECT_EQ(state.sha256, other);
  events = Decide(state, CreatedProject(), Crawl(kSha));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<DocumentRevised>(events[0]).revision, 3) << "going back to earlier bytes is a revision too";
}

TEST(DocumentDecisions, TheSameBytesWithNewMetadataUpdateTheDescription) {
  auto state = UploadedDocument();
  const auto events = Decide(state, CreatedProject(), Crawl(kSha, "a-v2.pdf", {{"pages", 4}}));
  ASSERT_EQ(events.size(), 1u);
  const auto& updated = std::get<DocumentMetadataUpdated>(events[0]);
  EXPECT_EQ(updated.filename, "a-v2.pdf");
  EXPECT_EQ(updated.metadata, (nlohmann::json{{"pages", 4}}));
  state = Evolve(state, events[0]);
  EXPECT_EQ(state.revision, 1);
  EXPECT_TRUE(Decide(state, CreatedProject(), Crawl(kSha, "a-v2.pdf", {{"pages", 4}})).empty());
}

TEST(DocumentDecisions, WithoutASourceOtherBytesOrMetadataKeepTheirOldAnswers) {
  auto state = Replay<DocumentState>(
      {DocumentUploaded{kDocument, kProject, "a.pdf", "application/pdf", kSha, 10, std::nullopt, {{"pages", 1}}}});
  UploadDocument upload{kDocument, kProject, "a.pdf", "application/pdf", std::string(64, 'b'), 10, std::nullopt, {}};
  EXPECT_THROW(Decide(state, CreatedProject(), upload), Conflict);
  upload.sha256 = kSha;
  upload.metadata = {{"pages", 2}};
  EXPECT_TRUE(Decide(state, CreatedProject(), upload).empty()) << "as before sources had revisions";
  upload.source_url = "https://example.org/a.pdf";
  EXPECT_THROW(Decide(state, CreatedProject(), upload), Conflict) << "another source for the same id";
}

TEST(DocumentDecisions, UploadToAMissingProjectIsNotFound) {
  UploadDocument upload{kDocument, kProject, "a.pdf", "application/pdf", kSha, 10, std::nullopt, {}};
  EXPECT_THROW(Decide(DocumentState{}, ProjectState{}, upload), NotFound);
}

TEST(DocumentDecisions, UploadChecksItsFields) {
  UploadDocument upload{kDocument, kProject, "", "", "ABC", -1, std::nullopt, nlohmann::json::array()};
  try {
    Decide(DocumentState{}, CreatedProject(), upload);
    FAIL() << "expected ValidationError";
  } catch (const ValidationError& error) {
    EXPECT_EQ(IssuePaths(error),
              (std::vector<std::string>{"/filename", "/content_type", "/sha256", "/size_bytes", "/metadata"}));
  }
}

TEST(DocumentDecisions, ADeletedDocumentCanBeUploadedAgain) {
  auto deleted = Evolve(UploadedDocument(), DocumentDeleted{kDocument, ""});
  UploadDocument upload{kDocument, kProject, "a.pdf", "application/pdf", kSha, 10,
                        std::string("https://example.org/a.pdf"), {}};
  EXPECT_EQ(Decide(deleted, CreatedProject(), upload).size(), 1u);
}

TEST(DocumentDecisions, ConversionOfAnUnknownDocumentIsNotFound) {
  EXPECT_THROW(Decide(DocumentState{}, ConvertDocument{kDocument, "# x", ""}), NotFound);
  EXPECT_THROW(Decide(DocumentState{}, FailConversion{kDocument, "Timeout", "slow"}), NotFound);
}

TEST(DocumentDecisions, ConversionOfADeletedDocumentIsAConflict) {
  auto deleted = Evolve(UploadedDocument(), DocumentDeleted{kDocument, ""});
  EXPECT_THROW(Decide(deleted, ConvertDocument{kDocument, "# x", ""}), Conflict);
  EXPECT_THROW(Decide(deleted, FailConversion{kDocument, "Timeout", "slow"}), Conflict);
}

TEST(DocumentDecisions, ConversionAndFailureOfALiveDocument) {
  const auto converted = Decide(UploadedDocument(), ConvertDocument{kDocument, "# Title", "pandoc"});
  EXPECT_EQ(std::get<DocumentConverted>(converted.at(0)).markdown, "# Title");
  const auto failed = Decide(UploadedDocument(), FailConversion{kDocument, "ParseError", "bad xref"});
  EXPECT_EQ(std::get<DocumentConversionFailed>(failed.at(0)).error_type, "ParseError");
  EXPECT_THROW(Decide(UploadedDocument(), FailConversion{kDocument, "", "no type"}), ValidationError);
  EXPECT_THROW(Decide(UploadedDocument(), ConvertDocument{kDocument, "bad \xff utf8", ""}), ValidationError);
}

TEST(DocumentDecisions, DeleteOfAMissingOrDeletedDocumentIsNotFound) {
  EXPECT_THROW(Decide(DocumentState{}, DeleteDocument{kDocument, ""}), NotFound);
  auto deleted = Evolve(UploadedDocument(), DocumentDeleted{kDocument, ""});
  EXPECT_THROW(Decide(deleted, DeleteDocument{kDocument, ""}), NotFound);
  EXPECT_EQ(Decide(UploadedDocument(), DeleteDocument{kDocument, "duplicate"}).size(), 1u);
}

TEST(ExtractionDecisions, ValidDataIsRecordedAndTheFirstOneLocksTheSchema) {
  RecordExtraction command{kExtraction, kProject, kDocument, "invoice", {{"total", 12.5}, {"currency", "EUR"}}};
  const auto decision = Decide(CreatedProject(), UploadedDocument(), command, Validator());
  ASSERT_TRUE(decision.project_event.has_value());
  EXPECT_TRUE(std::holds_alternative<ProjectExtractionsStarted>(*decision.project_event));
  EXPECT_EQ(decision.recorded.schema_revision, 1);
  const auto second = Decide(CreatedProject(true), UploadedDocument(), command, Validator());
  EXPECT_FALSE(second.project_event.has_value());
}

TEST(ExtractionDecisions, InvalidDataReturnsTheValidatorsMessagesUnderData) {
  RecordExtraction command{kExtraction, kProject, kDocument, "invoice", {{"total", -1}, {"currency", "GBP"}}};
  try {
    Decide(CreatedProject(), UploadedDocument(), command, Validator());
    FAIL() << "expected ValidationError";
  } catch (const ValidationError& error) {
    const auto paths = IssuePaths(error);
    EXPECT_NE(std::find(paths.begin(), paths.end(), "/data/total"), paths.end());
    EXPECT_NE(std::find(paths.begin(), paths.end(), "/data/currency"), paths.end());
    for (const auto& issue : error.issues()) EXPECT_FALSE(issue.message.empty());
  }
  RecordExtraction missing{kExtraction, kProject, kDocument, "invoice", nlohmann::json::object()};
  EXPECT_THROW(Decide(CreatedProject(), UploadedDocument(), missing, Validator()), ValidationError);
}

TEST(ExtractionDecisions, UnknownEntityTypeIsRefused) {
  RecordExtraction command{kExtraction, kProject, kDocument, "receipt", {{"total", 1}}};
  try {
    Decide(CreatedProject(), UploadedDocument(), command, Validator());
    FAIL() << "expected ValidationError";
  } catch (const ValidationError& error) {
    EXPECT_EQ(IssuePaths(error), std::vector<std::string>{"/entity_type"});
  }
}

TEST(ExtractionDecisions, DocumentMustExistInTheSameProject) {
  RecordExtraction command{kExtraction, kProject, kDocument, "invoice", {{"total", 1}}};
  EXPECT_THROW(Decide(CreatedProject(), DocumentState{}, command, Validator()), NotFound);
  EXPECT_THROW(Decide(ProjectState{}, UploadedDocument(), command, Validator()), NotFound);
  auto deleted = Evolve(UploadedDocument(), DocumentDeleted{kDocument, ""});
  EXPECT_THROW(Decide(CreatedProject(), deleted, command, Validator()), Conflict);
  auto elsewhere = Replay<DocumentState>({DocumentUploaded{kDocument, "99999999-9999-4999-8999-999999999999", "a",
                                                           "text/plain", kSha, 1, std::nullopt, {}}});
  EXPECT_THROW(Decide(CreatedProject(), elsewhere, command, Validator()), Conflict);
}

TEST(JobDecisions, StartCompleteAndFail) {
  const auto started = Decide(JobState{}, StartJob{kJob, "embedding", kDocument, std::nullopt, "w1", {}});
  ASSERT_EQ(started.size(), 1u);
  const auto running = Replay<JobState>(started);
  EXPECT_EQ(running.status, JobStatus::kRunning);
  EXPECT_EQ(Decide(running, CompleteJob{kJob, {{"vectors", 3}}}).size(), 1u);
  const auto failed = Decide(running, FailJob{kJob, "TimeoutError", "worker gave up after 30 s"});
  EXPECT_EQ(std::get<JobFailed>(failed.at(0)).error_type, "TimeoutError");
}

TEST(JobDecisions, RulesOnJobState) {
  EXPECT_THROW(Decide(JobState{}, StartJob{kJob, "mining", std::nullopt, std::nullopt, "", {}}), ValidationError);
  EXPECT_THROW(Decide(JobState{}, CompleteJob{kJob, {}}), NotFound);
  EXPECT_THROW(Decide(JobState{}, FailJob{kJob, "X", ""}), NotFound);
  const auto running = Replay<JobState>({JobStarted{kJob, "crawl", std::nullopt, std::nullopt, "", {}}});
  EXPECT_THROW(Decide(running, StartJob{kJob, "crawl", std::nullopt, std::nullopt, "", {}}), Conflict);
  EXPECT_THROW(Decide(running, FailJob{kJob, "", "no type"}), ValidationError);
  const auto done = Evolve(running, JobCompleted{kJob, {}});
  EXPECT_THROW(Decide(done, CompleteJob{kJob, {}}), Conflict);
  EXPECT_THROW(Decide(done, FailJob{kJob, "X", "late"}), Conflict);
}

TEST(JobDecisions, ErrorIsDescribedAsTypeNameColonMessage) {
  EXPECT_EQ(DescribeJobError("TimeoutError", "30 s"), "TimeoutError: 30 s");
  EXPECT_EQ(DescribeJobError("TimeoutError", ""), "TimeoutError");
}

}  // namespace
}  // namespace docledger::domain
