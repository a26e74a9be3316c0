// Small builders for tests.
#pragma once

#include <string>
#include <vector>

#include "domain/event.hpp"
#include "infrastructure/id_generator.hpp"

namespace docledger::testing {

inline domain::NewEvent MakeEvent(const std::string& type = "DocumentUploaded",
                                  const std::string& payload = R"({"filename":"a.pdf"})",
                                  std::string event_id = "") {
  domain::NewEvent event;
  event.event_id = event_id.empty() ? infrastructure::NewRandomUuid() : std::move(event_id);
  event.event_type = type;
  event.payload = payload;
  event.metadata = R"({"actor":"test"})";
  return event;
}

inline domain::AppendRequest MakeAppend(const std::string& stream, domain::ExpectedVersion expected,
                                        std::vector<domain::NewEvent> events) {
  return domain::AppendRequest{stream, expected, std::move(events)};
}

inline domain::AppendRequest MakeAppend(const std::string& stream,
                                        domain::ExpectedVersion expected = domain::ExpectedVersion::Any(),
                                        int count = 1) {
  std::vector<domain::NewEvent> events;
  for (int i = 0; i < count; ++i) events.push_back(MakeEvent());
  return MakeAppend(stream, expected, std::move(events));
}

}  // namespace docledger::testing
