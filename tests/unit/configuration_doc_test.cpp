// docs/configuration.md and the code list the same variables.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "infrastructure/config.hpp"

namespace docledger::infrastructure {
namespace {

TEST(ConfigurationDoc, ListsExactlyTheVariablesTheCodeReads) {
  std::ifstream file(std::string(DOCLEDGER_SOURCE_ROOT) + "/docs/configuration.md");
  ASSERT_TRUE(file) << "docs/configuration.md not found";
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  std::set<std::string> documented;
  const std::regex row(R"(\n\| `([A-Z_]+)` \|)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), row), end; it != end; ++it) documented.insert((*it)[1]);
  const auto known = KnownVariables();
  EXPECT_EQ(documented, std::set<std::string>(known.begin(), known.end()));
}

}  // namespace
}  // namespace docledger::infrastructure
