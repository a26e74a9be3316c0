// Cursors and `since` are checked where they are parsed (infrastructure/cursor.*): what
// PostgreSQL would refuse to read never reaches it.
#include "infrastructure/cursor.hpp"

#include <gtest/gtest.h>

namespace docledger::infrastructure {
namespace {

TEST(Cursor, RoundTripsTheSortKeyAndId) {
  const auto cursor = EncodeCursor("2026-12-04 19:04:33.123456+00", "0b7e4b4e-9c3a-4f5e-8d21-3f1a2b3c4d5e");
  const auto decoded = DecodeTimeCursor(cursor);
  EXPECT_EQ(decoded.first, "2026-12-04 19:04:33.123456+00");
  EXPECT_EQ(decoded.second, "0b7e4b4e-9c3a-4f5e-8d21-3f1a2b3c4d5e");
  EXPECT_EQ(DecodeSequenceCursor(EncodeCursor("42", "x")), 42);
}

TEST(Cursor, RejectsForgedCursorsBeforeTheDatabaseSeesThem) {
  EXPECT_THROW(DecodeCursor("zz"), InvalidCursor);
  EXPECT_THROW(DecodeCursor("abc"), InvalidCursor);
  EXPECT_THROW(DecodeCursor(EncodeCursor("a", "b").substr(0, 2)), InvalidCursor);  // no bar
  EXPECT_THROW(DecodeTimeCursor("ff7c00"), InvalidCursor);
  EXPECT_THROW(DecodeTimeCursor(EncodeCursor("2026-13-01 00:00:00+00", "0b7e4b4e-9c3a-4f5e-8d21-3f1a2b3c4d5e")),
               InvalidCursor);
  EXPECT_THROW(DecodeTimeCursor(EncodeCursor("2026-12-04 19:04:33+00", "not-a-uuid")), InvalidCursor);
  EXPECT_THROW(DecodeSequenceCursor(EncodeCursor("seven", "")), InvalidCursor);
}

TEST(Cursor, TimestampsAreCheckedAgainstTheCalendar) {
  for (const char* good : {"2000-01-01", "2024-02-29", "2026-11-24T10:00:00Z", "2026-11-24 10:00",
                           "2026-11-24T10:00:00.123456Z", "2026-11-24T10:00:00+05:30", "2026-11-24T10:00:00-0800",
                           "2026-12-04 19:04:33.5+00"}) {
    EXPECT_TRUE(IsTimestamp(good)) << good;
  }
  for (const char* bad : {"", "yesterday", "2026-13-45T99:00:00Z", "2023-02-29", "2026-04-31", "0000-01-01",
                          "2026-11-24T24:00:00Z", "2026-11-24T10:60", "2026-11-24X10:00", "2026-11-24T10:00:00.Z",
                          "2026-11-24T10:00:00+16", "2026-11-24T10:00:00 UTC", "2026-1-1"}) {
    EXPECT_FALSE(IsTimestamp(bad)) << bad;
  }
}

}  // namespace
}  // namespace docledger::infrastructure
