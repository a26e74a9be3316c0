#include "alerting/webhook_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#ifndef DOCLEDGER_VERSION
#define DOCLEDGER_VERSION "0.1.0"
#endif

namespace docledger::alerting {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxResponseBody = 64 * 1024;

// Runs the io_context until the operation started before the call completes.
void RunStep(asio::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

void Check(const beast::error_code& ec, const std::string& step, const WebhookUrl& url) {
  if (!ec) return;
  const bool timeout = ec == beast::error::timeout || ec == asio::error::operation_aborted;
  throw WebhookError(step + " " + url.host + ":" + url.port + (timeout ? ": timed out" : ": " + ec.message()));
}

struct Answer {
  WebhookResponse response;
  bool keep_alive = false;  // the receiver lets the connection serve the next request
};

// A failed write or read of an exchange; `timeout` when the deadline ended it.
struct ExchangeFailure : WebhookError {
  ExchangeFailure(const std::string& what, bool timed_out) : WebhookError(what), timeout(timed_out) {}
  bool timeout;
};

void CheckExchange(const beast::error_code& ec, const std::string& step, const WebhookUrl& url) {
  if (!ec) return;
  const bool timeout = ec == beast::error::timeout || ec == asio::error::operation_aborted;
  throw ExchangeFailure(step + " " + url.host + ":" + url.port + (timeout ? ": timed out" : ": " + ec.message()),
                        timeout);
}

template <typename Stream>
Answer Exchange(asio::io_context& ioc, Stream& stream, const WebhookUrl& url, const std::string& body,
                const std::string& content_type, const HttpHeaders& headers) {
  http::request<http::string_body> request{http::verb::post, url.target, 11};
  const bool default_port = url.port == (url.https ? "443" : "80");
  const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(http::field::host, default_port ? host : host + ":" + url.port);
  request.set(http::field::user_agent, "docledger/" DOCLEDGER_VERSION);
  request.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();

  beast::error_code ec;
  http::async_write(stream, request, [&](const beast::error_code& e, std::size_t) { ec = e; });
  RunStep(ioc);
  CheckExchange(ec, "sending to", url);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  http::async_read(stream, buffer, parser, [&](const beast::error_code& e, std::size_t) { ec = e; });
  RunStep(ioc);
  // A body over the limit still carries the status: keep it (not the connection).
  const auto retry_after = [&] {
    const auto it = parser.get().find(http::field::retry_after);
    return it == parser.get().end() ? std::string() : std::string(it->value());
  };
  if (ec == http::error::body_limit && parser.is_header_done()) {
    return {{parser.get().result_int(), "", retry_after()}, false};
  }
  CheckExchange(ec, "reading the answer of", url);
  return {{parser.get().result_int(), parser.get().body(), retry_after()}, parser.get().keep_alive()};
}

}  // namespace

bool IsPublicAddress(const boost::asio::ip::address& address) {
  if (address.is_unspecified() || address.is_loopback() || address.is_multicast()) return false;
  if (address.is_v6()) {
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return IsPublicAddress(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
    const auto bytes = v6.to_bytes();
    const bool unique_local = (bytes[0] & 0xfe) == 0xfc;  // fc00::/7
    return !v6.is_link_local() && !v6.is_site_local() && !unique_local;
  }
  const auto b = address.to_v4().to_bytes();
  const bool private_range = b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168);
  const bool link_local = b[0] == 169 && b[1] == 254;
  const bool shared = b[0] == 100 && (b[1] & 0xc0) == 64;  // 100.64.0.0/10 (carrier-grade NAT)
  const bool reserved = b[0] == 0 || b[0] >= 240;
  return !private_range && !link_local && !shared && !reserved;
}

WebhookUrl ParseWebhookUrl(const std::string& url) {
  WebhookUrl out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out.https = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    throw WebhookError("the webhook URL must start with http:// or https://");
  }
  const auto path = rest.find_first_of("/?");
  std::string authority = rest.substr(0, path);
  if (path != std::string::npos) out.target = rest[path] == '/' ? rest.substr(path) : "/" + rest.substr(path);
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) throw WebhookError("the webhook URL has an unclosed IPv6 address");
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') out.port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) out.port = authority.substr(colon + 1);
  }
  if (out.host.empty()) throw WebhookError("the webhook URL has no host");
  if (out.port.empty()) out.port = out.https ? "443" : "80";
  return out;
}

struct WebhookClient::Connection {
  asio::io_context ioc;
  std::unique_ptr<asio::ssl::context> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;

  beast::tcp_stream& Lowest() { return plain ? *plain : beast::get_lowest_layer(*secure); }
  ~Connection() {
    // No TLS close_notify exchange: every answer was read whole, and waiting for the
    // peer's close_notify could only cost time.
    beast::error_code ec;
    if (plain || secure) Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
  }
};

WebhookClient::WebhookClient(std::string url, WebhookClientOptions options)
    : text_url_(url), url_(ParseWebhookUrl(url)), options_(std::move(options)) {}

WebhookClient::~WebhookClient() = default;

std::unique_ptr<WebhookClient::Connection> WebhookClient::Connect(std::chrono::steady_clock::time_point deadline) const {
  auto connection = std::make_unique<Connection>();
  auto& ioc = connection->ioc;
  // Resolve, bounded by the same deadline (the resolver has no timeout of its own).
  tcp::resolver resolver(ioc);
  asio::steady_timer timer(ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  timer.expires_at(deadline);
  timer.async_wait([&](const beast::error_code& e) {
    if (!e) resolver.cancel();
  });
  resolver.async_resolve(url_.host, url_.port, [&](const beast::error_code& e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
    timer.cancel();
  });
  RunStep(ioc);
  Check(ec, "resolving", url_);
  if (options_.public_addresses_only) {
    for (const auto& entry : endpoints) {
      if (!IsPublicAddress(entry.endpoint().address())) {
        throw WebhookError("refused: " + url_.host + " resolves to " + entry.endpoint().address().to_string() +
                           ", not a public address (DOCLEDGER_SUBSCRIPTION_PUBLIC_ONLY)");
      }
    }
  }
  if (!url_.https) {
    connection->plain = std::make_unique<beast::tcp_stream>(ioc);
  } else {
    connection->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    connection->tls->set_default_verify_paths();
    if (!options_.ca_file.empty()) connection->tls->load_verify_file(options_.ca_file);
    connection->tls->set_verify_mode(asio::ssl::verify_peer);
    connection->secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *connection->tls);
    // SNI (for a host name; never an IP address, RFC 6066), and the certificate must name
    // the host (a DNS name, or the IP address among its subjectAltNames).
    beast::error_code not_ip;
    asio::ip::make_address(url_.host, not_ip);
    if (not_ip && !SSL_set_tlsext_host_name(connection->secure->native_handle(), url_.host.c_str())) {
      throw WebhookError("cannot set the TLS server name for " + url_.host);
    }
    connection->secure->set_verify_callback(asio::ssl::host_name_verification(url_.host));
  }
  connection->Lowest().expires_at(deadline);
  connection->Lowest().async_connect(endpoints, [&](const beast::error_code& e, const tcp::endpoint&) { ec = e; });
  RunStep(ioc);
  Check(ec, "connecting to", url_);
  if (connection->secure) {
    connection->secure->async_handshake(asio::ssl::stream_base::client, [&](const beast::error_code& e) { ec = e; });
    RunStep(ioc);
    Check(ec, "TLS handshake with", url_);
  }
  return connection;
}

WebhookResponse WebhookClient::Post(const std::string& body, const std::string& content_type,
                                    const HttpHeaders& headers) {
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  for (bool reused = connection_ != nullptr;; reused = false) {
    if (!connection_) connection_ = Connect(deadline);
    auto& connection = *connection_;
    connection.Lowest().expires_at(deadline);
    try {
      auto answer = connection.plain ? Exchange(connection.ioc, *connection.plain, url_, body, content_type, headers)
                                     : Exchange(connection.ioc, *connection.secure, url_, body, content_type, headers);
      if (!answer.keep_alive) connection_.reset();
      return std::move(answer.response);
    } catch (const ExchangeFailure& failure) {
      connection_.reset();
      // A kept connection the receiver closed meanwhile: once more on a new one. The
      // receiver may have read the request (at-least-once delivery; the caller's request
      // is the same, e.g. the same webhook-id).
      if (!reused || failure.timeout) throw;
    }
  }
}

}  // namespace docledger::alerting
