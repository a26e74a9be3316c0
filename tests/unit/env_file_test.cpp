// deploy/docledger.env (the package's /etc/docledger/docledger.env) lists every variable
// the configuration reads, once each, commented out: a new variable cannot be forgotten.
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "infrastructure/config.hpp"

namespace docledger::infrastructure {
namespace {

TEST(EnvFile, ListsEveryVariableTheCodeReadsOnceAndCommentedOut) {
  std::ifstream file(std::string(DOCLEDGER_SOURCE_ROOT) + "/deploy/docledger.env");
  ASSERT_TRUE(file) << "deploy/docledger.env not found";
  const std::regex commented(R"(^#([A-Z][A-Z0-9_]*)=.*)");
  const std::regex active(R"(^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=.*)");
  std::map<std::string, int> listed;
  int line_number = 0;
  for (std::string line; std::getline(file, line);) {
    ++line_number;
    std::smatch match;
    if (std::regex_match(line, match, commented)) ++listed[match[1]];
    EXPECT_FALSE(std::regex_match(line, active)) << "line " << line_number << " sets a variable: " << line;
  }
  std::set<std::string> names;
  for (const auto& [name, count] : listed) {
    names.insert(name);
    EXPECT_EQ(count, 1) << name << " is listed " << count << " times";
  }
  const auto known = KnownVariables();
  EXPECT_EQ(names, std::set<std::string>(known.begin(), known.end()));
}

}  // namespace
}  // namespace docledger::infrastructure
