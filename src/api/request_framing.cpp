#include "api/request_framing.hpp"

#include <string>
#include <vector>

#include <boost/beast/core/string.hpp>

namespace docledger::api {

namespace http = boost::beast::http;

HeaderScan ScanRequestHeader(std::string_view bytes, std::size_t resume_at) {
  constexpr std::string_view kEnd = "\r\n\r\n";
  const std::size_t from = resume_at >= kEnd.size() ? resume_at - (kEnd.size() - 1) : 0;
  const auto end = bytes.find(kEnd, from);
  if (end == std::string_view::npos) return {HeaderScan::State::kIncomplete, 0};
  const std::size_t size = end + kEnd.size();
  // A line break followed by a space or tab before the empty line: a folded line, or
  // whitespace before the first header field (RFC 9112 §2.2 and §5.2 allow refusing both).
  const std::string_view header = bytes.substr(0, size);
  for (auto crlf = header.find("\r\n"); crlf != std::string_view::npos && crlf + 2 < size;
       crlf = header.find("\r\n", crlf + 2)) {
    if (header[crlf + 2] == ' ' || header[crlf + 2] == '\t') return {HeaderScan::State::kObsoleteFold, size};
  }
  return {HeaderScan::State::kComplete, size};
}

std::optional<HttpError> FramingError(const http::request_header<>& header) {
  if (header.count(http::field::transfer_encoding) == 0) return std::nullopt;
  if (header.version() < 11) {
    return HttpError::BadRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request");
  }
  if (header.count(http::field::content_length) != 0) {
    return HttpError::BadRequest(
        "the request has both Content-Length and Transfer-Encoding: its body length is ambiguous");
  }
  // Every coding of every Transfer-Encoding line, in order ("a, b" and two lines alike).
  std::vector<std::string_view> codings;
  for (const auto& field : header) {
    if (field.name() != http::field::transfer_encoding) continue;
    std::string_view list(field.value().data(), field.value().size());
    while (!list.empty()) {
      const auto comma = list.find(',');
      std::string_view coding = list.substr(0, comma);
      while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
      while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
      if (!coding.empty()) codings.push_back(coding);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (codings.empty() || !boost::beast::iequals(codings.back(), "chunked")) {
    return HttpError::BadRequest(
        "Transfer-Encoding must end with chunked: otherwise the request's body length cannot be determined");
  }
  if (codings.size() > 1) {
    std::string others;
    for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
      if (!others.empty()) others += ", ";
      others += std::string(codings[i]);
    }
    return HttpError::BadRequest("transfer coding " + others +
                                 " is not supported: send the body as is, with Content-Length or "
                                 "Transfer-Encoding: chunked");
  }
  return std::nullopt;
}

}  // namespace docledger::api
