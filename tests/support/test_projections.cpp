#include "tests/support/test_projections.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace docledger::testing {
namespace {

std::string DocId(const domain::RecordedEvent& event) {
  return event.stream_id.rfind("doc-", 0) == 0 ? event.stream_id.substr(4) : event.stream_id;
}

}  // namespace

std::vector<projections::TableSpec> TestDocuments::Tables() const {
  return {{"test_documents",
           {"doc_id"},
           {{"doc_id", "text"}, {"title", "text"}, {"event_count", "bigint"}, {"last_sequence", "bigint"},
            {"updated_at", "timestamptz"}}}};
}

void TestDocuments::Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const {
  const auto payload = nlohmann::json::parse(event.payload);
  if (payload.value("poison", false) && !poison_fixed_) {
    throw projections::PoisonEvent("cannot read payload of " + event.event_id);
  }
  const auto id = DocId(event);
  if (event.event_type == "TestDocDeleted") {
    writer.Delete("test_documents", {{"doc_id", id}});
    return;
  }
  auto current = writer.Find("test_documents", {{"doc_id", id}});
  const std::int64_t count = current ? std::stoll(*current->at("event_count")) + 1 : 1;
  writer.Upsert("test_documents", {{"doc_id", id},
                                   {"title", payload.at("title").get<std::string>()},
                                   {"event_count", std::to_string(count)},
                                   {"last_sequence", std::to_string(event.sequence)},
                                   {"updated_at", event.recorded_at}});
}

std::vector<projections::TableSpec> TestDocumentTags::Tables() const {
  return {{"test_document_tags", {"doc_id", "tag"}, {{"doc_id", "text"}, {"tag", "text"}, {"sequence", "bigint"}}}};
}

std::vector<projections::TableSpec> TestDocumentTags::ReadTables() const { return TestDocuments().Tables(); }

void TestDocumentTags::Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const {
  const auto id = DocId(event);
  if (!writer.Find("test_documents", {{"doc_id", id}})) {
    spdlog::info("test_document_tags: document {} does not exist (deleted); tag skipped", id);
    return;
  }
  const auto payload = nlohmann::json::parse(event.payload);
  writer.Upsert("test_document_tags",
                {{"doc_id", id}, {"tag", payload.at("tag").get<std::string>()}, {"sequence", std::to_string(event.sequence)}});
}

std::vector<projections::TableSpec> TestSections::Tables() const {
  return {{"test_sections",
           {"doc_id", "section"},
           {{"doc_id", "text"}, {"section", "text"}, {"heading", "text"}, {"sequence", "bigint"}}},
          {"test_section_sources",
           {"doc_id", "section", "event_id"},
           {{"doc_id", "text"}, {"section", "text"}, {"event_id", "text"}}}};
}

std::vector<projections::TableSpec> TestSections::ReadTables() const { return TestDocuments().Tables(); }

void TestSections::Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const {
  const auto id = DocId(event);
  if (!writer.Find("test_documents", {{"doc_id", id}})) {
    spdlog::info("test_sections: document {} does not exist (deleted); section skipped", id);
    return;
  }
  const auto payload = nlohmann::json::parse(event.payload);
  const auto section = payload.at("section").get<std::string>();
  writer.Upsert("test_sections", {{"doc_id", id},
                                  {"section", section},
                                  {"heading", payload.at("heading").get<std::string>()},
                                  {"sequence", std::to_string(event.sequence)}});
  writer.Upsert("test_section_sources", {{"doc_id", id}, {"section", section}, {"event_id", event.event_id}});
}

std::vector<projections::TableSpec> TestSectionNotes::Tables() const {
  return {{"test_section_notes",
           {"doc_id", "section", "note"},
           {{"doc_id", "text"}, {"section", "text"}, {"note", "text"}}}};
}

std::vector<projections::TableSpec> TestSectionNotes::ReadTables() const {
  return {TestSections().Tables().front()};
}

void TestSectionNotes::Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const {
  const auto id = DocId(event);
  const auto payload = nlohmann::json::parse(event.payload);
  const auto section = payload.at("section").get<std::string>();
  if (!writer.Find("test_sections", {{"doc_id", id}, {"section", section}})) return;
  writer.Upsert("test_section_notes",
                {{"doc_id", id}, {"section", section}, {"note", payload.at("note").get<std::string>()}});
}

std::vector<domain::AppendRequest> TestIndexer::React(const domain::RecordedEvent& event) const {
  const auto payload = nlohmann::json::parse(event.payload);
  domain::NewEvent indexed;  // no id: the runtime derives one from the source event
  indexed.event_type = "TestDocIndexed";
  indexed.payload = nlohmann::json{{"title", payload.value("title", "")}, {"source", event.event_id}}.dump();
  return {domain::AppendRequest{"index-" + DocId(event), domain::ExpectedVersion::Any(), {indexed}}};
}

std::string TestProjectionsDdl(bool with_foreign_key) {
  return std::string(
             "CREATE TABLE test_documents (doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, event_count BIGINT NOT NULL, "
             "last_sequence BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);"
             "CREATE TABLE test_document_tags (doc_id TEXT NOT NULL") +
         (with_foreign_key ? " REFERENCES test_documents (doc_id) ON DELETE CASCADE" : "") +
         ", tag TEXT NOT NULL, sequence BIGINT NOT NULL, PRIMARY KEY (doc_id, tag));";
}

std::string TestSectionsDdl() {
  return "CREATE TABLE test_sections (doc_id TEXT NOT NULL REFERENCES test_documents (doc_id) ON DELETE CASCADE, "
         "section TEXT NOT NULL, heading TEXT NOT NULL, sequence BIGINT NOT NULL, PRIMARY KEY (doc_id, section));"
         "CREATE INDEX test_sections_by_heading ON test_sections (heading);"
         "CREATE TABLE test_section_sources (doc_id TEXT NOT NULL REFERENCES test_documents (doc_id) ON DELETE CASCADE, "
         "section TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (doc_id, section, event_id), "
         "CONSTRAINT test_section_sources_section FOREIGN KEY (doc_id, section) "
         "REFERENCES test_sections (doc_id, section) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE);";
}

std::string TestSectionNotesDdl() {
  return "CREATE TABLE test_section_notes (doc_id TEXT NOT NULL, section TEXT NOT NULL, note TEXT NOT NULL, "
         "PRIMARY KEY (doc_id, section, note), FOREIGN KEY (doc_id, section) REFERENCES test_sections (doc_id, section) "
         "ON DELETE CASCADE);";
}

}  // namespace docledger::testing
