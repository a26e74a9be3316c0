#include "projections/subscriptions/subscriptions.hpp"

#include "domain/domain_events.hpp"

namespace docledger::projections {
namespace {

Row Versioned(const std::string& id, const domain::RecordedEvent& event) {
  return {{"subscription_id", id}, {"version", std::to_string(event.stream_version)}, {"updated_at", event.recorded_at}};
}

Row Status(const std::string& id, const domain::RecordedEvent& event, const char* status) {
  auto row = Versioned(id, event);
  row["status"] = status;
  return row;
}

}  // namespace

std::vector<TableSpec> Subscriptions::Tables() const {
  return {{"subscriptions",
           {"subscription_id"},
           {{"subscription_id", "uuid"},
            {"url", "text"},
            {"event_types", "jsonb"},
            {"stream_prefix", "text"},
            {"start_after", "bigint"},
            {"max_batch", "integer"},
            {"description", "text"},
            {"status", "text"},
            {"rewind_after", "bigint"},
            {"rewind_sequence", "bigint"},
            {"resume_sequence", "bigint"},
            {"secret_version", "bigint"},
            {"last_error", "text"},
            {"version", "bigint"},
            {"created_at", "timestamptz"},
            {"updated_at", "timestamptz"}}}};
}

void Subscriptions::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  using namespace domain;
  const auto sequence = std::to_string(event.sequence);
  const Handlers handlers{
      [&](const SubscriptionCreated& created) {
        auto row = Versioned(created.subscription_id, event);
        row.insert({{"url", created.url},
                    {"event_types", nlohmann::json(created.event_types).dump()},
                    {"stream_prefix", created.stream_prefix},
                    {"start_after", std::to_string(created.start_after)},
                    {"max_batch", std::to_string(created.max_batch)},
                    {"description", created.description},
                    {"status", "active"},
                    {"rewind_after", std::nullopt},
                    {"rewind_sequence", "0"},
                    {"resume_sequence", "0"},
                    {"secret_version", "1"},
                    {"last_error", std::nullopt},
                    {"created_at", event.recorded_at}});
        writer.Upsert("subscriptions", std::move(row));
      },
      [&](const SubscriptionUpdated& updated) {
        auto row = Versioned(updated.subscription_id, event);
        if (updated.url) row["url"] = *updated.url;
        if (updated.event_types) row["event_types"] = nlohmann::json(*updated.event_types).dump();
        if (updated.stream_prefix) row["stream_prefix"] = *updated.stream_prefix;
        if (updated.max_batch) row["max_batch"] = std::to_string(*updated.max_batch);
        if (updated.description) row["description"] = *updated.description;
        writer.Update("subscriptions", std::move(row));
      },
      [&](const SubscriptionPaused& paused) {
        writer.Update("subscriptions", Status(paused.subscription_id, event, "paused"));
      },
      [&](const SubscriptionResumed& resumed) {
        auto row = Status(resumed.subscription_id, event, "active");
        row["resume_sequence"] = sequence;
        row["last_error"] = std::nullopt;
        writer.Update("subscriptions", std::move(row));
      },
      [&](const SubscriptionFailing& failing) {
        auto row = Status(failing.subscription_id, event, "failing");
        row["last_error"] = failing.last_error;
        writer.Update("subscriptions", std::move(row));
      },
      [&](const SubscriptionRewound& rewound) {
        auto row = Versioned(rewound.subscription_id, event);
        row["rewind_after"] = std::to_string(rewound.after);
        row["rewind_sequence"] = sequence;
        writer.Update("subscriptions", std::move(row));
      },
      [&](const SubscriptionSecretRotated& rotated) {
        auto row = Versioned(rotated.subscription_id, event);
        row["secret_version"] = std::to_string(rotated.secret_version);
        writer.Update("subscriptions", std::move(row));
      },
      [&](const SubscriptionDeleted& deleted) {
        writer.Delete("subscriptions", {{"subscription_id", deleted.subscription_id}});
      },
      Ignore<ProjectCreated, ProjectUpdated, ProjectDeleted, ProjectExtractionsStarted, DocumentUploaded,
             DocumentConverted, DocumentConversionFailed, DocumentDeleted, ExtractionRecorded, JobStarted, JobCompleted,
             JobFailed, SemanticIRExtracted, ExtractionOrphaned, RecoveryCompleted, ProjectionParked, DocumentRevised,
             DocumentMetadataUpdated, DocumentErased>{}};
  std::visit(handlers, Decode(event));
}

}  // namespace docledger::projections
