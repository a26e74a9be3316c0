#include "projection_runtime/projector_apply.hpp"

#include <map>
#include <set>

#include "domain/errors.hpp"
#include "domain/event_validation.hpp"
#include "eventstore/append_arrays.hpp"
#include "infrastructure/id_generator.hpp"
#include "infrastructure/pg_array.hpp"

namespace docledger::projection_runtime {

namespace {

using Reactions = std::vector<std::pair<const domain::RecordedEvent*, domain::AppendRequest>>;

std::string ArrayOrEmpty(const std::vector<std::string>& elements) {
  return elements.empty() ? std::string() : infrastructure::ToPgArray(elements);
}

// A reactor's appends, inside the batch transaction: the event store's order lock is taken
// by the first append and held until the batch commits, so the new events and the
// reactor's checkpoint become visible together. To keep that hold short, the requests go
// set-wise: one docledger_append call per run of requests on distinct streams (the
// function decides each stream once per call), usually one call per batch.
void AppendReactions(pqxx::transaction_base& tx, const std::string& reactor, const infrastructure::DocumentKeys* keys,
                     Reactions& reactions) {
  std::map<const domain::RecordedEvent*, std::size_t> per_source;
  for (auto& [source, request] : reactions) {
    const auto request_index = per_source[source]++;
    for (std::size_t i = 0; i < request.events.size(); ++i) {
      auto& event = request.events[i];
      if (event.event_id.empty()) {
        event.event_id = infrastructure::DeterministicUuid(reactor + "/" + source->event_id + "/" +
                                                           std::to_string(request_index) + "/" + std::to_string(i));
      }
    }
    domain::RequireValidAppend(request);
    if (keys == nullptr) continue;
    try {
      keys->Seal(
          request, [&]() -> pqxx::transaction_base& { return tx; },
          infrastructure::DocumentKeys::SealingCache::kBypass);
    } catch (const domain::DocumentErasedError&) {
      request.events.clear();  // derived from a document erased meanwhile: nothing may be written
    }
  }
  std::erase_if(reactions, [](const auto& reaction) { return reaction.second.events.empty(); });
  std::size_t begin = 0;
  while (begin < reactions.size()) {
    std::set<std::string> streams_in_call;
    std::size_t end = begin;
    while (end < reactions.size() && streams_in_call.insert(reactions[end].second.stream_id).second) ++end;
    eventstore::AppendArrays arrays;
    for (std::size_t r = begin; r < end; ++r) arrays.Add(static_cast<int>(r - begin), reactions[r].second);
    if (!arrays.empty()) {
      const auto rows = arrays.ExecuteBatch(tx);
      for (const auto& row : rows) {
        const std::string outcome = row[1].c_str();
        const auto& request = reactions[begin + static_cast<std::size_t>(row[0].as<int>())].second;
        if (outcome == "version_conflict") {
          throw domain::WrongExpectedVersion(request.stream_id, request.expected.ToString(),
                                             row[5].is_null() ? 0 : row[5].as<std::int64_t>());
        }
        if (outcome == "id_conflict") throw domain::EventIdConflict(request.stream_id);
        // "written", or "duplicate": a re-run after a rebuild; both are fine.
      }
    }
    begin = end;
  }
}

}  // namespace

PreparedProjection::PreparedProjection(std::shared_ptr<const projections::Projection> p, bool effects,
                                       std::shared_ptr<const infrastructure::DocumentKeys> data_keys)
    : projection(std::move(p)),
      name(projection->Name()),
      tables(projection->Tables()),
      read_tables(projection->ReadTables()),
      outbox_tables(projection->OutboxTables()),
      reactor(dynamic_cast<const projections::Reactor*>(projection.get())),
      types_array(ArrayOrEmpty(projection->EventTypes())),
      dependencies_array(ArrayOrEmpty(projection->DependsOn())),
      external_effects(effects),
      keys(std::move(data_keys)) {}

void OpenPayloads(pqxx::transaction_base& tx, const PreparedProjection& projection,
                  std::vector<domain::RecordedEvent>& events) {
  if (projection.keys && projection.projection->ReadsContent()) projection.keys->Open(tx, events);
}

EventApplier::EventApplier(pqxx::transaction_base& tx, const PreparedProjection& projection)
    : tx_(tx),
      projection_(projection),
      writer_(tx, projection.tables, projection.read_tables, projection.outbox_tables) {
  if (!projection.external_effects) writer_.DiscardOutbox();
}

void EventApplier::Apply(const domain::RecordedEvent& event) {
  if (projection_.reactor == nullptr) {
    projection_.projection->Apply(event, writer_);
    return;
  }
  for (auto& request : projection_.reactor->React(event)) reactions_.emplace_back(&event, std::move(request));
}

void EventApplier::Finish() {
  writer_.Flush();
  AppendReactions(tx_, projection_.name, projection_.keys.get(), reactions_);
}

}  // namespace docledger::projection_runtime
