#include "http/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include "loopback_server.h"
#include "test_support.h"

namespace opr::http {
namespace {

using namespace std::chrono_literals;

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
    server_.start();
  }
  void TearDown() override {
    gate_.open();
    server_.stop();
  }

  test::LoopbackServer server_;
  test::Gate gate_;
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
  const auto start = std::chrono::steady_clock::now();
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.error.find("timed out"), std::string::npos) << response.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(HttpClientTest, DeadlineCutsARequestShort) {
  const Client client;
  Request request;
  request.url = server_.url("/slow");
  request.timeout = 30s;
  request.deadline = std::chrono::steady_clock::now() + 200ms;
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_NE(response.error.find("timed out"), std::string::npos) << response.error;
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

TEST(HttpClient, ConnectionRefusedIsReportedAsText) {
  const Client client;
  Request request;
  const int port = test::free_port();  // nothing listens there
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  const Response response = client.perform(request);
  EXPECT_FALSE(response.ok);
  EXPECT_NE(response.error.find("127.0.0.1"), std::string::npos) << response.error;
  EXPECT_NE(response.error.find("refused"), std::string::npos) << response.error;
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

}  // namespace
}  // namespace opr::http
