// Request framing the session refuses although Beast 1.74's parser accepts it: anything
// that lets a proxy in front of us and this server disagree on where a request's body
// ends, and so on where the next request starts (request smuggling; RFC 9112 §5.2, §6.1,
// §6.3). Beast itself already refuses Content-Length together with Transfer-Encoding:
// chunked, and differing Content-Length values; it unfolds obsolete line folding and
// ignores transfer codings it does not know (a request with "Transfer-Encoding: gzip" then
// has no body, its body bytes being read as the next request). Both are refused here, with
// 400, and the connection is closed after the answer.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include "api/http_error.hpp"

namespace docledger::api {

// The bytes of a request received so far, from its request line on.
struct HeaderScan {
  enum class State {
    kIncomplete,    // no empty line yet: read more
    kComplete,      // the header ends at `size` (after its empty line)
    kObsoleteFold,  // a header line starts with a space or a tab (obs-fold)
  };
  State state = State::kIncomplete;
  std::size_t size = 0;
};

// Looks for the header's end (CRLF CRLF, where Beast looks for it too) in `bytes`, from
// `resume_at` on (what an earlier scan of a shorter prefix covered, so that a header
// arriving byte by byte is not scanned over and over); once found, for obs-fold in it.
HeaderScan ScanRequestHeader(std::string_view bytes, std::size_t resume_at = 0);

// The refusal of a parsed header whose body length is ambiguous, or nullopt when it is
// sound: Transfer-Encoding in HTTP/1.0, Transfer-Encoding with Content-Length, or a
// Transfer-Encoding that is not exactly "chunked" (chunked not last leaves the length
// unknown; other codings we do not decode. RFC 9112 suggests 501 for an unknown coding;
// the HTTP contract's 400 says the same to the client without counting as a server error).
std::optional<HttpError> FramingError(const boost::beast::http::request_header<>& header);

}  // namespace docledger::api
