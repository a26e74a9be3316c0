// The webhook HTTP client (alerts, subscriptions): one POST per call, over http or https
// (Beast + boost::asio::ssl/OpenSSL: certificate verification on, host name checked, SNI
// sent), bounded by one deadline for the whole exchange (resolve, connect, TLS handshake,
// write, read). The connection is kept open between calls while the receiver allows it
// (HTTP/1.1 keep-alive); a kept connection that fails before the deadline (the receiver
// closed it meanwhile) is replaced once, and the request sent again on a new one.
// Synchronous, and for one thread at a time: each worker owns its client.
#pragma once

#include <chrono>
#include <memory>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace docledger::alerting {

// A request that got no HTTP answer: bad URL, resolve/connect/TLS failure, timeout.
class WebhookError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WebhookUrl {
  bool https = false;
  std::string host;  // without IPv6 brackets
  std::string port;  // "80"/"443" when not given
  std::string target = "/";
};

// Whether `address` is a public unicast address: not loopback, private (RFC 1918, fc00::/7),
// link-local, carrier-grade NAT, unspecified, multicast or reserved.
bool IsPublicAddress(const boost::asio::ip::address& address);

// Throws WebhookError when `url` is not http(s)://host[:port][/path][?query].
WebhookUrl ParseWebhookUrl(const std::string& url);

struct WebhookClientOptions {
  std::chrono::milliseconds timeout{5000};
  // Extra trusted CA certificates (PEM file), besides the system's; tests use it.
  std::string ca_file;
  // Refuse to connect to loopback, private, link-local and other non-public addresses
  // (checked on every resolved address, so a DNS answer cannot smuggle one in): SSRF.
  bool public_addresses_only = false;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct WebhookResponse {
  unsigned status = 0;
  std::string body;  // at most 64 KiB are read
  std::string retry_after;  // the Retry-After header, when the answer had one
};

class WebhookClient {
 public:
  explicit WebhookClient(std::string url, WebhookClientOptions options = {});
  ~WebhookClient();
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  const std::string& url() const { return text_url_; }

  // POSTs `body` with Content-Type `content_type`; any HTTP answer is returned (the caller
  // decides what a status means). Throws WebhookError when there is none.
  WebhookResponse Post(const std::string& body, const std::string& content_type = "application/json",
                       const HttpHeaders& headers = {});

 private:
  struct Connection;
  std::unique_ptr<Connection> Connect(std::chrono::steady_clock::time_point deadline) const;

  std::string text_url_;
  WebhookUrl url_;
  WebhookClientOptions options_;
  std::unique_ptr<Connection> connection_;  // kept open between calls
};

}  // namespace docledger::alerting
