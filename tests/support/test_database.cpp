#include "tests/support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include <pqxx/connection>
#include <pqxx/pqxx>

#include "infrastructure/migrations.hpp"
#include "tests/support/test_master_key.hpp"

namespace docledger::testing {

namespace {
// Every `docledger` the tests run (serve children, `replay` in a shell...) inherits the
// tests' master key, unless a test gives its own: they all open the same data keys.
[[maybe_unused]] const bool kMasterKeyInherited = ::setenv("DOCLEDGER_MASTER_KEY", kTestMasterKey, 0) == 0;
}  // namespace
namespace {

std::string ServerUrl() {
  const char* url = std::getenv("DOCLEDGER_TEST_DATABASE_URL");
  return url == nullptr ? "" : url;
}

void Admin(const std::string& sql) {
  pqxx::connection conn(TestDatabase::UrlFor("postgres"));
  pqxx::nontransaction tx(conn);
  tx.exec(sql);
}

// One migrated template per test binary; dropped at exit.
class Template {
 public:
  static const std::string& Name() {
    static Template instance;
    return instance.name_;
  }

 private:
  Template() : name_("dl_tpl_" + std::to_string(::getpid())) {
    Admin("DROP DATABASE IF EXISTS " + name_);
    Admin("CREATE DATABASE " + name_);
    pqxx::connection conn(TestDatabase::UrlFor(name_));
    infrastructure::MigrationRunner().Migrate(conn);
  }
  ~Template() {
    try {
      Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  std::string name_;
};

std::atomic<int> counter{0};

}  // namespace

bool TestDatabase::Available() { return !ServerUrl().empty(); }

std::string TestDatabase::UrlFor(const std::string& database) {
  // postgresql://user@host:port/dbname?params  ->  replace dbname
  std::string url = ServerUrl();
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::runtime_error("DOCLEDGER_TEST_DATABASE_URL must be a URI");
  const auto query = url.find('?', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  const std::string base = url.substr(0, slash == std::string::npos || (query != std::string::npos && slash > query)
                                              ? (query == std::string::npos ? url.size() : query)
                                              : slash);
  return base + "/" + database + rest;
}

TestDatabase::TestDatabase(bool migrated) {
  if (!Available()) return;
  name_ = "dl_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  static std::mutex create_mutex;  // CREATE DATABASE ... TEMPLATE needs the template idle
  std::lock_guard lock(create_mutex);
  Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  Admin("CREATE DATABASE " + name_ + (migrated ? " TEMPLATE " + Template::Name() : std::string()));
  url_ = UrlFor(name_);
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  try {
    Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

}  // namespace docledger::testing
