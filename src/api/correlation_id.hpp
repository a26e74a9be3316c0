// The request's correlation id: taken from X-Correlation-ID when it is sane, generated
// otherwise; echoed on every response and carried by every log line of the request.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace docledger::api {

inline constexpr std::string_view kCorrelationIdHeader = "X-Correlation-ID";
inline constexpr std::size_t kMaxCorrelationIdLength = 128;

// 1..128 visible ASCII characters (0x21..0x7E): safe to echo in a header and to log.
bool IsAcceptableCorrelationId(std::string_view id);

// A random (version 4) UUID in its canonical 36-character form.
std::string GenerateCorrelationId();

// The request's X-Correlation-ID if acceptable, else a generated one.
template <typename Fields>
std::string CorrelationIdOf(const boost::beast::http::request_header<Fields>& request) {
  const auto it = request.find(kCorrelationIdHeader);
  if (it != request.end()) {
    const std::string_view value(it->value().data(), it->value().size());
    if (IsAcceptableCorrelationId(value)) return std::string(value);
  }
  return GenerateCorrelationId();
}

}  // namespace docledger::api
