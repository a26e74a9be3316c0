// A fresh migrated database with a pool and a PostgresEventStore on it.
#pragma once

#include <memory>

#include <gtest/gtest.h>
#include <pqxx/connection>
#include <pqxx/pqxx>

#include "eventstore/postgres_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "tests/support/test_database.hpp"

namespace docledger::testing {

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DOCLEDGER_REQUIRE_DATABASE();
    db_ = std::make_unique<TestDatabase>();
    pool_ = std::make_unique<infrastructure::ConnectionPool>(db_->url(), 4);
    store_ = std::make_unique<eventstore::PostgresEventStore>(*pool_);
  }
  // Another "process": its own pool and writer connection.
  std::unique_ptr<eventstore::PostgresEventStore> SecondStore() {
    extra_pools_.push_back(std::make_unique<infrastructure::ConnectionPool>(db_->url(), 2));
    return std::make_unique<eventstore::PostgresEventStore>(*extra_pools_.back());
  }
  pqxx::result Sql(const std::string& sql) {
    pqxx::connection conn(db_->url());
    pqxx::nontransaction tx(conn);
    return tx.exec(sql);
  }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<infrastructure::ConnectionPool> pool_;
  std::vector<std::unique_ptr<infrastructure::ConnectionPool>> extra_pools_;
  std::unique_ptr<eventstore::PostgresEventStore> store_;
};

}  // namespace docledger::testing
