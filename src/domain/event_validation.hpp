// Validation of an append request before it reaches the store: every rule a client can
// break, each reported with the path of the bad field. Pure.
#pragma once

#include <cstddef>
#include <vector>

#include "domain/errors.hpp"
#include "domain/event.hpp"

namespace docledger::domain {

struct AppendLimits {
  std::size_t max_stream_id_bytes = 256;
  std::size_t max_event_type_bytes = 128;
  std::size_t max_events_per_append = 1000;
  std::size_t max_payload_bytes = 1 << 20;
};

// Returns every issue found (empty when valid). Event ids must already be assigned.
std::vector<ValidationIssue> ValidateAppend(const AppendRequest& request,
                                            const AppendLimits& limits = {});

// Throws ValidationError when ValidateAppend finds anything; also canonicalises the
// event ids (lower case) in place.
void RequireValidAppend(AppendRequest& request, const AppendLimits& limits = {});

}  // namespace docledger::domain
