// The semantic analyzer, a reactor: on each DocumentConverted it runs the pure analyzer
// (domain/semantic_ir.hpp) over the Markdown and appends SemanticIRExtracted to the
// stream "semantic-ir-<document_id>". The runtime gives the new event an id derived from
// the source event's, so a re-run after a crash appends nothing twice.
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class SemanticAnalyzer final : public Reactor {
 public:
  std::string Name() const override { return "semantic_analyzer"; }
  std::vector<std::string> EventTypes() const override { return {"DocumentConverted"}; }
  std::vector<domain::AppendRequest> React(const domain::RecordedEvent& event) const override;
};

}  // namespace docledger::projections
