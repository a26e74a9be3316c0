// The sealing side of data keys (docs/erasure.md "Cost") on a real PostgreSQL: a key is
// cached only once its row is committed, so no event is ever sealed with a key that
// document_keys does not hold; the cache never opens anything, and an erasure made
// elsewhere is honoured as soon as this process reads it.
#include <memory>

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "eventstore/sealing_event_store.hpp"
#include "infrastructure/document_keys.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/test_master_key.hpp"

namespace docledger::testing {
namespace {

const std::string kDocument = "5b0c1d2e-3f40-4152-8364-758697a8b9ca";

domain::AppendRequest Converted(const std::string& markdown) {
  domain::AppendRequest request;
  request.stream_id = "document-" + kDocument;
  request.events.push_back({"", "DocumentConverted", 1,
                            nlohmann::json{{"document_id", kDocument}, {"markdown", markdown}, {"converter", "t"}}.dump(),
                            "{}"});
  return request;
}

domain::AppendRequest Erased() {
  domain::AppendRequest request;
  request.stream_id = "document-" + kDocument;
  request.events.push_back({"", "DocumentErased", 1,
                            nlohmann::json{{"document_id", kDocument}, {"reason", "test"}, {"erased_by", "elsewhere"},
                                           {"unshredded_events", 0}}
                                .dump(),
                            "{}"});
  return request;
}

class SealingKeys : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    keys_ = std::make_shared<const infrastructure::DocumentKeys>(infrastructure::MasterKey::FromText(kTestMasterKey));
    sealing_ = std::make_unique<eventstore::SealingEventStore>(*store_, *pool_, keys_, eventstore::SealedReads::kOpened,
                                                               infrastructure::DocumentKeys::SealingCache::kReadAndFill);
    raw_ = std::make_unique<eventstore::SealingEventStore>(*store_, *pool_, keys_, eventstore::SealedReads::kAsStored,
                                                           infrastructure::DocumentKeys::SealingCache::kFillOnly);
  }
  std::int64_t Keys() { return Sql("SELECT count(*) FROM document_keys")[0][0].as<std::int64_t>(); }
  std::shared_ptr<const infrastructure::DocumentKeys> keys_;
  std::unique_ptr<eventstore::SealingEventStore> sealing_;  // the command side's
  std::unique_ptr<eventstore::SealingEventStore> raw_;      // raw appends': every key looked up
};

TEST_F(SealingKeys, AKeyMadeInATransactionThatRollsBackIsNeverUsedAgain) {
  pqxx::connection conn(db_->url());
  {
    pqxx::work tx(conn);  // a reactor's batch that fails after sealing
    auto request = Converted("first");
    keys_->Seal(request, [&]() -> pqxx::transaction_base& { return tx; },
                infrastructure::DocumentKeys::SealingCache::kBypass);
    EXPECT_EQ(tx.exec("SELECT count(*) FROM document_keys")[0][0].as<int>(), 1);
    tx.abort();
  }
  ASSERT_EQ(Keys(), 0);

  sealing_->Append(Converted("second"));  // must make (and store) a key of its own
  EXPECT_EQ(Keys(), 1);
  const auto events = sealing_->ReadStream("document-" + kDocument, 0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].content_erased);
  EXPECT_EQ(nlohmann::json::parse(events[0].payload)["markdown"], "second") << "opens with the stored key";
}

TEST_F(SealingKeys, ACachedKeyNeverOpensAndAnErasureReadHereStopsItsUse) {
  sealing_->Append(Converted("before the erasure"));
  auto elsewhere = SecondStore();  // another instance, unaware of this one's cache
  elsewhere->Append(Erased());

  const auto events = sealing_->ReadStream("document-" + kDocument, 0, 10);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].content_erased) << "opening reads document_keys, never the sealing cache";
  EXPECT_EQ(nlohmann::json::parse(events[0].payload)["markdown"], "");
  EXPECT_THROW(sealing_->Append(Converted("after the erasure")), domain::DocumentErasedError)
      << "reading the erased document dropped the cached key: the next seal looks it up";
}

TEST_F(SealingKeys, ARawAppendLooksEveryKeyUpSoAnErasureElsewhereIsRefusedAtOnce) {
  sealing_->Append(Converted("cached by the command side"));
  raw_->Append(Converted("a raw append, key looked up"));
  auto elsewhere = SecondStore();
  elsewhere->Append(Erased());
  EXPECT_THROW(raw_->Append(Converted("after the erasure")), domain::DocumentErasedError);
  EXPECT_EQ(Sql("SELECT count(*) FROM events")[0][0].as<int>(), 3);
}

TEST_F(SealingKeys, AnEventSealedWithAKeyErasedMeanwhileReadsAsErased) {
  sealing_->Append(Converted("cached"));
  auto elsewhere = SecondStore();
  elsewhere->Append(Erased());
  // A command that passed its checks before the erasure committed: sealed with the cached,
  // now destroyed key.
  sealing_->Append(Converted("raced the erasure"));
  const auto events = sealing_->ReadStream("document-" + kDocument, 0, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[2].content_erased);
  EXPECT_EQ(nlohmann::json::parse(events[2].payload)["markdown"], "");
  const auto stored = Sql("SELECT count(*) FROM events WHERE payload::text LIKE '%raced the erasure%'");
  EXPECT_EQ(stored[0][0].as<int>(), 0);
}

}  // namespace
}  // namespace docledger::testing
