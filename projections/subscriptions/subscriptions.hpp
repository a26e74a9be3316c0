// subscriptions: one row per live outbound subscription — target, filters, status
// (active | paused | failing), the last rewind and resume (for the delivery worker to act
// on once) and the current secret's version. The cursor is not here (subscription_cursors
// is the delivery worker's own state).
#pragma once

#include "projections/projection.hpp"

namespace docledger::projections {

class Subscriptions final : public Projection {
 public:
  std::string Name() const override { return "subscriptions"; }
  std::vector<std::string> EventTypes() const override {
    return {"SubscriptionCreated",  "SubscriptionUpdated",  "SubscriptionPaused",        "SubscriptionResumed",
            "SubscriptionFailing",  "SubscriptionRewound",  "SubscriptionSecretRotated", "SubscriptionDeleted"};
  }
  std::vector<TableSpec> Tables() const override;
  void Apply(const domain::RecordedEvent& event, RowWriter& writer) const override;
};

}  // namespace docledger::projections
