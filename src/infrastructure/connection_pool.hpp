// A fixed-size pool of PostgreSQL connections (DOCLEDGER_DB_POOL_SIZE). Connections are
// opened lazily, get every named statement prepared when they open (statements.cpp), and
// are replaced after they break (e.g. the server restarted), so callers just retry.
//
// Bounds (ConnectionPoolOptions; `docledger serve` sets them from the configuration, the
// operator commands keep the defaults): how long Acquire waits for a free connection
// (DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS; past it domain::PoolExhausted), and the
// statement_timeout of every connection the pool opens (DOCLEDGER_STATEMENT_TIMEOUT_MS).
//
// Why the statement timeout is a session setting made once per connection, not SET LOCAL
// per transaction: most request work runs as single autocommit statements
// (pqxx::nontransaction), where SET LOCAL has no effect, and a SET per transaction would
// add a round trip to every request; the pool's connections serve requests only
// (projectors, replay, migrations, the alert worker and the notifier open their own
// connections with OpenConnection, which sets no timeout), so a session setting bounds
// exactly the requests' statements, for the price of one round trip per connection.
// A statement cancelled by it (SQLSTATE 57014) rolls back its transaction and leaves the
// connection idle and healthy: the lease returns it to the pool as usual.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/connection>

namespace docledger::infrastructure {

struct ConnectionPoolOptions {
  // How long Acquire() waits for a free connection.
  std::chrono::milliseconds acquire_timeout{5000};
  // statement_timeout of the pool's sessions; 0 = PostgreSQL's (server/role) setting.
  std::chrono::milliseconds statement_timeout{0};
};

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    // A moved-from lease returns nothing to the pool (its slot went with the move).
    Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    pqxx::connection& operator*() const { return *conn_; }
    pqxx::connection* operator->() const { return conn_.get(); }
    // Drop the connection instead of returning it (call after a broken_connection).
    void Discard() { conn_.reset(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
  };

  ConnectionPool(std::string url, std::size_t size, ConnectionPoolOptions options = {});
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Waits up to options().acquire_timeout (or `timeout`) for a free slot; opens a
  // connection if the slot has none. Throws domain::PoolExhausted when the wait times out,
  // domain::StoreUnavailable when the database cannot be reached.
  Lease Acquire();
  Lease Acquire(std::chrono::milliseconds timeout);

  // A connection outside the pool, set up like the pool's (statements, statement_timeout):
  // the event store's writer, which serves requests too.
  std::unique_ptr<pqxx::connection> OpenUnpooled() const;

  std::size_t size() const { return size_; }
  const ConnectionPoolOptions& options() const { return options_; }

  // For the db_pool_connections gauges: leased connections, and open ones waiting in the
  // pool (slots never used or whose connection broke hold none).
  struct Counts {
    std::size_t in_use = 0;
    std::size_t idle = 0;
  };
  Counts Connections() const;
  const std::string& url() const { return url_; }

 private:
  void Release(std::unique_ptr<pqxx::connection> conn);

  std::string url_;
  std::size_t size_;
  ConnectionPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t leased_ = 0;
};

// Opens one connection with every named statement prepared, in UTC, that never
// reconnects behind our back (see DisableAutomaticReconnect). Throws StoreUnavailable.
std::unique_ptr<pqxx::connection> OpenConnection(const std::string& url);

void DisableAutomaticReconnect(pqxx::connection& conn);

}  // namespace docledger::infrastructure
