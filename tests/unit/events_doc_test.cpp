// docs/events.md lists every event type of the catalogue with its current version, and no
// other: its table has one row per type, in the catalogue's order.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "domain/event_catalog.hpp"

namespace docledger::domain {
namespace {

std::string EventsDoc() {
  std::ifstream file(std::string(DOCLEDGER_SOURCE_ROOT) + "/docs/events.md");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(EventsDoc, ListsEveryCatalogueTypeWithItsCurrentVersion) {
  std::ifstream file(std::string(DOCLEDGER_SOURCE_ROOT) + "/docs/events.md");
  ASSERT_TRUE(file) << "docs/events.md is missing";
  std::stringstream text;
  text << file.rdbuf();
  for (const auto& info : EventCatalog()) {
    const auto row = "| `" + info.type + "` | " + std::to_string(info.current_version) + " |";
    EXPECT_NE(text.str().find(row), std::string::npos) << "docs/events.md lacks the row for " << info.type;
  }
}

TEST(EventsDoc, ListsExactlyTheCatalogueTypesInItsOrder) {
  // Rows "| `stream` | `Type` | version | meaning |".
  const std::regex row(R"(^\| `[^`]*` \| `(\w+)` \| (\d+) \|)");
  std::istringstream text(EventsDoc());
  std::vector<std::string> listed;
  std::smatch match;
  for (std::string line; std::getline(text, line);) {
    if (std::regex_search(line, match, row)) listed.push_back(match[1].str() + " v" + match[2].str());
  }
  std::vector<std::string> catalogue;
  for (const auto& info : EventCatalog()) catalogue.push_back(info.type + " v" + std::to_string(info.current_version));
  EXPECT_EQ(listed, catalogue);
}

}  // namespace
}  // namespace docledger::domain
