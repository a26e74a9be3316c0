// GET /api/v1/events/subscribe: Server-Sent Events over a real socket. Catch-up from
// Last-Event-ID and then live, with concurrent writers: every committed event exactly
// once, in sequence order; shutdown ends the stream.
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/support/api_fixture.hpp"
#include "tests/support/event_helpers.hpp"

namespace docledger::testing {
namespace {

using domain::ExpectedVersion;
using tcp = boost::asio::ip::tcp;

// One event of the stream: its "id:", "event:" and "data:" lines.
struct SseEvent {
  std::int64_t id = 0;
  std::string type;
  nlohmann::json data;
};

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
        if (frame.rfind("id: ", 0) != 0) continue;  // "retry:", ": keep-alive"
        SseEvent event;
        std::size_t line_start = 0;
        while (line_start < frame.size()) {
          const auto line_end = std::min(frame.find('\n', line_start), frame.size());
          const auto line = frame.substr(line_start, line_end - line_start);
          if (line.rfind("id: ", 0) == 0) event.id = std::stoll(line.substr(4));
          if (line.rfind("event: ", 0) == 0) event.type = line.substr(7);
          if (line.rfind("data: ", 0) == 0) event.data = nlohmann::json::parse(line.substr(6), nullptr, false);
          line_start = line_end + 1;
        }
        ids_.push_back(event.id);
        events_.push_back(std::move(event));
      }
      if (done(ids_)) return ids_;
    }
  }
  const std::string& text() const { return text_; }
  const std::vector<SseEvent>& events() const { return events_; }

 private:
  boost::asio::io_context ioc_;
  tcp::socket socket_;
  std::string text_;
  std::size_t parsed_ = 0;
  std::vector<std::int64_t> ids_;
  std::vector<SseEvent> events_;
};

class Subscription : public ApiTest {
 protected:
  // `received` is the event stored at `sequence`: id, type, and the data of the row.
  void ExpectEventAt(const SseEvent& received, std::int64_t sequence) {
    const auto row = Sql("SELECT event_id::text, stream_id, stream_version, event_type, payload::text FROM events "
                         "WHERE sequence = " + std::to_string(sequence));
    ASSERT_EQ(row.size(), 1u) << "no event at sequence " << sequence;
    EXPECT_EQ(received.id, sequence);
    EXPECT_EQ(received.type, row[0][3].as<std::string>());
    ASSERT_TRUE(received.data.is_object()) << "data is not JSON";
    EXPECT_EQ(received.data.value("sequence", std::int64_t{0}), sequence);
    EXPECT_EQ(received.data.value("event_id", ""), row[0][0].as<std::string>());
    EXPECT_EQ(received.data.value("stream_id", ""), row[0][1].as<std::string>());
    EXPECT_EQ(received.data.value("stream_version", std::int64_t{0}), row[0][2].as<std::int64_t>());
    EXPECT_EQ(received.data.value("event_type", ""), row[0][3].as<std::string>());
    EXPECT_EQ(received.data.value("payload", nlohmann::json()), nlohmann::json::parse(row[0][4].as<std::string>()));
  }
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
  // The first event is unlike the others, so that receiving it is checked, not assumed.
  const std::string first_id = "5f0c6a1e-3b7d-4c2a-9e8f-0a1b2c3d4e5f";
  store_->Append(MakeAppend("first-stream", ExpectedVersion::NoStream(),
                            {MakeEvent("JobStarted", R"({"job_id":"j-1","kind":"crawl"})", first_id)}));
  for (int i = 1; i < 700; ++i) store_->Append(MakeAppend("before-" + std::to_string(i % 7)));  // > one page
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
  ASSERT_FALSE(client.events().empty());
  const auto& first = client.events().front();
  EXPECT_EQ(first.id, expected.front());
  EXPECT_EQ(first.type, "JobStarted");
  EXPECT_EQ(first.data.value("event_id", ""), first_id);
  EXPECT_EQ(first.data.value("stream_id", ""), "first-stream");
  EXPECT_EQ(first.data.value("stream_version", 0), 1);
  EXPECT_EQ(first.data.value("payload", nlohmann::json()), nlohmann::json({{"job_id", "j-1"}, {"kind", "crawl"}}));
  ExpectEventAt(first, expected.front());
  ExpectEventAt(client.events().back(), expected.back());
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
  // The first event received is the one right after Last-Event-ID.
  ASSERT_FALSE(client.events().empty());
  ExpectEventAt(client.events().front(), all[20]);
}

TEST_F(Subscription, BadLastEventIdIs400AndShutdownEndsTheStream) {
  EXPECT_EQ(Call("GET", "/api/v1/events/subscribe", std::string(), {{"Last-Event-ID", "abc"}}).status, 400);
  SseClient client(server_->Port(), "");
  store_->Append(MakeAppend("one"));
  client.ReadUntil([](const auto& got) { return got.size() == 1; });
  ASSERT_EQ(client.events().size(), 1u);
  ExpectEventAt(client.events().front(), CommittedSequences().front());
  EXPECT_EQ(client.events().front().data.value("stream_id", ""), "one");
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
