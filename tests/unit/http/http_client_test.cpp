#include "http/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>

#include "loopback_server.h"
#include "test_support.h"

namespace opr::http {
namespace {

using namespace std::chrono_literals;

const std::string& big_body() {
  static const std::string body = test::patterned_body(3u * 1024 * 1024 + 17);
  return body;
}

// A sink that keeps every piece, to compare with the body.
std::function<bool(std::string_view)> append_to(std::string& out) {
  return [&out](std::string_view piece) {
    out.append(piece);
    return true;
  };
}

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& s = server_.server();
    s.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.status = 203;
      res.set_header("X-Custom", "yes");
      res.set_content("hello world", "text/plain");
    });
    s.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + " " + req.get_header_value("X-Token") + " " + req.body,
                      "text/plain");
    });
    s.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      slow_entered_ = true;
      gate_.wait();
      res.set_content("late", "text/plain");
    });
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(4096, 'x'), "text/plain");
    });
    s.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
        const std::string chunk(1000, 'y');
        for (int i = 0; i < 4; ++i) sink.write(chunk.data(), chunk.size());
        sink.done();
        return true;
      });
    });
    s.Get("/stream-length", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(big_body(), "application/octet-stream");
    });
    s.Get("/stream-chunked", [](const httplib::Request&, httplib::Response& res) {
      test::send_chunked(res, big_body(), 100000);
    });
    s.Get("/store-missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("store 42 not found", "text/plain");
    });
    s.Get("/pd-error", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("[PD:cluster:ErrNotBootstrapped]", "text/plain");
    });
    // Goes on for 64 MiB unless the client hangs up first.
    s.Get("/endless", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider(
          "application/octet-stream", [](size_t, httplib::DataSink& sink) {
            const std::string chunk(64 * 1024, 'e');
            for (int i = 0; i < 1024 && sink.write(chunk.data(), chunk.size()); ++i) {
            }
            sink.done();
            return true;
          });
    });
    s.Get("/first-then-hang", [this](const httplib::Request&, httplib::Response& res) {
      test::send_then_stall(res, "first piece", gate_);
    });
    server_.start();
  }
  void TearDown() override {
    gate_.open();
    server_.stop();
  }

  test::Gate gate_;
  std::atomic<bool> slow_entered_{false};  // a request is being held in /slow
  test::LoopbackServer server_;            // last: stopped before what its handlers use
};

TEST_F(HttpClientTest, ReturnsStatusBodyAndLowerCaseHeaders) {
  const Client client;
  Request request;
  request.url = server_.url("/hello");
  const Response response = client.perform(request);
  ASSERT_TRUE(response.ok) << response.error;
  EXPECT_EQ(response.status, 203);
  EXPECT_EQ(response.body, "hello world");
  EXPECT_EQ(header(response, "x-custom"), "yes");
  EXPECT_EQ(response.error, "");
}

TEST_F(HttpClientTest, SendsPostBodyAndHeaders) {
  const Client client;
  Request request;
  request.method = "POST";
  request.url = server_.url("/echo");
  request.headers = {{"X-Token", "abc"}};
  request.body = "payload=1";
  const Response response = client.perform(request);
  ASSERT_TRUE(response.ok) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "POST abc payload=1");
}

TEST_F(HttpClientTest, NotFoundIsAResponseNotAnError) {
  const Client client;
  Request request;
  request.url = server_.url("/missing");
  const Response response = client.perform(request);
  EXPECT_TRUE(response.ok);
  EXPECT_EQ(response.status, 404);
}

TEST_F(HttpClientTest, TimesOutWithAMessage) {
  const Client client;
  Request request;
  request.url = server_.url("/slow");
  request.timeout = 200ms;
  // Without the timeout the gate would let the answer through after 10 s.
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.error, "timed out after 200ms");
}

// A connection kept from an earlier request is not a connection attempt:
// when the answer hangs, the request's timeout is what ran out, even with a
// shorter connect timeout.
TEST_F(HttpClientTest, AHangOnAKeptConnectionTimesOutAfterTheRequestsTimeout) {
  ClientOptions options;
  options.connect_timeout = 100ms;
  const Client client(options);
  Request hello;
  hello.url = server_.url("/hello");
  ASSERT_TRUE(client.perform(hello).ok);
  Request request;
  request.url = server_.url("/slow");
  request.timeout = 1s;
  const Response response = client.perform(request);
  EXPECT_EQ(response.error, "timed out after 1s");
}

TEST_F(HttpClientTest, DeadlineCutsARequestShort) {
  const Client client;
  Request request;
  request.url = server_.url("/slow");
  request.timeout = 30s;
  request.deadline = std::chrono::steady_clock::now() + 200ms;
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error, "timed out at the run's deadline");
}

TEST_F(HttpClientTest, PassedDeadlineSendsNothing) {
  const Client client;
  Request request;
  request.url = server_.url("/hello");
  request.deadline = std::chrono::steady_clock::now() - 1ms;
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_NE(response.error.find("time was up"), std::string::npos) << response.error;
}

TEST_F(HttpClientTest, CancellingStopsTheRequest) {
  const Client client;
  std::atomic<bool> cancelled{false};
  Request request;
  request.url = server_.url("/slow");
  request.timeout = 30s;
  request.cancelled = &cancelled;
  Response response;
  std::thread worker([&] { response = client.perform(request); });
  // Cancelled while the request is in flight, not before it was sent.
  EXPECT_TRUE(test::wait_until([this] { return slow_entered_.load(); }, 30s));
  cancelled = true;
  worker.join();
  EXPECT_FALSE(response.ok);
  EXPECT_NE(response.error.find("cancelled"), std::string::npos) << response.error;
}

TEST_F(HttpClientTest, RefusesResponsesOverTheSizeCap) {
  ClientOptions options;
  options.max_response_bytes = 1024;
  const Client client(options);
  for (const char* path : {"/big", "/big-chunked"}) {
    Request request;
    request.url = server_.url(path);
    const Response response = client.perform(request);
    EXPECT_FALSE(response.ok) << path;
    EXPECT_EQ(response.error, "response larger than 1024 bytes") << path;
    EXPECT_TRUE(response.body.empty());
  }
}

// libcurl's text says that it could not connect; the client adds the
// system's reason, whatever the C library calls it.
TEST(HttpClient, ConnectionRefusedIsReportedWithTheSystemsReason) {
  const Client client;
  Request request;
  const int port = test::free_port();  // nothing listens there
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_TRUE(response.error.ends_with(" (" + std::string(std::strerror(ECONNREFUSED)) + ")"))
      << response.error;
}

// A listener whose backlog is full (Linux then drops new SYNs): the
// connection attempt hangs until the connect timeout, which the error names.
TEST(HttpClient, AConnectionThatIsNeverAcceptedTimesOutConnecting) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int filler = ::socket(AF_INET, SOCK_STREAM, 0);  // takes the one place in the backlog
  ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

  ClientOptions options;
  options.connect_timeout = 200ms;
  const Client client(options);
  Request request;
  request.url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/";
  request.timeout = 30s;
  const Response response = client.perform(request);
  ::close(filler);
  ::close(listener);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error, "timed out connecting after 200ms");
}

TEST(HttpClient, RejectsUnsupportedSchemes) {
  const Client client;
  Request request;
  request.url = "file:///etc/passwd";
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_TRUE(response.body.empty());
  EXPECT_FALSE(response.error.empty());
}

// --- streaming a 2xx body to Request::on_body ------------------------------

TEST_F(HttpClientTest, StreamsA2xxBodyInPiecesAndKeepsNoneOfIt) {
  const Client client;
  for (const char* path : {"/stream-length", "/stream-chunked"}) {
    Request request;
    request.url = server_.url(path);
    std::string streamed;
    int pieces = 0;
    request.on_body = [&](std::string_view piece) {
      EXPECT_FALSE(piece.empty());
      streamed.append(piece);
      ++pieces;
      return true;
    };
    const Response response = client.perform(request);
    ASSERT_TRUE(response.ok) << path << ": " << response.error;
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_TRUE(response.body.empty()) << path;
    EXPECT_EQ(header(response, "content-type"), "application/octet-stream") << path;
    EXPECT_GT(pieces, 1) << path;
    EXPECT_TRUE(streamed == big_body()) << path << ": " << streamed.size() << " bytes streamed";
  }
}

TEST_F(HttpClientTest, StreamsADecodedBody) {
  server_.stop();
  test::LoopbackServer server;
  server.server().Get("/json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(big_body(), "application/json");  // httplib compresses JSON
  });
  server.start();
  const Client client;
  Request request;
  request.url = server.url("/json");
  request.headers = {{"Accept-Encoding", "gzip"}};
  std::string streamed;
  request.on_body = append_to(streamed);
  const Response response = client.perform(request);
  ASSERT_TRUE(response.ok) << response.error;
  EXPECT_EQ(header(response, "content-encoding"), "gzip");
  EXPECT_TRUE(response.body.empty());
  EXPECT_TRUE(streamed == big_body()) << streamed.size() << " bytes streamed";
}

TEST_F(HttpClientTest, AsksAPeerOnThisMachineForAnUncompressedBody) {
  server_.stop();
  test::LoopbackServer server;
  std::string asked = "(not called)";
  server.server().Get("/json", [&asked](const httplib::Request& req, httplib::Response& res) {
    asked = req.get_header_value("Accept-Encoding");
    res.set_content(big_body(), "application/json");  // compressed only if asked
  });
  server.start();
  const Client client;
  Request request;
  request.url = server.url("/json");
  const Response response = client.perform(request);
  ASSERT_TRUE(response.ok) << response.error;
  EXPECT_EQ(asked, "");
  EXPECT_EQ(header(response, "content-encoding"), "<absent>");
  EXPECT_TRUE(response.body == big_body()) << response.body.size() << " bytes";
}

TEST_F(HttpClientTest, KeepsAnErrorBodyAndNeverCallsTheSink) {
  const Client client;
  for (const auto& [path, status, text] :
       {std::tuple{"/store-missing", 404, "store 42 not found"},
        std::tuple{"/pd-error", 500, "[PD:cluster:ErrNotBootstrapped]"}}) {
    Request request;
    request.url = server_.url(path);
    int calls = 0;
    request.on_body = [&](std::string_view) {
      ++calls;
      return true;
    };
    const Response response = client.perform(request);
    ASSERT_TRUE(response.ok) << path << ": " << response.error;
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(response.body, text);
    EXPECT_EQ(calls, 0) << path;
  }
}

TEST_F(HttpClientTest, TheSizeCapCountsStreamedBytes) {
  ClientOptions options;
  options.max_response_bytes = 1024;
  const Client client(options);
  for (const char* path : {"/big", "/big-chunked"}) {
    Request request;
    request.url = server_.url(path);
    size_t streamed = 0;
    request.on_body = [&](std::string_view piece) {
      streamed += piece.size();
      return true;
    };
    const Response response = client.perform(request);
    EXPECT_FALSE(response.ok) << path;
    EXPECT_EQ(response.error, "response larger than 1024 bytes") << path;
    EXPECT_LE(streamed, 1024u) << path;
  }
}

TEST_F(HttpClientTest, ASinkReturningFalseStopsTheTransfer) {
  const Client client;
  Request request;
  request.url = server_.url("/endless");
  int calls = 0;
  request.on_body = [&](std::string_view) {
    ++calls;
    return false;
  };
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.error, "the pack stopped reading the body");
  EXPECT_EQ(calls, 1);
}

TEST_F(HttpClientTest, AThrowingSinkStopsTheTransferWithItsMessage) {
  const Client client;
  Request request;
  request.url = server_.url("/endless");
  int calls = 0;
  request.on_body = [&](std::string_view) -> bool {
    ++calls;
    throw std::runtime_error("unexpected character at byte 12");
  };
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error, "reading the body failed: unexpected character at byte 12");
  EXPECT_EQ(calls, 1);
}

TEST_F(HttpClientTest, ATimeoutMidStreamFailsTheResponse) {
  const Client client;
  Request request;
  request.url = server_.url("/first-then-hang");
  // Long enough for the first piece to arrive however busy the machine,
  // and far shorter than the gate's 10 s.
  request.timeout = 2s;
  std::string streamed;
  request.on_body = append_to(streamed);
  const Response response = client.perform(request);
  EXPECT_EQ(streamed, "first piece");
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.error, "timed out after 2s");
}

TEST_F(HttpClientTest, CancellingMidStreamFailsTheResponse) {
  const Client client;
  std::atomic<bool> cancelled{false};
  Request request;
  request.url = server_.url("/first-then-hang");
  request.timeout = 30s;
  request.cancelled = &cancelled;
  request.on_body = [&](std::string_view) {
    cancelled = true;
    return true;
  };
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.error, "the run was cancelled during the request");
}

TEST_F(HttpClientTest, ARequestFromInsideASinkFailsAndTheOuterOneGoesOn) {
  const Client client;
  Request request;
  request.url = server_.url("/stream-chunked");
  std::string inner_error;
  size_t streamed = 0;
  request.on_body = [&](std::string_view piece) {
    if (streamed == 0) {
      Request inner;
      inner.url = server_.url("/hello");
      inner_error = client.perform(inner).error;
    }
    streamed += piece.size();
    return true;
  };
  const Response response = client.perform(request);
  ASSERT_TRUE(response.ok) << response.error;
  EXPECT_EQ(streamed, big_body().size());
  EXPECT_EQ(inner_error, "an HTTP request was made from inside a body callback");
  // The thread's handle is still good for the next request.
  Request next;
  next.url = server_.url("/hello");
  EXPECT_EQ(client.perform(next).body, "hello world");
}

}  // namespace
}  // namespace opr::http
