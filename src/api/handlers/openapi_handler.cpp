#include "api/handlers/openapi_handler.hpp"

#include <memory>
#include <string>

#include "api/router.hpp"
#include "infrastructure/content_encoding.hpp"

namespace docledger::api {

void AddOpenApiRoute(Router& router) {
  // The text never changes while the process runs: hash it once.
  const auto etag = std::make_shared<const std::string>(
      "\"" + infrastructure::Sha256Hex(OpenApiDocument()).substr(0, 32) + "\"");
  router.Add(http::verb::get, "/openapi.json", Role::kPublic, [etag](const RequestContext& context) {
    const auto match = context.request.find(http::field::if_none_match);
    if (match != context.request.end()) {
      const std::string_view value(match->value().data(), match->value().size());
      if (value == "*" || value.find(*etag) != std::string_view::npos) {
        Response response{http::status::not_modified, 11};
        response.set(http::field::etag, *etag);
        return response;
      }
    }
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::etag, *etag);
    response.set(http::field::cache_control, "no-cache");
    response.body() = std::string(OpenApiDocument());
    return response;
  }, Blocking::kNever);
}

}  // namespace docledger::api
