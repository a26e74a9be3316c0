// Input checks shared by the decisions: each adds a ValidationIssue for a bad field.
#pragma once

#include <string>
#include <vector>

#include "domain/errors.hpp"

namespace docledger::domain {

class IssueList {
 public:
  void Add(std::string path, std::string message) { issues_.push_back({std::move(path), std::move(message)}); }
  void RequireText(const std::string& path, const std::string& value, std::size_t max_length, bool required = true);
  void RequireSha256(const std::string& path, const std::string& value);
  void RequireUuid(const std::string& path, const std::string& value);
  // Throws ValidationError when any issue was added.
  void ThrowIfAny() const;
  bool empty() const { return issues_.empty(); }

 private:
  std::vector<ValidationIssue> issues_;
};

}  // namespace docledger::domain
