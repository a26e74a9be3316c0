// Queries of the read models for the HTTP API, each a prepared statement (statements.*)
// that lets PostgreSQL build the JSON. Rows come back as JSON objects with the tables'
// column names; lists are keyset-paginated with an opaque cursor.
//
// Errors: a lost connection or a server that is down becomes domain::StoreUnavailable
// (HTTP 503); a cursor that was not made here is InvalidCursor (HTTP 400).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "infrastructure/cursor.hpp"

namespace docledger::infrastructure {

class ConnectionPool;

struct Page {
  nlohmann::json items = nlohmann::json::array();
  std::optional<std::string> next_cursor;  // absent on the last page
};

struct Versioned {
  nlohmann::json body;
  std::int64_t version = 0;  // the aggregate's stream version (the ETag)
};

struct DocumentFilter {
  std::optional<std::string> project_id;  // canonical UUID
  std::optional<std::string> status;      // uploaded | converted | conversion_failed
};

struct AlertFilter {
  std::optional<std::string> type;
  std::optional<std::string> since;  // ISO 8601 timestamp: raised at or after
};

struct StoredContent {
  std::string bytes;
  std::string content_type;
};

class ReadModels {
 public:
  explicit ReadModels(ConnectionPool& pool) : pool_(pool) {}

  std::optional<Versioned> Project(const std::string& project_id);
  Page Projects(const std::string& cursor, int limit);
  std::optional<Versioned> Document(const std::string& document_id);
  Page Documents(const DocumentFilter& filter, const std::string& cursor, int limit);
  // nullopt when the document has no view (unknown or deleted); otherwise its items in
  // document order, of one ir_type when given.
  std::optional<nlohmann::json> SemanticIr(const std::string& document_id, const std::optional<std::string>& ir_type);
  std::optional<nlohmann::json> Extraction(const std::string& extraction_id);
  Page Extractions(const std::string& project_id, const std::string& cursor, int limit);
  std::optional<Versioned> Job(const std::string& job_id);
  // Alerts, newest first, each with its webhook delivery (status, attempts, last_error).
  Page Alerts(const AlertFilter& filter, const std::string& cursor, int limit);
  // Outbox rows per delivery status (pending, delivered, throttled, dead).
  std::map<std::string, std::int64_t> DeliveryCounts();

  // Content-addressed file storage (document_contents): idempotent.
  void StoreContent(const std::string& sha256, const std::string& bytes);
  std::optional<StoredContent> DocumentContent(const std::string& document_id);

  // How far this database has got: the checkpoint of `projection`, or the head of the log
  // (highest committed sequence) when `projection` is "". 0 when nothing yet.
  std::int64_t Position(const std::string& projection);

 private:
  ConnectionPool& pool_;
};

}  // namespace docledger::infrastructure
