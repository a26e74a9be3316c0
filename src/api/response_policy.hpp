// The headers every response gets, whatever its handler (issue 18, caching and hardening):
// X-Content-Type-Options, a Cache-Control chosen by what the response is, a
// Content-Security-Policy on HTML, and CORS for the origins an operator allowed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace docledger::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;    // as in api/router.hpp
using Response = http::response<http::string_body>;

struct ResponsePolicy {
  // max-age of a cacheable read (DOCLEDGER_CACHE_MAX_AGE_S). 0, the default, makes clients
  // revalidate every time (a cheap 304): a longer age would let a client's own write look
  // lost for that long, which read-your-writes (X-Min-Sequence) promises it is not.
  int read_max_age_seconds = 0;
  // Origins allowed to call the API from a browser (DOCLEDGER_CORS_ORIGINS), compared
  // exactly ("https://app.example.com"); "*" allows any. Empty: CORS off, no CORS headers.
  std::vector<std::string> cors_origins;
};

// The Content-Security-Policy of HTML responses (the console: its own scripts and styles
// only, no inline code, no framing).
inline constexpr const char* kHtmlContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// 204 with the Access-Control-Allow-* headers for a CORS preflight (OPTIONS with Origin and
// Access-Control-Request-Method) from an allowed origin; nullopt for anything else (the
// router then answers the request as usual: a preflight from another origin gets 405 and
// no CORS headers, so the browser refuses the call).
std::optional<Response> CorsPreflight(const ResponsePolicy& policy, const Request& request);

// Adds to `response` (never replacing a header its handler set):
// - X-Content-Type-Options: nosniff;
// - Cache-Control: "private, max-age=N, must-revalidate" on a cacheable read (GET or HEAD
//   answered 200 or 304 with an ETag), "no-store" on everything else (writes, errors,
//   reads without a validator);
// - Content-Security-Policy on text/html;
// - for a request whose Origin is allowed: Access-Control-Allow-Origin (the origin),
//   Vary: Origin and Access-Control-Expose-Headers (the headers clients read).
void ApplyResponsePolicy(const ResponsePolicy& policy, const Request& request, Response& response);

}  // namespace docledger::api
