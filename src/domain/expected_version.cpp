#include "domain/expected_version.hpp"

#include <charconv>
#include <stdexcept>

namespace docledger::domain {

ExpectedVersion ExpectedVersion::Exact(std::int64_t version) {
  if (version < 0) throw std::invalid_argument("expected version must be >= 0");
  return ExpectedVersion(version);
}

std::optional<ExpectedVersion> ExpectedVersion::Parse(std::string_view text) {
  if (text == "any") return Any();
  if (text == "no_stream") return NoStream();
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return Exact(value);
}

std::string ExpectedVersion::ToString() const {
  if (IsAny()) return "any";
  if (value_ == 0) return "no_stream";
  return std::to_string(value_);
}

}  // namespace docledger::domain
