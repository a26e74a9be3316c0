#include "domain/event.hpp"

#include "domain/event_store.hpp"

namespace docledger::domain {

std::int64_t EventStore::ForEachEvent(std::int64_t after_sequence, std::size_t page_size,
                                      const std::function<void(const RecordedEvent&)>& visit) {
  std::int64_t last = after_sequence;
  for (;;) {
    auto page = ReadAll(last, page_size);
    for (const auto& event : page) {
      visit(event);
      last = event.sequence;
    }
    if (page.size() < page_size) return last;
  }
}

}  // namespace docledger::domain
