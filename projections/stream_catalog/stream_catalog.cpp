#include "projections/stream_catalog/stream_catalog.hpp"

namespace docledger::projections {

std::vector<TableSpec> StreamCatalog::Tables() const {
  return {{"stream_catalog",
           {"stream_id"},
           {{"stream_id", "text"},
            {"version", "bigint"},
            {"first_sequence", "bigint"},
            {"last_sequence", "bigint"},
            {"last_event_type", "text"},
            {"created_at", "timestamptz"},
            {"updated_at", "timestamptz"}}}};
}

// Stream versions are contiguous from 1, so every event says all there is to know
// without reading the row: the first event creates it, the others advance it.
void StreamCatalog::Apply(const domain::RecordedEvent& event, RowWriter& writer) const {
  const auto sequence = std::to_string(event.sequence);
  if (event.stream_version == 1) {
    writer.Upsert("stream_catalog", {{"stream_id", event.stream_id},
                                     {"version", "1"},
                                     {"first_sequence", sequence},
                                     {"last_sequence", sequence},
                                     {"last_event_type", event.event_type},
                                     {"created_at", event.recorded_at},
                                     {"updated_at", event.recorded_at}});
    return;
  }
  writer.Update("stream_catalog", {{"stream_id", event.stream_id},
                                   {"version", std::to_string(event.stream_version)},
                                   {"last_sequence", sequence},
                                   {"last_event_type", event.event_type},
                                   {"updated_at", event.recorded_at}});
}

}  // namespace docledger::projections
