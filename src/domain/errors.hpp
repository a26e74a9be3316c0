// Errors of the event store's contract. Infrastructure translates driver errors into
// these (src/infrastructure/pg_errors.cpp); the API maps them to HTTP statuses.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace docledger::domain {

// The stream's version did not match the expected version (HTTP 409, or 412 for If-Match).
class WrongExpectedVersion : public std::runtime_error {
 public:
  WrongExpectedVersion(std::string stream_id, std::string expected, std::int64_t actual)
      : std::runtime_error("stream '" + stream_id + "' is at version " +
                           std::to_string(actual) + ", expected " + expected),
        stream_id_(std::move(stream_id)), expected_(std::move(expected)), actual_(actual) {}
  const std::string& stream_id() const { return stream_id_; }
  const std::string& expected() const { return expected_; }
  std::int64_t actual_version() const { return actual_; }

 private:
  std::string stream_id_;
  std::string expected_;
  std::int64_t actual_;
};

// An event id that is already recorded with other content (HTTP 409).
class EventIdConflict : public std::runtime_error {
 public:
  explicit EventIdConflict(std::string stream_id)
      : std::runtime_error("an event id of this append is already recorded with a different "
                           "stream, type or payload (stream '" + stream_id + "')") {}
};

struct ValidationIssue {
  std::string path;     // JSON-pointer-like path of the bad field, e.g. "/events/0/event_type"
  std::string message;
  friend bool operator==(const ValidationIssue&, const ValidationIssue&) = default;
};

// Input that breaks the contract (HTTP 422 / 400). Nothing was written.
class ValidationError : public std::runtime_error {
 public:
  explicit ValidationError(std::vector<ValidationIssue> issues)
      : std::runtime_error(Summary(issues)), issues_(std::move(issues)) {}
  // One issue.
  ValidationError(std::string path, std::string message)
      : ValidationError(std::vector<ValidationIssue>{{std::move(path), std::move(message)}}) {}
  const std::vector<ValidationIssue>& issues() const { return issues_; }

 private:
  static std::string Summary(const std::vector<ValidationIssue>& issues) {
    if (issues.empty()) return "invalid input";
    return issues.front().path + ": " + issues.front().message +
           (issues.size() > 1 ? " (and " + std::to_string(issues.size() - 1) + " more)" : "");
  }
  std::vector<ValidationIssue> issues_;
};

// The thing a command names does not exist, or no longer does (HTTP 404).
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A command that the current state refuses (HTTP 409): e.g. a schema change while
// extractions exist, a conversion of a deleted document, completing a finished job.
class Conflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A command on an erased document (HTTP 410): its content is gone for good.
class DocumentErasedError : public Conflict {
 public:
  explicit DocumentErasedError(const std::string& document_id)
      : Conflict("document " + document_id + " was erased: its content cannot be changed or read"),
        document_id_(document_id) {}
  const std::string& document_id() const { return document_id_; }

 private:
  std::string document_id_;
};

// The store could not be reached or the operation's outcome is unknown (HTTP 503). Safe to
// retry with the same event ids: an append that did commit is then answered as recorded.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A statement of this request ran past the request deadline (DOCLEDGER_STATEMENT_TIMEOUT_MS,
// PostgreSQL's statement_timeout) and was cancelled; its transaction was rolled back (HTTP
// 503 `statement_timeout` with Retry-After). Not retried: the same wait would repeat.
class StoreTimeout : public StoreUnavailable {
 public:
  using StoreUnavailable::StoreUnavailable;
};

// No pooled connection became free within the acquisition bound
// (DOCLEDGER_DB_ACQUIRE_TIMEOUT_MS): every connection is busy (HTTP 503 `pool_exhausted`).
class PoolExhausted : public StoreUnavailable {
 public:
  using StoreUnavailable::StoreUnavailable;
};

}  // namespace docledger::domain
