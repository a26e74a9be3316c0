#include "api/server.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/common.h>

#include "api/listener.hpp"
#include "api/router.hpp"
#include "api/session.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using infrastructure::LogEvent;

struct Server::Impl {
  Impl(ServerOptions opts, const Router& r)
      : options(std::move(opts)),
        router(r),
        io_threads(options.io_threads != 0 ? options.io_threads
                                           : std::max(1u, std::thread::hardware_concurrency())),
        ioc(static_cast<int>(io_threads)),
        workers(std::max(1u, options.worker_threads)),
        work_guard(net::make_work_guard(ioc)),
        registry(std::make_shared<SessionRegistry>()) {}

  ServerOptions options;
  const Router& router;
  unsigned io_threads;
  // Declared before `workers`: worker threads post into the io_context, so they are
  // joined (in Stop, or in the thread_pool's destructor) before it is destroyed.
  net::io_context ioc;
  net::thread_pool workers;
  net::executor_work_guard<net::io_context::executor_type> work_guard;
  std::shared_ptr<SessionRegistry> registry;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;

  std::mutex state_mutex;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { Stop(std::chrono::milliseconds(0)); }

void Server::Start() {
  auto& s = *impl_;
  const std::lock_guard lock(s.state_mutex);
  if (s.started) throw std::logic_error("Server::Start called twice");

  boost::system::error_code ec;
  const auto address = net::ip::make_address(s.options.address, ec);
  if (ec) {
    throw std::system_error(ec, "cannot listen on " + s.options.address + ": not an IP address");
  }
  const SessionOptions session_options = s.options;
  s.listener = std::make_shared<Listener>(
      s.ioc, [impl = &s, session_options](tcp::socket&& socket) {
        std::make_shared<Session>(std::move(socket), impl->router, impl->workers.get_executor(),
                                  impl->registry, session_options)
            ->Run();
      });
  s.listener->Open(tcp::endpoint(address, s.options.port));
  s.listener->Run();
  s.started = true;

  s.threads.reserve(s.io_threads);
  for (unsigned i = 0; i < s.io_threads; ++i) {
    s.threads.emplace_back([&ioc = s.ioc] {
      while (true) {
        try {
          ioc.run();
          return;
        } catch (const std::exception& e) {  // handlers use error_code; this is a bug
          LogEvent(spdlog::level::critical, "exception escaped an I/O handler",
                   {{"detail", e.what()}});
        }
      }
    });
  }
}

std::uint16_t Server::Port() const {
  return impl_->listener ? impl_->listener->Port() : 0;
}

void Server::Stop(std::chrono::milliseconds deadline) {
  auto& s = *impl_;
  const std::lock_guard lock(s.state_mutex);
  if (!s.started || s.stopped) return;
  s.stopped = true;
  const auto until = std::chrono::steady_clock::now() + deadline;

  s.listener->Stop();
  s.registry->BeginShutdown();
  if (!s.registry->WaitUntilEmpty(until)) {
    LogEvent(spdlog::level::warn, "shutdown deadline reached; closing open connections",
             {{"open_connections", s.registry->size()},
              {"deadline_ms", deadline.count()}});
    s.registry->CloseAll();
    // Let the closes run (sessions blocked in a handler end when it returns).
    s.registry->WaitUntilEmpty(std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
  }
  s.work_guard.reset();
  s.ioc.stop();
  for (auto& thread : s.threads) thread.join();
  s.threads.clear();
  s.workers.join();  // waits for handlers still running (their responses are dropped)
}

}  // namespace docledger::api
