#include "api/listener.hpp"

#include <system_error>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <spdlog/common.h>

#include "infrastructure/logging.hpp"

namespace docledger::api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, OnAccept on_accept)
    : ioc_(ioc),
      strand_(net::make_strand(ioc)),
      acceptor_(strand_),
      retry_timer_(strand_),
      on_accept_(std::move(on_accept)) {}

void Listener::Open(const tcp::endpoint& endpoint) {
  const auto fail = [&](const beast::error_code& ec, const char* what) {
    throw std::system_error(ec, "cannot listen on " + endpoint.address().to_string() + ":" +
                                    std::to_string(endpoint.port()) + " (" + what + ")");
  };
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail(ec, "open");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail(ec, "set_option");
  acceptor_.bind(endpoint, ec);
  if (ec) fail(ec, "bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail(ec, "listen");
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) fail(ec, "local_endpoint");
}

void Listener::Run() {
  net::dispatch(strand_, beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
}

void Listener::Stop() {
  net::dispatch(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    beast::error_code ec;
    self->retry_timer_.cancel();
    self->acceptor_.close(ec);
  });
}

void Listener::DoAccept() {
  if (stopped_) return;
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_),
                         beast::bind_front_handler(&Listener::HandleAccept, shared_from_this()));
}

void Listener::HandleAccept(beast::error_code ec, tcp::socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    // E.g. too many open files: retry shortly instead of spinning.
    infrastructure::LogEvent(spdlog::level::warn, "accept failed", {{"error", ec.message()}});
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
    return;
  }
  on_accept_(std::move(socket));
  DoAccept();
}

}  // namespace docledger::api
