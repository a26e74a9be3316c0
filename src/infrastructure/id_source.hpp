// domain::IdSource over id_generator: random v4 ids and name-based v5 ids.
#pragma once

#include "domain/command_service.hpp"
#include "infrastructure/id_generator.hpp"

namespace docledger::infrastructure {

class UuidIdSource final : public domain::IdSource {
 public:
  std::string NewId() override { return NewRandomUuid(); }
  std::string NameBasedId(const std::string& name) override { return DeterministicUuid(name); }
};

}  // namespace docledger::infrastructure
