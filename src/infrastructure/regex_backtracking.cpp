#include "infrastructure/regex_backtracking.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <regex>
#include <vector>

namespace docledger::infrastructure {
namespace {

constexpr int kUnbounded = -1;

struct Node;
using Sequence = std::vector<Node>;

struct Node {
  std::string text;                   // the atom's source (for a group: the whole group)
  std::vector<Sequence> alternatives;  // non-empty: a group
  bool literal = false;               // a single plain character (text is that character)
  int min = 1;
  int max = 1;                        // kUnbounded for *, + and {n,}
  bool Repeats() const { return max == kUnbounded || max > 1; }
};

class Parser {
 public:
  explicit Parser(const std::string& pattern) : p_(pattern) {}
  std::optional<std::vector<Sequence>> Parse() {
    auto alternatives = Alternatives();
    if (failed_ || i_ != p_.size()) return std::nullopt;
    return alternatives;
  }

 private:
  std::vector<Sequence> Alternatives() {
    std::vector<Sequence> out(1);
    while (i_ < p_.size() && !failed_) {
      const char c = p_[i_];
      if (c == ')') break;
      if (c == '|') {
        ++i_;
        out.emplace_back();
        continue;
      }
      Node node = Atom();
      Quantifier(node);
      out.back().push_back(std::move(node));
    }
    return out;
  }

  Node Atom() {
    const std::size_t start = i_;
    Node node;
    const char c = p_[i_];
    if (c == '\\') {
      i_ = std::min(p_.size(), i_ + 2);
      // \. \- \/ ... are literals; \d \w \s \b \1 ... are not.
      const char e = start + 1 < p_.size() ? p_[start + 1] : '\0';
      node.literal = e != '\0' && !std::isalnum(static_cast<unsigned char>(e));
      node.text = node.literal ? std::string(1, e) : p_.substr(start, i_ - start);
      return node;
    }
    if (c == '[') {
      ++i_;
      if (i_ < p_.size() && p_[i_] == '^') ++i_;
      if (i_ < p_.size() && p_[i_] == ']') ++i_;
      while (i_ < p_.size() && p_[i_] != ']') i_ += p_[i_] == '\\' ? 2 : 1;
      if (i_ >= p_.size()) failed_ = true;
      ++i_;
      node.text = p_.substr(start, std::min(i_, p_.size()) - start);
      return node;
    }
    if (c == '(') {
      ++i_;
      if (p_.compare(i_, 2, "?:") == 0 || p_.compare(i_, 2, "?=") == 0 || p_.compare(i_, 2, "?!") == 0) i_ += 2;
      node.alternatives = Alternatives();
      if (i_ >= p_.size() || p_[i_] != ')') {
        failed_ = true;
        return node;
      }
      ++i_;
      node.text = p_.substr(start, i_ - start);
      return node;
    }
    ++i_;
    node.text = std::string(1, c);
    node.literal = c != '.' && c != '^' && c != '$';
    return node;
  }

  void Quantifier(Node& node) {
    if (i_ >= p_.size()) return;
    const char c = p_[i_];
    if (c == '*' || c == '+' || c == '?') {
      node.min = c == '+' ? 1 : 0;
      node.max = c == '?' ? 1 : kUnbounded;
      ++i_;
    } else if (c == '{') {
      std::size_t j = i_ + 1;
      const auto number = [&](int& out) {
        const std::size_t from = j;
        long value = 0;
        while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j])) && value < 100000) {
          value = value * 10 + (p_[j++] - '0');
        }
        out = static_cast<int>(value);
        return j > from;
      };
      int min = 0, max = 0;
      if (!number(min)) return;  // a literal "{"
      max = min;
      if (j < p_.size() && p_[j] == ',') {
        ++j;
        if (!number(max)) max = kUnbounded;
      }
      if (j >= p_.size() || p_[j] != '}') return;
      node.min = min;
      node.max = max;
      i_ = j + 1;
    } else {
      return;
    }
    if (i_ < p_.size() && p_[i_] == '?') ++i_;  // lazy: same shapes
  }

  const std::string& p_;
  std::size_t i_ = 0;
  bool failed_ = false;
};

// Whether `atom` (one node's source) can match the single character `c`.
bool CanMatch(const Node& atom, char c) {
  if (!atom.alternatives.empty()) return true;  // a group: assume it can
  if (atom.literal) return atom.text[0] == c;
  try {
    return std::regex_match(std::string(1, c), std::regex(atom.text));
  } catch (const std::exception&) {
    return true;
  }
}

// Every unbounded repetition inside `sequences` (recursively).
void UnboundedInside(const std::vector<Sequence>& sequences, std::vector<const Node*>& out) {
  for (const auto& sequence : sequences) {
    for (const auto& node : sequence) {
      if (node.max == kUnbounded) out.push_back(&node);
      UnboundedInside(node.alternatives, out);
    }
  }
}

// The plain literal character a pass through `sequence` must begin (end) with, if any.
std::optional<char> MandatoryLiteral(const Node* node) {
  if (node == nullptr || !node->literal || node->min < 1) return std::nullopt;
  return node->text[0];
}
std::optional<char> MandatoryFirstLiteral(const Sequence& sequence) {
  return MandatoryLiteral(sequence.empty() ? nullptr : &sequence.front());
}
std::optional<char> MandatoryLastLiteral(const Sequence& sequence) {
  return MandatoryLiteral(sequence.empty() ? nullptr : &sequence.back());
}

// Whether no unbounded repetition of `unbounded` can match `separator`.
bool Separates(const std::optional<char>& separator, const std::vector<const Node*>& unbounded) {
  if (!separator) return false;
  for (const auto* inner : unbounded) {
    if (CanMatch(*inner, *separator)) return false;
  }
  return true;
}

std::string Check(const std::vector<Sequence>& sequences) {
  for (const auto& sequence : sequences) {
    for (const auto& node : sequence) {
      if (node.alternatives.empty()) continue;
      if (auto inner = Check(node.alternatives); !inner.empty()) return inner;
      if (!node.Repeats()) continue;
      const std::string risk = "pattern group " + (node.text.size() <= 40 ? node.text : node.text.substr(0, 40) + "...");
      if (node.alternatives.size() > 1) {
        std::vector<char> firsts;
        for (const auto& alternative : node.alternatives) {
          const auto first = MandatoryFirstLiteral(alternative);
          if (!first || std::find(firsts.begin(), firsts.end(), *first) != firsts.end()) {
            return risk + " is repeated and its alternatives can begin alike (like (a|ab)*): matching can take "
                          "exponential time; make the alternatives begin with different characters";
          }
          firsts.push_back(*first);
        }
      }
      std::vector<const Node*> unbounded;
      UnboundedInside(node.alternatives, unbounded);
      if (unbounded.empty()) continue;
      for (const auto& alternative : node.alternatives) {
        if (!Separates(MandatoryFirstLiteral(alternative), unbounded) &&
            !Separates(MandatoryLastLiteral(alternative), unbounded)) {
          return risk + " repeats a repetition (like (a+)+): matching can take exponential time; "
                        "rewrite it without nested quantifiers, or begin or end each pass with a separator "
                        "character the inner repetition cannot match (like (-[a-z]+)*)";
        }
      }
    }
  }
  return "";
}

}  // namespace

std::size_t MaxSafeSubjectBytes(const std::string& pattern, std::size_t ceiling) {
  const auto parsed = Parser(pattern).Parse();
  if (!parsed) return ceiling;
  std::vector<const Node*> unbounded;
  UnboundedInside(*parsed, unbounded);
  const bool anchored = !pattern.empty() && pattern.front() == '^';
  const auto degree = static_cast<double>(unbounded.size() + (anchored ? 0 : 1));
  if (degree <= 1) return ceiling;
  const auto safe = static_cast<std::size_t>(std::pow(kBacktrackingBudget, 1.0 / degree));
  return std::min(ceiling, std::max<std::size_t>(safe, 16));
}

std::string ExponentialBacktrackingRisk(const std::string& pattern) {
  const auto parsed = Parser(pattern).Parse();
  return parsed ? Check(*parsed) : "";
}

}  // namespace docledger::infrastructure
