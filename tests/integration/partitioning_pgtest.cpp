// The partitioning path of docs/partitioning.md on a copy: a populated database is turned
// into a log partitioned by sequence with sql/partitioning/partition_events_by_sequence.sql
// (run with psql, as an operator would), pg_partman keeping the ranges ahead. The old rows
// stay, in order; appends (unchanged code) continue gap-free across pg_partman's ranges and
// into the DEFAULT one when they outrun them; docledger_events_adopt_default() turns those
// rows into a range in place and pg_partman's maintenance goes on; uniqueness of event ids
// and stream versions holds across partitions even for an INSERT that bypasses the append
// functions; the log stays append-only; read models equal a replay.
#include <cstdlib>
#include <string>

#include "docledger_source_root.hpp"  // DOCLEDGER_SOURCE_ROOT
#include "domain/errors.hpp"
#include "tests/support/event_helpers.hpp"
#include "tests/support/pipeline_fixture.hpp"
#include "tests/support/shell.hpp"

namespace docledger::testing {
namespace {

const std::string kRoot = DOCLEDGER_SOURCE_ROOT;
const std::string kScript = kRoot + "/sql/partitioning/partition_events_by_sequence.sql";

class Partitioning : public PipelineTest {
 protected:
  std::pair<int, std::string> RunScript(int partition_size, int premake) {
    const auto psql = Shell(kRoot + "/scripts/pg-local bin psql");
    return Shell(psql.second.substr(0, psql.second.find('\n')) + " '" + db_->url() +
                 "' -X -q -v ON_ERROR_STOP=1 -v partition_size=" + std::to_string(partition_size) +
                 " -v premake=" + std::to_string(premake) + " -f " + kScript);
  }
  void Populate(const std::string& project, int documents) {
    for (int i = 0; i < documents; ++i) {
      const auto document = Upload(project, "doc-" + std::to_string(i) + ".pdf");
      service_->Execute(domain::ConvertDocument{document, "# Doc " + std::to_string(i) +
                                                              "\n\n$$E = mc^2$$\n\n**Mass** is the measure.", "pandoc"});
      service_->Execute(domain::RecordExtraction{"", project, document, "entity", {{"n", i}}});
    }
    CatchUpAll();
  }
  std::string PartitionOf(std::int64_t sequence) {
    return Sql("SELECT tableoid::regclass::text FROM events WHERE sequence = " + std::to_string(sequence))[0][0]
        .as<std::string>();
  }
  // Expects the statement to fail with SQLSTATE `state`.
  void ExpectRefused(const std::string& sql, const std::string& state) {
    try {
      Sql(sql);
      ADD_FAILURE() << "not refused: " << sql;
    } catch (const pqxx::sql_error& error) {
      EXPECT_EQ(error.sqlstate(), state) << sql << ": " << error.what();
    }
  }
};

TEST_F(Partitioning, KeepsTheLogAndItsGuaranteesAndAppendsContinueAcrossPartitions) {
  ASSERT_NE(std::getenv("DOCLEDGER_BINARY"), nullptr);
  const auto project = NewProject();
  Populate(project, 3);
  const auto head = Count("SELECT max(sequence) FROM events");
  const auto before = TableFingerprint(db_->url(), "events");

  const auto converted = RunScript(8, 2);
  ASSERT_EQ(converted.first, 0) << converted.second;
  EXPECT_EQ(Count("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'events'::regclass"), 1);
  EXPECT_EQ(TableFingerprint(db_->url(), "events"), before) << "every old row kept, unchanged";
  EXPECT_EQ(Count("SELECT count(*) FROM events_p0"), head);
  EXPECT_EQ(Count("SELECT count(*) FROM events_keys"), head);
  // events_p0 ends on pg_partman's grid above the head; its ranges (two ahead) follow on.
  const auto boundary = (head / 8 + 1) * 8;
  EXPECT_EQ(Count("SELECT count(*) FROM partman.show_partitions('public.events')"), 4);

  // Appends go on through the unchanged code: gap-free, through pg_partman's ranges and,
  // once they outrun them, into the DEFAULT partition.
  Populate(project, 6);
  while (Count("SELECT max(sequence) FROM events") < boundary + 3 * 8 + 2) {
    store_->Append(MakeAppend("outrun-" + std::to_string(Count("SELECT count(*) FROM events"))));
  }
  const auto new_head = Count("SELECT max(sequence) FROM events");
  EXPECT_EQ(Count("SELECT count(DISTINCT sequence) FROM events"), new_head) << "no gap, no duplicate";
  EXPECT_EQ(Count("SELECT count(*) FROM events_keys"), new_head);
  EXPECT_EQ(PartitionOf(head), "events_p0");
  EXPECT_EQ(PartitionOf(boundary), "events_p" + std::to_string(boundary));
  EXPECT_EQ(PartitionOf(boundary + 8), "events_p" + std::to_string(boundary + 8));
  EXPECT_EQ(PartitionOf(new_head), "events_default");
  // pg_partman cannot make the range those rows need (it would have to move them out of
  // the DEFAULT partition, and the log refuses DELETE): its maintenance fails...
  ExpectRefused("SELECT partman.run_maintenance('public.events')", "P0001");
  // ...until docledger_events_adopt_default() turns them into a range in place.
  const auto adopted = Sql("SELECT docledger_events_adopt_default()")[0][0].as<std::string>();
  const auto first_caught = boundary + 3 * 8;
  EXPECT_EQ(PartitionOf(new_head), "events_p" + std::to_string(first_caught)) << adopted;
  EXPECT_EQ(Count("SELECT count(*) FROM events_default"), 0);
  EXPECT_EQ(Count("SELECT count(DISTINCT sequence) FROM events"), new_head) << "nothing moved, nothing lost";
  Sql("SELECT partman.run_maintenance('public.events')");

  // Optimistic concurrency and idempotency across partitions, with the store's own code.
  const auto first = Sql("SELECT stream_id, event_id::text, event_type, payload::text, metadata::text "
                         "FROM events WHERE sequence = 1")[0];
  domain::AppendRequest again{first[0].as<std::string>(), domain::ExpectedVersion::Any(),
                              {{first[1].as<std::string>(), first[2].as<std::string>(), 1, first[3].as<std::string>(),
                                first[4].as<std::string>()}}};
  const auto duplicate = store_->Append(again);
  EXPECT_TRUE(duplicate.already_recorded);
  EXPECT_EQ(duplicate.positions.at(0).sequence, 1);
  again.events[0].payload = R"({"changed":true})";
  EXPECT_THROW(store_->Append(again), domain::EventIdConflict);
  EXPECT_THROW(store_->Append(MakeAppend(first[0].as<std::string>(), domain::ExpectedVersion::NoStream())),
               domain::WrongExpectedVersion);

  // An INSERT that bypasses the append functions cannot repeat a key kept in another
  // partition: 23505 unique_violation, nothing written.
  ExpectRefused("INSERT INTO events (event_id, stream_id, stream_version, event_type, payload) "
                "SELECT event_id, 'bypass', 1, 'JobStarted', '{}' FROM events WHERE sequence = 1",
                "23505");
  ExpectRefused("INSERT INTO events (event_id, stream_id, stream_version, event_type, payload) "
                "SELECT gen_random_uuid(), stream_id, stream_version, 'JobStarted', '{}' FROM events WHERE sequence = 2",
                "23505");
  EXPECT_EQ(Count("SELECT count(*) FROM events"), new_head);

  // Still append-only, through the parent and through a partition by name.
  ExpectRefused("UPDATE events SET payload = '{}' WHERE sequence = 1", "23001");
  ExpectRefused("DELETE FROM events_p0 WHERE sequence = 1", "23001");
  ExpectRefused("TRUNCATE events", "23001");
  ExpectRefused("TRUNCATE events_default", "23001");
  ExpectRefused("TRUNCATE events_p" + std::to_string(boundary), "23001");  // made by pg_partman

  // The next append lands in a range pg_partman made after the adopted one.
  const auto next = store_->Append(MakeAppend("after-partitioning")).positions.at(0).sequence;
  EXPECT_GT(next, new_head);  // the refused INSERTs above burnt two sequence values (rolled back, never visible)
  const auto adopted_end = (new_head / 8 + 1) * 8;
  EXPECT_EQ(PartitionOf(next), "events_p" + std::to_string(next < adopted_end ? first_caught : next / 8 * 8));
  EXPECT_GT(Count("SELECT max(split_part(partition_tablename, '_p', 2)::bigint) "
                  "FROM partman.show_partitions('public.events')"),
            next) << "ranges kept ahead";

  // Read models built across the change equal a rebuild from the partitioned log.
  CatchUpAll();
  const auto verify = Shell("DATABASE_URL='" + db_->url() + "' " + std::getenv("DOCLEDGER_BINARY") +
                            " replay --all --verify");
  EXPECT_EQ(verify.first, 0) << verify.second;

  // A second run is refused and changes nothing.
  const auto partitions = Count("SELECT count(*) FROM partman.show_partitions('public.events')");
  const auto twice = RunScript(8, 2);
  EXPECT_NE(twice.first, 0);
  EXPECT_NE(twice.second.find("already partitioned"), std::string::npos) << twice.second;
  EXPECT_EQ(Count("SELECT count(*) FROM partman.show_partitions('public.events')"), partitions);
}

}  // namespace
}  // namespace docledger::testing
