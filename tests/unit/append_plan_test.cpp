#include "domain/append_plan.hpp"

#include <gtest/gtest.h>

namespace docledger::domain {
namespace {

AppendRequest Request(ExpectedVersion expected, std::vector<NewEvent> events) {
  return AppendRequest{"doc-1", expected, std::move(events)};
}

NewEvent Event(const std::string& id, const std::string& payload = R"({"a":1})") {
  return NewEvent{id, "DocumentUploaded", 1, payload, "{}"};
}

RecordedEvent Recorded(const std::string& id, const std::string& stream = "doc-1",
                       const std::string& payload = R"({"a": 1})") {
  RecordedEvent r;
  r.event_id = id;
  r.stream_id = stream;
  r.event_type = "DocumentUploaded";
  r.payload = payload;
  return r;
}

TEST(PlanAppend, WritesWhenExpectationHolds) {
  auto plan = PlanAppend(Request(ExpectedVersion::Exact(2), {Event("e1")}), 2, {});
  EXPECT_EQ(plan.outcome, AppendOutcome::kWrite);
  EXPECT_EQ(plan.current_version, 2);
}

TEST(PlanAppend, RefusesAStaleExpectation) {
  EXPECT_EQ(PlanAppend(Request(ExpectedVersion::Exact(1), {Event("e1")}), 2, {}).outcome,
            AppendOutcome::kVersionConflict);
  EXPECT_EQ(PlanAppend(Request(ExpectedVersion::NoStream(), {Event("e1")}), 1, {}).outcome,
            AppendOutcome::kVersionConflict);
}

TEST(PlanAppend, KnownIdsWithSameContentAreAlreadyRecordedWhateverTheExpectation) {
  // Payload text differs only in whitespace: compared as JSON values.
  auto plan = PlanAppend(Request(ExpectedVersion::Exact(0), {Event("e1")}), 5, {Recorded("e1")});
  EXPECT_EQ(plan.outcome, AppendOutcome::kAlreadyRecorded);
}

TEST(PlanAppend, KnownIdWithOtherContentOrStreamIsAnIdConflict) {
  EXPECT_EQ(PlanAppend(Request(ExpectedVersion::Any(), {Event("e1", R"({"a":2})")}), 1,
                       {Recorded("e1")}).outcome,
            AppendOutcome::kIdConflict);
  EXPECT_EQ(PlanAppend(Request(ExpectedVersion::Any(), {Event("e1")}), 1, {Recorded("e1", "doc-2")}).outcome,
            AppendOutcome::kIdConflict);
  // Only part of the request known: a conflict, not a partial write.
  EXPECT_EQ(PlanAppend(Request(ExpectedVersion::Any(), {Event("e1"), Event("e2")}), 1,
                       {Recorded("e1")}).outcome,
            AppendOutcome::kIdConflict);
}

}  // namespace
}  // namespace docledger::domain
