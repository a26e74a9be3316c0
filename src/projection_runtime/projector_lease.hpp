// The lease of a live projector and the session that holds it (design.md "Projections"):
// a session advisory lock per projector name on the runner's own connection, so one runner
// per projector is active across processes and hosts; the others stand by and take over
// within lease_retry after the holder's session ends. The session's settings:
// application_name shows the holder, search_path selects a rebuild's shadow schema, and
// server-side TCP keepalives end a vanished holder's session, and so its lease, in time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <pqxx/connection>

#include "projection_runtime/projector_options.hpp"
#include "projection_runtime/projector_progress.hpp"

namespace docledger::projection_runtime {

// Advisory lock classes (first int of the two-int key).
inline constexpr int kProjectorLeaseClass = 0x646c70;  // "dlp": live projector leases
inline constexpr int kRebuildLeaseClass = 0x646c72;    // "dlr": one rebuild per projector

// The server-side TCP settings of a lease session for a lease timeout T (seconds): idle
// 0.3 T, then 3 probes 0.1 T apart (each at least 1 s), and unacknowledged data aborts the
// connection after the same time. A dead peer is detected after idle + 3 x interval.
struct LeaseKeepalive {
  int idle_s = 3;
  int interval_s = 1;
  int count = 3;
  int user_timeout_ms = 6000;
  std::chrono::seconds DetectionBound() const { return std::chrono::seconds(idle_s + count * interval_s); }
};
LeaseKeepalive LeaseKeepaliveFor(std::chrono::seconds lease_timeout);

class ProjectorLease {
 public:
  // `options`: instance, schema, take_lease, lease_timeout and lease_retry are used.
  ProjectorLease(std::string url, std::string projection, ProjectorOptions options);
  ~ProjectorLease() { Release(); }
  ProjectorLease(const ProjectorLease&) = delete;
  ProjectorLease& operator=(const ProjectorLease&) = delete;

  // Opens the session when there is none, then takes the lease if it is free (a shadow
  // runner, take_lease = false, takes none) and resumes `progress` at the stored checkpoint
  // (creating its row). False when another instance holds the lease.
  bool TryTake(ProgressTracker& progress);
  // Releases the lease and closes the session (the lease ends with the session anyway).
  void Release();

  // The lease is held (any thread).
  bool Held() const { return held_.load(); }
  // The lease is held on an open session: Session() may be used (the runner's thread).
  bool Ready() const { return conn_ && conn_->is_open() && held_; }
  pqxx::connection& Session() { return *conn_; }
  // How long a stand-by waits before trying again: lease_retry, at most lease_timeout / 10.
  std::chrono::milliseconds RetryInterval() const;

 private:
  void OpenSession();

  std::string url_;
  std::string projection_;
  ProjectorOptions options_;
  std::unique_ptr<pqxx::connection> conn_;
  std::atomic<bool> held_{false};
};

}  // namespace docledger::projection_runtime
