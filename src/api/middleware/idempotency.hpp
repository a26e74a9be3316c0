// Idempotency-Key on POST: the same key (of the same API key) replays the first response
// (status, body, ETag; with "Idempotent-Replayed: true") and never runs the command twice,
// also when the two requests race. A key reused for another request (method, path or
// body differ) is 422; a key whose first request is still running after `wait` is 409.
// Errors are not stored: a request that failed (4xx or 5xx) runs again when retried.
// Runs after auth (the key's name scopes the Idempotency-Key).
#pragma once

#include <chrono>

#include "api/router.hpp"

namespace docledger::infrastructure {
class IdempotencyStore;
}

namespace docledger::api {

Middleware IdempotencyMiddleware(infrastructure::IdempotencyStore& store, std::chrono::milliseconds wait);

}  // namespace docledger::api
