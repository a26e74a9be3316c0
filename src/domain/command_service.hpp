// The application service: load an aggregate from its stream, decide, append with the
// version it was loaded at (optimistic concurrency; a lost race is decided again on the
// new state, a bounded number of times). I/O only through the ports it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/commands.hpp"
#include "domain/document.hpp"
#include "domain/event_store.hpp"
#include "domain/schema_validator.hpp"
#include "domain/subscription.hpp"

namespace docledger::domain {

// Where new ids come from (infrastructure/id_generator adapts it).
class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::string NewId() = 0;                              // random (v4)
  virtual std::string NameBasedId(const std::string& name) = 0;  // the same for the same name (v5)
};

struct CommandContext {
  std::string actor;           // API key name
  std::string correlation_id;
  std::string causation_id;
  // If-Match: the aggregate's stream must be at exactly this version (else
  // WrongExpectedVersion, HTTP 412), and no retry on a lost race.
  std::optional<std::int64_t> expected_version;
  // The request's Idempotency-Key, when the client sent one. New ids (of the aggregate and
  // of its events) are then derived from actor + key, so a request executed again after a
  // crash (its first run committed, but its response was never stored) finds its own
  // events and answers with them instead of creating anything twice.
  std::string request_key;
};

// What every id a request with an Idempotency-Key assigns is derived from ("" without a
// key), and the name of its `index`-th event appended to `stream` (an IdSource's
// NameBasedId turns it into the event id; the HTTP stream append derives the same way).
std::string RequestName(const CommandContext& context);
std::string RequestEventName(const CommandContext& context, const std::string& stream, std::size_t index);

struct CommandOutcome {
  std::string id;                     // the aggregate's id
  std::int64_t version = 0;           // its stream version after the command
  std::vector<EventPosition> events;  // what was appended (empty: nothing changed)
  bool created = false;               // create/upload/start: false when it existed already
};

// An upload's outcome: what it was to the document (document.hpp's ClassifyUpload) and
// the document's revision after it.
struct UploadOutcome : CommandOutcome {
  UploadKind kind = UploadKind::kDuplicate;
  std::int64_t revision = 0;
};

class CommandService {
 public:
  CommandService(EventStore& store, const SchemaValidator& validator, IdSource& ids)
      : store_(store), validator_(validator), ids_(ids) {}

  // Empty ids are assigned (random v4). An upload with a source_url gets the id derived
  // from project + source_url (SourceDocumentId): the source is one document, and a
  // re-crawl appends to its stream (a revision, a metadata update, or nothing), also when
  // two crawls arrive at once (the loser decides again on the winner's state). A source
  // first recorded before sources had revisions (its document's id derived from project
  // + source_url + sha256, LegacySourceDocumentId) answers for the same bytes until the
  // source's own document exists.
  CommandOutcome Execute(CreateProject command, const CommandContext& context = {});
  CommandOutcome Execute(const UpdateProject& command, const CommandContext& context = {});
  CommandOutcome Execute(const DeleteProject& command, const CommandContext& context = {});
  UploadOutcome Execute(UploadDocument command, const CommandContext& context = {});
  CommandOutcome Execute(const ConvertDocument& command, const CommandContext& context = {});
  CommandOutcome Execute(const FailConversion& command, const CommandContext& context = {});
  CommandOutcome Execute(const DeleteDocument& command, const CommandContext& context = {});
  // No events (and outcome.events empty) when the document is erased already.
  CommandOutcome Execute(EraseDocument command, const CommandContext& context = {});
  // The extraction id (given or assigned) names the event too: re-sending the same
  // extraction is answered with the recorded one.
  CommandOutcome Execute(RecordExtraction command, const CommandContext& context = {});
  CommandOutcome Execute(StartJob command, const CommandContext& context = {});
  CommandOutcome Execute(const CompleteJob& command, const CommandContext& context = {});
  CommandOutcome Execute(const FailJob& command, const CommandContext& context = {});

  // Marks the extraction orphaned when its document is deleted; no events otherwise
  // (already orphaned, or the document is live).
  CommandOutcome Execute(const OrphanExtraction& command, const CommandContext& context = {});
  // Whether Execute(OrphanExtraction) would append now (recover --dry-run).
  bool WouldOrphan(const std::string& extraction_id);
  // RecoveryCompleted on a new stream "recovery-<run id>".
  CommandOutcome Execute(CompleteRecovery command, const CommandContext& context = {});

  // Outbound subscriptions (subscription.hpp). Failing: no events unless it is active.
  CommandOutcome Execute(CreateSubscription command, const CommandContext& context = {});
  CommandOutcome Execute(const UpdateSubscription& command, const CommandContext& context = {});
  CommandOutcome Execute(const RewindSubscription& command, const CommandContext& context = {});
  CommandOutcome Execute(const MarkSubscriptionFailing& command, const CommandContext& context = {});
  CommandOutcome Execute(const RotateSubscriptionSecret& command, const CommandContext& context = {});
  CommandOutcome Execute(const DeleteSubscription& command, const CommandContext& context = {});
  // The subscription as its stream says now.
  SubscriptionState LoadSubscription(const std::string& subscription_id);
  // The id of the document of this project's source_url.
  std::string SourceDocumentId(const std::string& project_id, const std::string& source_url);
  // The id uploads with a source_url got before sources had revisions (one document per
  // project + source_url + sha256); their events are still in the log.
  std::string LegacySourceDocumentId(const std::string& project_id, const std::string& source_url,
                                     const std::string& sha256);

  static constexpr int kMaxAttempts = 8;

 private:
  EventStore& store_;
  const SchemaValidator& validator_;
  IdSource& ids_;
};

}  // namespace docledger::domain
