#include "domain/command_rules.hpp"

#include "domain/text_rules.hpp"

namespace docledger::domain {

void IssueList::RequireText(const std::string& path, const std::string& value, std::size_t max_length,
                            bool required) {
  if (required && value.empty()) {
    Add(path, "must not be empty");
  } else if (value.size() > max_length) {
    Add(path, "must be at most " + std::to_string(max_length) + " bytes");
  } else if (!IsValidUtf8(value)) {
    Add(path, "must be valid UTF-8");
  }
}

void IssueList::RequireSha256(const std::string& path, const std::string& value) {
  bool ok = value.size() == 64;
  for (char c : value) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) Add(path, "must be 64 lower-case hexadecimal characters (SHA-256)");
}

void IssueList::RequireUuid(const std::string& path, const std::string& value) {
  if (CanonicalUuid(value) != value) Add(path, "must be a canonical lower-case UUID");
}

void IssueList::ThrowIfAny() const {
  if (!issues_.empty()) throw ValidationError(issues_);
}

}  // namespace docledger::domain
