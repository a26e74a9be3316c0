// What the v1 resource handlers use: the command service (writes), the read models
// (reads), the event store (streams and the global feed) and the schema validator (the
// event catalogue). Owned by `docledger serve` (or a test) and outliving the router.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "domain/command_service.hpp"
#include "domain/event_store.hpp"
#include "domain/schema_validator.hpp"
#include "api/read_router.hpp"
#include "infrastructure/content_store.hpp"
#include "projections/read_queries.hpp"
#include "operations/projection_operations.hpp"
#include "operations/subscription_operations.hpp"

namespace docledger::api {

struct ApiServices {
  domain::CommandService& commands;
  const projections::ReadQueries& reads;
  // The uploaded bytes (document_contents), stored before the event that names them.
  infrastructure::ContentStore& contents;
  domain::EventStore& store;
  const domain::SchemaValidator& validator;
  // GET /api/v1/projections: checkpoints, lag and parked counts as JSON.
  std::function<nlohmann::json()> projection_status;
  // The highest sequence known to be committed, without blocking (EventNotifier::KnownHead);
  // unset: event streams poll the database instead.
  std::function<std::int64_t()> known_head = nullptr;
  // POST /api/v1/recovery: runs a recovery (infrastructure/recovery.*) and returns its
  // summary; unset: the route answers 503.
  std::function<nlohmann::json(bool dry_run, const domain::CommandContext&)> recover = nullptr;
  // POST /api/v1/documents/{id}/erase: erases the document (operations/document_erasure.*)
  // and returns its result; unset: the route answers 503.
  std::function<nlohmann::json(const std::string& document_id, const std::string& reason,
                               const domain::CommandContext&)>
      erase = nullptr;
  // Where reads go (primary or streaming replica, read-your-writes); unset: `reads` and
  // `store` answer every read (see read_routing.hpp).
  ReadRouter* read_router = nullptr;
  // Parked events (/api/v1/projections/{name}/parked...): list, request a retry, skip;
  // unset: those routes answer 503.
  operations::ProjectionOperations* projection_operations = nullptr;
  // The log with sealed payloads opened (docs/erasure.md "Who sees what"): the admin's
  // parked-event list shows the content the projector failed on; unset: it shows `store`'s.
  domain::EventStore* opened_store = nullptr;
  // /api/v1/subscriptions...; unset: those routes answer 503.
  operations::SubscriptionOperations* subscriptions = nullptr;
};

}  // namespace docledger::api
