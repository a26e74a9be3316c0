// ExponentialBacktrackingRisk: the catastrophic shapes are refused, everyday patterns
// (including the separator forms) pass, and a project schema with such a pattern is refused
// before any data meets it.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "infrastructure/json_schema_validator.hpp"
#include "infrastructure/regex_backtracking.hpp"

namespace docledger::infrastructure {
namespace {

TEST(RegexBacktracking, RefusesNestedRepetitionAndOverlappingRepeatedAlternatives) {
  for (const std::string pattern :
       {"^(a+)+$", "(a*)*", "((ab)*c)+", "^(\\w+\\s?)*$", "(?:x+){2,}", "(.*a){3}", "^([a-z]+)*$", "(a|ab)*",
        "(\\d|1)+", "^(a|a)+$", "((a+))+", "(x?(a+))*"}) {
    EXPECT_FALSE(ExponentialBacktrackingRisk(pattern).empty()) << pattern;
  }
}

TEST(RegexBacktracking, AcceptsEverydayPatternsAndSeparatedRepetitions) {
  for (const std::string pattern :
       {"^[A-Z]{3}-[0-9]{4}$", "^(a|b)+$", "^[a-z]+(-[a-z]+)*$", "^([0-9]+\\.)*[0-9]+$", "^\\d{4}-\\d{2}-\\d{2}$",
        "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", "(ab)+", "^(?:\\+|-)?[0-9]+$", "^(INV|PO)-[0-9]+$", "(a+)?", "x{2}(y+)",
        "^(/[a-z0-9_]+)+/?$", "(x(a+)y?)*", "\\(", "a{", "[(]+", "^$"}) {
    EXPECT_EQ(ExponentialBacktrackingRisk(pattern), "") << pattern;
  }
}

TEST(RegexBacktracking, TheMessageNamesTheGroupAndTheWayOut) {
  const auto message = ExponentialBacktrackingRisk("^(a+)+$");
  EXPECT_NE(message.find("(a+)+"), std::string::npos) << message;
  EXPECT_NE(message.find("exponential"), std::string::npos) << message;
}

TEST(RegexBacktracking, AProjectSchemaWithACatastrophicPatternIsRefusedUpFront) {
  JsonSchemaValidator validator;
  const nlohmann::json schema = {{"type", "object"},
                                 {"properties", {{"code", {{"type", "string"}, {"pattern", "^(a+)+$"}}}}}};
  const auto issues = validator.CheckSchema(schema);
  ASSERT_FALSE(issues.empty());
  EXPECT_NE(issues[0].message.find("exponential"), std::string::npos) << issues[0].message;
  // Validating against it reports the schema instead of running the regex.
  EXPECT_FALSE(validator.Validate(schema, {{"code", std::string(40, 'a') + "!"}}).empty());
}

}  // namespace
}  // namespace docledger::infrastructure
