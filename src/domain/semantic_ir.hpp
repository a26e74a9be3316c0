// Semantic IR: what the analyzer finds in a converted (Markdown) document. One item per
// formula, definition, table or cross-reference; the fields used depend on the type and
// match the columns of the `semantic_ir` read model (ADR-014).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace docledger::domain {

enum class IrType { kFormula, kDefinition, kTable, kCrossReference };

// "formula" | "definition" | "table" | "cross_reference" (the ir_type column).
std::string_view IrTypeName(IrType type);

struct SemanticItem {
  IrType type = IrType::kFormula;
  std::string name;        // every type: a short human label (formula label, term, caption, reference text)
  // formula
  std::string expression;  // the TeX between the delimiters, trimmed
  std::vector<std::string> variables;  // distinct identifiers in first-seen order
  // definition
  std::string term;
  std::string definition;
  std::string context;     // the heading of the section it appears in ("" at top level)
  // table
  nlohmann::json table_data = nullptr;  // array of row objects keyed by header cell
  std::int64_t row_count = 0;           // body rows (header and delimiter rows excluded)
  std::int64_t column_count = 0;
  // cross-reference
  std::string target;          // "3.2", "2", "1", "3", "anchor" ...
  std::string reference_type;  // "section" | "table" | "figure" | "equation" | "link"
  std::string location;        // where the reference is: "line N"
  // every type: {"line": N (1-based line of the item's start), ...}
  nlohmann::json metadata = nlohmann::json::object();

  friend bool operator==(const SemanticItem&, const SemanticItem&) = default;
};

// The analyzer: a pure function of the Markdown text. Items come in document order. It
// never throws on any input (invalid UTF-8, unbalanced delimiters, megabyte lines) and runs
// in time linear in the input: one pass, no backtracking regular expressions.
std::vector<SemanticItem> AnalyzeMarkdown(std::string_view markdown);

// The item as the JSON object carried by SemanticIRExtracted events, and back.
nlohmann::json ToJson(const SemanticItem& item);
SemanticItem SemanticItemFromJson(const nlohmann::json& json);  // throws nlohmann::json::exception

}  // namespace docledger::domain
