// Raw bytes over a real socket, for requests Beast's client would refuse to write (bad
// request lines, NUL bytes, lying Content-Lengths, half-closed connections). The answers
// are read with Beast's response parser, one after another from the same connection.
#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace docledger::testing {

struct RawReply {
  int status = 0;  // 0: no (complete) answer
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct RawExchange {
  std::vector<RawReply> replies;  // in order; empty when the server answered nothing
  bool closed_by_server = false;  // the server closed the connection after its answers
  RawReply First() const { return replies.empty() ? RawReply{} : replies.front(); }
};

// Sends `bytes` (then shuts down our sending side when `half_close`), reads up to
// `max_replies` responses. Socket timeouts of 10 s keep a bug from hanging CI.
inline RawExchange RawHttp(std::uint16_t port, const std::string& bytes, bool half_close = false,
                           int max_replies = 1) {
  namespace http = boost::beast::http;
  using tcp = boost::asio::ip::tcp;
  RawExchange exchange;
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return exchange;
  timeval tv{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  // A server that answers early (413) may stop reading: a failed write is not the test's
  // failure, the answer (or its absence) is what is checked.
  boost::asio::write(socket, boost::asio::buffer(bytes), ec);
  if (half_close) socket.shutdown(tcp::socket::shutdown_send, ec);
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < max_replies; ++i) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    http::read(socket, buffer, parser, ec);
    if (ec) {
      exchange.closed_by_server = ec == http::error::end_of_stream;
      break;
    }
    RawReply reply;
    const auto& response = parser.get();
    reply.status = static_cast<int>(response.result_int());
    reply.body = response.body();
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
    }
    exchange.replies.push_back(std::move(reply));
  }
  return exchange;
}

// "METHOD target HTTP/1.1" with Host, the extra header lines (each "Name: value"), and the
// body with its Content-Length (unless `content_length` overrides it; "" leaves it out).
inline std::string RawRequest(const std::string& method, const std::string& target, const std::string& body = "",
                              const std::vector<std::string>& headers = {},
                              const std::string* content_length = nullptr) {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& header : headers) out += header + "\r\n";
  if (content_length != nullptr) {
    if (!content_length->empty()) out += "Content-Length: " + *content_length + "\r\n";
  } else if (!body.empty() || method == "POST" || method == "PUT") {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  out += "\r\n";
  out += body;
  return out;
}

}  // namespace docledger::testing
