// X-Forwarded-For / X-Forwarded-Proto as the request log reads them behind a trusted proxy
// (DOCLEDGER_TRUST_PROXY): the first address, checked; the scheme, checked; else nothing.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "api/middleware/forwarded.hpp"

namespace docledger::api {
namespace {

std::string AddressOf(std::string_view x_forwarded_for) { return ParseForwarded(x_forwarded_for, "").address; }
std::string SchemeOf(std::string_view x_forwarded_proto) { return ParseForwarded("", x_forwarded_proto).scheme; }

TEST(Forwarded, TakesTheFirstAddressOfTheChain) {
  EXPECT_EQ(AddressOf("203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(AddressOf("203.0.113.9, 10.0.0.2, 10.0.0.3"), "203.0.113.9");
  EXPECT_EQ(AddressOf("  198.51.100.7\t,10.0.0.2"), "198.51.100.7");
  EXPECT_EQ(AddressOf("2001:db8::1, 10.0.0.2"), "2001:db8::1");
}

TEST(Forwarded, DropsPortsAndBrackets) {
  EXPECT_EQ(AddressOf("203.0.113.9:51234"), "203.0.113.9");
  EXPECT_EQ(AddressOf("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(AddressOf("[2001:db8::1]:443"), "2001:db8::1");
}

TEST(Forwarded, IgnoresWhatIsNotAnAddress) {
  using namespace std::string_view_literals;
  const std::vector<std::string_view> bads{
      "", " ", ",203.0.113.9", "unknown", "example.com", "203.0.113", "203.0.113.999", "203.0.113.9:port",
      "203.0.113.9:123456", "[2001:db8::1", "[2001:db8::1]x", "[203.0.113.9]", "2001:db8::1:80x",
      "203.0.113.9 198.51.100.7", "<script>", "203.0.113.9\0x"sv};
  for (const std::string_view bad : bads) {
    EXPECT_EQ(AddressOf(bad), "") << bad;
  }
}

TEST(Forwarded, SchemeIsHttpOrHttps) {
  EXPECT_EQ(SchemeOf("https"), "https");
  EXPECT_EQ(SchemeOf("HTTPS"), "https");
  EXPECT_EQ(SchemeOf(" http "), "http");
  EXPECT_EQ(SchemeOf("https, http"), "https");
  for (const std::string_view bad : {"", "ftp", "https:", "wss", "http s"}) EXPECT_EQ(SchemeOf(bad), "") << bad;
}

TEST(Forwarded, HeadersAreReadIndependently) {
  const auto both = ParseForwarded("203.0.113.9", "https");
  EXPECT_EQ(both.address, "203.0.113.9");
  EXPECT_EQ(both.scheme, "https");
  const auto bad_address = ParseForwarded("nonsense", "https");
  EXPECT_EQ(bad_address.address, "");
  EXPECT_EQ(bad_address.scheme, "https");
}

}  // namespace
}  // namespace docledger::api
