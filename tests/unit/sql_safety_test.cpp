// A grep-level guard: SQL reaches PostgreSQL only as fixed text with $n parameters
// (exec_params / prepared statements). The only SQL built by concatenation composes
// identifiers (table and schema names chosen by the code, quoted with QuoteIdentifier) and
// lives in the files listed below; any other file that glues a string into SQL, or quotes
// a value into it, fails this test.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT

namespace {

const std::filesystem::path kRoot = DOCLEDGER_SOURCE_ROOT;

// Files whose concatenated SQL composes identifiers only (reviewed; see each file).
const std::set<std::string> kIdentifierComposers = {"src/projection_runtime/rebuild_sql.cpp",
                                                    "src/projection_runtime/batched_row_writer.cpp",
                                                    "src/operations/retention_policy.cpp"};

// A string literal with an SQL keyword, followed by `+`, or `+` followed by one.
const char* const kGlued = R"re("[^"\n]*\b(SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|VALUES|SET)\b[^"\n]*"\s*\+|\+\s*"[^"\n]*\b(WHERE|FROM|VALUES|AND|OR|SET)\b)re";

std::vector<std::pair<std::string, std::string>> SourceFiles() {  // (relative path, content)
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto* dir : {"src", "projections"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / dir)) {
      const auto extension = entry.path().extension();
      if (extension != ".cpp" && extension != ".hpp") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      files.emplace_back(std::filesystem::relative(entry.path(), kRoot).string(), text.str());
    }
  }
  return files;
}

TEST(SqlSafety, NoSqlIsBuiltFromValuesOutsideTheReviewedIdentifierComposers) {
  const std::regex glued(kGlued);
  const std::regex quoted_value(R"re(\.(quote|esc|esc_raw)\()re");
  std::size_t files = 0;
  for (const auto& [path, text] : SourceFiles()) {
    ++files;
    if (kIdentifierComposers.count(path)) continue;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
      EXPECT_FALSE(std::regex_search(line, glued)) << path << ":" << number << ": SQL built by concatenation: " << line;
      EXPECT_FALSE(std::regex_search(line, quoted_value)) << path << ":" << number << ": a value quoted into SQL: " << line;
    }
  }
  EXPECT_GT(files, 50u) << "the scan found the sources";
}

TEST(SqlSafety, TheGuardCatchesTheShapesItLooksFor) {
  const std::regex glued(kGlued);
  EXPECT_TRUE(std::regex_search(R"(tx.exec("SELECT * FROM t WHERE id = '" + id + "'"))", glued));
  EXPECT_TRUE(std::regex_search(R"(sql = prefix + " WHERE name = " + name;)", glued));
  EXPECT_FALSE(std::regex_search(R"(tx.exec_params("SELECT * FROM t WHERE id = $1", id))", glued));
}

}  // namespace
