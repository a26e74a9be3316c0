// What bounds one HTTP connection (api/session.*); the server's options extend it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace docledger::infrastructure {
class Metrics;
}

namespace docledger::api {

struct SessionOptions {
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::uint32_t max_header_bytes = 16 * 1024;
  // Bounds reading one request (headers and body) and writing one response, and how long
  // an idle keep-alive connection is kept.
  std::chrono::milliseconds request_timeout{30000};
  // Request metrics (every response, also 404/413/431) are recorded here when set; it must
  // outlive the server. Null = no metrics (tests). The request log is always written.
  infrastructure::Metrics* metrics = nullptr;
  // DOCLEDGER_TRUST_PROXY: the request log takes the client's address and scheme from
  // X-Forwarded-For / X-Forwarded-Proto (middleware/forwarded.hpp). Off: they are ignored.
  bool trust_proxy = false;
};

}  // namespace docledger::api
