// The HTTP server: a listener, a session per connection on `io_threads` I/O threads, and
// a worker pool of `worker_threads` on which the router (and so PostgreSQL) runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace docledger::infrastructure {
class Metrics;
}

namespace docledger::api {

class Router;

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  std::uint16_t port = 8080;          // 0 = any free port (see Server::Port)
  unsigned io_threads = 0;            // 0 = one per core
  unsigned worker_threads = 8;        // blocking handler work (DB pool waits, group commit)
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::uint32_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds request_timeout{30000};
  // Request metrics (every response, also 404/413/431) go here when set; it must outlive
  // the server. Null = no metrics (tests). The request log is always written.
  infrastructure::Metrics* metrics = nullptr;
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
