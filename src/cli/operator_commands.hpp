// The command side as the operator commands run it (`recover`, `erase`): a small pool, the
// event store sealing and opening content with the data keys (docs/erasure.md), and the
// command service over it.
#pragma once

#include <memory>
#include <string>

#include "domain/command_service.hpp"
#include "eventstore/postgres_event_store.hpp"
#include "eventstore/sealing_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/document_keys.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"

namespace docledger::cli {

struct OperatorCommands {
  OperatorCommands(const std::string& url, const std::shared_ptr<const infrastructure::DocumentKeys>& keys)
      : pool(url, 2), store(pool), opened(store, pool, keys, eventstore::SealedReads::kOpened,
               infrastructure::DocumentKeys::SealingCache::kReadAndFill),
        commands(opened, validator, ids) {}

  infrastructure::ConnectionPool pool;
  eventstore::PostgresEventStore store;
  eventstore::SealingEventStore opened;
  const infrastructure::JsonSchemaValidator validator;
  infrastructure::UuidIdSource ids;
  domain::CommandService commands;
};

}  // namespace docledger::cli
