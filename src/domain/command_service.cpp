#include "domain/command_service.hpp"

#include "domain/document.hpp"
#include "domain/domain_events.hpp"
#include "domain/extraction.hpp"
#include "domain/job.hpp"
#include "domain/project.hpp"
#include "domain/text_rules.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace docledger::domain {

std::string RequestName(const CommandContext& context) {
  return context.request_key.empty() ? "" : "docledger/request/" + context.actor + "\n" + context.request_key;
}

std::string RequestEventName(const CommandContext& context, const std::string& stream, std::size_t index) {
  return RequestName(context) + "\n" + stream + "\n" + std::to_string(index);
}

namespace {

constexpr std::size_t kPage = 1000;

constexpr std::size_t kMaxEventsPerCommand = 8;

// The aggregate's state from all events of its stream; `seen` (optional) sees each event.
template <typename State>
State Load(EventStore& store, const std::string& stream,
           const std::function<void(const RecordedEvent&)>& seen = nullptr) {
  State state;
  std::int64_t from = 1;
  for (;;) {
    auto events = store.ReadStream(stream, from, kPage);
    for (const auto& event : events) {
      if (seen) seen(event);
      state = Evolve(std::move(state), Decode(event));
    }
    if (events.size() < kPage) return state;
    from = events.back().stream_version + 1;
  }
}

nlohmann::json Metadata(const CommandContext& context) {
  nlohmann::json metadata = nlohmann::json::object();
  if (!context.actor.empty()) metadata["actor"] = context.actor;
  if (!context.correlation_id.empty()) metadata["correlation_id"] = context.correlation_id;
  if (!context.causation_id.empty()) metadata["causation_id"] = context.causation_id;
  return metadata;
}

void CheckIfMatch(const CommandContext& context, const std::string& stream, std::int64_t version) {
  if (context.expected_version && *context.expected_version != version) {
    throw WrongExpectedVersion(stream, std::to_string(*context.expected_version), version);
  }
}

// The ids of the events this request appends to `stream`: derived from the request when it
// has a key (the same on a re-execution), else none (the store assigns random ones).
std::vector<std::string> RequestEventIds(IdSource& ids, const CommandContext& context, const std::string& stream) {
  std::vector<std::string> out;
  if (context.request_key.empty()) return out;
  for (std::size_t i = 0; i < kMaxEventsPerCommand; ++i) out.push_back(ids.NameBasedId(RequestEventName(context, stream, i)));
  return out;
}

AppendResult AppendDecided(EventStore& store, const std::string& stream, std::int64_t loaded_version,
                           const std::vector<DomainEvent>& events, const nlohmann::json& metadata,
                           const std::vector<std::string>& event_ids = {}) {
  AppendRequest request{stream, ExpectedVersion::Exact(loaded_version), {}};
  for (std::size_t i = 0; i < events.size(); ++i) {
    request.events.push_back(Encode(events[i], i < event_ids.size() ? event_ids[i] : "", metadata));
  }
  return store.Append(request);
}

CommandOutcome Outcome(const std::string& id, const AppendResult& result, bool created) {
  return {id, result.stream_version, result.positions, created};
}

// Runs load -> decide -> append until the append is not beaten by a concurrent writer of
// the same stream (at most kMaxAttempts times; with If-Match, once).
// With an Idempotency-Key, a request whose events are already in the stream (it ran before
// and its answer was lost) is answered with them, created = false, before deciding again.
template <typename State, typename DecideFn>
CommandOutcome LoadDecideAppend(EventStore& store, IdSource& ids, const std::string& id, const std::string& stream,
                                const CommandContext& context, DecideFn decide, bool creates = false) {
  const auto event_ids = RequestEventIds(ids, context, stream);
  for (int attempt = 1;; ++attempt) {
    std::vector<EventPosition> earlier;
    const auto state = Load<State>(store, stream, [&](const RecordedEvent& event) {
      if (std::find(event_ids.begin(), event_ids.end(), event.event_id) != event_ids.end()) {
        earlier.push_back({event.event_id, event.stream_version, event.sequence});
      }
    });
    if (!earlier.empty()) return {id, state.version, earlier, false};
    CheckIfMatch(context, stream, state.version);
    const std::vector<DomainEvent> events = decide(state);
    if (events.empty()) return {id, state.version, {}, false};
    if (events.size() > kMaxEventsPerCommand) throw std::logic_error("a command decided too many events");
    try {
      return Outcome(id, AppendDecided(store, stream, state.version, events, Metadata(context), event_ids), creates);
    } catch (const WrongExpectedVersion&) {
      if (context.expected_version || attempt >= CommandService::kMaxAttempts) throw;
    }
  }
}

// The given id (canonical), else one derived from the request's Idempotency-Key, else a
// random one.
std::string AssignId(IdSource& ids, const std::string& given, const CommandContext& context, const char* what) {
  if (given.empty()) return context.request_key.empty() ? ids.NewId() : ids.NameBasedId(RequestName(context) + "\n" + what);
  auto canonical = CanonicalUuid(given);
  return canonical ? *canonical : given;  // a non-UUID id is reported by the decision
}

}  // namespace

CommandOutcome CommandService::Execute(CreateSubscription command, const CommandContext& context) {
  command.subscription_id = AssignId(ids_, command.subscription_id, context, "subscription_id");
  return LoadDecideAppend<SubscriptionState>(
      store_, ids_, command.subscription_id, SubscriptionStream(command.subscription_id), context,
      [&](const SubscriptionState& state) { return Decide(state, command); }, true);
}

namespace {

// Load, decide and append on the subscription's stream.
template <typename Command>
CommandOutcome OnSubscription(EventStore& store, IdSource& ids, const Command& command, const CommandContext& context) {
  const auto id = CanonicalUuid(command.subscription_id).value_or(command.subscription_id);
  return LoadDecideAppend<SubscriptionState>(store, ids, id, SubscriptionStream(id), context,
                                             [&](const SubscriptionState& state) { return Decide(state, command); });
}

}  // namespace

CommandOutcome CommandService::Execute(const UpdateSubscription& command, const CommandContext& context) {
  return OnSubscription(store_, ids_, command, context);
}
CommandOutcome CommandService::Execute(const RewindSubscription& command, const CommandContext& context) {
  return OnSubscription(store_, ids_, command, context);
}
CommandOutcome CommandService::Execute(const MarkSubscriptionFailing& command, const CommandContext& context) {
  return OnSubscription(store_, ids_, command, context);
}
CommandOutcome CommandService::Execute(const RotateSubscriptionSecret& command, const CommandContext& context) {
  return OnSubscription(store_, ids_, command, context);
}
CommandOutcome CommandService::Execute(const DeleteSubscription& command, const CommandContext& context) {
  return OnSubscription(store_, ids_, command, context);
}

SubscriptionState CommandService::LoadSubscription(const std::string& subscription_id) {
  const auto id = CanonicalUuid(subscription_id).value_or(subscription_id);
  return Load<SubscriptionState>(store_, SubscriptionStream(id));
}

std::string CommandService::SourceDocumentId(const std::string& project_id, const std::string& source_url) {
  return ids_.NameBasedId("docledger/source/" + project_id + "\n" + source_url);
}

std::string CommandService::LegacySourceDocumentId(const std::string& project_id, const std::string& source_url,
                                                   const std::string& sha256) {
  return ids_.NameBasedId("docledger/document/" + project_id + "\n" + source_url + "\n" + sha256);
}

CommandOutcome CommandService::Execute(CreateProject command, const CommandContext& context) {
  command.project_id = AssignId(ids_, command.project_id, context, "project_id");
  return LoadDecideAppend<ProjectState>(
      store_, ids_, command.project_id, ProjectStream(command.project_id), context,
      [&](const ProjectState& state) { return Decide(state, command, validator_); }, true);
}

CommandOutcome CommandService::Execute(const UpdateProject& command, const CommandContext& context) {
  return LoadDecideAppend<ProjectState>(store_, ids_, command.project_id, ProjectStream(command.project_id), context,
                                        [&](const ProjectState& state) { return Decide(state, command, validator_); });
}

CommandOutcome CommandService::Execute(const DeleteProject& command, const CommandContext& context) {
  return LoadDecideAppend<ProjectState>(store_, ids_, command.project_id, ProjectStream(command.project_id), context,
                                        [&](const ProjectState& state) { return Decide(state, command); });
}

UploadOutcome CommandService::Execute(UploadDocument command, const CommandContext& context) {
  if (auto canonical = CanonicalUuid(command.project_id)) command.project_id = *canonical;
  if (command.source_url) {
    command.document_id = SourceDocumentId(command.project_id, *command.source_url);
    // Until the source's own document exists, a live document recorded for the same bytes
    // before sources had revisions is the one these bytes name (deduplicated or described
    // anew there, as then).
    if (store_.ReadStream(DocumentStream(command.document_id), 1, 1).empty()) {
      const auto legacy = LegacySourceDocumentId(command.project_id, *command.source_url, command.sha256);
      const auto state = Load<DocumentState>(store_, DocumentStream(legacy));
      if (state.live() && state.source_url == command.source_url) command.document_id = legacy;
    }
  } else {
    command.document_id = AssignId(ids_, command.document_id, context, "document_id");
  }
  const auto project = Load<ProjectState>(store_, ProjectStream(command.project_id));
  UploadOutcome outcome;
  static_cast<CommandOutcome&>(outcome) = LoadDecideAppend<DocumentState>(
      store_, ids_, command.document_id, DocumentStream(command.document_id), context,
      [&](const DocumentState& state) {
        auto events = Decide(state, project, command);  // checks the command, then classifies it
        outcome.kind = ClassifyUpload(state, command);
        outcome.revision = outcome.kind == UploadKind::kCreate   ? 1
                           : outcome.kind == UploadKind::kRevise ? state.revision + 1
                                                                 : state.revision;
        return events;
      },
      true);
  outcome.created = outcome.kind == UploadKind::kCreate && !outcome.events.empty();
  return outcome;
}

CommandOutcome CommandService::Execute(const ConvertDocument& command, const CommandContext& context) {
  return LoadDecideAppend<DocumentState>(store_, ids_, command.document_id, DocumentStream(command.document_id), context,
                                         [&](const DocumentState& state) { return Decide(state, command); });
}

CommandOutcome CommandService::Execute(const FailConversion& command, const CommandContext& context) {
  return LoadDecideAppend<DocumentState>(store_, ids_, command.document_id, DocumentStream(command.document_id), context,
                                         [&](const DocumentState& state) { return Decide(state, command); });
}

CommandOutcome CommandService::Execute(const DeleteDocument& command, const CommandContext& context) {
  return LoadDecideAppend<DocumentState>(store_, ids_, command.document_id, DocumentStream(command.document_id), context,
                                         [&](const DocumentState& state) { return Decide(state, command); });
}

CommandOutcome CommandService::Execute(EraseDocument command, const CommandContext& context) {
  if (command.erased_by.empty()) command.erased_by = context.actor;
  return LoadDecideAppend<DocumentState>(store_, ids_, command.document_id, DocumentStream(command.document_id), context,
                                         [&](const DocumentState& state) { return Decide(state, command); });
}

CommandOutcome CommandService::Execute(RecordExtraction command, const CommandContext& context) {
  command.extraction_id = AssignId(ids_, command.extraction_id, context, "extraction_id");
  if (auto canonical = CanonicalUuid(command.document_id)) command.document_id = *canonical;
  const auto stream = ExtractionStream(command.extraction_id);
  const auto event_id = ids_.NameBasedId("docledger/extraction/" + command.extraction_id);
  const auto metadata = Metadata(context);
  for (int attempt = 1;; ++attempt) {
    const auto project = Load<ProjectState>(store_, ProjectStream(command.project_id));
    const auto document = Load<DocumentState>(store_, DocumentStream(command.document_id));
    auto decision = Decide(project, document, command, validator_);
    if (decision.project_event) {
      // The first extraction locks the schema, at the version the data validated against:
      // a schema change that got in first makes this append lose, and we decide again.
      try {
        AppendDecided(store_, ProjectStream(project.project_id), project.version, {*decision.project_event},
                      metadata);
      } catch (const WrongExpectedVersion&) {
        if (attempt >= kMaxAttempts) throw;
        continue;
      }
    }
    try {
      auto result = AppendDecided(store_, stream, 0, {decision.recorded}, metadata, {event_id});
      return Outcome(command.extraction_id, result, !result.already_recorded);
    } catch (const WrongExpectedVersion&) {
      throw Conflict("extraction " + command.extraction_id + " already exists with other content");
    } catch (const EventIdConflict&) {
      throw Conflict("extraction " + command.extraction_id + " already exists with other content");
    }
  }
}

CommandOutcome CommandService::Execute(StartJob command, const CommandContext& context) {
  command.job_id = AssignId(ids_, command.job_id, context, "job_id");
  return LoadDecideAppend<JobState>(
      store_, ids_, command.job_id, JobStream(command.job_id), context,
      [&](const JobState& state) { return Decide(state, command); }, true);
}

CommandOutcome CommandService::Execute(const CompleteJob& command, const CommandContext& context) {
  return LoadDecideAppend<JobState>(store_, ids_, command.job_id, JobStream(command.job_id), context,
                                    [&](const JobState& state) { return Decide(state, command); });
}

CommandOutcome CommandService::Execute(const FailJob& command, const CommandContext& context) {
  return LoadDecideAppend<JobState>(store_, ids_, command.job_id, JobStream(command.job_id), context,
                                    [&](const JobState& state) { return Decide(state, command); });
}

CommandOutcome CommandService::Execute(const OrphanExtraction& command, const CommandContext& context) {
  const auto id = CanonicalUuid(command.extraction_id).value_or(command.extraction_id);
  return LoadDecideAppend<ExtractionState>(store_, ids_, id, ExtractionStream(id), context,
                                           [&](const ExtractionState& state) {
                                             const auto document =
                                                 Load<DocumentState>(store_, DocumentStream(state.document_id));
                                             return Decide(state, document, OrphanExtraction{id, command.reason});
                                           });
}

bool CommandService::WouldOrphan(const std::string& extraction_id) {
  const auto id = CanonicalUuid(extraction_id).value_or(extraction_id);
  const auto state = Load<ExtractionState>(store_, ExtractionStream(id));
  if (!state.recorded) return false;
  const auto document = Load<DocumentState>(store_, DocumentStream(state.document_id));
  return !Decide(state, document, OrphanExtraction{id, ""}).empty();
}

CommandOutcome CommandService::Execute(CompleteRecovery command, const CommandContext& context) {
  command.run_id = AssignId(ids_, command.run_id, context, "run_id");
  const RecoveryCompleted event{command.run_id, command.orphaned_extractions, command.documents};
  const auto stream = RecoveryStream(command.run_id);
  const auto result =
      AppendDecided(store_, stream, 0, {event}, Metadata(context), RequestEventIds(ids_, context, stream));
  return Outcome(command.run_id, result, true);
}

}  // namespace docledger::domain
