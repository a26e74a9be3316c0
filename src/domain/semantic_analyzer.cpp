// placeholder until the analyzer branch lands
#include "domain/semantic_ir.hpp"
namespace docledger::domain {
std::vector<SemanticItem> AnalyzeMarkdown(std::string_view) { return {}; }
}  // namespace docledger::domain
