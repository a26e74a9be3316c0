// A minimal blocking HTTP/1.1 client for black-box tests (Beast over a real socket):
// one request per connection, 5 s socket timeouts so a bug cannot hang CI.
#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <cstdint>
#include <map>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace docledger::testing {

struct HttpReply {
  int status = 0;  // 0: no connection
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

inline HttpReply HttpRequest(std::uint16_t port, const std::string& method, const std::string& target,
                             const std::string& body = "", const std::map<std::string, std::string>& headers = {}) {
  namespace http = boost::beast::http;
  using tcp = boost::asio::ip::tcp;
  HttpReply reply;
  try {
    boost::asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    timeval tv{5, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    reply.status = static_cast<int>(response.result_int());
    reply.body = response.body();
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
    }
  } catch (const std::exception&) {
    reply.status = 0;
  }
  return reply;
}

// A port that was free a moment ago (bind to 0, read, close).
inline std::uint16_t FreePort() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace docledger::testing
