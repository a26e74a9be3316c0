#include "projections/semantic_analyzer/semantic_analyzer.hpp"

#include "analysis/semantic_analyzer.hpp"
#include "domain/domain_events.hpp"

namespace docledger::projections {

std::vector<domain::AppendRequest> SemanticAnalyzer::React(const domain::RecordedEvent& event) const {
  const auto decoded = domain::Decode(event);
  const auto* converted = std::get_if<domain::DocumentConverted>(&decoded);
  if (!converted) return {};
  domain::SemanticIRExtracted extracted{converted->document_id, event.event_id,
                                        analysis::AnalyzeMarkdown(converted->markdown)};
  nlohmann::json metadata = {{"causation_id", event.event_id}};
  const auto source_metadata = nlohmann::json::parse(event.metadata, nullptr, false);
  if (source_metadata.is_object() && source_metadata.contains("correlation_id")) {
    metadata["correlation_id"] = source_metadata["correlation_id"];
  }
  metadata["actor"] = "semantic_analyzer";
  return {domain::AppendRequest{domain::SemanticIrStream(converted->document_id), domain::ExpectedVersion::Any(),
                                {domain::Encode(extracted, "", metadata)}}};
}

}  // namespace docledger::projections
