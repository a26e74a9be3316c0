// Test helper: runs projectors over a database until killed, so tests can SIGKILL a
// projector process at random points. Prints "HOLDING <projection>" each time it takes a
// lease and "CHECKPOINT <projection> <sequence>" after each batch (stdout, flushed).
// Usage: projector_child DATABASE_URL INSTANCE BATCH_SIZE PROJECTION...
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "eventstore/event_notifier.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/stream_catalog/stream_catalog.hpp"
#include "tests/support/test_projections.hpp"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: projector_child DATABASE_URL INSTANCE BATCH_SIZE PROJECTION...\n");
    return 2;
  }
  using namespace docledger;
  spdlog::set_level(spdlog::level::warn);
  const std::string url = argv[1];
  projection_runtime::ProjectorOptions options;
  options.instance = argv[2];
  options.batch_size = std::stoul(argv[3]);
  options.poll_interval = std::chrono::milliseconds(200);
  options.lease_retry = std::chrono::milliseconds(100);
  eventstore::EventNotifier notifier(url, std::chrono::milliseconds(200));
  std::mutex out;
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> runners;
  for (int i = 4; i < argc; ++i) {
    const std::string name = argv[i];
    std::shared_ptr<const projections::Projection> projection;
    if (name == "test_documents") projection = std::make_shared<testing::TestDocuments>();
    else if (name == "test_document_tags") projection = std::make_shared<testing::TestDocumentTags>();
    else if (name == "test_indexer") projection = std::make_shared<testing::TestIndexer>();
    else if (name == "stream_catalog") projection = std::make_shared<projections::StreamCatalog>();
    else {
      std::fprintf(stderr, "unknown projection %s\n", name.c_str());
      return 2;
    }
    auto runner = std::make_unique<projection_runtime::ProjectorRunner>(url, projection, options, &notifier);
    runner->OnLeaseAcquired([&out, name] {
      std::lock_guard lock(out);
      std::printf("HOLDING %s\n", name.c_str());
      std::fflush(stdout);
    });
    runner->OnBatch([&out, name](std::int64_t checkpoint, std::size_t) {
      std::lock_guard lock(out);
      std::printf("CHECKPOINT %s %lld\n", name.c_str(), static_cast<long long>(checkpoint));
      std::fflush(stdout);
    });
    runners.push_back(std::move(runner));
  }
  for (auto& runner : runners) runner->Start();
  for (;;) ::pause();  // until the test kills this process
}
