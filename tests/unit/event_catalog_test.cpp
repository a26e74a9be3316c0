// The event catalogue: every domain event encodes to a payload that fits its own schema
// and decodes back; unknown types, unknown versions and misfits are validation issues
// with the path of the bad field; DocumentUploaded v1 is read as v2.
#include <gtest/gtest.h>

#include "domain/domain_events.hpp"
#include "domain/event_catalog.hpp"
#include "infrastructure/json_schema_validator.hpp"

namespace docledger::domain {
namespace {

const std::string kId = "11111111-1111-4111-8111-111111111111";
const std::string kOther = "22222222-2222-4222-8222-222222222222";
const std::string kSha = std::string(64, 'b');

const infrastructure::JsonSchemaValidator& Validator() {
  static const infrastructure::JsonSchemaValidator validator;
  return validator;
}

std::vector<DomainEvent> OneOfEach() {
  SemanticItem formula;
  formula.type = IrType::kFormula;
  formula.name = "Eq. (1)";
  formula.expression = "E = mc^2";
  formula.variables = {"E", "m", "c"};
  formula.metadata = {{"line", 3}};
  return {ProjectCreated{kId, "P", "d", {{"type", "object"}}, {"invoice"}},
          ProjectUpdated{kId, std::string("Q"), std::nullopt, nlohmann::json{{"type", "object"}}, std::nullopt, 2, true},
          ProjectDeleted{kId},
          ProjectExtractionsStarted{kId, kOther},
          DocumentUploaded{kId, kOther, "a.pdf", "application/pdf", kSha, 42, std::string("https://x.org/a"),
                           {{"lang", "en"}}},
          DocumentUploaded{kId, kOther, "b.pdf", "application/pdf", kSha, 0, std::nullopt, nlohmann::json::object()},
          DocumentConverted{kId, "# Title\n\n$x$", "pandoc 3"},
          DocumentConversionFailed{kId, "ParseError", "line 3"},
          DocumentDeleted{kId, "duplicate"},
          ExtractionRecorded{kId, kOther, kOther, "invoice", {{"total", 1}}, 3},
          JobStarted{kId, "embedding", kOther, std::nullopt, "worker-1", {{"model", "m"}}},
          JobCompleted{kId, {{"vectors", 12}}},
          JobFailed{kId, "TimeoutError", "after 30 s"},
          SemanticIRExtracted{kId, kOther, {formula}},
          ExtractionOrphaned{kId, kOther, kOther, "document deleted"},
          RecoveryCompleted{kId, 3, 1},
          ProjectionParked{"jobs", 42, kId, "job-" + kOther, "docledger::domain::DecodeError: bad"},
          DocumentRevised{kId, kOther, "a.pdf", "application/pdf", kSha, 43, "https://x.org/a", {{"lang", "de"}}, 2},
          DocumentMetadataUpdated{kId, "a (2).pdf", "application/pdf", {{"lang", "fr"}}}};
}

TEST(EventCatalog, EveryDomainEventFitsItsSchemaAndRoundTrips) {
  for (const auto& event : OneOfEach()) {
    const auto encoded = Encode(event);
    const auto payload = nlohmann::json::parse(encoded.payload);
    const auto issues = CheckEvent(Validator(), encoded.event_type, encoded.schema_version, payload);
    EXPECT_TRUE(issues.empty()) << encoded.event_type << ": " << (issues.empty() ? "" : issues[0].path + " " + issues[0].message);
    const auto decoded = Decode(encoded.event_type, encoded.schema_version, payload);
    EXPECT_EQ(Encode(decoded).payload, encoded.payload) << encoded.event_type;
  }
}

TEST(EventCatalog, EveryTypeHasAUsableSchemaPerVersion) {
  for (const auto& info : EventCatalog()) {
    ASSERT_FALSE(info.versions.empty()) << info.type;
    EXPECT_EQ(info.versions.back().version, info.current_version) << info.type;
    for (const auto& version : info.versions) {
      EXPECT_TRUE(Validator().CheckSchema(version.schema).empty()) << info.type << " v" << version.version;
    }
  }
}

TEST(EventCatalog, UnknownTypeIsAnIssueAtEventType) {
  const auto issues = CheckEvent(Validator(), "DocumentExploded", 1, nlohmann::json::object(), "/events/0");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "/events/0/event_type");
  EXPECT_NE(issues[0].message.find("DocumentUploaded"), std::string::npos);  // lists the known types
}

TEST(EventCatalog, UnknownSchemaVersionIsAnIssueAtSchemaVersion) {
  const auto issues = CheckEvent(Validator(), "DocumentUploaded", 7, nlohmann::json::object());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "/schema_version");
}

TEST(EventCatalog, MisfittingPayloadNamesTheBadField) {
  auto payload = nlohmann::json::parse(Encode(DocumentUploaded{kId, kOther, "a", "text/plain", kSha, 1, std::nullopt, {}}).payload);
  payload["sha256"] = "not-hex";
  payload["size_bytes"] = "ten";
  const auto issues = CheckEvent(Validator(), "DocumentUploaded", 2, payload, "/events/3");
  std::vector<std::string> paths;
  for (const auto& issue : issues) paths.push_back(issue.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/events/3/payload/sha256"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/events/3/payload/size_bytes"), paths.end());
}

TEST(EventCatalog, UnexpectedFieldIsAnIssue) {
  auto payload = nlohmann::json::parse(Encode(ProjectDeleted{kId}).payload);
  payload["drop_table"] = "'; DROP TABLE events; --";
  EXPECT_FALSE(CheckEvent(Validator(), "ProjectDeleted", 1, payload).empty());
}

TEST(EventCatalog, DocumentUploadedV1WithoutSha256IsReadAsV2) {
  const nlohmann::json v1 = {{"document_id", kId},      {"project_id", kOther},
                             {"filename", "old.pdf"},   {"content_type", "application/pdf"},
                             {"size_bytes", 5},         {"content_hash", "sha256:" + kSha}};
  EXPECT_TRUE(CheckEvent(Validator(), "DocumentUploaded", 1, v1).empty());
  EXPECT_FALSE(CheckEvent(Validator(), "DocumentUploaded", 2, v1).empty());  // v2 needs sha256

  RecordedEvent recorded;
  recorded.event_type = "DocumentUploaded";
  recorded.schema_version = 1;
  recorded.payload = v1.dump();
  const auto uploaded = std::get<DocumentUploaded>(Decode(recorded));
  EXPECT_EQ(uploaded.sha256, kSha);
  EXPECT_EQ(uploaded.filename, "old.pdf");
  EXPECT_FALSE(uploaded.source_url.has_value());
  // What the upcast gives fits the current schema.
  const auto upcast = UpcastPayload("DocumentUploaded", 1, v1);
  EXPECT_FALSE(upcast.contains("content_hash"));
  EXPECT_TRUE(CheckEvent(Validator(), "DocumentUploaded", 2, upcast).empty());
}

TEST(EventCatalog, DecodeOfAMisfitThrowsDecodeErrorNotACrash) {
  RecordedEvent recorded;
  recorded.event_type = "DocumentConverted";
  recorded.schema_version = 1;
  for (const std::string payload : {"", "[]", "{\"document_id\": 5}", "{\"document_id\":\"x\"}", "{not json"}) {
    recorded.payload = payload;
    EXPECT_THROW(Decode(recorded), DecodeError) << payload;
  }
  recorded.event_type = "NoSuchEvent";
  recorded.payload = "{}";
  EXPECT_THROW(Decode(recorded), DecodeError);
  recorded.event_type = "DocumentUploaded";
  recorded.schema_version = 3;
  EXPECT_THROW(Decode(recorded), DecodeError);
}

}  // namespace
}  // namespace docledger::domain
