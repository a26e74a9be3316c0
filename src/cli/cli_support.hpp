// Small helpers shared by the operator commands.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "infrastructure/config.hpp"
#include "infrastructure/document_keys.hpp"
#include "projections/projection.hpp"

namespace docledger::cli {

// The built-in projections named (all when `names` is empty); prints the unknown names
// and the known ones, and returns nullopt, when a name is unknown.
std::optional<std::vector<std::shared_ptr<const projections::Projection>>> SelectProjections(
    const std::vector<std::string>& names);

std::vector<std::string> ProjectionNames();

// The data keys under the master key of `source` (docs/erasure.md), checked against the
// database at `url`: a wrong key is refused here, before anything is read or written.
// Prints a one-line error to stderr and returns nullptr when the key is missing, malformed
// or not the one that wrapped the database's keys. `unreachable_ok` (serve, which waits for
// the database): a database that cannot be reached yet is not an error.
std::shared_ptr<const infrastructure::DocumentKeys> DataKeysOrComplain(const infrastructure::MasterKeySource& source,
                                                                       const std::string& url,
                                                                       bool unreachable_ok = false);
// The same with the source read from the environment (the operator commands).
std::shared_ptr<const infrastructure::DocumentKeys> DataKeysOrComplain(const std::string& url);

// This process's name for leases and logs: "<hostname>:<pid>".
std::string InstanceName();

}  // namespace docledger::cli
