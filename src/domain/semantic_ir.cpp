// placeholder until the analyzer branch lands
#include "domain/semantic_ir.hpp"
namespace docledger::domain {
std::string_view IrTypeName(IrType type) {
  switch (type) {
    case IrType::kFormula: return "formula";
    case IrType::kDefinition: return "definition";
    case IrType::kTable: return "table";
    default: return "cross_reference";
  }
}
nlohmann::json ToJson(const SemanticItem& item) { return {{"ir_type", IrTypeName(item.type)}, {"name", item.name}}; }
SemanticItem SemanticItemFromJson(const nlohmann::json& json) {
  SemanticItem item;
  item.name = json.value("name", "");
  return item;
}
}  // namespace docledger::domain
