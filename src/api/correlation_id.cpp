#include "api/correlation_id.hpp"

#include <algorithm>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace docledger::api {

bool IsAcceptableCorrelationId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxCorrelationIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u >= 0x21 && u <= 0x7e;
         });
}

std::string GenerateCorrelationId() {
  // One generator per thread: boost::uuids::random_generator is not thread-safe.
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

}  // namespace docledger::api
