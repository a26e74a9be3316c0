// The one place where libpqxx exceptions become docledger's own error types
// (conventions 9). Only transient errors are retried by callers, and only with a bound.
#pragma once

#include <exception>
#include <string>

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

}  // namespace docledger::infrastructure
