// AnalyzeMarkdown: a corpus of realistic documents (tests/data/markdown) with every item
// asserted, then one test per rule and edge case, robustness on hostile input, and the JSON
// round trip.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analysis/semantic_analyzer.hpp"
#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "domain/semantic_ir.hpp"
#include "domain/text_rules.hpp"

namespace docledger::domain {
namespace {

using analysis::AnalyzeMarkdown;
using nlohmann::json;

std::string ReadFile(const std::string& name) {
  const std::string path = std::string(DOCLEDGER_SOURCE_ROOT) + "/tests/data/markdown/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<SemanticItem> AnalyzeFile(const std::string& name) { return AnalyzeMarkdown(ReadFile(name)); }

std::int64_t Line(const SemanticItem& item) { return item.metadata.at("line").get<std::int64_t>(); }

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

// One line per item with the fields that matter for its type.
std::string Describe(const SemanticItem& item) {
  const std::string line = "L" + std::to_string(Line(item)) + " ";
  switch (item.type) {
    case IrType::kFormula:
      return "F " + line + item.name + " | " + item.expression + " | " + Joined(item.variables);
    case IrType::kDefinition:
      EXPECT_EQ(item.name, item.term);
      return "D " + line + item.term + " = " + item.definition + " @ " + item.context;
    case IrType::kTable:
      return "T " + line + item.name + " " + std::to_string(item.row_count) + "x" +
             std::to_string(item.column_count);
    case IrType::kCrossReference:
      EXPECT_EQ(item.location, "line " + std::to_string(Line(item)));
      return "R " + line + item.reference_type + " " + item.target + " <" + item.name + ">";
  }
  return "?";
}

std::vector<std::string> Describe(const std::vector<SemanticItem>& items) {
  std::vector<std::string> out;
  for (const SemanticItem& item : items) out.push_back(Describe(item));
  return out;
}

std::vector<std::string> Describe(std::string_view markdown) { return Describe(AnalyzeMarkdown(markdown)); }

std::vector<SemanticItem> OfType(const std::vector<SemanticItem>& items, IrType type) {
  std::vector<SemanticItem> out;
  for (const SemanticItem& item : items) {
    if (item.type == type) out.push_back(item);
  }
  return out;
}

// Every string of every item is valid UTF-8 and the JSON dumps without throwing.
void ExpectWellFormed(const std::vector<SemanticItem>& items) {
  for (const SemanticItem& item : items) {
    std::string dumped;
    ASSERT_NO_THROW(dumped = ToJson(item).dump());
    EXPECT_TRUE(IsValidUtf8(dumped));
    for (const std::string* text : {&item.name, &item.expression, &item.term, &item.definition,
                                    &item.context, &item.target}) {
      EXPECT_TRUE(IsValidUtf8(*text));
      EXPECT_EQ(text->find('\0'), std::string::npos);
    }
  }
}

// ------------------------------------------------------------------------------ corpus

TEST(AnalyzeMarkdownCorpus, PhysicsPaperYieldsFormulasLabelsAndReferences) {
  EXPECT_EQ(Describe(AnalyzeFile("physics_paper.md")), (std::vector<std::string>{
      "F L5 formula 1 | l | l",
      "F L5 formula 2 | k | k",
      "R L6 section 2 <Section 2>",
      "R L6 section 3 <Sec. 3>",
      "R L6 figure 1 <Figure 1>",
      "F L10 formula 3 | \\omega_0 = \\sqrt{g/l} | \\omega_0 g l",
      "F L10 formula 4 | g | g",
      "D L11 normal mode = a motion in which all parts of the system oscillate with the same frequency. @ 1 Introduction",
      "F L16 formula 5 | \\theta_1 | \\theta_1",
      "F L16 formula 6 | \\theta_2 | \\theta_2",
      "F L18 eq:lagrangian | \\mathcal{L} = \\frac{1}{2} m l^2 (\\dot\\theta_1^2 + \\dot\\theta_2^2)\n  - \\frac{1}{2} m g l (\\theta_1^2 + \\theta_2^2)\n  - \\frac{1}{2} k l^2 (\\theta_1 - \\theta_2)^2 \\label{eq:lagrangian} | L m l \\theta_1 \\theta_2 g k",
      "F L24 formula 8 | \\gamma | \\gamma",
      "F L26 formula 9 | \\ddot\\theta_1 + \\gamma \\dot\\theta_1 + \\omega_0^2 \\theta_1 = \\kappa (\\theta_2 - \\theta_1) | \\theta_1 \\gamma \\omega_0 \\kappa \\theta_2",
      "F L30 formula 10 | \\kappa = k/m | \\kappa k m",
      "F L32 Eq. (3) | E(t) = E_0 e^{-\\gamma t} | E t E_0 e \\gamma",
      "R L36 equation 3 <Eq. (3)>",
      "R L36 equation 2 <Equation 2>",
      "F L37 formula 12 | \\omega_{\\pm} | \\omega_{\\pm}",
      "R L37 table 1 <Table 1>",
      "T L41 Table 1: Measured and predicted frequencies 2x3",
      "R L46 figure 2 <Fig. 2>",
      "R L46 section 3.1 <§3.1>",
  }));
}

TEST(AnalyzeMarkdownCorpus, ApiSpecYieldsTablesBoldDefinitionsAndAnchorLinksButNothingFromCode) {
  EXPECT_EQ(Describe(AnalyzeFile("api_spec.md")), (std::vector<std::string>{
      "D L7 API key = a 32-character token sent in the `X-Api-Key` header. @ Authentication",
      "D L8 Scope = the set of operations a key may perform. @ Authentication",
      "R L10 link errors <[Errors](#errors)>",
      "T L14 Table 2: Order endpoints 3x3",
      "D L32 total field = the sum of all line items after discounts. @ Create an order",
      "T L35 table 2 2x3",
      "R L42 section 5.1 <Section 5.1>",
      "R L42 table 2 <Table 2>",
      "T L44 table 3 3x2",
  }));
}

TEST(AnalyzeMarkdownCorpus, GlossaryYieldsListAndDefinitionListEntriesOnlyInGlossarySections) {
  EXPECT_EQ(Describe(AnalyzeFile("glossary.md")), (std::vector<std::string>{
      "D L9 Aggregate = a cluster of domain objects treated as one unit for data changes. @ Glossary",
      "D L10 Event = an immutable fact that something happened. @ Glossary",
      "D L11 Projection = a read model built by replaying events. @ Glossary",
      "D L12 Snapshot = a saved state of an aggregate at a given version. @ Glossary",
      "D L13 Stream = the ordered sequence of events of one aggregate. @ Glossary",
      "D L15 Command = a request to change the state of an aggregate. @ Glossary",
      "D L20 WAL = write-ahead log, the journal PostgreSQL writes before data files. @ Storage terms",
      "D L27 Retrospective = a meeting at the end of each sprint. @ Team rituals",
  }));
}

TEST(AnalyzeMarkdownCorpus, LegalDefinitionsYieldQuotedTermsWithoutClauseNumbers) {
  EXPECT_EQ(Describe(AnalyzeFile("legal_definitions.md")), (std::vector<std::string>{
      "D L7 Agreement = this Master Services Agreement together with all Order Forms. @ 1. Definitions",
      "D L9 Business Day = any day other than a Saturday, Sunday or public holiday in England. @ 1. Definitions",
      "D L11 Confidential Information = all information disclosed by a party that is marked as confidential. @ 1. Definitions",
      "D L13 Services = the services described in an Order Form. @ 1. Definitions",
      "R L17 section 9 <Section 9>",
      "R L19 section 4.2 <§4.2>",
      "R L19 section 4.3 <Sect. 4.3>",
  }));
}

TEST(AnalyzeMarkdownCorpus, FinancialTablesKeepEscapedPipesAndDollarAmountsAreNotFormulas) {
  EXPECT_EQ(Describe(AnalyzeFile("financial_tables.md")), (std::vector<std::string>{
      "T L7 Table 1. Revenue by segment (unaudited) 3x4",
      "R L15 table 1 <Table 1>",
      "R L15 table 3 <Table 3>",
      "T L21 Table 2: Cash flow summary 3x4",
  }));
}

TEST(AnalyzeMarkdownCorpus, ReadmeIgnoresDollarsAndPipesInCode) {
  EXPECT_EQ(Describe(AnalyzeFile("readme_code.md")), (std::vector<std::string>{
      "T L20 table 1 3x2",
      "R L26 link usage <[Usage](#usage)>",
      "F L36 formula 1 | a+b | a b",
  }));
}

TEST(AnalyzeMarkdownCorpus, BrokenMarkdownYieldsOnlyWhatIsWellFormed) {
  EXPECT_EQ(Describe(AnalyzeFile("broken_markdown.md")), (std::vector<std::string>{
      "R L14 link deep <[brackets](#deep)>",
      "F L23 formula 1 | x | x",
      "F L25 formula 2 | z | z",
  }));
}

TEST(AnalyzeMarkdownCorpus, UnicodeTermsFormulasAndHeadersStayIntact) {
  EXPECT_EQ(Describe(AnalyzeFile("unicode_terms.md")), (std::vector<std::string>{
      "D L5 Größe = eine messbare Eigenschaft eines Systems. @ Begriffe (Glossary)",
      "D L6 Dichte ρ = Masse pro Volumen, siehe Table 2. @ Begriffe (Glossary)",
      "R L6 table 2 <Table 2>",
      "D L7 速度 = 物体の位置の時間変化率。 @ Begriffe (Glossary)",
      "D L8 Ω-Zahl = dimensionslose Kennzahl für Wirbel. @ Begriffe (Glossary)",
      "F L10 formula 1 | \\mathrm{Re} = ρ v L / μ | ρ v L μ",
      "F L12 formula 2 | ω = \\nabla \\times v | ω v",
      "R L12 section 3 <Section 3>",
      "R L12 figure 4 <Figure 4>",
      "T L16 Table 2: Stoffwerte bei 20 °C 2x3",
      "D L21 Viskosität = die innere Reibung eines Fluids. @ Begriffe (Glossary)",
  }));
}

TEST(AnalyzeMarkdownCorpus, ChangelogYieldsNothing) {
  EXPECT_EQ(Describe(AnalyzeFile("changelog.md")), std::vector<std::string>{});
}

TEST(AnalyzeMarkdownCorpus, LectureNotesYieldEnvironmentsTagsAndSetextContexts) {
  EXPECT_EQ(Describe(AnalyzeFile("lecture_notes.md")), (std::vector<std::string>{
      "F L9 formula 1 | (x_i, y_i) | x_i y_i",
      "F L9 formula 2 | i = 1, \\dots, n | i n",
      "F L9 formula 3 | \\hat{y} = \\beta_0 + \\beta_1 x | y \\beta_0 \\beta_1 x",
      "D L10 residual sum of squares = the sum of the squared differences between observed and fitted values. @ Setup",
      "F L13 Eq. (4.2) | \\mathrm{RSS}(\\beta) &= \\sum_{i=1}^{n} (y_i - \\beta_0 - \\beta_1 x_i)^2 \\\\\n\\hat\\beta_1 &= \\frac{\\sum_i (x_i - \\bar x)(y_i - \\bar y)}{\\sum_i (x_i - \\bar x)^2} \\tag{4.2} | \\beta i n y_i \\beta_0 \\beta_1 x_i x y",
      "F L18 formula 5 | \\hat\\sigma^2 = \\mathrm{RSS}/(n-2) | \\sigma n",
      "R L18 equation 4.2 <Eq. 4.2>",
      "R L19 equation 4.3 <Equation (4.3)>",
      "F L21 formula 6 | \\operatorname{SE}(\\hat\\beta_1)^2 = \\frac{\\sigma^2}{\\sum_i (x_i - \\bar x)^2} | \\beta_1 \\sigma i x_i x",
      "F L23 formula 7 | R^2 = 1 - \\frac{\\mathrm{RSS}}{\\mathrm{TSS}} | R",
      "F L30 formula 8 | x_{\\text{max}} | x_{\\text{max}}",
      "F L30 formula 9 | \\alpha_{ij} | \\alpha_{ij}",
      "R L31 figure 3b <Fig. 3b>",
      "R L31 section 2.4 <Sec. 2.4>",
  }));
}

TEST(AnalyzeMarkdownCorpus, TechnicalReportYieldsEveryKindInDocumentOrder) {
  EXPECT_EQ(Describe(AnalyzeFile("technical_report.md")), (std::vector<std::string>{
      "R L12 link scope <[Scope](#scope)>",
      "R L13 link thermal-model <[Thermal model](#thermal-model)>",
      "R L14 link test-results <[Test results](#test-results)>",
      "R L18 section 2 <Section 2>",
      "R L19 table 1 <Table 1>",
      "D L21 Pack = the enclosure, 16 cells, busbars and the battery management system. @ Scope",
      "D L23 State of charge (SoC) = the remaining capacity as a fraction of the rated capacity. @ Scope",
      "D L24 C-rate = the charge or discharge current divided by the rated capacity. @ Scope",
      "D L26 Thermal runaway = an uncontrolled exothermic reaction inside a cell. @ Scope",
      "F L30 formula 1 | \\dot Q = I^2 R_{int} + I T \\frac{\\partial U}{\\partial T} | Q I R_{int} T U",
      "F L31 formula 2 | I | I",
      "F L31 formula 3 | R_{int} | R_{int}",
      "F L33 eq:lumped | \\label{eq:lumped}\nm c_p \\frac{dT}{dt} = \\dot Q - h A (T - T_\\infty) | m c_p d T t Q h A T_\\infty",
      "F L39 Eq. (2) | T_{ss} = T_\\infty + \\frac{\\dot Q}{h A} | T_{ss} T_\\infty Q h A",
      "F L41 formula 6 | \\tau = m c_p / (h A) | \\tau m c_p h A",
      "R L41 equation 2 <Eq. (2)>",
      "R L41 equation 1 <Equation 1>",
      "T L45 Table 1: Cell parameters used in the model 4x4",
      "F L47 formula 7 | m | m",
      "F L48 formula 8 | c_p | c_p",
      "F L49 formula 9 | R_{int} | R_{int}",
      "F L50 formula 10 | h | h",
      "R L54 figure 5 <Fig. 5>",
      "R L55 section 3.1 <Sec. 3.1>",
      "T L57 Table 3: Peak temperatures 2x4",
      "T L66 Table 4: Cooling options 2x3",
      "R L81 section 1 <Section 1>",
      "R L82 figure 6 <Figure 6>",
      "R L82 link appendix <[the appendix](#appendix \"Appendix A\")>",
  }));
}
TEST(AnalyzeMarkdownCorpus, TableDataIsKeyedByHeaderAndUnescapesPipes) {
  const auto tables = OfType(AnalyzeFile("financial_tables.md"), IrType::kTable);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].table_data, json::parse(R"js([
    {"Segment": "Cloud", "Revenue ($M)": "7.9", "Margin": "31%", "Notes": "incl. A|B test credits"},
    {"Segment": "Hardware", "Revenue ($M)": "3.1", "Margin": "12%", "Notes": ""},
    {"Segment": "Services", "Revenue ($M)": "1.4", "Margin": "22%", "Notes": "one-off | restated"}
  ])js"));
  EXPECT_EQ(tables[0].metadata.at("columns"), json::parse(R"js(["Segment", "Revenue ($M)", "Margin", "Notes"])js"));
  EXPECT_EQ(tables[0].metadata.at("alignments"), json::parse(R"(["left", "right", "right", "none"])"));
  EXPECT_EQ(tables[0].metadata.at("caption_line"), 13);
  // Empty and repeated headers are renamed; short rows padded, long rows cut.
  EXPECT_EQ(tables[1].table_data, json::parse(R"js([
    {"column_1": "Operating", "Q3 2024": "$4.2M", "Q3 2023": "$3.8M", "column_4": "restated"},
    {"column_1": "Investing", "Q3 2024": "($1.1M)", "Q3 2023": "($0.9M)", "column_4": ""},
    {"column_1": "Financing", "Q3 2024": "$0.3M", "Q3 2023": "$0.2M", "column_4": "n/a"}
  ])js"));
  EXPECT_EQ(tables[1].metadata.at("columns"), json::parse(R"(["column_1", "Q3 2024", "Q3 2023", "column_4"])"));
  EXPECT_EQ(tables[1].metadata.at("caption_line"), 19);
}

TEST(AnalyzeMarkdownCorpus, TablesInTechnicalReportKeepFormulasAndUnicodeCells) {
  const auto items = AnalyzeFile("technical_report.md");
  const auto tables = OfType(items, IrType::kTable);
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0].table_data.at(2), json::parse(R"(
    {"Parameter": "Internal resistance", "Symbol": "$R_{int}$", "Value": "0.018", "Unit": "Ω"})"));
  EXPECT_EQ(tables[0].table_data.at(3).at("Value"), "12 | 25");
  EXPECT_EQ(tables[0].metadata.at("alignments"), json::parse(R"(["none", "center", "right", "none"])"));
  EXPECT_EQ(tables[1].table_data.at(1).at("ΔT model (K)"), "1.1");
  EXPECT_EQ(tables[2].metadata.at("caption_line"), 64);
}

TEST(AnalyzeMarkdownCorpus, EveryDocumentIsWellFormedAndRoundTripsThroughJson) {
  for (const char* name : {"physics_paper.md", "api_spec.md", "glossary.md", "legal_definitions.md",
                           "financial_tables.md", "readme_code.md", "broken_markdown.md",
                           "unicode_terms.md", "changelog.md", "lecture_notes.md", "technical_report.md"}) {
    SCOPED_TRACE(name);
    const auto items = AnalyzeFile(name);
    ExpectWellFormed(items);
    for (const SemanticItem& item : items) {
      EXPECT_EQ(SemanticItemFromJson(json::parse(ToJson(item).dump())), item) << ToJson(item).dump();
    }
    // Document order.
    for (std::size_t k = 1; k < items.size(); ++k) EXPECT_LE(Line(items[k - 1]), Line(items[k]));
  }
}

// ---------------------------------------------------------------------------- formulas

TEST(AnalyzeMarkdownFormula, InlineMathKeepsSubscriptedIdentifiersWhole) {
  EXPECT_EQ(Describe("Let $x_i + x_{ij} + x_{k} = y^2$ hold."),
            (std::vector<std::string>{"F L1 formula 1 | x_i + x_{ij} + x_{k} = y^2 | x_i x_{ij} x_k y"}));
}

TEST(AnalyzeMarkdownFormula, PricesAreNotFormulas) {
  EXPECT_TRUE(AnalyzeMarkdown("It costs $5.").empty());
  EXPECT_TRUE(AnalyzeMarkdown("Between $5 and $10 per seat.").empty());
  EXPECT_TRUE(AnalyzeMarkdown("Tiers: $5, $6 and $7.").empty());
  EXPECT_TRUE(AnalyzeMarkdown("Was $5-$10 last year.").empty());
  EXPECT_TRUE(AnalyzeMarkdown("A course costs $120 and the book $45 today.").empty());
  EXPECT_EQ(Describe("Pay $5 if $x$ is odd."), (std::vector<std::string>{"F L1 formula 1 | x | x"}));
}

TEST(AnalyzeMarkdownFormula, EscapedDollarNeverDelimits) {
  EXPECT_TRUE(AnalyzeMarkdown(R"(Costs \$5 and \$x\$ too.)").empty());
  EXPECT_EQ(Describe(R"($a \$ b$)"), (std::vector<std::string>{R"(F L1 formula 1 | a \$ b | a b)"}));
}

TEST(AnalyzeMarkdownFormula, DollarsInCodeSpansAndFencesAreIgnored) {
  EXPECT_TRUE(AnalyzeMarkdown("Run `echo $x$` now.").empty());
  EXPECT_TRUE(AnalyzeMarkdown("Run ``a ` $x$ ` b`` now.").empty());
  EXPECT_TRUE(AnalyzeMarkdown("```\n$x$ and $$y$$\n```\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("~~~~ tex\n$x$\n~~~\n$y$\n~~~~\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("  ```\n  $x$\n  ```\n").empty());
  // An unclosed code span is literal text.
  EXPECT_EQ(Describe("A `tick and $x$."), (std::vector<std::string>{"F L1 formula 1 | x | x"}));
  // After the fence closes, math counts again.
  EXPECT_EQ(Describe("```\n$a$\n```\n$b$\n"), (std::vector<std::string>{"F L4 formula 1 | b | b"}));
}

TEST(AnalyzeMarkdownFormula, DisplayMathSpansLinesButNotBlankLines) {
  EXPECT_EQ(Describe("Text\n$$\na + b\n= c\n$$\nafter $d$\n"),
            (std::vector<std::string>{"F L2 formula 1 | a + b\n= c | a b c", "F L6 formula 2 | d | d"}));
  EXPECT_EQ(Describe("$$ a\n\nb $$"), std::vector<std::string>{});
  EXPECT_EQ(Describe("$$ $$ and $$\n$$"), std::vector<std::string>{});
  // The rest of the closing line is scanned as usual.
  EXPECT_EQ(Describe("$$x\n$$ then $y$ and Table 3"),
            (std::vector<std::string>{"F L1 formula 1 | x | x", "F L2 formula 2 | y | y", "R L2 table 3 <Table 3>"}));
}

TEST(AnalyzeMarkdownFormula, EnvironmentsBecomeDisplayFormulas) {
  const auto items = AnalyzeMarkdown(
      "\\begin{equation}\na = b\n\\end{equation}\n"
      "\\begin{equation*} c \\end{equation*}\n"
      "\\begin{align}\nd &= e \\\\\nf &= g\n\\end{align}\n"
      "\\begin{itemize} h \\end{itemize}\n"
      "\\begin{align} unclosed\n\n\\end{align}\n");
  EXPECT_EQ(Describe(items), (std::vector<std::string>{
                                 "F L1 formula 1 | a = b | a b",
                                 "F L4 formula 2 | c | c",
                                 "F L5 formula 3 | d &= e \\\\\nf &= g | d e f g",
                             }));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].metadata, json::parse(R"({"line": 1, "display": true, "environment": "equation"})"));
  EXPECT_EQ(items[1].metadata.at("environment"), "equation*");
  EXPECT_EQ(items[2].metadata.at("environment"), "align");
}

TEST(AnalyzeMarkdownFormula, EnvironmentClosesOnlyWithItsOwnEnd) {
  EXPECT_EQ(Describe("\\begin{equation}\n\\begin{split} a \\end{split}\n\\end{equation}"),
            (std::vector<std::string>{"F L1 formula 1 | \\begin{split} a \\end{split} | a"}));
}

TEST(AnalyzeMarkdownFormula, NameIsLabelThenTagThenTrailingNumberThenOrdinal) {
  EXPECT_EQ(Describe("$$ a \\label{eq:a} \\tag{9} $$ (1)\n\n"
                     "$$ b \\tag{2.1} $$ (7)\n\n"
                     "$$ c \\tag*{A} $$\n\n"
                     "$$ d $$ (3a)\n\n"
                     "\\begin{equation} e \\end{equation} (4)\n\n"
                     "$$ f $$ (x)\n\n"
                     "$g$ (5)\n"),
            (std::vector<std::string>{
                "F L1 eq:a | a \\label{eq:a} \\tag{9} | a",
                "F L3 Eq. (2.1) | b \\tag{2.1} | b",
                "F L5 Eq. (A) | c \\tag*{A} | c",
                "F L7 Eq. (3a) | d | d",
                "F L9 Eq. (4) | e | e",
                "F L11 formula 6 | f | f",
                "F L13 formula 7 | g | g",
            }));
}

TEST(AnalyzeMarkdownFormula, VariablesSkipCommandsDigitsAndTextArguments) {
  const auto items = AnalyzeMarkdown(
      R"($$\frac{\sum_{k} \sin(\alpha x)}{\left( 2 \pi r \right)} + \text{if } y > 0 + \mathrm{d}z + \operatorname{argmax} w + \cdot 42$$)");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].variables, (std::vector<std::string>{"k", "\\alpha", "x", "\\pi", "r", "y", "z", "w"}));
}

TEST(AnalyzeMarkdownFormula, GreekLettersAsCommandsOrCharactersWithSubscripts) {
  const auto items = AnalyzeMarkdown("$\\sigma_{\\max} + \\Omega + α_1 + β + \\alpha + \\alpha$");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].variables, (std::vector<std::string>{"\\sigma_{\\max}", "\\Omega", "α_1", "β", "\\alpha"}));
}

TEST(AnalyzeMarkdownFormula, OrdinalCountsEveryFormula) {
  EXPECT_EQ(Describe("$a$ $$b \\label{B}$$ $c$"),
            (std::vector<std::string>{"F L1 formula 1 | a | a", "F L1 B | b \\label{B} | b", "F L1 formula 3 | c | c"}));
}

TEST(AnalyzeMarkdownFormula, InlineFormulaMetadataSaysNotDisplay) {
  const auto items = AnalyzeMarkdown("x\n\n$y$");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].metadata, json::parse(R"({"line": 3, "display": false})"));
}

TEST(AnalyzeMarkdownFormula, OversizedFormulaIsNotAFormula) {
  const std::string big(semantic_limits::kMaxFormulaBytes + 10, 'x');
  EXPECT_TRUE(AnalyzeMarkdown("$" + big + "$").empty());
  EXPECT_TRUE(AnalyzeMarkdown("$$" + big + "$$").empty());
  EXPECT_EQ(AnalyzeMarkdown("$$" + std::string(1000, 'x') + "$$").size(), 1u);
}

TEST(AnalyzeMarkdownFormula, VariablesAreCapped) {
  std::string tex;
  for (int k = 0; k < 200; ++k) tex += "x_{" + std::to_string(k) + "} + ";
  const auto items = AnalyzeMarkdown("$$" + tex + "y$$");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].variables.size(), semantic_limits::kMaxVariables);
  EXPECT_EQ(items[0].variables[0], "x_0");
  EXPECT_EQ(items[0].variables[10], "x_{10}");
}

// ------------------------------------------------------------------------- definitions

TEST(AnalyzeMarkdownDefinition, BoldTermForms) {
  EXPECT_EQ(Describe("**Latency**: time to first byte.\n"
                     "**Jitter:** variation of latency.\n"
                     "**Throughput** - requests per second.\n"
                     "__Backlog__: queued requests.\n"
                     "* **Quota** — the allowed volume.\n"
                     "**Budget** – the error budget.\n"
                     "**bold** text that defines nothing.\n"
                     "**Rate**-limited endpoints are listed below.\n"),
            (std::vector<std::string>{
                "D L1 Latency = time to first byte. @ ",
                "D L2 Jitter = variation of latency. @ ",
                "D L3 Throughput = requests per second. @ ",
                "D L4 Backlog = queued requests. @ ",
                "D L5 Quota = the allowed volume. @ ",
                "D L6 Budget = the error budget. @ ",
            }));
}

TEST(AnalyzeMarkdownDefinition, AdmonitionsAndCaptionsAreNotTerms) {
  EXPECT_TRUE(AnalyzeMarkdown("**Note**: restart the server.\n**Warning:** data loss.\n").empty());
  EXPECT_EQ(Describe("**Table 2:** Results\n"), std::vector<std::string>{});
}

TEST(AnalyzeMarkdownDefinition, MetadataNamesTheForm) {
  const auto items = AnalyzeMarkdown("**A**: b\n\nC is defined as d.\n\n## Glossary\n\n- E: f\n\nG\n: h\n");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].metadata, json::parse(R"({"line": 1, "form": "bold"})"));
  EXPECT_EQ(items[1].metadata, json::parse(R"({"line": 3, "form": "phrase"})"));
  EXPECT_EQ(items[2].metadata, json::parse(R"({"line": 7, "form": "glossary"})"));
  EXPECT_EQ(items[3].metadata, json::parse(R"({"line": 9, "form": "definition_list"})"));
}

TEST(AnalyzeMarkdownDefinition, PhraseDefinitionsTakeTheTermBeforeThePhrase) {
  EXPECT_EQ(Describe("In this paper, the velocity is defined as the rate of change of position. Next.\n"
                     "A *token* means a signed string; it expires.\n"
                     "Affiliates are defined as companies under common control.\n"
                     "(a) \"Year\" shall mean a calendar year.\n"),
            (std::vector<std::string>{
                "D L1 velocity = the rate of change of position. @ ",
                "D L2 token = a signed string; it expires. @ ",
                "D L3 Affiliates = companies under common control. @ ",
                "D L4 Year = a calendar year. @ ",
            }));
}

TEST(AnalyzeMarkdownDefinition, PhraseWithPronounOrLongSubjectIsNotADefinition) {
  EXPECT_TRUE(AnalyzeMarkdown("This means that the cache is cold.\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("We pay by means of a transfer.\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("It means nothing.\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("The total number of requests served by the primary cluster is defined as x.\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("Cache means\n").empty());
}

TEST(AnalyzeMarkdownDefinition, PhraseDefinitionRunsToTheSentenceEndAcrossWrappedLines) {
  EXPECT_EQ(Describe("A shard means a horizontal partition, e.g. one\ncustomer range. Other text.\n- item\n"),
            (std::vector<std::string>{"D L1 shard = a horizontal partition, e.g. one customer range. @ "}));
  EXPECT_EQ(Describe("A shard means a horizontal partition\n- listed below\n"),
            (std::vector<std::string>{"D L1 shard = a horizontal partition @ "}));
}

TEST(AnalyzeMarkdownDefinition, OneDefinitionPerSentence) {
  EXPECT_EQ(Describe("A means B means C. D means E.\n"),
            (std::vector<std::string>{"D L1 A = B means C. @ ", "D L1 D = E. @ "}));
}

TEST(AnalyzeMarkdownDefinition, GlossaryEntriesOnlyUnderGlossaryHeadings) {
  const std::string doc =
      "- Alpha: not in a glossary.\n"
      "## Terminology\n"
      "- Beta: the second letter.\n"
      "\n"
      "Gamma: a one-line paragraph entry.\n"
      "Lazy: a continuation line of that paragraph.\n"
      "### Subsection\n"
      "1. Delta - fourth letter.\n"
      "## Definitions and abbreviations\n"
      "- Epsilon — fifth.\n"
      "- A long list item with very many words before it: the colon is no term.\n"
      "## Usage\n"
      "- Zeta: outside again.\n";
  EXPECT_EQ(Describe(doc), (std::vector<std::string>{
                               "D L3 Beta = the second letter. @ Terminology",
                               "D L5 Gamma = a one-line paragraph entry. @ Terminology",
                               "D L8 Delta = fourth letter. @ Subsection",
                               "D L10 Epsilon = fifth. @ Definitions and abbreviations",
                           }));
}

TEST(AnalyzeMarkdownDefinition, DefinitionListsNeedAOneLineParagraphTerm) {
  EXPECT_EQ(Describe("Idempotent\n: safe to repeat.\n: has no further effect.\n\nTerm two\n\n:   after a blank line\n"),
            (std::vector<std::string>{
                "D L1 Idempotent = safe to repeat. @ ",
                "D L1 Idempotent = has no further effect. @ ",
                "D L5 Term two = after a blank line @ ",
            }));
  EXPECT_EQ(Describe("Alpha\n: first\nBeta\n: second\n"),
            (std::vector<std::string>{"D L1 Alpha = first @ ", "D L3 Beta = second @ "}));
  EXPECT_TRUE(AnalyzeMarkdown("A paragraph\nof two lines\n: not a definition\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown(": no term at all\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("# Heading\n: no term\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("- list item\n: no term\n").empty());
}

TEST(AnalyzeMarkdownDefinition, ContextIsTheNearestHeading) {
  EXPECT_EQ(Describe("**A**: top\n# One #\n**B**: one\nTwo\n---\n**C**: two\n"),
            (std::vector<std::string>{"D L1 A = top @ ", "D L3 B = one @ One", "D L6 C = two @ Two"}));
}

// ------------------------------------------------------------------------------ tables

TEST(AnalyzeMarkdownTable, PipeTableBecomesRowObjects) {
  const auto items = AnalyzeMarkdown("| a | b |\n|---|:-:|\n| 1 | 2 |\n|3|4|\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].name, "table 1");
  EXPECT_EQ(items[0].row_count, 2);
  EXPECT_EQ(items[0].column_count, 2);
  EXPECT_EQ(items[0].table_data, json::parse(R"([{"a": "1", "b": "2"}, {"a": "3", "b": "4"}])"));
  EXPECT_EQ(items[0].metadata, json::parse(R"({"line": 1, "columns": ["a", "b"], "alignments": ["none", "center"]})"));
}

TEST(AnalyzeMarkdownTable, TablesWithoutOuterPipes) {
  const auto items = AnalyzeMarkdown("a | b\n--|--\n1 | 2\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].table_data, json::parse(R"([{"a": "1", "b": "2"}])"));
}

TEST(AnalyzeMarkdownTable, EscapedPipesStayInTheCell) {
  const auto items = AnalyzeMarkdown("| expr | note |\n|---|---|\n| a \\| b | `x \\| y` |\n| c \\\\| d |\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].table_data,
            json::parse(R"([{"expr": "a | b", "note": "`x | y`"}, {"expr": "c \\\\", "note": "d"}])"));
}

TEST(AnalyzeMarkdownTable, EmptyAndDuplicateHeadersGetUniqueNames) {
  const auto items = AnalyzeMarkdown("| | x | x | column_2 | |\n|-|-|-|-|-|\n| 1 | 2 | 3 | 4 | 5 |\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].metadata.at("columns"),
            json::parse(R"(["column_1", "x", "column_3", "column_2", "column_5"])"));
  EXPECT_EQ(items[0].table_data.at(0).size(), 5u);
}

TEST(AnalyzeMarkdownTable, GeneratedNamesAvoidLiteralHeaders) {
  const auto items = AnalyzeMarkdown("| column_1 | |\n|-|-|\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].metadata.at("columns"), json::parse(R"(["column_1", "column_2"])"));
  const auto clash = AnalyzeMarkdown("| column_2 | | |\n|-|-|-|\n");
  ASSERT_EQ(clash.size(), 1u);
  EXPECT_EQ(clash[0].metadata.at("columns"), json::parse(R"(["column_2", "column_2_2", "column_3"])"));
}

TEST(AnalyzeMarkdownTable, ShortRowsArePaddedAndLongRowsCut) {
  const auto items = AnalyzeMarkdown("| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 | 5 |\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].table_data,
            json::parse(R"([{"a": "1", "b": "", "c": ""}, {"a": "1", "b": "2", "c": "3"}])"));
  EXPECT_EQ(items[0].row_count, 2);
}

TEST(AnalyzeMarkdownTable, HeaderAndDelimiterMustAgree) {
  EXPECT_TRUE(AnalyzeMarkdown("| a | b |\n|---|\n| 1 | 2 |\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("| a | b |\n| 1 | 2 |\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("a\n---\n").empty());            // setext heading
  EXPECT_TRUE(AnalyzeMarkdown("| a | b |\n|---|-x-|\n").empty());
}

TEST(AnalyzeMarkdownTable, TableEndsAtBlankLineOrLineWithoutPipe) {
  const auto items = AnalyzeMarkdown("| a |\n|---|\n| 1 |\n\n| 2 |\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row_count, 1);
  const auto items2 = AnalyzeMarkdown("| a |\n|---|\n| 1 |\nplain text\n| 2 |\n");
  ASSERT_EQ(items2.size(), 1u);
  EXPECT_EQ(items2[0].row_count, 1);
  EXPECT_EQ(AnalyzeMarkdown("| a |\n|---|\n").at(0).row_count, 0);
}

TEST(AnalyzeMarkdownTable, CaptionBeforeOrAfterWithBlankLines) {
  EXPECT_EQ(Describe("Table 4: Before\n\n\n| a |\n|---|\n| 1 |\n"),
            (std::vector<std::string>{"T L4 Table 4: Before 1x1"}));
  EXPECT_EQ(Describe("| a |\n|---|\n| 1 |\n\n*Table 5. After*\n"),
            (std::vector<std::string>{"T L1 Table 5. After 1x1"}));
  EXPECT_EQ(Describe("Table 6: Text in between\n\nSome words.\n\n| a |\n|---|\n"),
            (std::vector<std::string>{"T L5 table 1 0x1"}));
  // A caption right before the next table belongs to that table.
  EXPECT_EQ(Describe("| a |\n|---|\n\nTable 2: Second\n\n| b |\n|---|\n"),
            (std::vector<std::string>{"T L1 table 1 0x1", "T L6 Table 2: Second 0x1"}));
}

TEST(AnalyzeMarkdownTable, CaptionLineIsNotAReferenceToItsTable) {
  EXPECT_EQ(Describe("Table 2: Results as in Table 1 and Eq. (3)\n\n| a |\n|---|\n| 1 |\n"),
            (std::vector<std::string>{
                "R L1 table 1 <Table 1>",
                "R L1 equation 3 <Eq. (3)>",
                "T L3 Table 2: Results as in Table 1 and Eq. (3) 1x1",
            }));
  EXPECT_EQ(Describe("Figure 3: A diagram.\n"), std::vector<std::string>{});
}

TEST(AnalyzeMarkdownTable, CellsAreScannedForFormulasAndReferences) {
  EXPECT_EQ(Describe("| eq | see |\n|---|---|\n| $a$ | Table 3 |\n| $b | c$ |\n"),
            (std::vector<std::string>{"T L1 table 1 2x2", "F L3 formula 1 | a | a", "R L3 table 3 <Table 3>"}));
}

TEST(AnalyzeMarkdownTable, TableInFenceIsIgnored) {
  EXPECT_TRUE(AnalyzeMarkdown("```\n| a |\n|---|\n| 1 |\n```\n").empty());
}

TEST(AnalyzeMarkdownTable, ColumnsBeyondTheCapAreDropped) {
  const std::size_t columns = semantic_limits::kMaxTableColumns + 5;
  std::string header = "|";
  std::string delimiter = "|";
  std::string row = "|";
  for (std::size_t c = 0; c < columns; ++c) {
    header += "h" + std::to_string(c) + "|";
    delimiter += "-|";
    row += std::to_string(c) + "|";
  }
  const auto items = AnalyzeMarkdown(header + "\n" + delimiter + "\n" + row + "\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].column_count, static_cast<std::int64_t>(semantic_limits::kMaxTableColumns));
  EXPECT_EQ(items[0].table_data.at(0).size(), semantic_limits::kMaxTableColumns);
  EXPECT_EQ(items[0].metadata.at("dropped_columns"), 5);
}

TEST(AnalyzeMarkdownTable, StoredCellsAreCappedButRowsCounted) {
  std::string doc = "| a | b | c | d | e |\n|-|-|-|-|-|\n";
  const std::size_t rows = semantic_limits::kMaxTableCells / 5 + 10;
  for (std::size_t r = 0; r < rows; ++r) doc += "|1|\n";
  const auto items = AnalyzeMarkdown(doc);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].row_count, static_cast<std::int64_t>(rows));
  EXPECT_EQ(items[0].table_data.size(), semantic_limits::kMaxTableCells / 5);
  EXPECT_EQ(items[0].metadata.at("truncated"), true);
}

// -------------------------------------------------------------------- cross-references

TEST(AnalyzeMarkdownReference, AllReferenceForms) {
  EXPECT_EQ(Describe("Section 3.2, Sec. 3, Sect. 4, §3.2, § 5, section~6, Table 2, TABLE 7, Figure 1, "
                     "Fig. 1b, fig.2, Eq. (3), Eq. 4, Eqn. 5, Equation 3, Equation (3.1), Table\xC2\xA0" "8."),
            (std::vector<std::string>{
                "R L1 section 3.2 <Section 3.2>", "R L1 section 3 <Sec. 3>", "R L1 section 4 <Sect. 4>",
                "R L1 section 3.2 <§3.2>", "R L1 section 5 <§ 5>", "R L1 section 6 <section~6>",
                "R L1 table 2 <Table 2>", "R L1 table 7 <TABLE 7>", "R L1 figure 1 <Figure 1>",
                "R L1 figure 1b <Fig. 1b>", "R L1 figure 2 <fig.2>", "R L1 equation 3 <Eq. (3)>",
                "R L1 equation 4 <Eq. 4>", "R L1 equation 5 <Eqn. 5>", "R L1 equation 3 <Equation 3>",
                "R L1 equation 3.1 <Equation (3.1)>", "R L1 table 8 <Table\xC2\xA0" "8>",
            }));
}

TEST(AnalyzeMarkdownReference, NearMissesAreNotReferences) {
  EXPECT_TRUE(AnalyzeMarkdown("(3) and see (4.2); Tables 2 and 3; Table2; subsection 3; stable 2; "
                              "unsection 1; Figure one; Eq. (); Section .5; Sections 1-3; Table x2")
                  .empty());
}

TEST(AnalyzeMarkdownReference, TrailingPunctuationIsNotPartOfTheTarget) {
  EXPECT_EQ(Describe("See Section 3.2. Then Table 4, and (Figure 5)."),
            (std::vector<std::string>{"R L1 section 3.2 <Section 3.2>", "R L1 table 4 <Table 4>",
                                      "R L1 figure 5 <Figure 5>"}));
}

TEST(AnalyzeMarkdownReference, AnchorLinks) {
  const auto items = AnalyzeMarkdown(
      "See [the setup](#setup), [x](#a-b_c.d \"Title\"), ![img](#pic), [web](https://x.org/#frag), "
      "[empty](#) and [Section 2](#sec-2).");
  EXPECT_EQ(Describe(items), (std::vector<std::string>{
                                 "R L1 link setup <[the setup](#setup)>",
                                 "R L1 link a-b_c.d <[x](#a-b_c.d \"Title\")>",
                                 "R L1 link sec-2 <[Section 2](#sec-2)>",
                                 "R L1 section 2 <Section 2>",
                             }));
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].metadata, json::parse(R"({"line": 1, "text": "the setup"})"));
}

TEST(AnalyzeMarkdownReference, ReferencesInCodeAndHeadingsAreIgnored) {
  EXPECT_TRUE(AnalyzeMarkdown("`Table 2` and\n```\nSection 3\n```\n# Section 4 overview\n").empty());
}

TEST(AnalyzeMarkdownReference, LocationNamesTheLine) {
  const auto items = AnalyzeMarkdown("a\nb\n\nsee Fig. 7\n");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].location, "line 4");
  EXPECT_EQ(items[0].metadata, json::parse(R"({"line": 4})"));
}

// -------------------------------------------------------------------------- robustness

TEST(AnalyzeMarkdownRobustness, EmptyAndBlankInputs) {
  EXPECT_TRUE(AnalyzeMarkdown("").empty());
  EXPECT_TRUE(AnalyzeMarkdown("\n\n \t\r\n").empty());
  EXPECT_TRUE(AnalyzeMarkdown("$").empty());
  EXPECT_TRUE(AnalyzeMarkdown("$$").empty());
  EXPECT_TRUE(AnalyzeMarkdown("|").empty());
  EXPECT_TRUE(AnalyzeMarkdown("\\").empty());
  EXPECT_TRUE(AnalyzeMarkdown("`").empty());
  EXPECT_TRUE(AnalyzeMarkdown("---").empty());
}

TEST(AnalyzeMarkdownRobustness, InvalidUtf8BecomesReplacementCharacters) {
  const std::string doc = "**Ter\xFFm**: bad \xC3\x28 byte\n$x_{\xE2\x82}$\n| h\xF0 |\n|---|\n| \xED\xA0\x80 |\n";
  const auto items = AnalyzeMarkdown(doc);
  ExpectWellFormed(items);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].term, "Ter\xEF\xBF\xBDm");
  EXPECT_EQ(items[0].definition, "bad \xEF\xBF\xBD( byte");
  EXPECT_EQ(items[1].expression, "x_{\xEF\xBF\xBD\xEF\xBF\xBD}");
  EXPECT_EQ(items[2].table_data, json::parse("[{\"h\xEF\xBF\xBD\": \"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}]"));
}

TEST(AnalyzeMarkdownRobustness, NulBytesBecomeReplacementCharacters) {
  const std::string doc("$a\0b$ and **T\0**: d\0e\n", 22);
  const auto items = AnalyzeMarkdown(doc);
  ExpectWellFormed(items);
  EXPECT_EQ(Describe(items), (std::vector<std::string>{"F L1 formula 1 | a\xEF\xBF\xBD" "b | a b"}));
  const auto definitions = AnalyzeMarkdown(std::string("**T\0**: d\0e\n", 12));
  ASSERT_EQ(definitions.size(), 1u);
  EXPECT_EQ(definitions[0].term, "T\xEF\xBF\xBD");
  EXPECT_EQ(definitions[0].definition, "d\xEF\xBF\xBD" "e");
}

TEST(AnalyzeMarkdownRobustness, CrLfLineEndings) {
  EXPECT_EQ(Describe("# Head\r\n\r\n**A**: b\r\n$$\r\nx\r\n$$\r\n| a |\r\n|---|\r\n| 1 |\r\n\r\nTerm\r\n: def\r\nSee Table 1\r\n"),
            (std::vector<std::string>{
                "D L3 A = b @ Head",
                "F L4 formula 1 | x | x",
                "T L7 table 1 1x1",
                "D L11 Term = def @ Head",
                "R L13 table 1 <Table 1>",
            }));
}

TEST(AnalyzeMarkdownRobustness, FrontMatterIsSkippedAndCounted) {
  EXPECT_EQ(Describe("---\ntitle: x\nkey: Table 3\n---\nSee Table 4\n"),
            (std::vector<std::string>{"R L5 table 4 <Table 4>"}));
  // Without its closing line, or without a "key:" line, it is ordinary text.
  EXPECT_EQ(Describe("---\ntitle: See Table 4\n"), (std::vector<std::string>{"R L2 table 4 <Table 4>"}));
  EXPECT_EQ(Describe("---\n\nSee Table 4\n\n---\n"), (std::vector<std::string>{"R L3 table 4 <Table 4>"}));
}

TEST(AnalyzeMarkdownRobustness, DeeplyNestedBrackets) {
  const std::string doc = std::string(200000, '[') + "x](#a)" + std::string(200000, ']') + "\n" +
                          std::string(100000, '{') + "$" + std::string(50000, '(') + "$\n" +
                          "$$" + std::string(30000, '{') + "x" + std::string(100, '}') + "$$\n";
  const auto items = AnalyzeMarkdown(doc);
  ExpectWellFormed(items);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(Describe(items[0]), "R L1 link a <[x](#a)>");
  EXPECT_EQ(items[1].expression.size(), 50000u);
  EXPECT_TRUE(items[1].variables.empty());
  EXPECT_EQ(Line(items[2]), 3);
  EXPECT_EQ(items[2].variables, std::vector<std::string>{"x"});
}

TEST(AnalyzeMarkdownRobustness, ItemCountIsCapped) {
  std::string doc;
  for (std::size_t k = 0; k < semantic_limits::kMaxItems + 50; ++k) doc += "$x$ ";
  const auto items = AnalyzeMarkdown(doc);
  EXPECT_EQ(items.size(), semantic_limits::kMaxItems);
  EXPECT_EQ(items.back().name, "formula " + std::to_string(semantic_limits::kMaxItems));
}

// Inputs that make naive scanners quadratic: a few MB each must finish quickly (a
// quadratic scan of these would take hours; the bound is loose for sanitizer builds).
TEST(AnalyzeMarkdownRobustness, PathologicalMegabyteLinesRunInLinearTime) {
  const std::size_t size = 4 << 20;
  std::vector<std::pair<std::string, std::string>> inputs;
  auto repeat = [&](const std::string& unit) {
    std::string out;
    out.reserve(size + unit.size());
    while (out.size() < size) out += unit;
    return out;
  };
  inputs.emplace_back("dollar openers", repeat("$a "));
  inputs.emplace_back("display openers", repeat("$$a "));
  inputs.emplace_back("environments", repeat("\\begin{equation} a \\end{x} "));
  inputs.emplace_back("mixed environments", repeat("\\begin{align}\\begin{gather}\\end{equation}"));
  inputs.emplace_back("backtick runs", [&] {
    std::string out;
    for (std::size_t k = 1; out.size() < size; ++k) out += std::string(k % 70 + 1, '`') + "x";
    return out;
  }());
  inputs.emplace_back("link tails", repeat("](#a"));
  inputs.emplace_back("link titles", repeat("](#a \""));
  inputs.emplace_back("phrases", repeat("a means b "));
  inputs.emplace_back("references", repeat("Table Section Eq. ( "));
  inputs.emplace_back("escapes", repeat("\\\\\\|"));
  inputs.emplace_back("pipes", repeat("|"));
  inputs.emplace_back("table rows", "|" + repeat("a|") + "\n|" + repeat("-|") + "\n" + repeat("|\n"));
  inputs.emplace_back("blank lines", repeat("\n"));
  inputs.emplace_back("display over lines", repeat("$$\nx\n"));
  inputs.emplace_back("fences", repeat("```\n"));
  inputs.emplace_back("captions", repeat("Table 1: x\n\n"));
  inputs.emplace_back("definition lists", repeat("T\n: d\n"));
  inputs.emplace_back("sentences", "A means " + repeat("x. y means z "));
  for (const auto& [label, input] : inputs) {
    const auto started = std::chrono::steady_clock::now();
    const auto items = AnalyzeMarkdown(input);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_LT(seconds, 20.0) << label;
    EXPECT_LE(items.size(), semantic_limits::kMaxItems) << label;
  }
}

TEST(AnalyzeMarkdownRobustness, TenMegabyteSingleLine) {
  std::string line;
  line.reserve(10 << 20);
  while (line.size() < (10u << 20)) line += "word $x$ Table 2 [a](#b) `c` | **d** means e. ";
  const auto items = AnalyzeMarkdown(line);
  EXPECT_EQ(items.size(), semantic_limits::kMaxItems);
  ExpectWellFormed(std::vector<SemanticItem>(items.begin(), items.begin() + 100));
}

// ------------------------------------------------------------------------------ JSON

TEST(SemanticItemJson, IrTypeNamesAreTheColumnValues) {
  EXPECT_EQ(IrTypeName(IrType::kFormula), "formula");
  EXPECT_EQ(IrTypeName(IrType::kDefinition), "definition");
  EXPECT_EQ(IrTypeName(IrType::kTable), "table");
  EXPECT_EQ(IrTypeName(IrType::kCrossReference), "cross_reference");
}

TEST(SemanticItemJson, ToJsonUsesColumnNamesAndTheTypesOwnFields) {
  SemanticItem formula;
  formula.type = IrType::kFormula;
  formula.name = "formula 1";
  formula.expression = "x";
  formula.variables = {"x"};
  formula.metadata = json{{"line", 3}};
  EXPECT_EQ(ToJson(formula), json::parse(R"({"ir_type": "formula", "name": "formula 1", "expression": "x",
                                             "variables": ["x"], "metadata": {"line": 3}})"));
  SemanticItem table;
  table.type = IrType::kTable;
  table.name = "table 1";
  EXPECT_EQ(ToJson(table), json::parse(R"({"ir_type": "table", "name": "table 1", "table_data": null,
                                           "row_count": 0, "column_count": 0, "metadata": {}})"));
  SemanticItem reference;
  reference.type = IrType::kCrossReference;
  reference.term = "unusual but kept";
  EXPECT_EQ(ToJson(reference), json::parse(R"({"ir_type": "cross_reference", "name": "", "target": "",
                                               "reference_type": "", "location": "", "term": "unusual but kept",
                                               "metadata": {}})"));
}

TEST(SemanticItemJson, RoundTripsEveryField) {
  SemanticItem item;
  item.type = IrType::kDefinition;
  item.name = "n";
  item.expression = "e";
  item.variables = {"a", "b"};
  item.term = "t";
  item.definition = "d";
  item.context = "c";
  item.table_data = json::parse(R"([{"k": "v"}])");
  item.row_count = 7;
  item.column_count = 9;
  item.target = "3.2";
  item.reference_type = "section";
  item.location = "line 4";
  item.metadata = json{{"line", 4}, {"form", "bold"}};
  EXPECT_EQ(SemanticItemFromJson(ToJson(item)), item);
  EXPECT_EQ(SemanticItemFromJson(json::parse(ToJson(item).dump())), item);
}

TEST(SemanticItemJson, FromJsonTakesMissingOrNullKeysAsEmpty) {
  const SemanticItem item = SemanticItemFromJson(json::parse(R"({"ir_type": "cross_reference", "target": "2",
                                                                   "name": null, "variables": null})"));
  EXPECT_EQ(item.type, IrType::kCrossReference);
  EXPECT_EQ(item.target, "2");
  EXPECT_EQ(item.name, "");
  EXPECT_TRUE(item.variables.empty());
  EXPECT_TRUE(item.table_data.is_null());
  EXPECT_EQ(item.metadata, json::object());
  EXPECT_EQ(item.row_count, 0);
}

TEST(SemanticItemJson, FromJsonRejectsWhatIsNotAnItem) {
  EXPECT_THROW(SemanticItemFromJson(json::parse(R"({"ir_type": "figure"})")), json::exception);
  EXPECT_THROW(SemanticItemFromJson(json::parse(R"({"name": "x"})")), json::exception);
  EXPECT_THROW(SemanticItemFromJson(json::parse(R"([1, 2])")), json::exception);
  EXPECT_THROW(SemanticItemFromJson(json::parse(R"({"ir_type": "table", "row_count": "many"})")), json::exception);
  EXPECT_THROW(SemanticItemFromJson(json::parse(R"({"ir_type": "formula", "variables": [1]})")), json::exception);
}

// Every input a fuzzer ever flagged (fuzz/regressions/semantic_analyzer/, see its README):
// analyzed without a crash or sanitizer report; items dump to JSON, survive the round trip
// and carry lines within the input in document order (what the fuzzer checks).
TEST(FuzzRegressions, EveryRecordedInputIsAnalyzedSafely) {
  const auto dir = std::filesystem::path(DOCLEDGER_SOURCE_ROOT) / "fuzz/regressions/semantic_analyzer";
  int inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    SCOPED_TRACE(entry.path().filename().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const auto input = text.str();
    const auto lines = static_cast<std::int64_t>(std::count(input.begin(), input.end(), '\n')) + 1;
    std::int64_t previous_line = 1;
    for (const auto& item : AnalyzeMarkdown(input)) {
      const auto dumped = ToJson(item).dump();
      EXPECT_EQ(SemanticItemFromJson(json::parse(dumped)), item);
      const auto line = item.metadata.at("line").get<std::int64_t>();
      EXPECT_TRUE(line >= previous_line && line <= lines) << line;
      previous_line = line;
    }
    ++inputs;
  }
  EXPECT_GE(inputs, 3);
}

}  // namespace
}  // namespace docledger::domain
