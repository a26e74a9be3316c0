// Erasing a document (POST /api/v1/documents/{id}/erase, `docledger erase`; docs/erasure.md):
//   1. count its events written before sealing (their content cannot be shredded),
//   2. append DocumentErased: the events table's trigger destroys the data key in the same
//      transaction, so from that commit on no sealed field of the document opens,
//   3. delete its stored bytes unless another document that is not erased has the same
//      bytes, and the stored responses of Idempotency-Keys that name it.
// The projectors then drop or blank its read-model content. Idempotent: erasing an erased
// document appends nothing and redoes step 3 (a crash after step 2 is finished this way).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/command_service.hpp"
#include "infrastructure/connection_pool.hpp"

namespace docledger::operations {

struct ErasureResult {
  std::string document_id;
  bool already_erased = false;          // nothing appended: it was erased before
  std::int64_t version = 0;             // the document stream's version after
  std::int64_t sequence = 0;            // of DocumentErased (0 when already erased)
  std::int64_t unshredded_events = 0;   // events from before sealing: their content stays
  std::int64_t contents_deleted = 0;    // stored files removed (0 when shared or gone)
  std::int64_t stored_responses_deleted = 0;

  nlohmann::json ToJson() const;
};

// Throws domain::NotFound (no such document), domain::ValidationError (no reason), and
// what the store throws.
ErasureResult EraseDocument(infrastructure::ConnectionPool& pool, domain::CommandService& commands,
                            const std::string& document_id, const std::string& reason,
                            const domain::CommandContext& context);

}  // namespace docledger::operations
