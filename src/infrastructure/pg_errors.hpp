// The one place where libpqxx exceptions become docledger's own error types
// (conventions 9). Only transient errors are retried by callers, and only with a bound.
//
// For the API and the CLI a transient or in-doubt error is domain::StoreUnavailable (HTTP
// 503 with Retry-After): a lost connection (broken_connection, SQLSTATE class 08,
// 57P01..57P03) on any route, whichever adapter met it. Adapters translate at their
// boundary (Translated below); the router translates whatever escaped one the same way.
#pragma once

#include <exception>
#include <string>
#include <utility>

namespace docledger::infrastructure {

enum class PgErrorKind {
  kTransient,   // connection lost, server restarting, serialization failure, deadlock
  kInDoubt,     // a COMMIT whose outcome is unknown
  kPermanent,   // everything else: a bug or bad data; retrying cannot help
};

// Classifies the exception currently being handled (call inside a catch block) or `error`.
PgErrorKind ClassifyPgError(const std::exception& error);

// "TypeName: message" for logs and parked events.
std::string DescribeError(const std::exception& error);

// A lost connection: pqxx::broken_connection, SQLSTATE class 08 or 57P01..57P03.
bool IsConnectionLost(const std::exception& error);

// SQLSTATE 57014: the statement was cancelled, by statement_timeout (the request deadline
// of the pooled connections, DOCLEDGER_STATEMENT_TIMEOUT_MS) or by pg_cancel_backend. Its
// transaction was rolled back and the connection is fine: keep it. ClassifyPgError calls it
// transient (a projector retries it); request paths do not retry it (the same wait would
// repeat) but answer domain::StoreTimeout.
bool IsQueryCanceled(const std::exception& error);

// SQLSTATE 55P03: a lock was not granted within lock_timeout (or NOWAIT). Like a cancel,
// it rolled back only its transaction; the connection is fine.
bool IsLockNotAvailable(const std::exception& error);

// Call inside a catch block: rethrows the exception being handled, as
// domain::StoreTimeout when IsQueryCanceled, as domain::StoreUnavailable when
// ClassifyPgError calls it transient or in doubt, unchanged otherwise (a permanent error,
// or one that is not PostgreSQL's).
[[noreturn]] void RethrowTranslated();

// Runs `fn()`; what it throws leaves through RethrowTranslated.
template <typename Fn>
auto Translated(Fn&& fn) -> decltype(std::forward<Fn>(fn)()) {
  try {
    return std::forward<Fn>(fn)();
  } catch (...) {
    RethrowTranslated();
  }
}

}  // namespace docledger::infrastructure
