// docs/events.md lists every event type of the catalogue with its current version.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "domain/event_catalog.hpp"

namespace docledger::domain {
namespace {

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

}  // namespace
}  // namespace docledger::domain
