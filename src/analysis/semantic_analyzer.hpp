// The Markdown analyser: the semantic IR (src/domain/semantic_ir.hpp) of one document's
// Markdown. Used by the semantic_analyzer reactor (projections/semantic_analyzer/); pure,
// depends on the domain's types only.
#pragma once

#include <string_view>
#include <vector>

#include "domain/semantic_ir.hpp"

namespace docledger::analysis {

using domain::SemanticItem;

// The analyzer: a pure function of the Markdown text. Items come in document order (by
// the position where each starts). It never throws on any input (invalid UTF-8, NUL,
// unbalanced delimiters, megabyte lines) and runs in time linear in the input: one pass,
// no backtracking regular expressions; the limits above bound its output.
//
// Every string it puts in an item is valid UTF-8: invalid bytes and NUL become U+FFFD.
// Fenced code blocks (``` and ~~~ at any indentation; unclosed = to the end) and inline
// code spans (on one line) are skipped for every kind of item, as is a leading YAML front
// matter block (--- ... ---). Headings give the context of definitions and carry no
// references.
//
// Formulas (name = \label{...} content, else "Eq. (N)" from \tag{N} or from a "(N)" right
// after the closing delimiter of display math, else "formula K", K = the formula's 1-based
// ordinal in the document):
//   $$...$$        may span lines, not a blank line; "$$ $$" is nothing.
//   $...$          on one line: the opening $ is followed by a non-space and the next
//                  unescaped $ closes it only if it follows a non-space and no digit follows
//                  it ("$5 and $10", "$5-$10" are prices); \$ never delimits.
//   \begin{E}...\end{E}  E = equation, align, gather, multline, eqnarray (each also
//                  starred), displaymath; may span lines, not a blank line.
//   variables: single Latin letters and Greek letters (\alpha ..., or α) with their
//   subscript (x_i, x_{ij}; x_{i} is written x_i), first-seen order, without other TeX
//   commands, digits, and the arguments of \text, \mathrm, \operatorname, \label ...
//   metadata: line, display (bool), environment (for \begin{E}).
// Definitions (name = term, context = nearest heading or "", metadata: line, form):
//   "bold"            **Term**: def | **Term:** def | **Term** - def (also __Term__, – and
//                     —) at the start of a line, list item or quote; not for captions or
//                     admonitions (Note, Warning, Tip, Important, Caution, Example ...).
//   "glossary"        Term: def | Term - def (| – | —) as a list item, or as a one-line
//                     paragraph with a term of at most 4 words, under a heading containing
//                     "glossary", "definition" or "terminology" and its subheadings.
//   "definition_list" a one-line paragraph followed by ": def" lines (blank lines allowed
//                     between; "A\n: a\nB\n: b" defines both).
//   "phrase"          <Term> is defined as | are defined as | is defined to be | means |
//                     shall mean <def>: the term is the 1-5 words before the phrase back to
//                     , ; : ( ) or the sentence start (articles, "term", clause numbers,
//                     quotes, emphasis removed; pronouns like "This"/"It" rejected), the
//                     definition runs to the end of the sentence, over wrapped lines of the
//                     same paragraph. At most one per sentence.
//   Bold, glossary and definition-list definitions are the rest of their line, trimmed.
// Tables: GFM pipe tables: a header row with an unescaped |, a delimiter row (|---|:-:|)
//   with as many cells, body rows until a blank line, a line without an unescaped |, a
//   fence or a heading. \| is a literal pipe. table_data rows are objects keyed by the
//   header text (an empty or repeated header becomes "column_N", N its 1-based position);
//   short rows are padded with "", extra cells dropped. name = the caption line "Table N:
//   ..." / "Table N. ..." just before the table or, when there is none, just after it
//   (blank lines allowed between; a caption just before the next table is that table's),
//   else "table K" (K = the table's ordinal). Cells are scanned for formulas and
//   references. metadata: line, columns (names in order), alignments ("left" | "center" |
//   "right" | "none"), and when they apply caption_line, truncated (cells beyond
//   kMaxTableCells are not stored; row_count still counts every row), dropped_columns.
// Cross-references (name = the matched text, location = "line N", metadata: line):
//   section  Section 3.2, Sec. 3, Sect. 3, §3.2;   table  Table 2;   figure  Figure 1, Fig. 1b;
//   equation Eq. (3), Eq. 3, Eqn. 3, Equation 3, Equation (3) ("(3)" alone is nothing);
//   keywords in any case, separated from the number by spaces, ~ or a no-break space.
//   link     [text](#anchor) and [text](#anchor "title") (metadata.text = the text; images
//            and links elsewhere are not references).
//   The leading "Table N" / "Figure N" of a caption line is not a reference.
std::vector<SemanticItem> AnalyzeMarkdown(std::string_view markdown);

}  // namespace docledger::analysis
