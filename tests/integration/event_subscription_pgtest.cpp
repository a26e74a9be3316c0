// GET /api/v1/events/subscribe: Server-Sent Events over a real socket. Catch-up from
// Last-Event-ID and then live, with concurrent writers: every committed event exactly
// once, in sequence order; shutdown ends the stream.
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/support/api_fixture.hpp"
#include "tests/support/event_helpers.hpp"

namespace docledger::testing {
namespace {

using tcp = boost::asio::ip::tcp;

// Reads an SSE stream until `done(ids)` holds or the connection ends; returns the ids.
class SseClient {
 public:
  SseClient(std::uint16_t port, const std::string& headers) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const std::string request = "GET /api/v1/events/subscribe HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    boost::asio::write(socket_, boost::asio::buffer(request));
  }
  template <typename Done>
  std::vector<std::int64_t> ReadUntil(Done done) {
    char chunk[8192];
    for (;;) {
      boost::system::error_code ec;
      const auto n = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) return ids_;
      text_.append(chunk, n);
      std::size_t end;
      while ((end = text_.find("\n\n", parsed_)) != std::string::npos) {
        const auto frame = text_.substr(parsed_, end - parsed_);
        parsed_ = end + 2;
        if (frame.rfind("id: ", 0) == 0) ids_.push_back(std::stoll(frame.substr(4, frame.find('\n') - 4)));
      }
      if (done(ids_)) return ids_;
    }
  }
  const std::string& text() const { return text_; }

 private:
  boost::asio::io_context ioc_;
  tcp::socket socket_;
  std::string text_;
  std::size_t parsed_ = 0;
  std::vector<std::int64_t> ids_;
};

class Subscription : public ApiTest {
 protected:
  std::vector<std::int64_t> CommittedSequences(std::int64_t after = 0) {
    std::vector<std::int64_t> out;
    for (const auto& row : Sql("SELECT sequence FROM events WHERE sequence > " + std::to_string(after) +
                               " ORDER BY sequence")) {
      out.push_back(row[0].as<std::int64_t>());
    }
    return out;
  }
};

TEST_F(Subscription, CatchesUpThenStreamsLiveWithoutGapsOrDuplicates) {
  for (int i = 0; i < 700; ++i) store_->Append(MakeAppend("before-" + std::to_string(i % 7)));  // > one page
  SseClient client(server_->Port(), "");
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 150; ++i) store_->Append(MakeAppend("live-" + std::to_string(w) + "-" + std::to_string(i % 5)));
    });
  }
  for (auto& writer : writers) writer.join();
  const auto expected = CommittedSequences();
  ASSERT_EQ(expected.size(), 1300u);
  const auto ids = client.ReadUntil([&](const auto& got) { return !got.empty() && got.back() >= expected.back(); });
  EXPECT_EQ(ids, expected);
  EXPECT_NE(client.text().find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(client.text().find("event: DocumentUploaded"), std::string::npos) << client.text().substr(0, 400);
}

TEST_F(Subscription, ResumesAfterLastEventId) {
  for (int i = 0; i < 50; ++i) store_->Append(MakeAppend("s-" + std::to_string(i % 3)));
  const auto all = CommittedSequences();
  const auto resume_after = all[19];
  SseClient client(server_->Port(), "Last-Event-ID: " + std::to_string(resume_after) + "\r\n");
  const auto ids = client.ReadUntil([&](const auto& got) { return !got.empty() && got.back() >= all.back(); });
  EXPECT_EQ(ids, CommittedSequences(resume_after));
}

TEST_F(Subscription, BadLastEventIdIs400AndShutdownEndsTheStream) {
  EXPECT_EQ(Call("GET", "/api/v1/events/subscribe", std::string(), {{"Last-Event-ID", "abc"}}).status, 400);
  SseClient client(server_->Port(), "");
  store_->Append(MakeAppend("one"));
  client.ReadUntil([](const auto& got) { return got.size() == 1; });
  std::thread stop([&] { server_->Stop(std::chrono::seconds(5)); });
  // The stream ends (the read returns) instead of hanging until the socket timeout.
  const auto started = std::chrono::steady_clock::now();
  client.ReadUntil([](const auto&) { return false; });
  stop.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
  server_.reset();
}

}  // namespace
}  // namespace docledger::testing
