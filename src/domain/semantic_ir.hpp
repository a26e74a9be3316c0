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

// The analyzer: a pure function of the Markdown text. Items come in document order. It
// never throws on any input (invalid UTF-8, unbalanced delimiters, megabyte lines) and runs
// in time linear in the input: one pass, no backtracking regular expressions.
//
// Every string it puts in an item is valid UTF-8: invalid bytes and NUL become U+FFFD.
// Fenced code blocks (``` and ~~~, any indentation; unclosed = to the end) and inline code
// spans are skipped for every kind of item.
//
// Formulas (name = \label{...} content, else "Eq. (N)" from \tag{N} or a "(N)" right after
// the closing delimiter, else "formula K" with K the formula's 1-based ordinal):
//   $$...$$ (may span lines, not a blank line), $...$ on one line (the opening $ is followed
//   by a non-space, the closing one follows a non-space and is not followed by a digit, so
//   "$5 and $10" is no formula; \$ never delimits), \begin{E}...\end{E} for E in equation,
//   align, gather, multline, eqnarray (each also starred) and displaymath (not across a
//   blank line). variables: single Latin letters and Greek letters (\alpha or U+03B1) with
//   their subscript (x_i, x_{ij}; x_{i} is written x_i), first-seen order, without TeX
//   commands, digits and the arguments of \text, \mathrm, \operatorname, \label ...
//   metadata: line, display (bool), environment (for \begin{E}).
// Definitions (name = term, context = nearest heading, metadata: line, form):
//   "bold"            **Term**: def / **Term:** def / **Term** - def (also __Term__, – and —)
//                     at the start of a line or list item; not for captions or admonition
//                     words (Note, Warning, Tip, Important, Caution, Example ...);
//   "glossary"        - Term: def / - Term - def (list items, or one-line paragraphs with a
//                     term of at most 4 words) under a heading containing "glossary",
//                     "definition" or "terminology" (and its subheadings);
//   "definition_list" a one-line paragraph followed by lines ": def" (blank lines allowed);
//   "phrase"          "<Term> is defined as / are defined as / means / shall mean <def>",
//                     the term being the 1-5 words before the phrase back to the previous
//                     , ; : ( or sentence start (articles, "term", quotes and emphasis
//                     removed), the definition running to the end of the sentence.
// Tables: GFM pipe tables (header row with the same cell count as the delimiter row; body
//   rows until a blank line or a line without an unescaped |). table_data rows are objects
//   keyed by the header text (empty or repeated header -> "column_N"); \| is a literal pipe.
//   name = caption "Table N: ..." / "Table N. ..." just before or after the table (blank
//   lines allowed), else "table K". metadata: line, columns (names in order), alignments
//   ("left" | "center" | "right" | "none"), caption_line, truncated (cells beyond
//   kMaxTableCells are not stored; row_count still counts every row), dropped_columns.
// Cross-references (name = the matched text, location = "line N"): Section 3.2, Sec. 3,
//   Sect. 3, §3.2 (section), Table 2 (table), Figure 1, Fig. 1b (figure), Eq. (3), Eq. 3,
//   Eqn. 3, Equation 3, Equation (3) (equation); case-insensitive, separated by spaces, ~ or
//   a no-break space; [text](#anchor) (link, metadata.text = the link text). The leading
//   "Table N"/"Figure N" of a caption line is not a reference; headings carry none.
std::vector<SemanticItem> AnalyzeMarkdown(std::string_view markdown);

// The item as the JSON object carried by SemanticIRExtracted events, and back. Keys are the
// column names; ToJson always writes ir_type, name, metadata and the type's own fields, and
// any other field that is not empty; SemanticItemFromJson takes missing keys as empty.
nlohmann::json ToJson(const SemanticItem& item);
SemanticItem SemanticItemFromJson(const nlohmann::json& json);  // throws nlohmann::json::exception

}  // namespace docledger::domain
