// The v1 API on a real server (port 0) over a fresh database, with the pipeline's
// projectors (CatchUpAll() makes reads see the writes). Requests go over real sockets.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "api/handlers/v1_routes.hpp"
#include "api/middleware/idempotency.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "infrastructure/idempotency_store.hpp"
#include "infrastructure/content_store.hpp"
#include "projections/read_queries_pg.hpp"
#include "infrastructure/recovery.hpp"
#include "operations/document_erasure.hpp"
#include "operations/subscription_operations.hpp"
#include "projection_runtime/projection_status.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pipeline_fixture.hpp"
#include "tests/support/test_master_key.hpp"

namespace docledger::testing {

class ApiTest : public PipelineTest {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    reads_ = std::make_unique<projections::PgReadQueries>(*pool_);
    contents_ = std::make_unique<infrastructure::ContentStore>(*pool_);
    projection_operations_ = std::make_unique<operations::PostgresProjectionOperations>(
        *pool_, std::vector<std::string>{"document_views", "semantic_ir"});
    services_ = std::make_unique<api::ApiServices>(api::ApiServices{
        *service_, reads_->Queries(), *contents_, *api_store_, validator_,
        [this] { return operations::StatusJson(projection_operations_->Status()); }});
    services_->recover = [this](bool dry_run, const domain::CommandContext& context) {
      return infrastructure::RunRecovery(*pool_, *service_, dry_run, context).ToJson();
    };
    services_->erase = [this](const std::string& id, const std::string& reason, const domain::CommandContext& context) {
      return operations::EraseDocument(*pool_, *service_, id, reason, context).ToJson();
    };
    subscription_secrets_ = std::make_unique<subscriptions::SubscriptionSecrets>(subscription_master_);
    subscriptions_ = std::make_unique<operations::SubscriptionOperations>(*pool_, *service_, *subscription_secrets_,
                                                                          operations::SubscriptionPolicy{});
    services_->subscriptions = subscriptions_.get();
    services_->projection_operations = projection_operations_.get();  // parked events, as `docledger serve` sets it
    services_->opened_store = opened_store_.get();
    ConfigureRouter(router_);
    idempotency_ = std::make_unique<infrastructure::IdempotencyStore>(*pool_, std::chrono::seconds(30));
    router_.Use(api::IdempotencyMiddleware(*idempotency_, std::chrono::seconds(10)));
    api::AddV1Routes(router_, *services_);
    api::ServerOptions options;
    options.port = 0;
    options.worker_threads = 4;
    options.max_body_bytes = 8 * 1024 * 1024;
    server_ = std::make_unique<api::Server>(options, router_);
    server_->Start();
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(5));
    PipelineTest::TearDown();
  }
  // Middleware of the test (auth...), before the routes are added.
  virtual void ConfigureRouter(api::Router&) {}

  HttpReply Call(const std::string& method, const std::string& target, const std::string& body = "",
                 std::map<std::string, std::string> headers = {}) {
    if (!body.empty() && !headers.count("Content-Type")) headers["Content-Type"] = "application/json";
    return HttpRequest(server_->Port(), method, target, body, headers);
  }
  HttpReply Call(const std::string& method, const std::string& target, const nlohmann::json& body,
                 std::map<std::string, std::string> headers = {}) {
    return Call(method, target, body.dump(), std::move(headers));
  }
  static nlohmann::json Json(const HttpReply& reply) { return nlohmann::json::parse(reply.body, nullptr, false); }

  std::unique_ptr<projections::PgReadQueries> reads_;
  std::unique_ptr<infrastructure::ContentStore> contents_;
  std::unique_ptr<operations::PostgresProjectionOperations> projection_operations_;
  infrastructure::MasterKey subscription_master_ = infrastructure::MasterKey::FromText(kTestMasterKey);
  std::unique_ptr<subscriptions::SubscriptionSecrets> subscription_secrets_;
  std::unique_ptr<operations::SubscriptionOperations> subscriptions_;
  std::unique_ptr<api::ApiServices> services_;
  std::unique_ptr<infrastructure::IdempotencyStore> idempotency_;
  api::Router router_;
  std::unique_ptr<api::Server> server_;
};

}  // namespace docledger::testing
