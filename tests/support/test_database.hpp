// A fresh, migrated database per test, created on the PostgreSQL server named by
// DOCLEDGER_TEST_DATABASE_URL (scripts/dev test starts a throwaway cluster and sets it).
// Without that variable the test is skipped locally and FAILS under CI (CI=true).
#pragma once

#include <string>

namespace docledger::testing {

class TestDatabase {
 public:
  // Creates the database from a migrated template (one per test binary), or empty.
  explicit TestDatabase(bool migrated = true);
  ~TestDatabase();  // drops it
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // False when no server is configured (the constructor has then already called
  // GTEST_SKIP or ADD_FAILURE; the caller must return).
  static bool Available();
  // The server's URL with the database replaced by `database`.
  static std::string UrlFor(const std::string& database);

 private:
  std::string name_;
  std::string url_;
};

// For use at the top of a test or SetUp(): skips (locally) or fails (CI) without a server.
#define DOCLEDGER_REQUIRE_DATABASE()                                                   \
  do {                                                                                 \
    if (!::docledger::testing::TestDatabase::Available()) {                            \
      if (std::getenv("CI") != nullptr) {                                              \
        FAIL() << "DOCLEDGER_TEST_DATABASE_URL is not set (run scripts/dev test)";     \
      }                                                                                \
      GTEST_SKIP() << "DOCLEDGER_TEST_DATABASE_URL is not set (run scripts/dev test)"; \
    }                                                                                  \
  } while (0)

}  // namespace docledger::testing
