#include "domain/text_rules.hpp"

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
