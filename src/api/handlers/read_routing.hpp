// Reads that may be answered by the streaming replica (api/read_router.*):
// the client's read-your-writes position (`X-Min-Sequence` or `?min_sequence=`), and the
// `X-Read-Source: replica|primary` header telling it who answered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/handlers/api_services.hpp"
#include "api/http_error.hpp"
#include "api/router.hpp"
#include "api/read_router.hpp"

namespace docledger::api {

// The larger of the X-Min-Sequence header and the min_sequence query parameter; nullopt
// when neither is given. 400 unless each is a non-negative decimal integer (at most 18
// digits).
std::optional<std::int64_t> MinSequenceParam(const RequestContext& context);

// Runs `read(ReadEndpoint&) -> Response` where services.read_router sends
// it (on services.reads/store when there is no router) and sets X-Read-Source on its
// response, or on the HttpError it throws.
// `projection` is the read model the read needs ("" = the event log).
template <typename Read>
Response ServeRead(const ApiServices& services, const RequestContext& context, const std::string& projection,
                   Read&& read) {
  const auto min_sequence = MinSequenceParam(context);
  // The header goes on errors too (a 404 from a replica that has not seen the write yet).
  auto tagged = [&](ReadEndpoint& db) -> Response {
    const char* source = &db.reads == &services.reads ? "primary" : "replica";
    try {
      Response response = read(db);
      response.set("X-Read-Source", source);
      return response;
    } catch (HttpError& error) {
      error.WithHeader("X-Read-Source", source);
      throw;
    }
  };
  if (services.read_router == nullptr) {
    ReadEndpoint primary{services.reads, services.store};
    return tagged(primary);
  }
  return std::move(services.read_router->Serve(projection, min_sequence, tagged).first);
}

}  // namespace docledger::api
