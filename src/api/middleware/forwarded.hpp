// What a trusted reverse proxy says about the client (DOCLEDGER_TRUST_PROXY): the client's
// address from X-Forwarded-For and the scheme it used from X-Forwarded-Proto, for the
// request log. Pure: the session looks the headers up and calls ParseForwarded only when
// the proxy is trusted; otherwise the headers are ignored (any client can send them).
#pragma once

#include <string>
#include <string_view>

namespace docledger::api {

struct ForwardedClient {
  std::string address;  // an IPv4 or IPv6 literal (no brackets, no port); "" when absent or invalid
  std::string scheme;   // "http" or "https"; "" when absent or invalid
};

// X-Forwarded-For: "client, proxy1, proxy2": the first element, trimmed, if it is an IP
// address ("[v6]", "[v6]:port" and "v4:port" are accepted and reduced to the address).
// X-Forwarded-Proto: the first element, trimmed, case-insensitive "http" or "https".
// Anything else (a host name, "unknown", garbage, an empty header) gives "": the log then
// shows the peer's address and the socket's scheme, never a value it could not check.
ForwardedClient ParseForwarded(std::string_view x_forwarded_for, std::string_view x_forwarded_proto);

}  // namespace docledger::api
