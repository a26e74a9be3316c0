// Event ids: random UUIDs (v4) for new events, and name-based UUIDs (v5) for events whose
// id must be the same on every run (reactors derive them from the source event's id).
#pragma once

#include <string>

namespace docledger::infrastructure {

std::string NewRandomUuid();
std::string DeterministicUuid(const std::string& name);

}  // namespace docledger::infrastructure
