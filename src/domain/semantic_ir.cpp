#include "domain/semantic_ir.hpp"

namespace docledger::domain {
namespace {

using nlohmann::json;

IrType ParseIrType(const json& source) {
  const std::string name = source.at("ir_type").get<std::string>();
  for (IrType type : {IrType::kFormula, IrType::kDefinition, IrType::kTable, IrType::kCrossReference}) {
    if (name == IrTypeName(type)) return type;
  }
  throw json::other_error::create(501, "unknown ir_type \"" + name + "\"", &source);
}

void PutString(json& out, const char* key, const std::string& value, bool always) {
  if (always || !value.empty()) out[key] = value;
}

void GetString(const json& source, const char* key, std::string& value) {
  if (auto it = source.find(key); it != source.end() && !it->is_null()) value = it->get<std::string>();
}

void GetInt(const json& source, const char* key, std::int64_t& value) {
  if (auto it = source.find(key); it != source.end() && !it->is_null()) value = it->get<std::int64_t>();
}

}  // namespace

std::string_view IrTypeName(IrType type) {
  switch (type) {
    case IrType::kFormula: return "formula";
    case IrType::kDefinition: return "definition";
    case IrType::kTable: return "table";
    case IrType::kCrossReference: return "cross_reference";
  }
  return "unknown";
}

json ToJson(const SemanticItem& item) {
  const bool formula = item.type == IrType::kFormula;
  const bool definition = item.type == IrType::kDefinition;
  const bool table = item.type == IrType::kTable;
  const bool reference = item.type == IrType::kCrossReference;
  json out = json::object();
  out["ir_type"] = std::string(IrTypeName(item.type));
  out["name"] = item.name;
  PutString(out, "expression", item.expression, formula);
  if (formula || !item.variables.empty()) out["variables"] = item.variables;
  PutString(out, "term", item.term, definition);
  PutString(out, "definition", item.definition, definition);
  PutString(out, "context", item.context, definition);
  if (table || !item.table_data.is_null()) out["table_data"] = item.table_data;
  if (table || item.row_count != 0) out["row_count"] = item.row_count;
  if (table || item.column_count != 0) out["column_count"] = item.column_count;
  PutString(out, "target", item.target, reference);
  PutString(out, "reference_type", item.reference_type, reference);
  PutString(out, "location", item.location, reference);
  out["metadata"] = item.metadata;
  return out;
}

SemanticItem SemanticItemFromJson(const json& source) {
  SemanticItem item;
  item.type = ParseIrType(source);
  GetString(source, "name", item.name);
  GetString(source, "expression", item.expression);
  if (auto it = source.find("variables"); it != source.end() && !it->is_null()) {
    item.variables = it->get<std::vector<std::string>>();
  }
  GetString(source, "term", item.term);
  GetString(source, "definition", item.definition);
  GetString(source, "context", item.context);
  if (auto it = source.find("table_data"); it != source.end()) item.table_data = *it;
  GetInt(source, "row_count", item.row_count);
  GetInt(source, "column_count", item.column_count);
  GetString(source, "target", item.target);
  GetString(source, "reference_type", item.reference_type);
  GetString(source, "location", item.location);
  if (auto it = source.find("metadata"); it != source.end()) item.metadata = *it;
  return item;
}

}  // namespace docledger::domain
