#include "api/response_policy.hpp"

#include <algorithm>
#include <string_view>

namespace docledger::api {
namespace {

constexpr const char* kAllowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE";
constexpr const char* kAllowedHeaders =
    "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Correlation-ID, "
    "X-Min-Sequence, Last-Event-ID";
constexpr const char* kExposedHeaders =
    "ETag, Location, Retry-After, X-Correlation-ID, X-Read-Source, X-RateLimit-Limit, "
    "X-RateLimit-Remaining";
constexpr int kPreflightMaxAgeSeconds = 600;

std::string_view HeaderOf(const Request& request, std::string_view name) {
  const auto it = request.find(name);
  return it == request.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

// The request's Origin when the policy allows it; "" otherwise.
std::string AllowedOrigin(const ResponsePolicy& policy, const Request& request) {
  const auto origin = HeaderOf(request, "Origin");
  if (origin.empty() || policy.cors_origins.empty()) return "";
  const bool allowed = std::any_of(policy.cors_origins.begin(), policy.cors_origins.end(),
                                   [&](const std::string& entry) { return entry == "*" || entry == origin; });
  return allowed ? std::string(origin) : "";
}

bool IsCacheableRead(const Request& request, const Response& response) {
  const bool read = request.method() == http::verb::get || request.method() == http::verb::head;
  const bool fresh = response.result() == http::status::ok || response.result() == http::status::not_modified;
  return read && fresh && response.find(http::field::etag) != response.end();
}

template <typename Name>
void SetIfAbsent(Response& response, Name name, std::string_view value) {
  if (response.find(name) == response.end()) response.set(name, value);
}

}  // namespace

std::optional<Response> CorsPreflight(const ResponsePolicy& policy, const Request& request) {
  if (request.method() != http::verb::options) return std::nullopt;
  if (HeaderOf(request, "Access-Control-Request-Method").empty()) return std::nullopt;
  const std::string origin = AllowedOrigin(policy, request);
  if (origin.empty()) return std::nullopt;
  Response response{http::status::no_content, request.version()};
  response.set(http::field::access_control_allow_origin, origin);
  response.set(http::field::access_control_allow_methods, kAllowedMethods);
  response.set(http::field::access_control_allow_headers, kAllowedHeaders);
  response.set(http::field::access_control_max_age, std::to_string(kPreflightMaxAgeSeconds));
  response.set(http::field::vary, "Origin");
  return response;
}

void ApplyResponsePolicy(const ResponsePolicy& policy, const Request& request, Response& response) {
  response.set("X-Content-Type-Options", "nosniff");
  SetIfAbsent(response, http::field::cache_control,
              IsCacheableRead(request, response)
                  ? "private, max-age=" + std::to_string(policy.read_max_age_seconds) + ", must-revalidate"
                  : std::string("no-store"));
  const auto type = response.find(http::field::content_type);
  if (type != response.end() && type->value().starts_with("text/html")) {
    SetIfAbsent(response, "Content-Security-Policy", kHtmlContentSecurityPolicy);
  }
  const std::string origin = AllowedOrigin(policy, request);
  if (!origin.empty()) {
    response.set(http::field::access_control_allow_origin, origin);
    response.set(http::field::vary, "Origin");
    response.set(http::field::access_control_expose_headers, kExposedHeaders);
  }
}

}  // namespace docledger::api
