#include "infrastructure/pg_array.hpp"

#include <gtest/gtest.h>

namespace docledger::infrastructure {
namespace {

TEST(ToPgArray, QuotesEveryElementAndEscapesQuotesAndBackslashes) {
  EXPECT_EQ(ToPgArray(std::vector<std::string>{}), "{}");
  EXPECT_EQ(ToPgArray(std::vector<std::string>{"a", "", "NULL"}), R"({"a","","NULL"})");
  EXPECT_EQ(ToPgArray(std::vector<std::string>{R"(say "hi")", R"(C:\x)", "{,}"}),
            R"({"say \"hi\"","C:\\x","{,}"})");
}

TEST(ToPgArray, WritesIntegersPlain) {
  EXPECT_EQ(ToPgArray(std::vector<std::int64_t>{-1, 0, 9000000000}), "{-1,0,9000000000}");
  EXPECT_EQ(ToPgArray(std::vector<int>{3}), "{3}");
}

}  // namespace
}  // namespace docledger::infrastructure
