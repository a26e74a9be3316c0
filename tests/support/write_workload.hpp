// The mixed write workload of the soak and load tests, and the check that follows it.
//
// Clients write projects, jobs that fail (each failure raises alerts), raw stream appends
// and uploads, every one with client-chosen ids, and retry a failed request (same body,
// same ids) on any instance until it gets an answer, as a real worker would. The tally
// records what was acknowledged; CheckLog then finds each acknowledged write in the log
// exactly once.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "infrastructure/content_encoding.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/wait.hpp"

namespace docledger::testing {

inline const std::map<std::string, std::string> kWorkloadAuth = {{"Authorization", "Bearer dev-admin-key"},
                                                                 {"Content-Type", "application/json"}};

inline std::string RandomUuid(std::mt19937_64& random) {
  char out[37];
  const auto a = random(), b = random();
  std::snprintf(out, sizeof out, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>(a >> 16) & 0xffff, static_cast<unsigned>(a) & 0xfff,
                static_cast<unsigned>(b >> 48) & 0xfff, static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return out;
}

// One write and how to find its effect in the log: the stream it created and the event
// type, or (for raw appends) the event id.
struct Write {
  std::string method = "POST";
  std::string target;
  std::string body;
  std::string stream_id;
  std::string event_type;
  std::string event_id;  // raw appends
  bool conflict_means_done = false;  // creates with a client id: 409 on a retry = done before
  std::string source_url;  // uploads: their document id is derived from it
  std::string sha256;      // uploads: the file's SHA-256, how the log shows it (source_url is sealed)
};

// A write that got a 2xx, and the global sequence its answer reported (0 if none).
struct Acknowledged {
  Write write;
  std::int64_t sequence = 0;
};

struct Tally {
  std::mutex mutex;
  std::vector<Acknowledged> acknowledged;
  std::atomic<std::int64_t> attempts{0}, requests{0}, unexpected{0};
  std::vector<std::string> unexpected_answers;

  std::size_t AcknowledgedCount() {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  }
  void Unexpected(std::string what) {
    unexpected++;
    std::lock_guard lock(mutex);
    unexpected_answers.push_back(std::move(what));
  }
};

// The global sequence a write's answer reports: `sequence`, `last_sequence`, or the last of
// `events[].sequence`; 0 when it reports none.
inline std::int64_t ReportedSequence(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return 0;
  for (const char* key : {"sequence", "last_sequence"}) {
    if (json.contains(key) && json[key].is_number_integer()) return json[key].get<std::int64_t>();
  }
  if (json.contains("events") && json["events"].is_array() && !json["events"].empty() &&
      json["events"].back().contains("sequence")) {
    return json["events"].back()["sequence"].get<std::int64_t>();
  }
  return 0;
}

class WriteWorkload {
 public:
  WriteWorkload(std::vector<std::uint16_t> ports, Tally& tally) : ports_(std::move(ports)), tally_(tally) {}

  // Whether some instance answers its liveness probe right now.
  bool AnyServing() const {
    return std::any_of(ports_.begin(), ports_.end(),
                       [](std::uint16_t port) { return HttpRequest(port, "GET", "/health/live").status == 200; });
  }

  // Sends `write` until it gets a non-5xx answer, on a random instance each time; after a
  // failure, the retry waits until an instance is serving again.
  bool Perform(const Write& write, std::mt19937_64& random) {
    tally_.requests++;
    for (int attempt = 0;; ++attempt) {
      tally_.attempts++;
      const auto reply = HttpRequest(ports_[random() % ports_.size()], write.method, write.target, write.body,
                                     kWorkloadAuth);
      const bool done_before = reply.status == 409 && attempt > 0 && write.conflict_means_done;
      if ((reply.status >= 200 && reply.status < 300) || done_before) {
        std::lock_guard lock(tally_.mutex);
        tally_.acknowledged.push_back({write, done_before ? 0 : ReportedSequence(reply.body)});
        return true;
      }
      if (reply.status != 0 && reply.status < 500) {
        tally_.Unexpected(write.target + " -> " + std::to_string(reply.status) + " " + reply.body);
        return false;
      }
      // No instance for a minute: give up (reported as a failure, not as lost).
      if (!WaitUntil([&] { return AnyServing(); }, std::chrono::seconds(60))) {
        tally_.Unexpected(write.target + " -> no instance served for 60 s");
        return false;
      }
    }
  }

  // One client: writes until `stop`, a project first, then jobs that fail, raw appends and
  // uploads into that project.
  void RunClient(int client, const std::atomic<bool>& stop) {
    std::mt19937_64 random(static_cast<std::uint64_t>(client) * 7919 + 1);
    std::string project;
    for (std::uint64_t n = 0; !stop; ++n) {
      const auto id = RandomUuid(random);
      Write write;
      switch (project.empty() ? 0 : n % 4) {
        case 0:
          write = {"POST", "/api/v1/projects",
                   nlohmann::json{{"project_id", id}, {"name", "workload"}, {"entity_types", {"invoice"}}}.dump(),
                   "project-" + id, "ProjectCreated", "", true, "", ""};
          if (Perform(write, random)) project = id;
          continue;
        case 1:  // a job that fails: each failure raises alerts
          write = {"POST", "/api/v1/jobs", nlohmann::json{{"job_id", id}, {"kind", "embedding"}}.dump(), "job-" + id,
                   "JobStarted", "", true, "", ""};
          if (!Perform(write, random)) continue;
          write = {"POST", "/api/v1/jobs/" + id + "/fail",
                   nlohmann::json{{"error_type", "WorkloadFailure"}, {"message", "injected"}}.dump(), "job-" + id,
                   "JobFailed", "", true, "", ""};
          break;
        case 2: {
          const auto event_id = RandomUuid(random);
          write = {"POST", "/api/v1/streams/workload-" + id + "/events",
                   nlohmann::json{{"events",
                                   {{{"event_id", event_id},
                                     {"event_type", "JobStarted"},
                                     {"payload", {{"job_id", id}, {"kind", "crawl"}}}}}}}
                       .dump(),
                   "workload-" + id, "JobStarted", event_id, false, "", ""};
          break;
        }
        default:  // an upload with a source URL: its id is derived, so a retry finds it
          write = {"POST", "/api/v1/documents",
                   nlohmann::json{{"project_id", project}, {"filename", "d.md"}, {"content", "# Doc " + id},
                                  {"source_url", "https://workload.example/" + id}}
                       .dump(),
                   "", "DocumentUploaded", "", false, "https://workload.example/" + id,
                   infrastructure::Sha256Hex("# Doc " + id)};
      }
      Perform(write, random);
    }
  }

 private:
  std::vector<std::uint16_t> ports_;
  Tally& tally_;
};

struct LogCheck {
  std::int64_t found = 0, lost = 0, duplicated = 0;
  std::int64_t created_twice = 0;  // streams whose creating event is in the log more than once
};

// Every acknowledged write in the log exactly once, and nothing created twice behind the
// clients' backs.
inline LogCheck CheckLog(const std::string& url, const std::vector<Acknowledged>& acknowledged) {
  LogCheck check;
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  for (const auto& [write, sequence] : acknowledged) {
    std::int64_t count = 0;
    if (!write.event_id.empty()) {
      count = tx.exec_params1("SELECT count(*) FROM events WHERE event_id = $1", write.event_id)[0].as<std::int64_t>();
    } else if (write.event_type == "DocumentUploaded") {
      count = tx.exec_params1("SELECT count(*) FROM events WHERE event_type = 'DocumentUploaded' "
                              "AND payload->>'sha256' = $1", write.sha256)[0].as<std::int64_t>();
    } else {
      count = tx.exec_params1("SELECT count(*) FROM events WHERE stream_id = $1 AND event_type = $2", write.stream_id,
                              write.event_type)[0].as<std::int64_t>();
    }
    if (count == 1) ++check.found;
    if (count == 0) ++check.lost;
    if (count > 1) ++check.duplicated;
  }
  check.created_twice = tx.exec("SELECT count(*) FROM (SELECT stream_id FROM events WHERE event_type IN "
                                "('ProjectCreated', 'JobStarted', 'DocumentUploaded') GROUP BY stream_id "
                                "HAVING count(*) > 1) d")[0][0].as<std::int64_t>();
  return check;
}

}  // namespace docledger::testing
