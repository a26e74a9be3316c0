#include "domain/text_rules.hpp"

#include <cstdint>

#include <gtest/gtest.h>

namespace docledger::domain {
namespace {

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("Ünïcødé — 文書 🚀"));
}

TEST(IsValidUtf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8SequenceLength, MeasuresTheFirstCharacter) {
  EXPECT_EQ(Utf8SequenceLength(""), 0u);
  EXPECT_EQ(Utf8SequenceLength("a\xC3\xBC"), 1u);
  EXPECT_EQ(Utf8SequenceLength(std::string_view("\0x", 2)), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xBC" "a"), 2u);        // ü
  EXPECT_EQ(Utf8SequenceLength("\xE6\x96\x87"), 3u);    // 文
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x9A\x80"), 4u);  // 🚀
}

TEST(Utf8SequenceLength, IsZeroForAnInvalidStart) {
  for (const char* bad : {"\x80", "\xC3\x28", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xE2\x82", "\xF8\x88\x80\x80\x80", "\xFF"}) {
    EXPECT_EQ(Utf8SequenceLength(bad), 0u) << bad;
  }
}

TEST(Trim, RemovesAsciiWhiteSpaceAtBothEnds) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n\f\v"), "");
  EXPECT_EQ(Trim("\t a b \n"), "a b");
  EXPECT_EQ(Trim("x"), "x");
  EXPECT_EQ(Trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // only ASCII white space
}

TEST(TrimSpaceTab, RemovesOnlySpacesAndTabs) {
  EXPECT_EQ(TrimSpaceTab(" \t Bearer k \t"), "Bearer k");
  EXPECT_EQ(TrimSpaceTab("\r\nk\n"), "\r\nk\n");
  EXPECT_EQ(TrimSpaceTab("  "), "");
}

TEST(ParseDigits, AcceptsOnlyAsciiDigitsWithinTheLimit) {
  EXPECT_EQ(ParseDigits<std::int64_t>("0", 18), 0);
  EXPECT_EQ(ParseDigits<std::int64_t>("0042", 18), 42);
  EXPECT_EQ(ParseDigits<std::int64_t>("999999999999999999", 18), 999999999999999999);
  EXPECT_EQ(ParseDigits<std::int64_t>("1000000000000000000", 18), std::nullopt);  // 19 digits
  EXPECT_EQ(ParseDigits<int>("500", 4), 500);
  EXPECT_EQ(ParseDigits<int>("00500", 4), std::nullopt);
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1a", "0x10", "1.0", "\xD9\xA1"}) {
    EXPECT_EQ(ParseDigits<std::int64_t>(bad, 18), std::nullopt) << bad;
  }
}

TEST(ParseDigits, RefusesValuesThatDoNotFit) {
  EXPECT_EQ(ParseDigits<std::uint64_t>("18446744073709551615"), 18446744073709551615ull);
  EXPECT_EQ(ParseDigits<std::uint64_t>("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseDigits<std::uint64_t>("000000000000000000000000007"), 7u);  // no digit limit by default
  EXPECT_EQ(ParseDigits<int>("99999999999"), std::nullopt);
}

TEST(CanonicalUuid, LowerCasesValidUuids) {
  EXPECT_EQ(CanonicalUuid("6F0C7D9E-8A43-4B1E-9C2D-D0C1ED9E0001"),
            "6f0c7d9e-8a43-4b1e-9c2d-d0c1ed9e0001");
}

TEST(CanonicalUuid, RejectsOtherShapes) {
  for (const char* bad : {"", "6f0c7d9e8a434b1e9c2dd0c1ed9e0001", "6f0c7d9e-8a43-4b1e-9c2d-d0c1ed9e000g",
                          "{6f0c7d9e-8a43-4b1e-9c2d-d0c1ed9e0001}", "6f0c7d9e-8a43-4b1e-9c2d_d0c1ed9e0001"}) {
    EXPECT_FALSE(CanonicalUuid(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace docledger::domain
