#include "api/handlers/read_routing.hpp"

#include <algorithm>

#include "api/http_error.hpp"
#include "domain/text_rules.hpp"

namespace docledger::api {
namespace {

std::int64_t ParseMinSequence(std::string_view text, const char* where) {
  const auto value = domain::ParseDigits<std::int64_t>(text, 18);
  if (!value) {
    throw HttpError::BadRequest(std::string(where) + " must be a non-negative integer (a global sequence)");
  }
  return *value;
}

}  // namespace

std::optional<std::int64_t> MinSequenceParam(const RequestContext& context) {
  std::optional<std::int64_t> result;
  const auto header = context.request.find("X-Min-Sequence");
  if (header != context.request.end()) {
    result = ParseMinSequence(std::string_view(header->value().data(), header->value().size()), "X-Min-Sequence");
  }
  if (const auto query = context.QueryParam("min_sequence")) {
    const auto value = ParseMinSequence(*query, "min_sequence");
    result = std::max(result.value_or(0), value);
  }
  return result;
}

}  // namespace docledger::api
