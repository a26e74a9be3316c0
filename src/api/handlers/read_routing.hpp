// Reads that may be answered by the streaming replica (api/read_router.*):
// the client's read-your-writes position (`X-Min-Sequence` or `?min_sequence=`), and the
// `X-Read-Source: replica|primary` header telling it who answered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/handlers/api_services.hpp"
#include "api/handlers/handler_support.hpp"
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

// A list read (`list(ReadEndpoint&) -> projections::Page`) with an ETag from the position
// of `projection` on the database that answers: 304 without running the list when the
// client's If-None-Match names it. The position is read before the list, never after: a
// page labelled with a position older than its rows only costs the client a refetch,
// whereas the other order could label old rows as new and answer 304 wrongly later.
template <typename List>
Response ServeList(const ApiServices& services, const RequestContext& context, const std::string& projection,
                   List&& list) {
  return ServeRead(services, context, projection, [&](ReadEndpoint& db) {
    const std::string etag = PageEtag(projection, db.reads.positions.Position(projection));
    if (auto not_modified = NotModified(context, etag)) return std::move(*not_modified);
    Response response = PageResponse(list(db));
    response.set(http::field::etag, etag);
    return response;
  });
}

}  // namespace docledger::api
