// The contract every EventStore adapter keeps. Instantiated for InMemoryEventStore
// (tests/unit) and PostgresEventStore (tests/integration) with a Factory that provides
// SetUp() and store().
#pragma once

#include <cstdlib>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "domain/event_store.hpp"
#include "tests/support/event_helpers.hpp"

namespace docledger::testing {

using domain::ExpectedVersion;

template <typename Factory>
class EventStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!factory_.SetUp()) GTEST_SKIP() << "no database (run scripts/dev test)";
  }
  domain::EventStore& store() { return factory_.store(); }
  Factory factory_;
};

TYPED_TEST_SUITE_P(EventStoreContract);

TYPED_TEST_P(EventStoreContract, AppendToNewStreamNumbersVersionsFromOne) {
  auto result = this->store().Append(MakeAppend("doc-1", ExpectedVersion::NoStream(), 3));
  ASSERT_EQ(result.positions.size(), 3u);
  EXPECT_EQ(result.positions[0].stream_version, 1);
  EXPECT_EQ(result.positions[2].stream_version, 3);
  EXPECT_EQ(result.stream_version, 3);
  EXPECT_FALSE(result.already_recorded);
  EXPECT_LT(result.positions[0].sequence, result.positions[1].sequence);
  EXPECT_LT(result.positions[1].sequence, result.positions[2].sequence);
  EXPECT_EQ(this->store().StreamVersion("doc-1"), 3);
  EXPECT_EQ(this->store().HeadSequence(), result.positions[2].sequence);
}

TYPED_TEST_P(EventStoreContract, AppendRejectsStaleExpectedVersionWithActualVersion) {
  this->store().Append(MakeAppend("doc-1", ExpectedVersion::NoStream(), 2));
  try {
    this->store().Append(MakeAppend("doc-1", ExpectedVersion::Exact(1), 1));
    FAIL() << "expected WrongExpectedVersion";
  } catch (const domain::WrongExpectedVersion& e) {
    EXPECT_EQ(e.actual_version(), 2);
    EXPECT_EQ(e.stream_id(), "doc-1");
  }
  EXPECT_THROW(this->store().Append(MakeAppend("doc-1", ExpectedVersion::NoStream(), 1)),
               domain::WrongExpectedVersion);
  EXPECT_THROW(this->store().Append(MakeAppend("doc-new", ExpectedVersion::Exact(1), 1)),
               domain::WrongExpectedVersion);
  EXPECT_EQ(this->store().StreamVersion("doc-1"), 2);
  EXPECT_EQ(this->store().StreamVersion("doc-new"), 0);
}

TYPED_TEST_P(EventStoreContract, AppendWithExactVersionAndAnyContinueTheStream) {
  this->store().Append(MakeAppend("s", ExpectedVersion::NoStream(), 1));
  auto second = this->store().Append(MakeAppend("s", ExpectedVersion::Exact(1), 2));
  EXPECT_EQ(second.positions.front().stream_version, 2);
  auto third = this->store().Append(MakeAppend("s", ExpectedVersion::Any(), 1));
  EXPECT_EQ(third.stream_version, 4);
}

TYPED_TEST_P(EventStoreContract, ReappendingSameEventsIsANoOpReturningOriginalPositions) {
  auto request = MakeAppend("doc-1", ExpectedVersion::NoStream(), 2);
  auto first = this->store().Append(request);
  this->store().Append(MakeAppend("doc-1", ExpectedVersion::Any(), 1));
  auto again = this->store().Append(request);  // same ids, same content, stale expectation
  EXPECT_TRUE(again.already_recorded);
  EXPECT_EQ(again.positions, first.positions);
  EXPECT_EQ(this->store().StreamVersion("doc-1"), 3);
}

TYPED_TEST_P(EventStoreContract, ReusedEventIdWithOtherContentIsAConflict) {
  auto event = MakeEvent("DocumentUploaded", R"({"n":1})");
  this->store().Append(MakeAppend("doc-1", ExpectedVersion::Any(), {event}));
  auto changed = event;
  changed.payload = R"({"n":2})";
  EXPECT_THROW(this->store().Append(MakeAppend("doc-1", ExpectedVersion::Any(), {changed})),
               domain::EventIdConflict);
  EXPECT_THROW(this->store().Append(MakeAppend("doc-2", ExpectedVersion::Any(), {event})),
               domain::EventIdConflict);
  // A batch where only some ids are known is a conflict too, and writes nothing.
  EXPECT_THROW(this->store().Append(MakeAppend("doc-1", ExpectedVersion::Any(), {event, MakeEvent()})),
               domain::EventIdConflict);
  EXPECT_EQ(this->store().StreamVersion("doc-1"), 1);
  EXPECT_EQ(this->store().StreamVersion("doc-2"), 0);
}

TYPED_TEST_P(EventStoreContract, EventIdsAreMatchedCaseInsensitively) {
  auto event = MakeEvent();
  auto upper = event;
  for (auto& c : upper.event_id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto first = this->store().Append(MakeAppend("s", ExpectedVersion::Any(), {upper}));
  EXPECT_EQ(first.positions[0].event_id, event.event_id);
  auto again = this->store().Append(MakeAppend("s", ExpectedVersion::Any(), {event}));
  EXPECT_TRUE(again.already_recorded);
}

TYPED_TEST_P(EventStoreContract, ReadStreamReturnsEventsFromVersionInOrder) {
  this->store().Append(MakeAppend("a", ExpectedVersion::Any(), 5));
  this->store().Append(MakeAppend("b", ExpectedVersion::Any(), 2));
  auto events = this->store().ReadStream("a", 2, 2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].stream_version, 2);
  EXPECT_EQ(events[1].stream_version, 3);
  EXPECT_EQ(events[0].stream_id, "a");
  EXPECT_TRUE(this->store().ReadStream("missing", 1, 10).empty());
}

TYPED_TEST_P(EventStoreContract, ReadAllPagesThroughTheWholeLogInSequenceOrder) {
  for (int i = 0; i < 7; ++i) this->store().Append(MakeAppend("s" + std::to_string(i % 3)));
  std::vector<std::int64_t> seen;
  auto last = domain::ForEachEvent(this->store(), 0, 3, [&](const domain::RecordedEvent& e) {
    seen.push_back(e.sequence);
  });
  ASSERT_EQ(seen.size(), 7u);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_LT(seen[i - 1], seen[i]);
  EXPECT_EQ(last, seen.back());
  EXPECT_TRUE(this->store().ReadAll(last, 10).empty());
}

TYPED_TEST_P(EventStoreContract, PayloadAndMetadataRoundTripAsJson) {
  const std::string payload =
      R"({"title":"Ünïcødé — 文書 🚀","quote":"it's \"quoted\"","path":"C:\\dir","n":[1,2.5,null,true],"nested":{"k":{}}})";
  auto event = MakeEvent("DocumentUploaded", payload);
  event.schema_version = 2;
  this->store().Append(MakeAppend("doc", ExpectedVersion::Any(), {event}));
  auto events = this->store().ReadStream("doc", 1, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(events[0].payload), nlohmann::json::parse(payload));
  EXPECT_EQ(nlohmann::json::parse(events[0].metadata), nlohmann::json::parse(event.metadata));
  EXPECT_EQ(events[0].schema_version, 2);
  EXPECT_EQ(events[0].event_type, "DocumentUploaded");
  EXPECT_EQ(events[0].event_id, event.event_id);
}

TYPED_TEST_P(EventStoreContract, SqlMetacharactersAreStoredVerbatim) {
  const std::string stream = "doc'; DROP TABLE events; -- {\"x\",\\}";
  auto event = MakeEvent("Doc.Uploaded_v2", R"({"sql":"'); DELETE FROM events; --","brace":"{\"a\",\"b\"}"})");
  this->store().Append(MakeAppend(stream, ExpectedVersion::NoStream(), {event}));
  auto events = this->store().ReadStream(stream, 1, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].stream_id, stream);
  EXPECT_EQ(nlohmann::json::parse(events[0].payload), nlohmann::json::parse(event.payload));
  EXPECT_EQ(this->store().StreamVersion(stream), 1);
}

TYPED_TEST_P(EventStoreContract, InvalidAppendsAreRejectedWithThePathAndWriteNothing) {
  struct Case {
    domain::AppendRequest request;
    std::string path;
  };
  auto bad_payload = MakeEvent("T", "{not json");
  auto array_payload = MakeEvent("T", "[1,2]");
  auto nul_payload = MakeEvent("T", R"({"a":"x\u0000y"})");
  auto bad_utf8 = MakeEvent("T", "{\"a\":\"\xC3\x28\"}");
  auto bad_type = MakeEvent("9bad type");
  auto bad_id = MakeEvent("T", "{}", "not-a-uuid");
  auto dup = MakeEvent();
  auto deep = MakeEvent("T", "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}");
  auto tiny_number = MakeEvent("T", R"({"x":1e-20000})");
  std::vector<Case> cases = {
      {MakeAppend("", ExpectedVersion::Any(), 1), "/stream_id"},
      {MakeAppend("bad\xFFutf8", ExpectedVersion::Any(), 1), "/stream_id"},
      {MakeAppend("ctl\nchar", ExpectedVersion::Any(), 1), "/stream_id"},
      {MakeAppend(std::string(300, 's'), ExpectedVersion::Any(), 1), "/stream_id"},
      {MakeAppend("s", ExpectedVersion::Any(), 0), "/events"},
      {MakeAppend("s", ExpectedVersion::Any(), {bad_payload}), "/events/0/payload"},
      {MakeAppend("s", ExpectedVersion::Any(), {array_payload}), "/events/0/payload"},
      {MakeAppend("s", ExpectedVersion::Any(), {nul_payload}), "/events/0/payload"},
      {MakeAppend("s", ExpectedVersion::Any(), {bad_utf8}), "/events/0/payload"},
      {MakeAppend("s", ExpectedVersion::Any(), {MakeEvent(), bad_type}), "/events/1/event_type"},
      {MakeAppend("s", ExpectedVersion::Any(), {bad_id}), "/events/0/event_id"},
      {MakeAppend("s", ExpectedVersion::Any(), {dup, dup}), "/events/1/event_id"},
      {MakeAppend("s", ExpectedVersion::Any(), {deep}), "/events/0/payload"},
      {MakeAppend("s", ExpectedVersion::Any(), {tiny_number}), "/events/0/payload"},
  };
  for (const auto& c : cases) {
    try {
      this->store().Append(c.request);
      ADD_FAILURE() << "accepted an invalid append, expected an issue at " << c.path;
    } catch (const domain::ValidationError& e) {
      ASSERT_FALSE(e.issues().empty());
      EXPECT_EQ(e.issues().front().path, c.path) << e.what();
    }
  }
  EXPECT_EQ(this->store().HeadSequence(), 0);
}

REGISTER_TYPED_TEST_SUITE_P(EventStoreContract, AppendToNewStreamNumbersVersionsFromOne,
                            AppendRejectsStaleExpectedVersionWithActualVersion,
                            AppendWithExactVersionAndAnyContinueTheStream,
                            ReappendingSameEventsIsANoOpReturningOriginalPositions,
                            ReusedEventIdWithOtherContentIsAConflict,
                            EventIdsAreMatchedCaseInsensitively,
                            ReadStreamReturnsEventsFromVersionInOrder,
                            ReadAllPagesThroughTheWholeLogInSequenceOrder,
                            PayloadAndMetadataRoundTripAsJson, SqlMetacharactersAreStoredVerbatim,
                            InvalidAppendsAreRejectedWithThePathAndWriteNothing);

}  // namespace docledger::testing
