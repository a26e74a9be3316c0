#include "infrastructure/pg_array.hpp"

namespace docledger::infrastructure {

namespace {
void AppendQuoted(std::string& out, const std::string& element) {
  out.push_back('"');
  for (char c : element) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}
}  // namespace

std::string ToPgArray(const std::vector<std::string>& elements) {
  std::size_t size = 2;
  for (const auto& e : elements) size += e.size() + 3;
  std::string out;
  out.reserve(size + size / 16);
  out.push_back('{');
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out.push_back(',');
    AppendQuoted(out, elements[i]);
  }
  out.push_back('}');
  return out;
}

std::string ToPgArray(const std::vector<std::optional<std::string>>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out.push_back(',');
    if (elements[i]) {
      AppendQuoted(out, *elements[i]);
    } else {
      out += "NULL";
    }
  }
  out.push_back('}');
  return out;
}

std::string ToPgArray(const std::vector<bool>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back(elements[i] ? 't' : 'f');
  }
  out.push_back('}');
  return out;
}

namespace {
template <typename Int>
std::string IntArray(const std::vector<Int>& elements) {
  std::string out = "{";
  bool first = true;
  for (auto e : elements) {
    if (!first) out.push_back(',');
    first = false;
    out += std::to_string(e);
  }
  out.push_back('}');
  return out;
}
}  // namespace

std::string ToPgArray(const std::vector<std::int64_t>& elements) { return IntArray(elements); }
std::string ToPgArray(const std::vector<int>& elements) { return IntArray(elements); }

std::string QuoteIdentifier(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace docledger::infrastructure
