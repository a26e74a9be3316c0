#include "projection_runtime/projector_errors.hpp"

#include <pqxx/except>

#include "domain/errors.hpp"
#include "infrastructure/master_key.hpp"
#include "infrastructure/pg_errors.hpp"

namespace docledger::projection_runtime {

bool IsPermanent(const std::exception& e) {
  if (dynamic_cast<const CheckpointMoved*>(&e) != nullptr) return false;
  if (dynamic_cast<const domain::StoreUnavailable*>(&e) != nullptr) return false;  // cannot connect
  // The process's master key is not the database's (docs/erasure.md): no event is at
  // fault, so none is parked; the projector retries (and logs) until restarted right.
  if (dynamic_cast<const infrastructure::MasterKeyError*>(&e) != nullptr) return false;
  if (dynamic_cast<const pqxx::pqxx_exception*>(&e) == nullptr) return true;  // from Apply
  return infrastructure::ClassifyPgError(e) == infrastructure::PgErrorKind::kPermanent;
}

}  // namespace docledger::projection_runtime
