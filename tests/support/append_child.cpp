// Test helper for the durability test: appends single events to its own streams in a loop
// and prints "ACK <event_id> <sequence>" to stdout after each append is acknowledged
// (returned by PostgresEventStore::Append). The test kills it with SIGKILL.
// Usage: append_child DATABASE_URL STREAM_PREFIX WRITERS
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/event.hpp"
#include "eventstore/postgres_event_store.hpp"
#include "infrastructure/connection_pool.hpp"
#include "infrastructure/id_generator.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: append_child DATABASE_URL STREAM_PREFIX WRITERS\n");
    return 2;
  }
  using namespace docledger;
  infrastructure::ConnectionPool pool(argv[1], 2);
  eventstore::PostgresEventStore store(pool);
  const std::string prefix = argv[2];
  const int writers = std::stoi(argv[3]);
  std::mutex out;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (long i = 0;; ++i) {
        domain::NewEvent event{infrastructure::NewRandomUuid(), "DurabilityProbe", 1,
                               "{\"i\":" + std::to_string(i) + "}", "{}"};
        auto result = store.Append({prefix + "-" + std::to_string(w),
                                    domain::ExpectedVersion::Any(), {event}});
        std::lock_guard lock(out);
        std::printf("ACK %s %lld\n", event.event_id.c_str(),
                    static_cast<long long>(result.positions[0].sequence));
        std::fflush(stdout);
      }
    });
  }
  for (auto& t : threads) t.join();
}
