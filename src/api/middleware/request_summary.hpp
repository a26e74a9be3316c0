// One answered request as the session saw it: what the request log and the request
// metrics record. Built by the session for every response it sends, including those it
// answers itself before routing (413, 431, 400 unparsable) and the router's 404/405.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace docledger::api {

struct RequestSummary {
  std::string method;          // "" when the request line could not be parsed
  std::string path;            // the target without its query string; "" when unknown
  std::string route;           // the matched route pattern; "" when none matched
  unsigned status = 0;
  std::chrono::steady_clock::duration duration{};  // headers read -> response ready
  std::string actor;           // the calling key's name; "" when anonymous
  std::string correlation_id;
  std::uint64_t bytes_out = 0;  // response body bytes
  std::string remote;           // client IP address: the peer's, or X-Forwarded-For's when the
                                // proxy is trusted (DOCLEDGER_TRUST_PROXY); "" when unknown
  std::string proxy;            // the peer's address when `remote` came from X-Forwarded-For, else ""
  std::string scheme = "http";  // "https" when a trusted proxy says so (X-Forwarded-Proto)
};

}  // namespace docledger::api
