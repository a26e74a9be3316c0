// A fixed-size pool of PostgreSQL connections (DOCLEDGER_DB_POOL_SIZE). Connections are
// opened lazily, get every named statement prepared when they open (statements.cpp), and
// are replaced after they break (e.g. the server restarted), so callers just retry.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace docledger::infrastructure {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
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

  ConnectionPool(std::string url, std::size_t size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Waits up to `timeout` for a free slot; opens a connection if the slot has none.
  // Throws domain::StoreUnavailable when the database cannot be reached or the wait times out.
  Lease Acquire(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  std::size_t size() const { return size_; }

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
