#include "projections/semantic_analyzer/semantic_analyzer.hpp"

#include "analysis/semantic_analyzer.hpp"
#include "domain/domain_events.hpp"

namespace docledger::projections {

namespace {

// SemanticIRExtracted for one conversion, caused by it and carrying its correlation id.
domain::AppendRequest Analyzed(const domain::DocumentConverted& converted, const domain::RecordedEvent& event) {
  domain::SemanticIRExtracted extracted{converted.document_id, event.event_id,
                                        analysis::AnalyzeMarkdown(converted.markdown)};
  nlohmann::json metadata = {{"causation_id", event.event_id}};
  const auto source_metadata = nlohmann::json::parse(event.metadata, nullptr, false);
  if (source_metadata.is_object() && source_metadata.contains("correlation_id")) {
    metadata["correlation_id"] = source_metadata["correlation_id"];
  }
  metadata["actor"] = "semantic_analyzer";
  return {domain::SemanticIrStream(converted.document_id), domain::ExpectedVersion::Any(),
          {domain::Encode(extracted, "", metadata)}};
}

}  // namespace

std::vector<domain::AppendRequest> SemanticAnalyzer::React(const domain::RecordedEvent& event) const {
  using namespace domain;
  std::vector<AppendRequest> appends;
  // An erased document's Markdown is gone: nothing to analyse, and nothing may be sealed.
  if (event.content_erased) return appends;
  const Handlers handlers{
      [&](const DocumentConverted& converted) { appends.push_back(Analyzed(converted, event)); },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentUploaded,
             DocumentConversionFailed, DocumentDeleted, ExtractionRecorded, JobStarted, JobCompleted, JobFailed,
             SemanticIRExtracted, ExtractionOrphaned, RecoveryCompleted, ProjectionParked, DocumentRevised,
             DocumentMetadataUpdated, DocumentErased>{}, IgnoreSubscriptionEvents{}};
  std::visit(handlers, Decode(event));
  return appends;
}

}  // namespace docledger::projections
