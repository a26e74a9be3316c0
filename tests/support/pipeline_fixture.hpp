// A fresh database with the command service and every built-in projector: run commands,
// then CatchUpAll() until the log and all read models (and what reactors appended) are
// caught up. Content is sealed as `docledger serve` seals it (docs/erasure.md), under a
// fixed test master key, unless a test overrides SealsContent().
#pragma once

#include <memory>
#include <vector>

#include "domain/command_service.hpp"
#include "eventstore/sealing_event_store.hpp"
#include "infrastructure/document_keys.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "projection_runtime/projection_rebuild.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/registry.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_master_key.hpp"

namespace docledger::testing {

class PipelineTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    projection_runtime::ProjectorOptions options;
    domain::EventStore* command_store = store_.get();
    api_store_ = store_.get();
    if (SealsContent()) {
      keys_ = std::make_shared<const infrastructure::DocumentKeys>(infrastructure::MasterKey::FromText(kTestMasterKey));
      opened_store_ = std::make_unique<eventstore::SealingEventStore>(
          *store_, *pool_, keys_, eventstore::SealedReads::kOpened, infrastructure::DocumentKeys::SealingCache::kReadAndFill);
      sealing_store_ = std::make_unique<eventstore::SealingEventStore>(
          *store_, *pool_, keys_, eventstore::SealedReads::kAsStored, infrastructure::DocumentKeys::SealingCache::kFillOnly);
      command_store = opened_store_.get();
      api_store_ = sealing_store_.get();
      options.keys = keys_;
    }
    service_ = std::make_unique<domain::CommandService>(*command_store, validator_, ids_);
    options.poll_interval = std::chrono::milliseconds(20);
    options.base_backoff = std::chrono::milliseconds(5);
    for (const auto& projection : projections::BuiltInProjections()) {
      runners_.push_back(std::make_unique<projection_runtime::ProjectorRunner>(db_->url(), projection, options));
    }
  }
  void TearDown() override {
    for (auto& runner : runners_) runner->Stop();
  }
  virtual bool SealsContent() const { return true; }
  // `docledger replay --all` (`--verify` with verify_only): every read model's group
  // rebuilt from sequence 0 with this test's keys; the results of every group.
  std::vector<projection_runtime::RebuildResult> ReplayAll(bool verify_only = false) const {
    std::vector<std::shared_ptr<const projections::Projection>> read_models;
    for (const auto& projection : projections::BuiltInProjections()) {
      if (!dynamic_cast<const projections::Reactor*>(projection.get())) read_models.push_back(projection);
    }
    std::vector<projection_runtime::RebuildResult> results;
    for (const auto& group : projection_runtime::PlanRebuilds(db_->url(), read_models, read_models)) {
      for (auto& result : projection_runtime::RebuildProjectionGroup(db_->url(), group, RebuildWith(verify_only))) {
        results.push_back(std::move(result));
      }
    }
    return results;
  }
  // `docledger replay`'s options with this test's keys.
  projection_runtime::RebuildOptions RebuildWith(bool verify_only = false) const {
    projection_runtime::RebuildOptions options;
    options.verify_only = verify_only;
    options.keys = keys_;
    return options;
  }
  // Every projector up to the head, repeated until the reactors append nothing more.
  void CatchUpAll() {
    for (;;) {
      const auto head = store_->HeadSequence();
      for (auto& runner : runners_) runner->CatchUp(head);
      if (store_->HeadSequence() == head) return;
    }
  }
  void StartAll() {
    for (auto& runner : runners_) runner->Start();
  }
  void StopAll() {
    for (auto& runner : runners_) runner->Stop();
  }
  std::int64_t Count(const std::string& sql) { return Sql(sql)[0][0].as<std::int64_t>(); }

  std::string NewProject(const std::string& schema = R"({"type":"object"})") {
    return service_->Execute(domain::CreateProject{"", "Project", "", nlohmann::json::parse(schema), {"entity"}}).id;
  }
  std::string Upload(const std::string& project, const std::string& name = "doc.pdf") {
    return service_->Execute(domain::UploadDocument{"", project, name, "application/pdf", std::string(64, 'd'), 100,
                                                    std::nullopt, {{"pages", 3}}})
        .id;
  }

  infrastructure::JsonSchemaValidator validator_;
  infrastructure::UuidIdSource ids_;
  std::shared_ptr<const infrastructure::DocumentKeys> keys_;          // null when not sealing
  std::unique_ptr<eventstore::SealingEventStore> opened_store_;       // the command side's
  std::unique_ptr<eventstore::SealingEventStore> sealing_store_;      // the API's: envelopes as stored
  domain::EventStore* api_store_ = nullptr;
  std::unique_ptr<domain::CommandService> service_;
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> runners_;
};

}  // namespace docledger::testing
