#include "operations/document_erasure.hpp"

#include <pqxx/pqxx>

#include "domain/content_fields.hpp"
#include "domain/domain_events.hpp"
#include "infrastructure/logging.hpp"
#include "infrastructure/pg_array.hpp"
#include "infrastructure/pg_errors.hpp"

namespace docledger::operations {
namespace {

// Content-bearing events of the document without an envelope: written before sealing. Its
// own streams, and those of its extractions and jobs (found through their read models).
std::int64_t CountUnsealed(pqxx::transaction_base& tx, const std::string& document_id) {
  return tx
      .exec_params1(
          "WITH streams AS ("
          "  SELECT unnest(ARRAY['document-' || $1, 'semantic-ir-' || $1]) AS stream_id"
          "  UNION ALL SELECT 'extraction-' || extraction_id FROM extractions WHERE document_id = $1::uuid"
          "  UNION ALL SELECT 'job-' || job_id FROM jobs WHERE document_id = $1::uuid) "
          "SELECT count(*) FROM events e JOIN streams s ON e.stream_id = s.stream_id "
          "WHERE e.event_type = ANY($2::text[]) AND NOT (e.payload ? 'sealed') "
          "AND e.payload->>'document_id' = $1",
          document_id, infrastructure::ToPgArray(domain::ContentEventTypes()))[0]
      .as<std::int64_t>();
}

// The document's files (every revision), unless a document that is not erased has the same
// bytes; and the stored Idempotency-Key responses that name the document.
std::pair<std::int64_t, std::int64_t> DeleteLeftovers(pqxx::transaction_base& tx, const std::string& document_id) {
  const auto contents = tx.exec_params(
      "DELETE FROM document_contents c WHERE c.sha256 IN ("
      "  SELECT payload->>'sha256' FROM events WHERE stream_id = 'document-' || $1"
      "  AND event_type IN ('DocumentUploaded', 'DocumentRevised')) "
      "AND NOT EXISTS (SELECT 1 FROM document_views v WHERE v.sha256 = c.sha256 "
      "  AND v.document_id <> $1::uuid AND v.erased_at IS NULL)",
      document_id);
  const auto responses = tx.exec_params(
      "DELETE FROM idempotency_keys WHERE strpos(response_body, $1) > 0", document_id);
  return {contents.affected_rows(), responses.affected_rows()};
}

}  // namespace

nlohmann::json ErasureResult::ToJson() const {
  return {{"document_id", document_id},
          {"erased", true},
          {"already_erased", already_erased},
          {"version", version},
          {"sequence", sequence},
          {"unshredded_events", unshredded_events},
          {"contents_deleted", contents_deleted},
          {"stored_responses_deleted", stored_responses_deleted}};
}

ErasureResult EraseDocument(infrastructure::ConnectionPool& pool, domain::CommandService& commands,
                            const std::string& document_id, const std::string& reason,
                            const domain::CommandContext& context) {
  ErasureResult result;
  result.document_id = document_id;
  result.unshredded_events = infrastructure::Translated([&] {
    auto lease = pool.Acquire();
    pqxx::nontransaction tx(*lease);
    return CountUnsealed(tx, document_id);
  });
  const auto outcome =
      commands.Execute(domain::EraseDocument{document_id, reason, context.actor, result.unshredded_events}, context);
  result.version = outcome.version;
  result.already_erased = outcome.events.empty();
  if (!outcome.events.empty()) result.sequence = outcome.events.back().sequence;
  // The erasure ledger an operator keeps beside the backups (docs/erasure.md, "Backups"):
  // written as soon as the key is gone, before the clean-up that may still fail.
  infrastructure::LogEvent(spdlog::level::warn, "document_erased",
                           {{"document_id", document_id}, {"erased_by", context.actor}, {"sequence", result.sequence},
                            {"already_erased", result.already_erased}, {"unshredded_events", result.unshredded_events}});
  const auto [contents, responses] = infrastructure::Translated([&] {
    auto lease = pool.Acquire();
    pqxx::work tx(*lease);
    auto deleted = DeleteLeftovers(tx, document_id);
    tx.commit();
    return deleted;
  });
  result.contents_deleted = contents;
  result.stored_responses_deleted = responses;
  return result;
}

}  // namespace docledger::operations
