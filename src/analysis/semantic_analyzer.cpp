// AnalyzeMarkdown: one forward pass over the lines of the document. Block structure (fences,
// headings, tables, definition lines) is decided per line; inline structure (code spans,
// formulas, references, links, "X means Y") by a byte scanner over each line or table cell.
//
// Linear time: every search for a closing delimiter is remembered (Memo) so that a later
// search from a later position never rescans what an earlier one already saw; lookbacks
// and lookaheads are bounded by small constants or done once per table. No recursion.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_set>

#include "analysis/semantic_analyzer.hpp"
#include "analysis/tex_math.hpp"
#include "domain/semantic_ir.hpp"
#include "domain/text_rules.hpp"

namespace docledger::analysis {
namespace {

using namespace domain;

namespace lim = semantic_limits;
using nlohmann::json;

constexpr std::size_t kNpos = std::string_view::npos;
constexpr std::size_t kMaxBacktickRun = 64;     // longer runs never open a code span
constexpr std::size_t kMaxBracketDepth = 64;    // only the innermost unclosed [ are remembered
constexpr std::size_t kMaxNumberBytes = 32;     // "3.2.1", "12a"
constexpr std::size_t kMaxAnchorBytes = 256;
constexpr std::size_t kMaxFrontMatterLines = 200;

// ------------------------------------------------------------------ characters

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiLetter(c); }
bool IsSpaceTab(char c) { return c == ' ' || c == '\t'; }
bool IsWhite(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
// Bytes that continue a word for the purpose of "does a keyword start here".
bool IsWordByte(char c) { return IsAsciiAlnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
bool IsAsciiPunct(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 33 && u <= 47) || (u >= 58 && u <= 64) || (u >= 91 && u <= 96) || (u >= 123 && u <= 126);
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// Does s start with `lower` (lower-case ASCII), ignoring ASCII case?
bool StartsWithCI(std::string_view s, std::string_view lower) {
  if (s.size() < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (Lower(s[i]) != lower[i]) return false;
  }
  return true;
}

bool EqualsCI(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && StartsWithCI(s, lower);
}

bool ContainsCI(std::string_view s, std::string_view lower) {
  if (lower.empty() || s.size() < lower.size()) return lower.empty();
  for (std::size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if (Lower(s[i]) == lower[0] && StartsWithCI(s.substr(i), lower)) return true;
  }
  return false;
}

std::size_t CountWords(std::string_view s) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool white = IsWhite(c);
    if (!white && !in_word) ++words;
    in_word = !white;
  }
  return words;
}

// ------------------------------------------------------------------- UTF-8 output

// `in` as valid UTF-8 of at most max_bytes bytes (cut at a character boundary): each byte
// that does not start a well-formed sequence, and NUL (which PostgreSQL text refuses),
// becomes U+FFFD.
std::string Clean(std::string_view in, std::size_t max_bytes = kNpos) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(std::min(in.size(), max_bytes));
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    if (s[i] != 0 && s[i] < 0x80) {
      std::size_t j = i + 1;
      while (j < n && s[j] != 0 && s[j] < 0x80) ++j;
      const std::size_t take = std::min(j - i, max_bytes - out.size());
      out.append(in.data() + i, take);
      if (take < j - i) break;
      i = j;
      continue;
    }
    const std::size_t len = s[i] == 0 ? 0 : Utf8SequenceLength(std::string_view(in.data() + i, n - i));
    const std::string_view piece = len == 0 ? kReplacement : in.substr(i, len);
    if (piece.size() > max_bytes - out.size()) break;
    out.append(piece);
    i += len == 0 ? 1 : len;
  }
  return out;
}

// ------------------------------------------------------------------- term shapes

// Removes emphasis markers, quotes and backticks around a term ("**x**", "`x`", “x”).
std::string_view StripDecoration(std::string_view s) {
  for (int round = 0; round < 4; ++round) {
    s = Trim(s);
    const std::size_t before = s.size();
    while (!s.empty() && s.front() == '*') s.remove_prefix(1);
    while (!s.empty() && s.back() == '*') s.remove_suffix(1);
    while (s.size() >= 2 && s.front() == '_' && s.back() == '_') s = s.substr(1, s.size() - 2);
    // " ' ` “ ‘ « „ ‚ and " ' ` ” ’ » “ ‘
    for (std::string_view open : {"\"", "'", "`", "\xE2\x80\x9C", "\xE2\x80\x98", "\xC2\xAB",
                                  "\xE2\x80\x9E", "\xE2\x80\x9A"}) {
      if (StartsWith(s, open)) s.remove_prefix(open.size());
    }
    for (std::string_view close : {"\"", "'", "`", "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB",
                                   "\xE2\x80\x9C", "\xE2\x80\x98"}) {
      if (s.size() >= close.size() && s.substr(s.size() - close.size()) == close) s.remove_suffix(close.size());
    }
    if (s.size() == before) break;
  }
  return Trim(s);
}

// "the term “Business Day”" -> "Business Day".
std::string_view StripArticles(std::string_view s) {
  for (int round = 0; round < 3; ++round) {
    s = StripDecoration(s);
    bool changed = false;
    for (std::string_view word : {"the ", "a ", "an ", "term ", "word ", "expression "}) {
      if (StartsWithCI(s, word)) {
        s.remove_prefix(word.size());
        changed = true;
      }
    }
    // Clause numbering: "1.1 ", "(a) ", "2) "
    const std::size_t space = s.find(' ');
    if (space != std::string_view::npos && space > 0 &&
        s.substr(0, space).find_first_not_of("0123456789.()") == std::string_view::npos &&
        s.substr(0, space).find_first_of("0123456789") != std::string_view::npos) {
      s.remove_prefix(space + 1);
      changed = true;
    } else if (s.size() >= 4 && s[0] == '(' && IsAsciiLetter(s[1]) && s[2] == ')' && s[3] == ' ') {
      s.remove_prefix(4);
      changed = true;
    }
    if (!changed) break;
  }
  return StripDecoration(s);
}

bool IsStopWord(std::string_view word) {
  static constexpr std::array<std::string_view, 34> kStop = {
      "this", "that", "it", "which", "what", "there", "here", "he", "she", "they", "we",
      "i", "you", "these", "those", "who", "where", "when", "if", "because", "so", "by",
      "also", "and", "or", "often", "usually", "generally", "simply", "only", "thus",
      "therefore", "basically", "whatever"};
  for (std::string_view stop : kStop) {
    if (EqualsCI(word, stop)) return true;
  }
  return false;
}

// Bold labels that introduce remarks, not terms.
bool IsAdmonition(std::string_view term) {
  static constexpr std::array<std::string_view, 18> kWords = {
      "note", "notes", "warning", "tip", "tips", "important", "caution", "example",
      "examples", "hint", "danger", "info", "todo", "nb", "remark", "proof", "attention",
      "see also"};
  for (std::string_view word : kWords) {
    if (EqualsCI(term, word)) return true;
  }
  return false;
}

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return IsAsciiLetter(c) || static_cast<unsigned char>(c) >= 0x80; });
}

// ------------------------------------------------------------------ TeX environments

constexpr std::array<std::string_view, 11> kMathEnvironments = {
    "equation", "equation*", "align", "align*", "gather", "gather*",
    "multline", "multline*", "eqnarray", "eqnarray*", "displaymath"};

int MathEnvironmentIndex(std::string_view name) {
  for (std::size_t i = 0; i < kMathEnvironments.size(); ++i) {
    if (kMathEnvironments[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// -------------------------------------------------------------------- byte classes

enum ByteClass : unsigned char {
  kPlain, kLetter, kBackslash, kBacktick, kDollar, kOpenBracket, kCloseBracket, kC2
};

constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kLetter;
  t['\\'] = kBackslash;
  t['`'] = kBacktick;
  t['$'] = kDollar;
  t['['] = kOpenBracket;
  t[']'] = kCloseBracket;
  t[0xC2] = kC2;  // § is C2 A7
  return t;
}();

// ------------------------------------------------------------------ the analyzer

struct Line {
  std::size_t begin = 0;
  std::size_t end = 0;   // content end: before "\r\n" / "\n"
  std::size_t next = 0;  // start of the next line (or the document's size)
};

struct Fence {
  char ch = 0;
  std::size_t length = 0;
};

struct Heading {
  int level = 0;
  std::string_view text;
};

struct LineStart {
  std::size_t content = 0;  // after blockquote markers and one list marker
  bool list = false;
  bool quote = false;
};

enum class CaptionKind { kTable, kFigure };

struct Caption {
  CaptionKind kind = CaptionKind::kTable;
  std::size_t prefix_end = 0;  // end of "Table N": no reference starts before it
  std::string name;
};

struct DefinitionSpan {
  std::string_view term;
  std::string_view definition;
};

struct ReferenceMatch {
  std::size_t end = 0;
  const char* type = "";
  std::size_t target_begin = 0;
  std::size_t target_end = 0;
};

struct ScanMode {
  bool references = true;  // cross-references and links
  bool phrases = true;     // "X is defined as Y"
  bool multiline = true;   // $$...$$ and \begin{E} may close on a later line
};

// "Next X at or after q" where being an X depends only on the text around it: one search
// answers every later query up to its result, so a run of queries from increasing positions
// costs one scan in total.
struct Memo {
  std::size_t from = kNpos;
  std::size_t result = 0;
};

// The positions of the innermost kMaxBracketDepth unclosed '['; older ones are forgotten.
class BracketStack {
 public:
  void Clear() { size_ = 0; }
  bool Empty() const { return size_ == 0; }
  void Push(std::size_t position) {
    top_ = (top_ + 1) % kMaxBracketDepth;
    slots_[top_] = position;
    if (size_ < kMaxBracketDepth) ++size_;
  }
  std::size_t Pop() {
    const std::size_t position = slots_[top_];
    top_ = (top_ + kMaxBracketDepth - 1) % kMaxBracketDepth;
    --size_;
    return position;
  }

 private:
  std::array<std::size_t, kMaxBracketDepth> slots_{};
  std::size_t top_ = 0;
  std::size_t size_ = 0;
};

class Analyzer {
 public:
  explicit Analyzer(std::string_view document) : d_(document), n_(document.size()) {}

  std::vector<SemanticItem> Run() {
    std::size_t pos = SkipFrontMatter();
    while (pos < n_ && !Full()) {
      const Line line = LineFrom(pos);
      if (fence_) {
        if (FenceCloses(line, *fence_)) fence_.reset();
        pos = NextLine(line);
      } else if (auto fence = FenceOpens(line)) {
        fence_ = fence;
        EndBlock();
        pos = NextLine(line);
      } else if (IsBlank(line)) {
        para_open_ = false;
        prev_plain_ = false;
        pos = NextLine(line);
      } else if (auto heading = AtxHeading(line)) {
        SetHeading(heading->level, heading->text);
        const std::size_t b = static_cast<std::size_t>(heading->text.data() - d_.data());
        ScanInline(b, b + heading->text.size(), ScanMode{false, false, false}, 0);
        EndBlock();
        pos = NextLine(line);
      } else if (int level = prev_plain_ ? SetextLevel(line) : 0; level > 0) {
        SetHeading(level, Trim(d_.substr(prev_begin_, prev_end_ - prev_begin_)));
        EndBlock();
        pos = NextLine(line);
      } else if (!TryTable(line, pos)) {
        pos = TextLine(line);
      }
    }
    return std::move(items_);
  }

 private:
  // ------------------------------------------------------------ lines and blocks

  Line LineFrom(std::size_t pos) const {
    const void* nl = pos < n_ ? std::memchr(d_.data() + pos, '\n', n_ - pos) : nullptr;
    const std::size_t at = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - d_.data()) : n_;
    std::size_t end = at;
    if (end > pos && d_[end - 1] == '\r') --end;
    return Line{pos, end, nl ? at + 1 : n_};
  }

  std::size_t NextLine(const Line& line) {
    ++line_;
    return line.next;
  }

  bool IsBlank(const Line& line) const {
    for (std::size_t i = line.begin; i < line.end; ++i) {
      if (!IsWhite(d_[i])) return false;
    }
    return true;
  }

  // Is a blank line (or the end of the document) at p, the start of a line?
  bool BlankLineAt(std::size_t p) const {
    while (p < n_ && d_[p] != '\n' && IsWhite(d_[p])) ++p;
    return p >= n_ || d_[p] == '\n';
  }

  // A leading YAML block: "---", a "key:" line, ..., "---" (or "..."), at most
  // kMaxFrontMatterLines long. (A document that merely starts with a thematic break has
  // no "key:" line right after it.)
  std::size_t SkipFrontMatter() {
    if (n_ == 0) return 0;
    const Line first = LineFrom(0);
    if (Trim(d_.substr(0, first.end)) != "---" || first.next >= n_) return 0;
    const Line key = LineFrom(first.next);
    std::size_t colon = key.begin;
    while (colon < key.end && (IsAsciiAlnum(d_[colon]) || d_[colon] == '_' || d_[colon] == '-')) ++colon;
    if (colon == key.begin || colon >= key.end || d_[colon] != ':') return 0;
    std::size_t pos = first.next;
    for (std::size_t k = 1; k <= kMaxFrontMatterLines && pos < n_; ++k) {
      const Line line = LineFrom(pos);
      const std::string_view text = Trim(d_.substr(line.begin, line.end - line.begin));
      if (text == "---" || text == "...") {
        line_ += k + 1;
        return line.next;
      }
      pos = line.next;
    }
    return 0;
  }

  std::optional<Fence> FenceOpens(const Line& line) const {
    std::size_t i = line.begin;
    while (i < line.end && IsSpaceTab(d_[i])) ++i;
    if (i >= line.end || (d_[i] != '`' && d_[i] != '~')) return std::nullopt;
    const char ch = d_[i];
    std::size_t j = i;
    while (j < line.end && d_[j] == ch) ++j;
    if (j - i < 3) return std::nullopt;
    if (ch == '`' && std::memchr(d_.data() + j, '`', line.end - j) != nullptr) return std::nullopt;
    return Fence{ch, j - i};
  }

  bool FenceCloses(const Line& line, const Fence& fence) const {
    std::size_t i = line.begin;
    while (i < line.end && IsSpaceTab(d_[i])) ++i;
    std::size_t j = i;
    while (j < line.end && d_[j] == fence.ch) ++j;
    if (j - i < fence.length) return false;
    for (; j < line.end; ++j) {
      if (!IsWhite(d_[j])) return false;
    }
    return true;
  }

  std::optional<Heading> AtxHeading(const Line& line) const {
    std::size_t i = line.begin;
    for (int k = 0; k < 3 && i < line.end && d_[i] == ' '; ++k) ++i;
    std::size_t j = i;
    while (j < line.end && d_[j] == '#' && j - i < 7) ++j;
    const std::size_t level = j - i;
    if (level < 1 || level > 6) return std::nullopt;
    if (j < line.end && !IsSpaceTab(d_[j])) return std::nullopt;
    std::string_view text = Trim(d_.substr(j, line.end - j));
    std::size_t e = text.size();
    while (e > 0 && text[e - 1] == '#') --e;  // closing sequence "## Title ##"
    if (e == 0) {
      text = text.substr(0, 0);
    } else if (e < text.size() && IsSpaceTab(text[e - 1])) {
      text = Trim(text.substr(0, e));
    }
    return Heading{static_cast<int>(level), text};
  }

  int SetextLevel(const Line& line) const {
    const std::string_view text = Trim(d_.substr(line.begin, line.end - line.begin));
    if (text.empty() || (text[0] != '=' && text[0] != '-')) return 0;
    if (text.find_first_not_of(text[0]) != std::string_view::npos) return 0;
    if (text[0] == '-' && text.size() < 2) return 0;
    return text[0] == '=' ? 1 : 2;
  }

  void SetHeading(int level, std::string_view text) {
    context_ = Clean(text, lim::kMaxLabelBytes);
    const bool glossary = ContainsCI(text, "glossary") || ContainsCI(text, "definition") ||
                          ContainsCI(text, "terminology");
    if (glossary) {
      glossary_level_ = level;
    } else if (glossary_level_ > 0 && level <= glossary_level_) {
      glossary_level_ = 0;
    }
  }

  // After anything that is not a paragraph line.
  void EndBlock() {
    para_open_ = false;
    prev_plain_ = false;
    term_valid_ = false;
    pending_caption_.reset();
  }

  LineStart ContentStart(const Line& line) const {
    LineStart start;
    std::size_t i = line.begin;
    while (i < line.end && IsSpaceTab(d_[i])) ++i;
    while (i < line.end && d_[i] == '>') {
      start.quote = true;
      ++i;
      while (i < line.end && IsSpaceTab(d_[i])) ++i;
    }
    if (i + 1 < line.end && (d_[i] == '-' || d_[i] == '*' || d_[i] == '+') && IsSpaceTab(d_[i + 1])) {
      start.list = true;
      i += 2;
    } else {
      std::size_t j = i;
      while (j < line.end && j - i < 9 && IsDigit(d_[j])) ++j;
      if (j > i && j + 1 < line.end && (d_[j] == '.' || d_[j] == ')') && IsSpaceTab(d_[j + 1])) {
        start.list = true;
        i = j + 2;
      }
    }
    while (i < line.end && IsSpaceTab(d_[i])) ++i;
    start.content = i;
    return start;
  }

  // ": definition" (up to three spaces before the colon): the position after the colon.
  std::size_t DefinitionListContent(const Line& line) const {
    std::size_t i = line.begin;
    for (int k = 0; k < 3 && i < line.end && d_[i] == ' '; ++k) ++i;
    if (i + 1 >= line.end || d_[i] != ':' || !IsSpaceTab(d_[i + 1])) return kNpos;
    return i + 1;
  }

  // ------------------------------------------------------------------ captions

  std::size_t SkipReferenceSeparator(std::size_t j, std::size_t end) const {
    std::size_t k = j;
    while (k < end && k - j < 8) {
      if (IsSpaceTab(d_[k]) || d_[k] == '~') {
        ++k;
      } else if (d_[k] == '\xC2' && k + 1 < end && d_[k + 1] == '\xA0') {
        k += 2;
      } else {
        break;
      }
    }
    return k;
  }

  // digits(.digits)* and, if allowed, one lower-case letter; not followed by [A-Za-z0-9_].
  std::size_t ParseNumber(std::size_t j, std::size_t end, bool allow_letter) const {
    std::size_t k = j;
    if (k >= end || !IsDigit(d_[k])) return kNpos;
    while (k < end && IsDigit(d_[k]) && k - j <= kMaxNumberBytes) ++k;
    while (k + 1 < end && d_[k] == '.' && IsDigit(d_[k + 1]) && k - j <= kMaxNumberBytes) {
      k += 2;
      while (k < end && IsDigit(d_[k]) && k - j <= kMaxNumberBytes) ++k;
    }
    if (allow_letter && k < end && d_[k] >= 'a' && d_[k] <= 'z' &&
        (k + 1 >= end || !(IsAsciiAlnum(d_[k + 1]) || d_[k + 1] == '_'))) {
      ++k;
    }
    if (k - j > kMaxNumberBytes) return kNpos;
    if (k < end && (IsAsciiAlnum(d_[k]) || d_[k] == '_')) return kNpos;
    return k;
  }

  // "Table 2: Results", "**Table 2.** Results", "Figure 1: ...", "Fig. 1. ..."
  std::optional<Caption> CaptionAt(const Line& line) const {
    std::size_t i = line.begin;
    while (i < line.end && IsSpaceTab(d_[i])) ++i;
    for (int k = 0; k < 3 && i < line.end && (d_[i] == '*' || d_[i] == '_'); ++k) ++i;
    const std::string_view rest = d_.substr(i, line.end - i);
    Caption caption;
    std::size_t j = i;
    bool abbreviation = false;
    if (StartsWithCI(rest, "table")) {
      j += 5;
    } else if (StartsWithCI(rest, "figure")) {
      caption.kind = CaptionKind::kFigure;
      j += 6;
    } else if (StartsWithCI(rest, "fig.")) {
      caption.kind = CaptionKind::kFigure;
      j += 4;
      abbreviation = true;
    } else {
      return std::nullopt;
    }
    const std::size_t k = SkipReferenceSeparator(j, line.end);
    if (k == j && !abbreviation) return std::nullopt;
    const std::size_t number_end = ParseNumber(k, line.end, true);
    if (number_end == kNpos) return std::nullopt;
    std::size_t p = number_end;
    while (p < line.end && (d_[p] == '*' || d_[p] == '_')) ++p;
    if (p >= line.end || (d_[p] != ':' && d_[p] != '.')) return std::nullopt;
    const char separator = d_[p++];
    while (p < line.end && (d_[p] == '*' || d_[p] == '_')) ++p;
    std::string_view text = Trim(d_.substr(p, line.end - p));
    while (!text.empty() && (text.back() == '*' || text.back() == '_')) text.remove_suffix(1);
    text = Trim(text);
    caption.prefix_end = number_end;
    caption.name = Clean(d_.substr(i, number_end - i), lim::kMaxLabelBytes);
    if (!text.empty()) {
      caption.name += separator;
      caption.name += ' ';
      caption.name += Clean(text, lim::kMaxLabelBytes);
      caption.name = Clean(caption.name, lim::kMaxLabelBytes);
    }
    return caption;
  }

  // ------------------------------------------------------------------ definitions

  // **Term**: def, **Term:** def, **Term** - def (also __Term__, en and em dash).
  std::optional<DefinitionSpan> BoldDefinition(std::size_t i, std::size_t end) const {
    if (i + 1 >= end || (d_[i] != '*' && d_[i] != '_') || d_[i + 1] != d_[i]) return std::nullopt;
    const char mark = d_[i];
    const std::size_t term_begin = i + 2;
    const std::size_t limit = std::min(end, term_begin + lim::kMaxTermBytes + 2);
    std::size_t close = kNpos;
    for (std::size_t k = term_begin; k + 1 < end && k < limit; ++k) {
      if (d_[k] == mark && d_[k + 1] == mark) {
        close = k;
        break;
      }
    }
    if (close == kNpos) return std::nullopt;
    std::string_view term = Trim(d_.substr(term_begin, close - term_begin));
    bool separated = false;
    if (!term.empty() && term.back() == ':') {
      term.remove_suffix(1);
      separated = true;
    }
    std::size_t k = close + 2;
    while (k < end && IsSpaceTab(d_[k])) ++k;
    if (!separated) {
      if (k < end && d_[k] == ':') {
        ++k;
      } else if (k + 1 < end && d_[k] == '-' && IsSpaceTab(d_[k + 1])) {
        ++k;
      } else if (k + 3 < end && d_[k] == '\xE2' && d_[k + 1] == '\x80' &&
                 (d_[k + 2] == '\x93' || d_[k + 2] == '\x94') && IsSpaceTab(d_[k + 3])) {
        k += 3;
      } else {
        return std::nullopt;
      }
    }
    if (IsAdmonition(StripDecoration(term))) return std::nullopt;
    return DefinitionSpan{term, d_.substr(k, end - k)};
  }

  // Term: def / Term - def (glossary sections).
  std::optional<DefinitionSpan> GlossaryDefinition(std::size_t i, std::size_t end,
                                                   std::size_t max_words) const {
    const std::size_t limit = std::min(end, i + lim::kMaxTermBytes + 1);
    for (std::size_t k = i; k < limit; ++k) {
      std::size_t separator_end = kNpos;
      if (d_[k] == ':' && (k + 1 >= end || IsSpaceTab(d_[k + 1]))) {
        separator_end = k + 1;
      } else if (d_[k] == ' ' && k + 2 < end && d_[k + 1] == '-' && IsSpaceTab(d_[k + 2])) {
        separator_end = k + 2;
      } else if (d_[k] == ' ' && k + 4 < end && d_[k + 1] == '\xE2' && d_[k + 2] == '\x80' &&
                 (d_[k + 3] == '\x93' || d_[k + 3] == '\x94') && IsSpaceTab(d_[k + 4])) {
        separator_end = k + 4;
      }
      if (separator_end == kNpos) continue;
      const std::string_view term = d_.substr(i, k - i);
      if (CountWords(term) > max_words) return std::nullopt;
      return DefinitionSpan{term, d_.substr(separator_end, end - separator_end)};
    }
    return std::nullopt;
  }

  // " is defined as ", " means " ...: the position after the phrase, or npos.
  std::size_t MatchPhrase(std::size_t i, std::size_t end) const {
    static constexpr std::array<std::string_view, 5> kPhrases = {
        "is defined as", "are defined as", "means", "shall mean", "is defined to be"};
    const char first = d_[i];
    if (first != 'i' && first != 'a' && first != 'm' && first != 's') return kNpos;
    const std::string_view rest = d_.substr(i, end - i);
    for (std::string_view phrase : kPhrases) {
      if (!StartsWith(rest, phrase)) continue;
      std::size_t k = i + phrase.size();
      if (k >= end || !(IsSpaceTab(d_[k]) || d_[k] == ':')) continue;
      while (k < end && (IsSpaceTab(d_[k]) || d_[k] == ':')) ++k;
      return k;
    }
    return kNpos;
  }

  bool IsAbbreviationBefore(std::size_t dot) const {
    std::size_t k = dot;
    while (k > 0 && dot - k < 8 && IsAsciiLetter(d_[k - 1])) --k;
    const std::size_t length = dot - k;
    if (length == 0 || length >= 8) return false;
    if (length == 1) return k > 0 && d_[k - 1] == '.';  // e.g. i.e.
    static constexpr std::array<std::string_view, 21> kAbbreviations = {
        "etc", "fig", "figs", "eq", "eqs", "eqn", "sec", "sect", "vs", "cf", "al",
        "approx", "no", "dr", "mr", "mrs", "ms", "prof", "resp", "incl", "ca"};
    const std::string_view word = d_.substr(k, length);
    return std::any_of(kAbbreviations.begin(), kAbbreviations.end(),
                       [&](std::string_view a) { return EqualsCI(word, a); });
  }

  void TryPhraseDefinition(std::size_t phrase, std::size_t definition_begin, std::size_t floor) {
    if (phrase < no_phrase_until_) return;
    const std::size_t low = std::max(floor, no_phrase_until_);
    std::size_t b = phrase;
    while (b > low) {
      const char c = d_[b - 1];
      if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' ||
          c == '!' || c == '?' || c == '.' || c == '\n') {
        break;
      }
      if (phrase - b > lim::kMaxTermBytes + 16) return;  // too long to be a term
      --b;
    }
    while (b < phrase && IsWhite(d_[b])) ++b;
    const std::string_view term = StripArticles(d_.substr(b, phrase - b));
    const std::size_t words = CountWords(term);
    if (words == 0 || words > 5 || !HasLetter(term)) return;
    const std::size_t first_end = term.find(' ');
    const std::size_t last_begin = term.rfind(' ');
    if (IsStopWord(term.substr(0, first_end)) ||
        (last_begin != std::string_view::npos && IsStopWord(term.substr(last_begin + 1)))) {
      return;
    }
    const std::size_t stop = Recall(sentence_memo_, definition_begin,
                                    [this](std::size_t q) { return SentenceEndFrom(q); });
    std::size_t definition_end = stop;
    if (stop < n_ && (d_[stop] == '.' || d_[stop] == '!' || d_[stop] == '?')) definition_end = stop + 1;
    if (definition_end <= definition_begin) return;
    if (EmitDefinition(b, line_, term, d_.substr(definition_begin, definition_end - definition_begin),
                       "phrase")) {
      no_phrase_until_ = definition_end;
    }
  }

  bool EmitDefinition(std::size_t start, std::size_t line, std::string_view raw_term,
                      std::string_view raw_definition, const char* form) {
    const std::string_view term = StripDecoration(raw_term);
    std::string_view definition = Trim(raw_definition);
    if (term.empty() || term.size() > lim::kMaxTermBytes || definition.empty()) return false;
    SemanticItem item;
    item.type = IrType::kDefinition;
    item.term = Clean(term);
    item.term.erase(std::remove(item.term.begin(), item.term.end(), '`'), item.term.end());
    if (item.term.empty()) return false;
    item.name = item.term;
    if (definition.find('\n') != std::string_view::npos) {  // a sentence over several lines
      definition = definition.substr(0, 4 * lim::kMaxDefinitionBytes);
      std::string joined;
      for (char c : definition) {
        if (!IsWhite(c)) {
          joined += c;
        } else if (joined.empty() || joined.back() != ' ') {
          joined += ' ';
        }
      }
      item.definition = Clean(Trim(joined), lim::kMaxDefinitionBytes);
    } else {
      item.definition = Clean(definition, lim::kMaxDefinitionBytes);
    }
    item.context = context_;
    item.metadata["line"] = line;
    item.metadata["form"] = form;
    Push(std::move(item), start);
    return true;
  }

  // ------------------------------------------------------------------ text lines

  std::size_t TextLine(const Line& line) {
    const std::size_t first_line = line_;
    const std::optional<Caption> caption = CaptionAt(line);
    if (caption && caption->kind == CaptionKind::kTable && line.begin != consumed_caption_) {
      pending_caption_ = caption;
      pending_caption_line_ = line_;
    } else {
      pending_caption_.reset();
    }

    const LineStart start = ContentStart(line);
    std::size_t scan_from = start.content;
    bool defined = false;
    const std::size_t definition_list = DefinitionListContent(line);
    if (definition_list != kNpos) {
      scan_from = definition_list;
      if (term_valid_) {
        defined = EmitDefinition(term_begin_, term_line_, d_.substr(term_begin_, term_end_ - term_begin_),
                                 d_.substr(definition_list, line.end - definition_list),
                                 "definition_list");
      }
    } else if (!caption) {
      if (auto bold = BoldDefinition(start.content, line.end)) {
        defined = EmitDefinition(start.content, line_, bold->term, bold->definition, "bold");
      } else if (glossary_level_ > 0 && (start.list || !para_open_)) {
        if (auto entry = GlossaryDefinition(start.content, line.end, start.list ? 8 : 4)) {
          defined = EmitDefinition(start.content, line_, entry->term, entry->definition, "glossary");
        }
      }
    }

    const std::size_t stop =
        ScanInline(scan_from, line.end, ScanMode{true, !defined, true}, caption ? caption->prefix_end : 0);
    const bool crossed = line_ != first_line;
    const bool plain = !crossed && !start.list && !start.quote && definition_list == kNpos;
    if (definition_list == kNpos) {
      term_valid_ = plain && !para_open_ && !defined;
      term_begin_ = start.content;
      term_end_ = line.end;
      term_line_ = line_;
    }
    prev_plain_ = plain;
    prev_begin_ = line.begin;
    prev_end_ = line.end;
    para_open_ = definition_list == kNpos;  // "Term\n: def\nTerm 2\n: def" (compact lists)
    return NextLine(LineFrom(stop));
  }

  // ------------------------------------------------------------------ tables

  // Is the '|' at p escaped by the run of backslashes before it (down to `floor`)?
  bool EscapedAt(std::size_t p, std::size_t floor) const {
    std::size_t k = p;
    while (k > floor && d_[k - 1] == '\\') --k;
    return ((p - k) & 1u) != 0;
  }

  bool HasUnescapedPipe(const Line& line) const {
    std::size_t i = line.begin;
    while (i < line.end) {
      const void* hit = std::memchr(d_.data() + i, '|', line.end - i);
      if (hit == nullptr) return false;
      const auto k = static_cast<std::size_t>(static_cast<const char*>(hit) - d_.data());
      if (!EscapedAt(k, line.begin)) return true;
      i = k + 1;
    }
    return false;
  }

  struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
  };

  // Cells of a pipe-table row (trimmed), at most `cap` kept; returns how many there are.
  std::size_t SplitRow(const Line& line, std::vector<Span>& cells, std::size_t cap) const {
    cells.clear();
    std::size_t b = line.begin;
    std::size_t e = line.end;
    while (b < e && IsSpaceTab(d_[b])) ++b;
    while (e > b && IsWhite(d_[e - 1])) --e;
    if (b < e && d_[b] == '|') ++b;
    if (e > b && d_[e - 1] == '|' && !EscapedAt(e - 1, b)) --e;
    std::size_t total = 0;
    auto add = [&](std::size_t cb, std::size_t ce) {
      ++total;
      if (cells.size() >= cap) return;
      while (cb < ce && IsWhite(d_[cb])) ++cb;
      while (ce > cb && IsWhite(d_[ce - 1])) --ce;
      cells.push_back(Span{cb, ce});
    };
    std::size_t cell = b;
    for (std::size_t i = b; i < e; ++i) {
      if (d_[i] == '\\') {
        ++i;
      } else if (d_[i] == '|') {
        add(cell, i);
        cell = i + 1;
      }
    }
    add(cell, e);
    return total;
  }

  // |---|:--:|--:| ; returns the number of cells (0 when not a delimiter row).
  std::size_t DelimiterRow(const Line& line, std::vector<std::string>* alignments) const {
    std::size_t b = line.begin;
    std::size_t e = line.end;
    while (b < e && IsSpaceTab(d_[b])) ++b;
    while (e > b && IsWhite(d_[e - 1])) --e;
    if (b >= e) return 0;
    bool pipe = false;
    std::size_t i = b;
    if (d_[i] == '|') {
      pipe = true;
      ++i;
    }
    std::size_t count = 0;
    while (true) {
      while (i < e && IsSpaceTab(d_[i])) ++i;
      if (i >= e) break;
      const bool left = d_[i] == ':';
      if (left) ++i;
      std::size_t dashes = 0;
      while (i < e && d_[i] == '-') {
        ++dashes;
        ++i;
      }
      if (dashes == 0) return 0;
      const bool right = i < e && d_[i] == ':';
      if (right) ++i;
      while (i < e && IsSpaceTab(d_[i])) ++i;
      ++count;
      if (alignments != nullptr && alignments->size() < lim::kMaxTableColumns) {
        alignments->push_back(left && right ? "center" : right ? "right" : left ? "left" : "none");
      }
      if (i >= e) break;
      if (d_[i] != '|') return 0;
      pipe = true;
      ++i;
    }
    return pipe ? count : 0;
  }

  bool IsTableStart(const Line& line) {
    if (!HasUnescapedPipe(line) || line.next >= n_) return false;
    const std::size_t count = DelimiterRow(LineFrom(line.next), nullptr);
    return count > 0 && SplitRow(line, scratch_cells_, 0) == count;
  }

  std::string CellText(const Span& cell) const {
    const std::string_view raw = d_.substr(cell.begin, cell.end - cell.begin);
    if (raw.find("\\|") == std::string_view::npos) return Clean(raw);
    std::string unescaped;
    unescaped.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        if (raw[i + 1] != '|') unescaped += '\\';
        unescaped += raw[++i];
      } else {
        unescaped += raw[i];
      }
    }
    return Clean(unescaped);
  }

  std::vector<std::string> ColumnNames(const std::vector<Span>& header) const {
    std::vector<std::string> names;
    std::unordered_set<std::string> used;
    names.reserve(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string name = Clean(Trim(CellText(header[c])), lim::kMaxColumnNameBytes);
      if (name.empty() || used.count(name) != 0) {
        const std::string base = "column_" + std::to_string(c + 1);
        name = base;
        for (std::size_t k = 2; used.count(name) != 0; ++k) name = base + "_" + std::to_string(k);
      }
      used.insert(name);
      names.push_back(std::move(name));
    }
    return names;
  }

  void ScanCells(const std::vector<Span>& cells) {
    for (const Span& cell : cells) ScanInline(cell.begin, cell.end, ScanMode{true, false, false}, 0);
  }

  bool TryTable(const Line& line, std::size_t& pos) {
    if (!HasUnescapedPipe(line) || line.next >= n_) return false;
    const Line delimiter = LineFrom(line.next);
    std::vector<std::string> alignments;
    const std::size_t count = DelimiterRow(delimiter, &alignments);
    if (count == 0) return false;
    std::vector<Span> header;
    if (SplitRow(line, header, lim::kMaxTableColumns) != count) return false;

    const std::size_t header_line = line_;
    std::optional<Caption> caption = pending_caption_;
    std::size_t caption_line = pending_caption_line_;
    pending_caption_.reset();
    // The table's item goes in first (items stay in document order); it is filled in below.
    SemanticItem placeholder;
    placeholder.type = IrType::kTable;
    const std::size_t slot = Push(std::move(placeholder), line.begin);
    const std::vector<std::string> names = ColumnNames(header);
    const std::size_t columns = names.size();
    ScanCells(header);
    ++line_;  // the delimiter row
    pos = NextLine(delimiter);

    json rows = json::array();
    std::int64_t row_count = 0;
    bool truncated = false;
    while (pos < n_ && !Full()) {
      const Line row = LineFrom(pos);
      if (IsBlank(row) || !HasUnescapedPipe(row) || FenceOpens(row) || AtxHeading(row)) break;
      SplitRow(row, cells_, columns);
      ScanCells(cells_);
      ++row_count;
      if (cells_left_ >= columns) {
        cells_left_ -= columns;
        json object = json::object();
        for (std::size_t c = 0; c < columns; ++c) {
          object[names[c]] = c < cells_.size() ? CellText(cells_[c]) : std::string();
        }
        rows.push_back(std::move(object));
      } else {
        truncated = true;
      }
      pos = NextLine(row);
    }

    if (!caption) {  // "Table N: ..." after the table, unless it opens the next table
      std::size_t p = pos;
      std::size_t at_line = line_;
      while (p < n_) {
        const Line blank = LineFrom(p);
        if (!IsBlank(blank)) break;
        p = blank.next;
        ++at_line;
      }
      if (p < n_) {
        const Line candidate = LineFrom(p);
        std::optional<Caption> after = CaptionAt(candidate);
        if (after && after->kind == CaptionKind::kTable) {
          std::size_t q = candidate.next;
          while (q < n_) {
            const Line blank = LineFrom(q);
            if (!IsBlank(blank)) break;
            q = blank.next;
          }
          if (q >= n_ || !IsTableStart(LineFrom(q))) {
            caption = std::move(after);
            caption_line = at_line;
            consumed_caption_ = candidate.begin;
          }
        }
      }
    }

    ++tables_;
    if (slot == kNpos) {
      EndBlock();
      return true;
    }
    SemanticItem& item = items_[slot];
    item.name = caption ? caption->name : "table " + std::to_string(tables_);
    item.table_data = std::move(rows);
    item.row_count = row_count;
    item.column_count = static_cast<std::int64_t>(columns);
    item.metadata["line"] = header_line;
    item.metadata["columns"] = names;
    item.metadata["alignments"] = std::move(alignments);
    if (caption) item.metadata["caption_line"] = caption_line;
    if (truncated) item.metadata["truncated"] = true;
    if (count > columns) item.metadata["dropped_columns"] = count - columns;
    EndBlock();
    return true;
  }

  // ------------------------------------------------------------ delimiter searches

  template <typename Compute>
  static std::size_t Recall(Memo& memo, std::size_t q, Compute compute) {
    if (memo.from != kNpos && memo.from <= q && q <= memo.result) return memo.result;
    memo.from = q;
    memo.result = compute(q);
    return memo.result;
  }

  // The next unescaped '$' on the line (the only candidate to close inline math), or the
  // end of the line.
  std::size_t InlineCloserFrom(std::size_t q) const {
    for (std::size_t j = q; j < n_; ++j) {
      const char c = d_[j];
      if (c == '\n' || c == '$') return j;
      if (c == '\\' && j + 1 < n_ && d_[j + 1] != '\n') ++j;
    }
    return n_;
  }

  // A '$' closes inline math when it follows a non-space and no digit follows it.
  bool ClosesInlineMath(std::size_t j) const {
    return j < n_ && d_[j] == '$' && j > 0 && !IsWhite(d_[j - 1]) && !(j + 1 < n_ && IsDigit(d_[j + 1]));
  }

  // The next unescaped "$$", or the newline that starts a blank line.
  std::size_t DisplayCloserFrom(std::size_t q) const {
    for (std::size_t j = q; j < n_; ++j) {
      const char c = d_[j];
      if (c == '\n') {
        if (BlankLineAt(j + 1)) return j;
      } else if (c == '\\') {
        if (j + 1 < n_ && d_[j + 1] != '\n') ++j;
      } else if (c == '$' && j + 1 < n_ && d_[j + 1] == '$') {
        return j;
      }
    }
    return n_;
  }

  std::size_t EnvironmentCloserFrom(std::string_view environment, std::size_t q) const {
    for (std::size_t j = q; j < n_; ++j) {
      const char c = d_[j];
      if (c == '\n') {
        if (BlankLineAt(j + 1)) return j;
      } else if (c == '\\') {
        const std::string_view rest = d_.substr(j + 1);
        if (StartsWith(rest, "end{") && StartsWith(rest.substr(4), environment) &&
            rest.size() > 4 + environment.size() && rest[4 + environment.size()] == '}') {
          return j;
        }
      }
    }
    return n_;
  }

  // Does the line starting at p continue a paragraph (not blank, not a block start)?
  bool ParagraphContinues(std::size_t p) const {
    while (p < n_ && IsSpaceTab(d_[p])) ++p;
    if (p >= n_) return false;
    const char c = d_[p];
    if (c == '\n' || c == '\r' || c == '#' || c == '>' || c == '|' || c == '`' || c == '~' ||
        c == ':' || c == '=' || c == '$' || c == '\\') {
      return false;
    }
    if ((c == '-' || c == '*' || c == '+') && p + 1 < n_ && IsWhite(d_[p + 1])) return false;
    std::size_t k = p;
    while (k < n_ && k - p < 9 && IsDigit(d_[k])) ++k;
    return !(k > p && k + 1 < n_ && (d_[k] == '.' || d_[k] == ')') && IsWhite(d_[k + 1]));
  }

  // The '.', '!' or '?' that ends the sentence (which may go on over the following lines
  // of its paragraph), or the end of the paragraph's last line.
  std::size_t SentenceEndFrom(std::size_t q) const {
    for (std::size_t j = q; j < n_; ++j) {
      const char c = d_[j];
      if (c == '\n') {
        if (ParagraphContinues(j + 1)) continue;
        return j;
      }
      if ((c == '.' || c == '!' || c == '?') && (j + 1 >= n_ || IsWhite(d_[j + 1])) &&
          !(c == '.' && IsAbbreviationBefore(j))) {
        return j;
      }
    }
    return n_;
  }

  // Code spans (CommonMark's way): a failed search for a closing run of length k scans to
  // the end of the segment once and remembers the last run of every length, so later
  // openers of any length fail (or find their closer) without rescanning.
  std::size_t BacktickCloser(std::size_t from, std::size_t length, std::size_t end) {
    if (length > kMaxBacktickRun) return kNpos;
    if (backtick_segment_end_ != end) {
      backtick_segment_end_ = end;
      ++backtick_generation_;
      backtick_scanned_all_ = false;
    }
    if (backtick_scanned_all_ &&
        (backtick_generation_of_[length] != backtick_generation_ || backtick_last_[length] < from)) {
      return kNpos;
    }
    std::size_t j = from;
    while (j < end) {
      const void* hit = std::memchr(d_.data() + j, '`', end - j);
      if (hit == nullptr) break;
      const auto s = static_cast<std::size_t>(static_cast<const char*>(hit) - d_.data());
      std::size_t e = s;
      while (e < end && d_[e] == '`') ++e;
      const std::size_t run = e - s;
      if (run <= kMaxBacktickRun) {
        backtick_last_[run] = s;
        backtick_generation_of_[run] = backtick_generation_;
      }
      if (run == length) return s;
      j = e;
    }
    backtick_scanned_all_ = true;
    return kNpos;
  }

  // ------------------------------------------------------------------ inline scan

  std::size_t TrailingEquationNumber(std::size_t p, std::size_t end, std::string_view& number) const {
    std::size_t k = p;
    while (k < end && IsSpaceTab(d_[k]) && k - p < 16) ++k;
    if (k < end && d_[k] == '(') {
      const std::size_t e = ParseNumber(k + 1, end, true);
      if (e != kNpos && e < end && d_[e] == ')') {
        number = d_.substr(k + 1, e - k - 1);
        return e + 1;
      }
    }
    return p;
  }

  std::optional<ReferenceMatch> MatchReference(std::size_t i, std::size_t end) const {
    struct Keyword {
      std::string_view word;
      const char* type;
      bool abbreviation;
    };
    static constexpr std::array<Keyword, 9> kKeywords = {{
        {"section", "section", false}, {"sect.", "section", true}, {"sec.", "section", true},
        {"table", "table", false}, {"figure", "figure", false}, {"fig.", "figure", true},
        {"equation", "equation", false}, {"eqn.", "equation", true}, {"eq.", "equation", true},
    }};
    const char first = Lower(d_[i]);
    if (first != 's' && first != 't' && first != 'f' && first != 'e') return std::nullopt;
    const std::string_view rest = d_.substr(i, end - i);
    for (const Keyword& keyword : kKeywords) {
      if (keyword.word[0] != first || !StartsWithCI(rest, keyword.word)) continue;
      const std::size_t j = i + keyword.word.size();
      if (!keyword.abbreviation && j < end && IsAsciiLetter(d_[j])) continue;  // "Tables"
      const std::size_t k = SkipReferenceSeparator(j, end);
      if (!keyword.abbreviation && k == j) continue;
      const bool equation = keyword.type == std::string_view("equation");
      if (equation && k < end && d_[k] == '(') {
        const std::size_t e = ParseNumber(k + 1, end, true);
        if (e == kNpos || e >= end || d_[e] != ')') return std::nullopt;
        return ReferenceMatch{e + 1, keyword.type, k + 1, e};
      }
      const bool section = keyword.type == std::string_view("section");
      const std::size_t e = ParseNumber(k, end, !section);
      if (e == kNpos) return std::nullopt;
      return ReferenceMatch{e, keyword.type, k, e};
    }
    return std::nullopt;
  }

  void EmitReference(std::size_t begin, std::size_t end, const char* type, std::size_t target_begin,
                     std::size_t target_end, json metadata) {
    SemanticItem item;
    item.type = IrType::kCrossReference;
    item.name = Clean(d_.substr(begin, end - begin), lim::kMaxLabelBytes);
    item.target = Clean(d_.substr(target_begin, target_end - target_begin), lim::kMaxLabelBytes);
    item.reference_type = type;
    item.location = "line " + std::to_string(line_);
    item.metadata = std::move(metadata);
    item.metadata["line"] = line_;
    Push(std::move(item), begin);
  }

  // [text](#anchor) or [text](#anchor "title") closing at `close` (the ']'): the position
  // after it, or npos.
  std::size_t MatchAnchorLink(std::size_t close, std::size_t end, Span& anchor) const {
    if (close + 2 >= end || d_[close + 1] != '(' || d_[close + 2] != '#') return kNpos;
    std::size_t k = close + 3;
    while (k < end) {
      const char c = d_[k];
      if (IsAsciiAlnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '%' || c == '/' ||
          static_cast<unsigned char>(c) >= 0x80) {
        ++k;
      } else {
        break;
      }
    }
    if (k == close + 3 || k - (close + 3) > kMaxAnchorBytes) return kNpos;
    anchor = Span{close + 3, k};
    if (k < end && IsSpaceTab(d_[k])) {
      while (k < end && IsSpaceTab(d_[k])) ++k;
      if (k < end && d_[k] == '"') {
        const void* quote = std::memchr(d_.data() + k + 1, '"', end - k - 1);
        if (quote == nullptr) return kNpos;
        k = static_cast<std::size_t>(static_cast<const char*>(quote) - d_.data()) + 1;
        while (k < end && IsSpaceTab(d_[k])) ++k;
      }
    }
    if (k >= end || d_[k] != ')') return kNpos;
    return k + 1;
  }

  // A multi-line construct ended at `close` on a later line: count the lines and make the
  // rest of that line the segment being scanned.
  void CrossLines(std::size_t from, std::size_t close, std::size_t& end) {
    line_ += static_cast<std::size_t>(std::count(d_.begin() + static_cast<std::ptrdiff_t>(from),
                                                 d_.begin() + static_cast<std::ptrdiff_t>(close), '\n'));
    end = LineFrom(close).end;
    brackets_.Clear();
  }

  // Scans [begin, end) (one line, or a cell); returns the end of the last line it scanned,
  // which is later than `end` when a formula closed on a later line.
  std::size_t ScanInline(std::size_t begin, std::size_t end, ScanMode mode, std::size_t references_from) {
    brackets_.Clear();
    std::size_t floor = begin;  // phrase terms do not reach back over formulas or links
    std::size_t i = begin;
    while (i < end) {
      if (Full()) return end;
      switch (kByteClass[static_cast<unsigned char>(d_[i])]) {
        case kPlain:
          ++i;
          break;
        case kLetter: {
          if (i > 0 && IsWordByte(d_[i - 1])) {
            ++i;
          } else {
            if (mode.references) {
              if (auto match = MatchReference(i, end)) {
                if (i >= references_from) {
                  EmitReference(i, match->end, match->type, match->target_begin, match->target_end,
                                json::object());
                }
                i = match->end;
                break;
              }
            }
            if (mode.phrases && i > 0 && d_[i - 1] == ' ') {
              const std::size_t after = MatchPhrase(i, end);
              if (after != kNpos) TryPhraseDefinition(i, after, floor);
            }
            ++i;
          }
          while (i < end && (IsAsciiAlnum(d_[i]) || d_[i] == '_')) ++i;
          break;
        }
        case kBackslash: {
          if (ScanEnvironment(i, end, mode, floor)) break;
          i += (i + 1 < end && IsAsciiPunct(d_[i + 1])) ? 2 : 1;
          break;
        }
        case kBacktick: {
          std::size_t k = i;
          while (k < end && d_[k] == '`') ++k;
          const std::size_t close = BacktickCloser(k, k - i, end);
          i = close == kNpos ? k : close + (k - i);
          break;
        }
        case kDollar: {
          if (!ScanDollar(i, end, mode)) {
            ++i;
          } else {
            floor = i;
          }
          break;
        }
        case kOpenBracket:
          brackets_.Push(i);
          ++i;
          break;
        case kCloseBracket: {
          if (!brackets_.Empty()) {
            const std::size_t open = brackets_.Pop();
            Span anchor;
            const std::size_t after = mode.references ? MatchAnchorLink(i, end, anchor) : kNpos;
            if (after != kNpos) {
              if (!(open > 0 && d_[open - 1] == '!') && open >= references_from) {
                EmitReference(open, after, "link", anchor.begin, anchor.end,
                              json{{"text", Clean(d_.substr(open + 1, i - open - 1), lim::kMaxLabelBytes)}});
              }
              i = after;
              floor = i;
              break;
            }
          }
          ++i;
          break;
        }
        case kC2: {
          if (mode.references && i + 1 < end && d_[i + 1] == '\xA7') {
            const std::size_t k = SkipReferenceSeparator(i + 2, end);
            const std::size_t e = ParseNumber(k, end, false);
            if (e != kNpos) {
              if (i >= references_from) EmitReference(i, e, "section", k, e, json::object());
              i = e;
              break;
            }
          }
          ++i;
          break;
        }
        default:
          ++i;
          break;
      }
    }
    return end;
  }

  // $$...$$ or $...$ at i; on success moves i past it (and past a trailing "(N)").
  bool ScanDollar(std::size_t& i, std::size_t& end, ScanMode mode) {
    if (i + 1 < end && d_[i + 1] == '$') {
      const std::size_t content = i + 2;
      const std::size_t close = Recall(display_memo_, content, [this](std::size_t q) { return DisplayCloserFrom(q); });
      if (close < n_ && d_[close] == '$' && close - content <= lim::kMaxFormulaBytes &&
          (mode.multiline || close + 2 <= end)) {
        const std::string_view tex = d_.substr(content, close - content);
        const std::size_t first_line = line_;
        if (close >= end) CrossLines(i, close, end);
        if (Trim(tex).empty()) {  // "$$ $$": nothing, and its closer opens nothing either
          i = close + 2;
          return true;
        }
        std::string_view number;
        const std::size_t after = TrailingEquationNumber(close + 2, end, number);
        EmitFormula(i, first_line, tex, true, {}, number);
        i = after;
        return true;
      }
      ++i;  // together with the caller's ++i: both dollars are plain text
      return false;
    }
    if (i + 1 < end && !IsWhite(d_[i + 1])) {
      const std::size_t close = Recall(inline_memo_, i + 1, [this](std::size_t q) { return InlineCloserFrom(q); });
      if (close < end && ClosesInlineMath(close) && close - i - 1 <= lim::kMaxFormulaBytes) {
        EmitFormula(i, line_, d_.substr(i + 1, close - i - 1), false, {}, {});
        i = close + 1;
        return true;
      }
    }
    return false;
  }

  // \begin{E}...\end{E} at i for a math environment E.
  bool ScanEnvironment(std::size_t& i, std::size_t& end, ScanMode mode, std::size_t& floor) {
    static constexpr std::string_view kBegin = "\\begin{";
    if (!StartsWith(d_.substr(i, end - i), kBegin)) return false;
    const std::size_t name_begin = i + kBegin.size();
    std::size_t name_end = name_begin;
    while (name_end < end && name_end - name_begin < 16 && d_[name_end] != '}') ++name_end;
    if (name_end >= end || d_[name_end] != '}') return false;
    const int index = MathEnvironmentIndex(d_.substr(name_begin, name_end - name_begin));
    if (index < 0) return false;
    const std::string_view environment = kMathEnvironments[static_cast<std::size_t>(index)];
    const std::size_t content = name_end + 1;
    const std::size_t close = Recall(environment_memo_[static_cast<std::size_t>(index)], content,
                                     [&](std::size_t q) { return EnvironmentCloserFrom(environment, q); });
    const std::size_t close_length = 6 + environment.size();  // \end{E}
    if (close >= n_ || d_[close] != '\\' || close - content > lim::kMaxFormulaBytes ||
        (!mode.multiline && close + close_length > end)) {
      return false;
    }
    const std::string_view tex = d_.substr(content, close - content);
    const std::size_t first_line = line_;
    if (close >= end) CrossLines(i, close, end);
    if (Trim(tex).empty()) {
      i = close + close_length;
      floor = i;
      return true;
    }
    std::string_view number;
    const std::size_t after = TrailingEquationNumber(close + close_length, end, number);
    EmitFormula(i, first_line, tex, true, environment, number);
    i = after;
    floor = i;
    return true;
  }

  void EmitFormula(std::size_t start, std::size_t line, std::string_view tex, bool display,
                   std::string_view environment, std::string_view number) {
    ++formulas_;
    const std::string_view expression = Trim(tex);
    SemanticItem item;
    item.type = IrType::kFormula;
    item.expression = Clean(expression);
    for (const std::string& raw : TexVariables(expression, lim::kMaxVariables)) {
      std::string variable = Clean(raw);
      if (std::find(item.variables.begin(), item.variables.end(), variable) == item.variables.end()) {
        item.variables.push_back(std::move(variable));
      }
    }
    const std::string_view label = Trim(TexLabel(expression));
    const std::string_view tag = Trim(TexTag(expression));
    if (!label.empty()) {
      item.name = Clean(label, lim::kMaxLabelBytes);
    } else if (!tag.empty()) {
      item.name = "Eq. (" + Clean(tag, kMaxNumberBytes) + ")";
    } else if (!number.empty()) {
      item.name = "Eq. (" + Clean(number) + ")";
    } else {
      item.name = "formula " + std::to_string(formulas_);
    }
    item.metadata["line"] = line;
    item.metadata["display"] = display;
    if (!environment.empty()) item.metadata["environment"] = std::string(environment);
    Push(std::move(item), start);
  }

  // ------------------------------------------------------------------ output

  bool Full() const { return items_.size() >= lim::kMaxItems; }

  // Adds the item in document order (by where it starts) and returns its index, or npos
  // when the document already has kMaxItems. Items are found almost in order: only a link
  // (found at its end) or a phrase definition (found at its verb) can start before items
  // found just before it on the same line.
  std::size_t Push(SemanticItem item, std::size_t start) {
    if (Full()) return kNpos;
    if (starts_.empty() || start >= starts_.back()) {
      items_.push_back(std::move(item));
      starts_.push_back(start);
      return items_.size() - 1;
    }
    const auto at = std::upper_bound(starts_.begin(), starts_.end(), start);
    const auto index = static_cast<std::size_t>(at - starts_.begin());
    starts_.insert(at, start);
    items_.insert(items_.begin() + static_cast<std::ptrdiff_t>(index), std::move(item));
    return index;
  }

  // ------------------------------------------------------------------ state

  std::string_view d_;
  std::size_t n_;
  std::vector<SemanticItem> items_;
  std::vector<std::size_t> starts_;
  std::size_t line_ = 1;
  std::size_t formulas_ = 0;
  std::size_t tables_ = 0;

  std::string context_;
  int glossary_level_ = 0;
  std::optional<Fence> fence_;
  bool para_open_ = false;   // the previous line belongs to a paragraph
  bool prev_plain_ = false;  // ... and was a plain one (setext underline candidate)
  std::size_t prev_begin_ = 0;
  std::size_t prev_end_ = 0;
  bool term_valid_ = false;  // a one-line paragraph that a ": definition" line may define
  std::size_t term_begin_ = 0;
  std::size_t term_end_ = 0;
  std::size_t term_line_ = 0;
  std::optional<Caption> pending_caption_;
  std::size_t pending_caption_line_ = 0;
  std::size_t consumed_caption_ = kNpos;
  std::size_t cells_left_ = lim::kMaxTableCells;
  std::vector<Span> cells_;
  std::vector<Span> scratch_cells_;

  Memo inline_memo_;
  Memo display_memo_;
  Memo sentence_memo_;
  std::array<Memo, kMathEnvironments.size()> environment_memo_{};
  std::size_t no_phrase_until_ = 0;
  BracketStack brackets_;
  std::size_t backtick_segment_end_ = kNpos;
  std::size_t backtick_generation_ = 0;
  bool backtick_scanned_all_ = false;
  std::array<std::size_t, kMaxBacktickRun + 1> backtick_last_{};
  std::array<std::size_t, kMaxBacktickRun + 1> backtick_generation_of_{};
};

}  // namespace

std::vector<SemanticItem> AnalyzeMarkdown(std::string_view markdown) {
  try {
    return Analyzer(markdown).Run();
  } catch (...) {  // only std::bad_alloc can get here; the analyzer promises not to throw
    return {};
  }
}

}  // namespace docledger::analysis
