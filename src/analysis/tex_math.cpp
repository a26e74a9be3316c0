#include "analysis/tex_math.hpp"

#include <algorithm>
#include <array>

namespace docledger::analysis {
namespace {

constexpr std::size_t kMaxSubscriptBytes = 64;

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsLetter(c) || (c >= '0' && c <= '9'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr std::array<std::string_view, 47> kGreek = {
    "Delta", "Gamma", "Lambda", "Omega", "Phi", "Pi", "Psi", "Sigma", "Theta", "Upsilon", "Xi",
    "alpha", "beta", "chi", "delta", "digamma", "epsilon", "eta", "gamma", "iota", "kappa",
    "lambda", "mu", "nu", "omega", "omicron", "phi", "pi", "psi", "rho", "sigma", "tau",
    "theta", "upsilon", "varDelta", "varGamma", "varOmega", "varepsilon", "varkappa",
    "varphi", "varpi", "varrho", "varsigma", "vartheta", "xi", "zeta", "varPhi"};

bool IsGreekCommand(std::string_view name) {
  return std::find(kGreek.begin(), kGreek.end(), name) != kGreek.end();
}

// Commands whose (first) braced argument is text or a name, not mathematics.
constexpr std::array<std::string_view, 26> kTextCommands = {
    "text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "textup",
    "mbox", "hbox", "mathrm", "mathbb", "mathtt", "mathsf", "operatorname", "label", "tag",
    "ref", "eqref", "cite", "begin", "end", "unit", "si", "SI", "url"};

bool IsTextCommand(std::string_view name) {
  return std::find(kTextCommands.begin(), kTextCommands.end(), name) != kTextCommands.end();
}

// Position just after the group that opens at tex[open] == '{', or npos if it does not
// close within `limit` bytes.
std::size_t SkipGroup(std::string_view tex, std::size_t open, std::size_t limit) {
  std::size_t depth = 0;
  const std::size_t stop = std::min(tex.size(), limit == std::string_view::npos ? tex.size() : open + limit);
  for (std::size_t i = open; i < stop; ++i) {
    const char c = tex[i];
    if (c == '\\') {
      ++i;  // \{ and \} do not nest
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

std::string_view BracedAfter(std::string_view tex, std::string_view command) {
  const std::size_t at = tex.find(command);
  if (at == std::string_view::npos) return {};
  const std::size_t open = at + command.size();
  const std::size_t close = tex.find('}', open);
  if (close == std::string_view::npos) return {};
  return tex.substr(open, close - open);
}

class VariableScanner {
 public:
  VariableScanner(std::string_view tex, std::size_t max_count) : tex_(tex), max_(max_count) {}

  std::vector<std::string> Run() {
    std::size_t i = 0;
    const std::size_t n = tex_.size();
    while (i < n && out_.size() < max_) {
      const char c = tex_[i];
      const auto u = static_cast<unsigned char>(c);
      if (c == '\\') {
        std::size_t j = i + 1;
        while (j < n && IsLetter(tex_[j])) ++j;
        if (j == i + 1) {  // \\, \{, \, ...
          i += 2;
          continue;
        }
        const std::string_view name = tex_.substr(i + 1, j - i - 1);
        if (IsGreekCommand(name)) {
          std::string identifier(tex_.substr(i, j - i));
          i = AttachSubscript(identifier, j);
          Add(std::move(identifier));
        } else if (IsTextCommand(name)) {
          i = SkipArgument(j);
          if (name == "begin" && i < n && tex_[i] == '{') i = SkipArgument(i);  // {array}{cc}
        } else {
          i = j;
        }
      } else if (IsLetter(c)) {
        std::string identifier(1, c);
        i = AttachSubscript(identifier, i + 1);
        Add(std::move(identifier));
      } else if ((u == 0xCE || u == 0xCF) && i + 1 < n) {
        const auto v = static_cast<unsigned char>(tex_[i + 1]);
        const unsigned cp = ((u & 0x1Fu) << 6) | (v & 0x3Fu);
        if ((v & 0xC0) == 0x80 && ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x3B1 && cp <= 0x3C9))) {
          std::string identifier(tex_.substr(i, 2));
          i = AttachSubscript(identifier, i + 2);
          Add(std::move(identifier));
        } else {
          i += 2;
        }
      } else {
        ++i;
      }
    }
    return std::move(out_);
  }

 private:
  // Skips spaces, an optional '*' and one braced argument starting at i (if any).
  std::size_t SkipArgument(std::size_t i) const {
    const std::size_t n = tex_.size();
    std::size_t j = i;
    while (j < n && IsSpace(tex_[j])) ++j;
    if (j < n && tex_[j] == '*') ++j;
    if (j < n && tex_[j] == '{') {
      const std::size_t end = SkipGroup(tex_, j, std::string_view::npos);
      return end == std::string_view::npos ? n : end;
    }
    return i;
  }

  // Appends "_x" / "_{...}" at i to the identifier; returns the position after it.
  std::size_t AttachSubscript(std::string& identifier, std::size_t i) const {
    const std::size_t n = tex_.size();
    if (i >= n || tex_[i] != '_') return i;
    std::size_t j = i + 1;
    while (j < n && (tex_[j] == ' ' || tex_[j] == '\t')) ++j;
    if (j >= n) return i;
    if (IsAlnum(tex_[j])) {
      identifier += '_';
      identifier += tex_[j];
      return j + 1;
    }
    if (tex_[j] == '\\') {
      std::size_t k = j + 1;
      while (k < n && k - j <= kMaxSubscriptBytes && IsLetter(tex_[k])) ++k;
      if (k == j + 1 || k - j > kMaxSubscriptBytes) return i;
      identifier += '_';
      identifier += tex_.substr(j, k - j);
      return k;
    }
    if (tex_[j] == '{') {
      const std::size_t end = SkipGroup(tex_, j, kMaxSubscriptBytes);
      if (end == std::string_view::npos) return i;
      const std::string_view inner = tex_.substr(j + 1, end - j - 2);
      if (inner.size() == 1 && IsAlnum(inner[0])) {
        identifier += '_';
        identifier += inner;
      } else {
        identifier += "_{";
        identifier += inner;
        identifier += '}';
      }
      return end;
    }
    return i;
  }

  void Add(std::string identifier) {
    if (identifier.size() == 1) {  // the common case, without a search
      const auto bit = static_cast<unsigned char>(identifier[0]) & 0x7Fu;
      if (seen_letters_[bit]) return;
      seen_letters_[bit] = true;
      out_.push_back(std::move(identifier));
      return;
    }
    if (std::find(out_.begin(), out_.end(), identifier) == out_.end()) out_.push_back(std::move(identifier));
  }

  std::string_view tex_;
  std::size_t max_;
  std::vector<std::string> out_;
  std::array<bool, 128> seen_letters_{};
};

}  // namespace

std::vector<std::string> TexVariables(std::string_view tex, std::size_t max_count) {
  return VariableScanner(tex, max_count).Run();
}

std::string_view TexLabel(std::string_view tex) { return BracedAfter(tex, "\\label{"); }

std::string_view TexTag(std::string_view tex) {
  std::string_view tag = BracedAfter(tex, "\\tag{");
  return tag.empty() ? BracedAfter(tex, "\\tag*{") : tag;
}

}  // namespace docledger::analysis
