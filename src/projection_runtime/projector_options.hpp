// How a projector runner runs (ProjectorRunner): batch size, waits and backoff, the lease
// timeout, and where it writes (a rebuild's shadow schema) with or without external effects.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "infrastructure/document_keys.hpp"

namespace docledger::projection_runtime {

struct ProjectorOptions {
  std::size_t batch_size = 1000;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds base_backoff{50};
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds lease_retry{1000};  // at most; lease_timeout / 10 when smaller
  // DOCLEDGER_LEASE_TIMEOUT: a vanished lease holder (host lost, no FIN) is replaced within
  // this bound. The runner's session asks the server to probe the connection with TCP
  // keepalives (and tcp_user_timeout) so that PostgreSQL ends a dead holder's session, and
  // so releases its lock, within 0.8 x lease_timeout; stand-bys retry every lease_timeout / 10.
  std::chrono::seconds lease_timeout{10};
  std::string instance = "docledger";  // shown as the lease holder (application_name)
  // "" = public; a rebuild's shadow schema otherwise. It comes first in the runner's
  // search_path: the projection's own tables, its checkpoint and parked rows, and
  // whatever else a rebuild puts there (the parents rebuilt in the same group: their
  // tables for Find, their checkpoints for the dependency rule) resolve to the shadow
  // schema; everything else (a parent that is not rebuilt, events) to public.
  std::string schema;
  bool take_lease = true;  // false only for a rebuild's shadow runner (the rebuild holds its own)
  // Effects outside the projection's own tables: outbox rows (OutboxTables) and the
  // ProjectionParked event appended when parking. false for `replay --verify`, which
  // must change nothing.
  bool external_effects = true;
  // The data keys that open sealed payloads (docs/erasure.md); nullptr: payloads as stored.
  std::shared_ptr<const infrastructure::DocumentKeys> keys;
};

}  // namespace docledger::projection_runtime
