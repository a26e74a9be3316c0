// Content-addressed file storage (document_contents): the bytes of an upload, stored
// before the event that names them (design: a crash in between leaves only an unused row,
// which the next upload of the same bytes reuses). Reads go through the document view's
// queries (projections/document_views).
#pragma once

#include <string>

namespace docledger::infrastructure {

class ConnectionPool;

class ContentStore {
 public:
  explicit ContentStore(ConnectionPool& pool) : pool_(pool) {}
  // Idempotent: storing the same bytes again changes nothing. A lost connection is
  // domain::StoreUnavailable (HTTP 503).
  void Store(const std::string& sha256, const std::string& bytes);

 private:
  ConnectionPool& pool_;
};

}  // namespace docledger::infrastructure
