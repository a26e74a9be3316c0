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

TEST(RegexBacktracking, SubjectsAreCappedByThePolynomialDegree) {
  EXPECT_EQ(MaxSafeSubjectBytes("^[A-Z]+$", 2048), 2048u) << "one repetition, anchored: linear";
  EXPECT_EQ(MaxSafeSubjectBytes("[A-Z]+", 2048), 2048u) << "n^2 within budget at 2 KiB";
  EXPECT_LT(MaxSafeSubjectBytes(".*.*=.*", 2048), 300u) << "n^4 (unanchored)";
  EXPECT_GE(MaxSafeSubjectBytes(".*.*=.*", 2048), 16u);
  EXPECT_LT(MaxSafeSubjectBytes("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", 2048), 300u);
  EXPECT_GE(MaxSafeSubjectBytes("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", 2048), 254u) << "any real e-mail address fits";
}

TEST(RegexBacktracking, TheSchemaRefusesStringsLongerThanItsPatternsAllow) {
  JsonSchemaValidator validator;
  const nlohmann::json schema = {{"type", "object"},
                                 {"properties", {{"note", {{"type", "string"}, {"pattern", ".*.*=.*"}}}}}};
  EXPECT_TRUE(validator.CheckSchema(schema).empty());
  EXPECT_TRUE(validator.Validate(schema, {{"note", "a=b"}}).empty());
  const auto issues = validator.Validate(schema, {{"note", std::string(1024, 'a')}});
  ASSERT_EQ(issues.size(), 1u) << "refused, not matched for seconds";
  EXPECT_NE(issues[0].message.find("the limit under this schema's patterns"), std::string::npos);
}

}  // namespace
}  // namespace docledger::infrastructure
