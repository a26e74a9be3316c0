// Accepts TCP connections, each onto its own strand, and hands the socket to a callback
// (the server makes a Session of it). Beast advanced/server style.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>

namespace docledger::api {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket&&)>;

  Listener(boost::asio::io_context& ioc, OnAccept on_accept);

  // Opens, binds and listens. Throws std::system_error naming the endpoint on failure
  // (address in use, permission denied, ...).
  void Open(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound port (the real one when 0 was asked for).
  std::uint16_t Port() const { return port_; }

  void Run();
  // Thread-safe: stops accepting and closes the listening socket.
  void Stop();

 private:
  void DoAccept();
  void HandleAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  OnAccept on_accept_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace docledger::api
