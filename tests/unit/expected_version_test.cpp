#include "domain/expected_version.hpp"

#include <gtest/gtest.h>

namespace docledger::domain {
namespace {

TEST(ExpectedVersion, AnyMatchesEveryVersion) {
  EXPECT_TRUE(ExpectedVersion::Any().Matches(0));
  EXPECT_TRUE(ExpectedVersion::Any().Matches(42));
}

TEST(ExpectedVersion, NoStreamMatchesOnlyAnEmptyStream) {
  EXPECT_TRUE(ExpectedVersion::NoStream().Matches(0));
  EXPECT_FALSE(ExpectedVersion::NoStream().Matches(1));
  EXPECT_EQ(ExpectedVersion::NoStream(), ExpectedVersion::Exact(0));
}

TEST(ExpectedVersion, ExactMatchesOnlyThatVersion) {
  EXPECT_TRUE(ExpectedVersion::Exact(3).Matches(3));
  EXPECT_FALSE(ExpectedVersion::Exact(3).Matches(2));
  EXPECT_FALSE(ExpectedVersion::Exact(3).Matches(4));
  EXPECT_THROW(ExpectedVersion::Exact(-2), std::invalid_argument);
}

TEST(ExpectedVersion, ParsesItsTextForms) {
  EXPECT_EQ(ExpectedVersion::Parse("any"), ExpectedVersion::Any());
  EXPECT_EQ(ExpectedVersion::Parse("no_stream"), ExpectedVersion::NoStream());
  EXPECT_EQ(ExpectedVersion::Parse("17"), ExpectedVersion::Exact(17));
  for (const char* bad : {"", "-1", "1.5", "17a", " 1", "99999999999999999999", "ANY"}) {
    EXPECT_FALSE(ExpectedVersion::Parse(bad).has_value()) << bad;
  }
  EXPECT_EQ(ExpectedVersion::Exact(5).ToString(), "5");
  EXPECT_EQ(ExpectedVersion::Any().ToString(), "any");
  EXPECT_EQ(ExpectedVersion::NoStream().ToString(), "no_stream");
}

TEST(ExpectedVersion, WireFormIsMinusOneForAny) {
  EXPECT_EQ(ExpectedVersion::Any().ToWire(), -1);
  EXPECT_EQ(ExpectedVersion::Exact(9).ToWire(), 9);
}

}  // namespace
}  // namespace docledger::domain
