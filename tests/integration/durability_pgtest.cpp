// An acknowledged append survives kill -9 of the process that made it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "tests/support/pg_fixture.hpp"

namespace docledger::testing {
namespace {

using Durability = PgTest;

TEST_F(Durability, EveryAcknowledgedAppendSurvivesSigkillOfTheWriter) {
  const char* child_path = std::getenv("DOCLEDGER_APPEND_CHILD");
  ASSERT_NE(child_path, nullptr) << "DOCLEDGER_APPEND_CHILD must name tests/append_child";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(child_path, child_path, db_->url().c_str(), "durable", "8", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  FILE* acks = ::fdopen(fds[0], "r");
  std::map<std::string, std::int64_t> acknowledged;
  char line[256];
  bool killed = false;
  while (std::fgets(line, sizeof line, acks) != nullptr) {
    char id[64];
    long long sequence = 0;
    if (std::sscanf(line, "ACK %63s %lld", id, &sequence) == 2) acknowledged[id] = sequence;
    if (!killed && acknowledged.size() >= 1500) {
      ::kill(pid, SIGKILL);  // mid-stream: appends are in flight right now
      killed = true;
    }
  }
  ::fclose(acks);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(killed) << "the child stopped by itself before 1500 acknowledgements";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  std::map<std::string, std::int64_t> stored;
  for (const auto& row : Sql("SELECT event_id::text, sequence FROM events")) {
    stored[row[0].c_str()] = row[1].as<std::int64_t>();
  }
  std::size_t missing = 0;
  for (const auto& [id, sequence] : acknowledged) {
    auto it = stored.find(id);
    if (it == stored.end() || it->second != sequence) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged appends";
  EXPECT_GE(stored.size(), acknowledged.size());
}

}  // namespace
}  // namespace docledger::testing
