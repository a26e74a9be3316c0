#include "api/middleware/idempotency.hpp"

#include "domain/errors.hpp"
#include "infrastructure/content_encoding.hpp"
#include "infrastructure/idempotency_store.hpp"
#include "infrastructure/logging.hpp"

namespace docledger::api {
namespace {

constexpr std::size_t kMaxKeyBytes = 255;

std::string KeyOf(const Request& request) {
  const auto header = request.find("Idempotency-Key");
  if (header == request.end()) return "";
  std::string key(header->value().data(), header->value().size());
  if (key.empty() || key.size() > kMaxKeyBytes ||
      !std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    throw HttpError::BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  return key;
}

Response Replay(const infrastructure::StoredResponse& stored) {
  Response response{static_cast<http::status>(stored.status), 11};
  response.set(http::field::content_type, "application/json");
  if (!stored.etag.empty()) response.set(http::field::etag, stored.etag);
  response.set("Idempotent-Replayed", "true");
  response.body() = stored.body;
  return response;
}

}  // namespace

Middleware IdempotencyMiddleware(infrastructure::IdempotencyStore& store, std::chrono::milliseconds wait) {
  return [&store, wait](RequestContext& context, const Next& next) -> Response {
    if (context.request.method() != http::verb::post) return next(context);
    const auto key = KeyOf(context.request);
    if (key.empty()) return next(context);
    const auto hash = infrastructure::Sha256Hex(std::string(context.request.method_string()) + " " +
                                                std::string(context.request.target()) + "\n" +
                                                context.request.body());
    const auto claim = store.ClaimKey(context.actor, key, hash, wait);
    switch (claim.outcome) {
      case infrastructure::ClaimOutcome::kReplay:
        infrastructure::LogEvent(spdlog::level::info, "idempotent_replay",
                                 {{"actor", context.actor}, {"idempotency_key", key},
                                  {"path", std::string(context.path)}, {"status", claim.response->status}});
        return Replay(*claim.response);
      case infrastructure::ClaimOutcome::kMismatch:
        throw domain::ValidationError("/Idempotency-Key",
                                      "this key was used for a different request (method, path or body)");
      case infrastructure::ClaimOutcome::kInFlight:
        throw HttpError::Conflict("the first request with this Idempotency-Key is still being processed; retry later")
            .WithHeader("Retry-After", "1");
      case infrastructure::ClaimOutcome::kClaimed:
        break;
    }
    Response response;
    try {
      response = next(context);
    } catch (...) {
      store.Release(context.actor, key);
      throw;
    }
    const auto status = static_cast<int>(response.result_int());
    if (status >= 200 && status < 300) {
      const auto etag = response.find(http::field::etag);
      store.Complete(context.actor, key,
                     {status, response.body(), etag == response.end() ? "" : std::string(etag->value())});
    } else {
      store.Release(context.actor, key);
    }
    return response;
  };
}

}  // namespace docledger::api
