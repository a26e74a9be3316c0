// domain::SchemaValidator over valijson (draft-07, nlohmann adapter). Parsed schemas are
// cached by their text (bounded); each thread validates with its own valijson::Validator
// (it caches compiled regular expressions and is not thread-safe). No remote $ref is ever
// fetched: a schema that needs one is reported as unusable.
//
// libstdc++'s std::regex (valijson's engine) recurses once per repetition it matches, so a
// long string against a pattern like "^[a-z]+$" can exhaust the stack. Under a schema that
// uses "pattern" or "patternProperties", strings and property names longer than
// kMaxPatternSubjectBytes are therefore reported as issues instead of being matched, and
// a pattern that can backtrack exponentially (regex_backtracking.hpp) makes the schema
// unusable.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/schema_validator.hpp"

namespace valijson {
class Schema;
}

namespace docledger::infrastructure {

class JsonSchemaValidator final : public domain::SchemaValidator {
 public:
  static constexpr std::size_t kMaxPatternSubjectBytes = 2048;
  static constexpr std::size_t kMaxCachedSchemas = 512;

  JsonSchemaValidator();
  ~JsonSchemaValidator() override;

  std::vector<domain::ValidationIssue> CheckSchema(const nlohmann::json& schema) const override;
  std::vector<domain::ValidationIssue> Validate(const nlohmann::json& schema,
                                                const nlohmann::json& document) const override;

 private:
  struct Compiled;
  // The parsed schema, or the reason it cannot be parsed.
  std::shared_ptr<const Compiled> Compile(const nlohmann::json& schema) const;

  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Compiled>> cache_;
};

}  // namespace docledger::infrastructure
