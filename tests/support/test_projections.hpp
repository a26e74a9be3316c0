// Projections used by the runtime's tests: realistic enough to catch what the runtime
// must get right (a counter that doubles if an event is applied twice, deletes, a
// dependent projection whose rows reference another's, a poison event).
//
//   test_documents       TestDocCreated{title} TestDocRenamed{title} TestDocDeleted{}
//                        (stream "doc-<id>"); event_count counts applied events, so an
//                        event applied twice shows. Payload {"poison":true} fails until
//                        FixPoison() is called.
//   test_document_tags   TestDocTagged{tag}; depends on test_documents; skips tags of
//                        documents that do not exist (deleted), with a log line.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "projections/projection.hpp"

namespace docledger::testing {

class TestDocuments final : public projections::Projection {
 public:
  std::string Name() const override { return "test_documents"; }
  std::vector<std::string> EventTypes() const override {
    return {"TestDocCreated", "TestDocRenamed", "TestDocDeleted"};
  }
  std::vector<projections::TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const override;

  void FixPoison() { poison_fixed_ = true; }

 private:
  std::atomic<bool> poison_fixed_{false};
};

class TestDocumentTags final : public projections::Projection {
 public:
  std::string Name() const override { return "test_document_tags"; }
  std::vector<std::string> EventTypes() const override { return {"TestDocTagged"}; }
  std::vector<projections::TableSpec> Tables() const override;
  std::vector<std::string> DependsOn() const override { return {"test_documents"}; }
  std::vector<projections::TableSpec> ReadTables() const override;
  void Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const override;
};

// Shaped like semantic_ir: TestSectionAdded{section, heading} (stream "doc-<id>") upserts
// a section and a row per source event in a helper table; both tables reference
// test_documents ON DELETE CASCADE, the helper also references the section. Depends on
// test_documents and skips sections of documents that do not exist (deleted).
class TestSections final : public projections::Projection {
 public:
  std::string Name() const override { return "test_sections"; }
  std::vector<std::string> EventTypes() const override { return {"TestSectionAdded"}; }
  std::vector<projections::TableSpec> Tables() const override;
  std::vector<std::string> DependsOn() const override { return {"test_documents"}; }
  std::vector<projections::TableSpec> ReadTables() const override;
  void Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const override;
};

// A grandchild: TestSectionNoted{section, note} adds a note to an existing section
// (test_section_notes references test_sections ON DELETE CASCADE).
class TestSectionNotes final : public projections::Projection {
 public:
  std::string Name() const override { return "test_section_notes"; }
  std::vector<std::string> EventTypes() const override { return {"TestSectionNoted"}; }
  std::vector<projections::TableSpec> Tables() const override;
  std::vector<std::string> DependsOn() const override { return {"test_sections"}; }
  std::vector<projections::TableSpec> ReadTables() const override;
  void Apply(const domain::RecordedEvent& event, projections::RowWriter& writer) const override;
};

// A reactor: every TestDocCreated appends TestDocIndexed{title} to stream "index-<id>".
class TestIndexer final : public projections::Reactor {
 public:
  std::string Name() const override { return "test_indexer"; }
  std::vector<std::string> EventTypes() const override { return {"TestDocCreated"}; }
  std::vector<domain::AppendRequest> React(const domain::RecordedEvent& event) const override;
};

// DDL of both tables; `with_foreign_key` adds test_document_tags -> test_documents (the
// dependency test relies on it to turn any run-ahead into a visible failure).
std::string TestProjectionsDdl(bool with_foreign_key);
// DDL of TestSections' tables (needs test_documents), with an extra index.
std::string TestSectionsDdl();
// DDL of TestSectionNotes' table (needs test_sections).
std::string TestSectionNotesDdl();

}  // namespace docledger::testing
