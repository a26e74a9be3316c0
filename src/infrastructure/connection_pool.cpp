#include "infrastructure/connection_pool.hpp"

#include <pqxx/except>
#include <pqxx/nontransaction>

#include "domain/errors.hpp"
#include "infrastructure/statements.hpp"

namespace docledger::infrastructure {

void DisableAutomaticReconnect(pqxx::connection& conn) {
  // libpqxx 6 silently reconnects a broken connection at the next BEGIN and restores
  // prepared statements, but not session state: advisory locks (projector leases),
  // search_path of a rebuild. docledger reconnects explicitly instead, and re-takes
  // what the session held. (Deprecated in 6.4, the default and only behaviour in 7.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  conn.inhibit_reactivation(true);
#pragma GCC diagnostic pop
}

std::unique_ptr<pqxx::connection> OpenConnection(const std::string& url) {
  try {
    auto conn = std::make_unique<pqxx::connection>(url);
    DisableAutomaticReconnect(*conn);
    statements::PrepareAll(*conn);
    return conn;
  } catch (const pqxx::broken_connection& e) {
    // libpq's message names host and port but never the password.
    throw domain::StoreUnavailable(std::string("database unreachable: ") + e.what());
  }
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(conn_));
}

ConnectionPool::ConnectionPool(std::string url, std::size_t size, ConnectionPoolOptions options)
    : url_(std::move(url)), size_(size == 0 ? 1 : size), options_(options) {}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<pqxx::connection> ConnectionPool::OpenUnpooled() const {
  auto conn = OpenConnection(url_);
  if (options_.statement_timeout.count() > 0) {
    try {
      pqxx::nontransaction tx(*conn);
      tx.exec_prepared(statements::kSetStatementTimeout, std::to_string(options_.statement_timeout.count()) + "ms");
    } catch (const pqxx::broken_connection& e) {
      throw domain::StoreUnavailable(std::string("database unreachable: ") + e.what());
    }
  }
  return conn;
}

ConnectionPool::Lease ConnectionPool::Acquire() { return Acquire(options_.acquire_timeout); }

ConnectionPool::Lease ConnectionPool::Acquire(std::chrono::milliseconds timeout) {
  std::unique_ptr<pqxx::connection> conn;
  {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, timeout, [&] { return leased_ < size_; })) {
      throw domain::PoolExhausted("all " + std::to_string(size_) + " database connections stayed busy for " +
                                  std::to_string(timeout.count()) + " ms");
    }
    ++leased_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  try {
    if (!conn || !conn->is_open()) conn = OpenUnpooled();
  } catch (...) {
    Release(nullptr);
    throw;
  }
  return Lease(this, std::move(conn));
}

ConnectionPool::Counts ConnectionPool::Connections() const {
  const std::lock_guard lock(mutex_);
  return {leased_, idle_.size()};
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> conn) {
  {
    std::lock_guard lock(mutex_);
    --leased_;
    if (conn && conn->is_open()) idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

}  // namespace docledger::infrastructure
