// Without this valijson prints and calls abort() on a schema it cannot parse: one bad
// project schema would kill the server. With it, it throws and we report the schema.
#define VALIJSON_USE_EXCEPTIONS 1

#include "infrastructure/json_schema_validator.hpp"

#include <locale>
#include <regex>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "domain/text_rules.hpp"
#include "infrastructure/regex_backtracking.hpp"

namespace docledger::infrastructure {

struct JsonSchemaValidator::Compiled {
  std::unique_ptr<valijson::Schema> schema;
  std::string error;  // why it could not be parsed ("" when it could)
  bool uses_patterns = false;
  // Under patterns: the longest string or property name matched (see regex_backtracking).
  std::size_t max_subject_bytes = JsonSchemaValidator::kMaxPatternSubjectBytes;
};

namespace {

using domain::ValidationIssue;

void FindLongStrings(const nlohmann::json& value, const std::string& path, std::size_t max_bytes,
                     std::vector<ValidationIssue>& issues) {
  if (issues.size() >= 20) return;
  const auto limit = std::to_string(max_bytes);
  if (value.is_string() && value.get_ref<const std::string&>().size() > max_bytes) {
    issues.push_back({path, "string longer than " + limit + " bytes, the limit under this schema's patterns"});
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key.size() > max_bytes) {
        issues.push_back({path, "property name longer than " + limit + " bytes, the limit under this schema's patterns"});
        continue;
      }
      FindLongStrings(item, path + "/" + domain::EscapeJsonPointerToken(key), max_bytes, issues);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      FindLongStrings(value[i], path + "/" + std::to_string(i), max_bytes, issues);
    }
  }
}

// Calls `visit` with every "pattern" and "patternProperties" regular expression of
// `schema` until it returns false. Values under enum/const/default/examples are data.
template <typename Visit>
bool ForEachPattern(const nlohmann::json& schema, Visit&& visit) {
  if (schema.is_object()) {
    for (const auto& [key, value] : schema.items()) {
      if (key == "enum" || key == "const" || key == "default" || key == "examples") continue;
      if (key == "pattern" && value.is_string()) {
        if (!visit(value.template get<std::string>())) return false;
      } else if (key == "patternProperties" && value.is_object()) {
        for (const auto& [pattern, sub] : value.items()) {
          if (!visit(pattern)) return false;
        }
      }
      if (!ForEachPattern(value, visit)) return false;
    }
  } else if (schema.is_array()) {
    for (const auto& value : schema) {
      if (!ForEachPattern(value, visit)) return false;
    }
  }
  return true;
}

// The first "pattern" / "patternProperties" regular expression of `schema` that std::regex
// (valijson's engine, ECMAScript) cannot compile, with the reason: not a regular expression
// ("(", "[z-a]") or too large for it ("a{200000}": more NFA states than libstdc++ allows).
// valijson compiles them only while validating, where the regex_error would escape as an
// internal error; found here, the schema is reported unusable instead. So is a pattern
// that can backtrack exponentially (regex_backtracking.hpp).
std::string FirstUnusablePattern(const nlohmann::json& schema) {
  std::string problem;
  ForEachPattern(schema, [&problem](const std::string& pattern) {
    try {
      const std::regex compiled(pattern);
      problem = ExponentialBacktrackingRisk(pattern);
    } catch (const std::exception& error) {  // regex_error; bad_alloc for absurd sizes
      problem = "pattern \"" + (pattern.size() <= 64 ? pattern : pattern.substr(0, 64) + "...") +
                "\" is not a usable regular expression (" + error.what() + ")";
    }
    return problem.empty();
  });
  return problem;
}

// valijson's context ["<root>", "[name]", "[0]"] as a JSON pointer "/name/0".
std::string PointerOf(const std::vector<std::string>& context) {
  std::string path;
  for (std::size_t i = 1; i < context.size(); ++i) {
    std::string token = context[i];
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
    path += "/" + domain::EscapeJsonPointerToken(token);
  }
  return path;
}

}  // namespace

JsonSchemaValidator::JsonSchemaValidator() {
  // std::regex narrows characters through the global locale's ctype facet, which fills a
  // 256-entry cache lazily on first use of each character: concurrent first uses from
  // validating threads write it at once (harmless in practice, a data race all the same,
  // reported by ThreadSanitizer). Filling it here, before any thread validates, leaves
  // only reads.
  const auto& ctype = std::use_facet<std::ctype<char>>(std::locale());
  for (int c = 0; c < 256; ++c) ctype.narrow(static_cast<char>(c), '\0');
}
JsonSchemaValidator::~JsonSchemaValidator() = default;

std::shared_ptr<const JsonSchemaValidator::Compiled> JsonSchemaValidator::Compile(const nlohmann::json& schema) const {
  const auto key = schema.dump();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  auto compiled = std::make_shared<Compiled>();
  compiled->uses_patterns = !ForEachPattern(schema, [](const std::string&) { return false; });
  try {
    auto parsed = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *parsed);
    compiled->schema = std::move(parsed);
    if (compiled->uses_patterns) {
      compiled->error = FirstUnusablePattern(schema);
      ForEachPattern(schema, [&compiled](const std::string& pattern) {
        compiled->max_subject_bytes = MaxSafeSubjectBytes(pattern, compiled->max_subject_bytes);
        return true;
      });
    }
  } catch (const std::exception& error) {
    compiled->error = error.what();
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kMaxCachedSchemas) cache_.clear();
  cache_.emplace(key, compiled);
  return compiled;
}

std::vector<ValidationIssue> JsonSchemaValidator::CheckSchema(const nlohmann::json& schema) const {
  if (!schema.is_object() && !schema.is_boolean()) return {{"", "a JSON Schema must be an object or a boolean"}};
  const auto compiled = Compile(schema);
  if (!compiled->error.empty()) return {{"", "not a usable draft-07 JSON Schema: " + compiled->error}};
  return {};
}

std::vector<ValidationIssue> JsonSchemaValidator::Validate(const nlohmann::json& schema,
                                                           const nlohmann::json& document) const {
  const auto compiled = Compile(schema);
  if (!compiled->error.empty()) return {{"", "the schema is not usable: " + compiled->error}};
  std::vector<ValidationIssue> issues;
  if (compiled->uses_patterns) {
    FindLongStrings(document, "", compiled->max_subject_bytes, issues);
    if (!issues.empty()) return issues;
  }
  thread_local valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  try {
    if (validator.validate(*compiled->schema, target, &results)) return {};
  } catch (const std::exception& error) {
    // Whatever valijson throws while applying a schema (e.g. a regex_error) is a problem of
    // the schema, to report, not an internal error.
    return {{"", std::string("the schema cannot be applied: ") + error.what()}};
  }
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (issues.size() >= 50) break;
    issues.push_back({PointerOf(error.context), error.description});
  }
  if (issues.empty()) issues.push_back({"", "does not match the schema"});
  return issues;
}

}  // namespace docledger::infrastructure
