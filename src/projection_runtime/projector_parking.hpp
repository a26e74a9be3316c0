// Parking (design.md "Projections", poison): an event that a projection cannot apply is
// parked in projection_parked, in a transaction of its own that moves the checkpoint past
// it, and reported by a ProjectionParked event (the projection_parked alert). Later events
// of its stream are held behind it (rows with held_behind), and so are the streams a
// dependency has parked, while every other stream keeps moving. On request (`docledger
// parked retry`) the parked and held events of a stream are applied again, oldest first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "domain/event.hpp"
#include "projection_runtime/projector_apply.hpp"
#include "projection_runtime/projector_progress.hpp"

namespace docledger::projection_runtime {

// stream -> first parked sequence
using HeldStreams = std::map<std::string, std::int64_t>;

// The streams whose events the projection holds: those it parked and those one of its
// dependencies parked. Read under the checkpoint row lock, so exact for the transaction.
HeldStreams LoadHeldStreams(pqxx::transaction_base& tx, const PreparedProjection& projection);

// Records `event` as held behind the parked event `first_parked` of its stream, in the
// batch transaction `tx`.
void HoldBehind(pqxx::transaction_base& tx, const std::string& projection, const domain::RecordedEvent& event,
                std::int64_t first_parked);

// Parks `event` in a transaction of its own that advances the checkpoint from `expected`
// to the event (CheckpointMoved when it is no longer `expected`), and records that in
// `progress`. With external_effects, also appends the ProjectionParked event; failing to
// append it is logged and does not stop the parking.
void Park(pqxx::connection& conn, const PreparedProjection& projection, const domain::RecordedEvent& event,
          const std::string& error, std::int64_t expected, ProgressTracker& progress);

// Applies the parked events of every stream with retry requested, in order, one per
// transaction; first requests it for the streams held only because a dependency had parked
// them and has since cleared them. An event that fails again stays parked and keeps the
// rest of its stream held. Needs the lease. Returns the number of events applied.
std::size_t RetryRequestedParked(pqxx::connection& conn, const PreparedProjection& projection);

}  // namespace docledger::projection_runtime
