// Reads of the `document_views` read model and of the bytes it names (GET
// /api/v1/documents...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "projections/query_types.hpp"

namespace docledger::projections {

struct DocumentFilter {
  std::optional<std::string> project_id;  // canonical UUID
  std::optional<std::string> status;      // uploaded | converted | conversion_failed
};

struct StoredContent {
  std::string bytes;
  std::string content_type;
};

class DocumentViewQueries {
 public:
  virtual ~DocumentViewQueries() = default;
  virtual std::optional<Versioned> Document(const std::string& document_id) = 0;
  // The view's version alone (cheap: answers a conditional GET without building the JSON).
  virtual std::optional<std::int64_t> DocumentVersion(const std::string& document_id) = 0;
  // Oldest first; `cursor` "" is the first page.
  virtual Page Documents(const DocumentFilter& filter, const std::string& cursor, int limit) = 0;
  // The stored bytes of a document with a view; nullopt when either is missing.
  virtual std::optional<StoredContent> Content(const std::string& document_id) = 0;
};

}  // namespace docledger::projections
