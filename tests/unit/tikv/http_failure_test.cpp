#include "http_failure.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace opr::tikv {
namespace {

constexpr const char* kStores = "http://127.0.0.1:2379/pd/api/v1/stores";

TEST(HttpFailure, SuccessIsNoFailure) {
  EXPECT_FALSE(http_failure("PD", kStores, {true, 200, "", "{}"}));
  EXPECT_FALSE(http_failure("PD", kStores, {true, 204, "", ""}));
}

TEST(HttpFailure, TransportErrorsNameTheEndpoint) {
  EXPECT_EQ(http_failure("PD", kStores, {false, 0, "Couldn't connect to server", ""}),
            "PD GET http://127.0.0.1:2379/pd/api/v1/stores failed: Couldn't connect to server");
  EXPECT_EQ(http_failure("PD", kStores, {false, 0, "", ""}),
            "PD GET http://127.0.0.1:2379/pd/api/v1/stores failed: no response");
}

TEST(HttpFailure, PdErrorBodiesAreReadAsTheirJsonString) {
  const std::string body = test::fixture("pd/pd_store_404.json");
  EXPECT_EQ(http_failure("PD", "http://pd:2379/pd/api/v1/store/99", {true, 404, "", body}),
            "PD GET http://pd:2379/pd/api/v1/store/99 answered HTTP 404: "
            "[PD:core:ErrStoreNotFound]store 99 not found");
}

TEST(HttpFailure, PrometheusErrorsShowTypeAndMessage) {
  EXPECT_EQ(
      http_failure(
          "Prometheus", "http://prom:9090/api/v1/query",
          {true, 400, "", R"({"status":"error","errorType":"bad_data","error":"parse error"})"}),
      "Prometheus GET http://prom:9090/api/v1/query answered HTTP 400: bad_data: parse error");
}

TEST(HttpFailure, OtherBodiesAreCutTo200Bytes) {
  const std::string body = "no leader\n" + std::string(400, 'z');
  const auto failure = http_failure("PD", kStores, {true, 503, "", body});
  ASSERT_TRUE(failure);
  EXPECT_EQ(*failure, std::string("PD GET ") + kStores + " answered HTTP 503: no leader " +
                          std::string(190, 'z') + "...");
  EXPECT_EQ(http_failure("PD", kStores, {true, 500, "", ""}),
            std::string("PD GET ") + kStores + " answered HTTP 500: (empty body)");
}

TEST(HttpFailure, CredentialsInTheUrlAreNotPrinted) {
  const auto failure =
      http_failure("Prometheus", "https://u:p4ss@prom/api/v1/query", {false, 0, "timeout", ""});
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->find("p4ss"), std::string::npos);
}

}  // namespace
}  // namespace opr::tikv
