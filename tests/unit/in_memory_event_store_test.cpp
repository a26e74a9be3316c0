#include "eventstore/in_memory_event_store.hpp"
#include "tests/support/event_store_contract.hpp"

namespace docledger::testing {
namespace {

struct InMemoryFactory {
  bool SetUp() { return true; }
  domain::EventStore& store() { return store_; }
  eventstore::InMemoryEventStore store_;
};

using Adapters = ::testing::Types<InMemoryFactory>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, EventStoreContract, Adapters);

}  // namespace
}  // namespace docledger::testing
