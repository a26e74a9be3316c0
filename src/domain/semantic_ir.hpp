// Semantic IR: what the analyzer finds in a converted (Markdown) document. One item per
// formula, definition, table or cross-reference; the fields used depend on the type and
// match the columns of the `semantic_ir` read model (ADR-014).
#pragma once

#include <cstddef>
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
  // every type: {"line": N (1-based line of the item's start), ...}; see AnalyzeMarkdown
  // for the other keys each type carries.
  nlohmann::json metadata = nlohmann::json::object();

  friend bool operator==(const SemanticItem&, const SemanticItem&) = default;
};

// Bounds that keep the analyzer's output and time linear in its input whatever it is given.
namespace semantic_limits {
inline constexpr std::size_t kMaxItems = 100'000;         // items per document; later ones are dropped
inline constexpr std::size_t kMaxFormulaBytes = 65'536;   // longer "formulas" are not formulas
inline constexpr std::size_t kMaxVariables = 64;          // per formula
inline constexpr std::size_t kMaxTableColumns = 1'000;    // further header cells are dropped
inline constexpr std::size_t kMaxTableCells = 250'000;    // stored cells per document (all tables)
inline constexpr std::size_t kMaxColumnNameBytes = 128;
inline constexpr std::size_t kMaxTermBytes = 100;         // longer candidate terms are not terms
inline constexpr std::size_t kMaxDefinitionBytes = 2'000; // definitions are cut (at a UTF-8 boundary)
inline constexpr std::size_t kMaxLabelBytes = 300;        // names, captions, headings (context)
}  // namespace semantic_limits

// The item as the JSON object carried by SemanticIRExtracted events, and back. Keys are the
// column names; ToJson always writes ir_type, name, metadata and the type's own fields, and
// any other field that is not empty; SemanticItemFromJson takes missing keys as empty.
nlohmann::json ToJson(const SemanticItem& item);
SemanticItem SemanticItemFromJson(const nlohmann::json& json);  // throws nlohmann::json::exception

}  // namespace docledger::domain
