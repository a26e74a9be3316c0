// The valijson adapter: usable and unusable schemas, messages with JSON-pointer paths,
// and no crash on patterns against huge strings.
#include <gtest/gtest.h>

#include <thread>

#include "infrastructure/json_schema_validator.hpp"

namespace docledger::infrastructure {
namespace {

using nlohmann::json;

TEST(JsonSchemaValidator, AcceptsADraft07SchemaAndRefusesAnUnusableOne) {
  JsonSchemaValidator validator;
  EXPECT_TRUE(validator.CheckSchema(json::parse(R"({"type":"object","properties":{"a":{"type":"string"}}})")).empty());
  EXPECT_FALSE(validator.CheckSchema(json::parse(R"({"type":"objekt"})")).empty());
  EXPECT_FALSE(validator.CheckSchema(json::parse(R"({"$ref":"https://example.org/remote.json"})")).empty());
  EXPECT_FALSE(validator.CheckSchema(json::parse(R"({"minLength":"three"})")).empty());
  EXPECT_FALSE(validator.CheckSchema(json(42)).empty());
}

TEST(JsonSchemaValidator, IssuesCarryJsonPointerPaths) {
  JsonSchemaValidator validator;
  const auto schema = json::parse(R"({"type":"object","properties":{
      "items":{"type":"array","items":{"type":"object","properties":{"qty":{"type":"integer"}}}},
      "a/b":{"type":"string"}}})");
  const auto issues = validator.Validate(schema, json::parse(R"({"items":[{"qty":1},{"qty":"x"}],"a/b":3})"));
  std::vector<std::string> paths;
  for (const auto& issue : issues) paths.push_back(issue.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/items/1/qty"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/a~1b"), paths.end());
  EXPECT_TRUE(validator.Validate(schema, json::parse(R"({"items":[{"qty":1}]})")).empty());
}

TEST(JsonSchemaValidator, HugeStringUnderAPatternIsAnIssueNotAStackOverflow) {
  JsonSchemaValidator validator;
  const auto schema = json::parse(R"({"type":"object","properties":{"code":{"type":"string","pattern":"^(a|b)+$"}}})");
  const auto issues = validator.Validate(schema, json{{"code", std::string(5'000'000, 'a')}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "/code");
  EXPECT_TRUE(validator.Validate(schema, json{{"code", "abab"}}).empty());
  EXPECT_FALSE(validator.Validate(schema, json{{"code", "abc"}}).empty());
}

// valijson compiles patterns only while validating; a regex_error there used to escape
// as an internal error (HTTP 500 at the first extraction of such a project).
TEST(JsonSchemaValidator, APatternStdRegexCannotCompileMakesTheSchemaUnusable) {
  JsonSchemaValidator validator;
  for (const std::string pattern : {"(", "[z-a]", "a{200000}"}) {
    SCOPED_TRACE(pattern);
    const json schema = {{"type", "object"}, {"properties", {{"x", {{"type", "string"}, {"pattern", pattern}}}}}};
    EXPECT_FALSE(validator.CheckSchema(schema).empty());
    EXPECT_FALSE(validator.Validate(schema, json{{"x", "a"}}).empty());
    const json keys = {{"type", "object"}, {"patternProperties", {{pattern, {{"type", "string"}}}}}};
    EXPECT_FALSE(validator.CheckSchema(keys).empty());
  }
  // Data that looks like a pattern is not one.
  EXPECT_TRUE(validator.CheckSchema(json::parse(R"({"enum":[{"pattern":"("}],"default":{"pattern":"["}})")).empty());
  EXPECT_TRUE(validator.CheckSchema(json::parse(R"({"properties":{"pattern":{"type":"string"}}})")).empty());
}

TEST(JsonSchemaValidator, IsSafeToUseFromManyThreads) {
  JsonSchemaValidator validator;
  const auto schema = json::parse(R"({"type":"object","properties":{"n":{"type":"integer","minimum":0}},"required":["n"]})");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const bool valid = validator.Validate(schema, json{{"n", (i + t) % 2 ? 1 : -1}}).empty();
        if (valid != (((i + t) % 2) == 1)) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace docledger::infrastructure
