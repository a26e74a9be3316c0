// The HTTP server: a listener, a session per connection on `io_threads` I/O threads, and
// a worker pool of `worker_threads` on which the router (and so PostgreSQL) runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/session_options.hpp"

namespace docledger::api {

class Router;

// Where to listen and how many threads, and (SessionOptions) what bounds each connection.
struct ServerOptions : SessionOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  std::uint16_t port = 8080;          // 0 = any free port (see Server::Port)
  unsigned io_threads = 0;            // 0 = one per core
  unsigned worker_threads = 8;        // blocking handler work (DB pool waits, group commit)
};

class Server {
 public:
  // `router` must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();  // Stop(0) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads; returns at once. Throws std::system_error when
  // the address cannot be bound, std::logic_error when called twice.
  void Start();

  // The bound port (the real one when options.port was 0). Valid after Start().
  std::uint16_t Port() const;

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in
  // flight finish and be answered (with "Connection: close") until `deadline`, then closes
  // what is left and joins the threads. A handler blocked in the database is waited for:
  // it cannot be interrupted. Idempotent.
  void Stop(std::chrono::milliseconds deadline);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace docledger::api
