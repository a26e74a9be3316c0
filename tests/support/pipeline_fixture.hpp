// A fresh database with the command service and every built-in projector: run commands,
// then CatchUpAll() until the log and all read models (and what reactors appended) are
// caught up.
#pragma once

#include <memory>
#include <vector>

#include "domain/command_service.hpp"
#include "infrastructure/id_source.hpp"
#include "infrastructure/json_schema_validator.hpp"
#include "projection_runtime/projector_runner.hpp"
#include "projections/registry.hpp"
#include "tests/support/pg_fixture.hpp"

namespace docledger::testing {

class PipelineTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    service_ = std::make_unique<domain::CommandService>(*store_, validator_, ids_);
    projection_runtime::ProjectorOptions options;
    options.poll_interval = std::chrono::milliseconds(20);
    options.base_backoff = std::chrono::milliseconds(5);
    for (const auto& projection : projections::BuiltInProjections()) {
      runners_.push_back(std::make_unique<projection_runtime::ProjectorRunner>(db_->url(), projection, options));
    }
  }
  void TearDown() override {
    for (auto& runner : runners_) runner->Stop();
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
  std::unique_ptr<domain::CommandService> service_;
  std::vector<std::unique_ptr<projection_runtime::ProjectorRunner>> runners_;
};

}  // namespace docledger::testing
