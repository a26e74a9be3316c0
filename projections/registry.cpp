#include "projections/registry.hpp"

#include "projections/alerts/alerts.hpp"
#include "projections/document_sources/document_sources.hpp"
#include "projections/document_views/document_views.hpp"
#include "projections/extractions/extractions.hpp"
#include "projections/jobs/jobs.hpp"
#include "projections/projects/projects.hpp"
#include "projections/semantic_analyzer/semantic_analyzer.hpp"
#include "projections/semantic_ir/semantic_ir.hpp"
#include "projections/stream_catalog/stream_catalog.hpp"
#include "projections/subscriptions/subscriptions.hpp"

namespace docledger::projections {

std::vector<std::shared_ptr<const Projection>> BuiltInProjections() {
  return {std::make_shared<StreamCatalog>(), std::make_shared<Projects>(),
          std::make_shared<DocumentViews>(), std::make_shared<DocumentSources>(), std::make_shared<SemanticIr>(),
          std::make_shared<Extractions>(),   std::make_shared<Jobs>(),
          std::make_shared<SemanticAnalyzer>(), std::make_shared<Alerts>(),
          std::make_shared<Subscriptions>()};
}

}  // namespace docledger::projections
