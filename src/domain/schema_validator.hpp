// The port for JSON Schema (draft-07) validation. The domain states what it needs; the
// adapter (infrastructure/json_schema_validator, valijson) implements it. Pure: the same
// schema and document always give the same issues.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"

namespace docledger::domain {

class SchemaValidator {
 public:
  virtual ~SchemaValidator() = default;
  // What makes `schema` unusable as a draft-07 JSON Schema; empty when it is usable.
  virtual std::vector<ValidationIssue> CheckSchema(const nlohmann::json& schema) const = 0;
  // Where `document` breaks `schema` (a schema that passed CheckSchema): each issue's path
  // is a JSON pointer into the document ("" for the root), its message the validator's.
  virtual std::vector<ValidationIssue> Validate(const nlohmann::json& schema,
                                                const nlohmann::json& document) const = 0;
};

}  // namespace docledger::domain
