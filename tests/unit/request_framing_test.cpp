// The framing checks the session adds to Beast's parser (api/request_framing.hpp), without
// sockets; tests/integration/http_server_test.cpp sends the same requests to a server.
#include <gtest/gtest.h>

#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/request_framing.hpp"

namespace docledger::api {
namespace {

namespace http = boost::beast::http;
using State = HeaderScan::State;

// The header of `text` as Beast parses it (the check runs on what Beast accepted).
http::request_header<> Parse(const std::string& text) {
  http::request_parser<http::string_body> parser;
  parser.eager(false);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  EXPECT_FALSE(ec) << ec.message() << " for " << text;
  EXPECT_TRUE(parser.is_header_done()) << text;
  return parser.get().base();
}

std::string Head(const std::string& fields, const std::string& version = "HTTP/1.1") {
  return "POST /echo " + version + "\r\nHost: x\r\n" + fields + "\r\n";
}

TEST(ScanRequestHeader, FindsTheEndOfTheHeaderAndObsoleteLineFolding) {
  EXPECT_EQ(ScanRequestHeader("GET / HTTP/1.1\r\nHost: x\r\n").state, State::kIncomplete);
  const std::string whole = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto complete = ScanRequestHeader(whole + "body bytes \r\n folded-looking");
  EXPECT_EQ(complete.state, State::kComplete);
  EXPECT_EQ(complete.size, whole.size()) << "only the header is looked at, not the body after it";
  EXPECT_EQ(ScanRequestHeader("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n").state, State::kObsoleteFold);
  EXPECT_EQ(ScanRequestHeader("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n").state, State::kObsoleteFold);
  EXPECT_EQ(ScanRequestHeader("GET / HTTP/1.1\r\n Host: x\r\n\r\n").state, State::kObsoleteFold)
      << "whitespace before the first field";
  EXPECT_EQ(ScanRequestHeader("GET / HTTP/1.1\r\nX: a b\t c\r\n\r\n").state, State::kComplete)
      << "spaces inside a value are not folding";
}

TEST(ScanRequestHeader, ResumingFindsAnEndSplitAcrossReads) {
  const std::string whole = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  // Resuming where the previous, shorter scan stopped: the CR LF CR LF may straddle it.
  for (std::size_t cut = 1; cut < whole.size(); ++cut) {
    SCOPED_TRACE(cut);
    const auto first = ScanRequestHeader(whole.substr(0, cut));
    if (first.state != State::kIncomplete) continue;
    const auto second = ScanRequestHeader(whole, cut);
    EXPECT_EQ(second.state, State::kComplete);
    EXPECT_EQ(second.size, whole.size());
  }
}

TEST(FramingError, AcceptsContentLengthAndPlainChunked) {
  EXPECT_FALSE(FramingError(Parse(Head("Content-Length: 2\r\n"))));
  EXPECT_FALSE(FramingError(Parse(Head(""))));
  EXPECT_FALSE(FramingError(Parse(Head("Transfer-Encoding: chunked\r\n"))));
  EXPECT_FALSE(FramingError(Parse(Head("Transfer-Encoding: Chunked \r\n"))));
}

TEST(FramingError, RefusesEveryTransferEncodingButChunkedAlone) {
  for (const std::string fields : {"Transfer-Encoding: gzip\r\n", "Transfer-Encoding: gzip, chunked\r\n",
                                   "Transfer-Encoding: chunked, identity\r\n", "Transfer-Encoding: xchunked\r\n",
                                   "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                                   "Transfer-Encoding: ,\r\n", "Transfer-Encoding: gzip\r\nContent-Length: 2\r\n"}) {
    SCOPED_TRACE(fields);
    const auto error = FramingError(Parse(Head(fields)));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->status(), http::status::bad_request);
    EXPECT_EQ(error->code(), "bad_request");
  }
  const auto gzip = FramingError(Parse(Head("Transfer-Encoding: gzip, chunked\r\n")));
  ASSERT_TRUE(gzip);
  EXPECT_NE(gzip->message().find("transfer coding gzip is not supported"), std::string::npos) << gzip->message();
  const auto old = FramingError(Parse(Head("Transfer-Encoding: chunked\r\n", "HTTP/1.0")));
  ASSERT_TRUE(old);
  EXPECT_NE(old->message().find("HTTP/1.0"), std::string::npos) << old->message();
}

}  // namespace
}  // namespace docledger::api
