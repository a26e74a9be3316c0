// Decoding rows of the events table (statements::kEventColumns) into RecordedEvent.
// Shared by the event store and the projector runtime.
#pragma once

#include <pqxx/row>

#include "domain/event.hpp"

namespace docledger::eventstore {

domain::RecordedEvent ToRecordedEvent(const pqxx::row& row);

}  // namespace docledger::eventstore
