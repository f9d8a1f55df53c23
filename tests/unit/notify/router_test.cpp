// Which receivers hear of a ticket event, from the config's matchers.
#include <gtest/gtest.h>

#include "notify/router.h"

namespace opr::notify {
namespace {

using tickets::NotifyEvent;

config::ReceiverConfig receiver(const std::string& name, config::ReceiverMatch match = {}) {
  config::ReceiverConfig receiver;
  receiver.name = name;
  receiver.match = std::move(match);
  return receiver;
}

// Target "prod" with checks store_up (team storage) and latency (team
// latency, a runbook).
config::Config config_with(std::vector<config::ReceiverConfig> receivers) {
  config::Config config;
  config::TargetConfig target;
  target.name = "prod";
  target.pack = "tikv";
  config::CheckConfig store_up;
  store_up.name = "store_up";
  store_up.labels = {{"team", "storage"}};
  config::CheckConfig latency;
  latency.name = "latency";
  latency.labels = {{"team", "latency"}};
  latency.annotations = {{"runbook_url", "https://runbooks/latency"}};
  target.checks = {store_up, latency};
  config.targets = {target};
  config.receivers = std::move(receivers);
  return config;
}

std::vector<std::string> receivers_of(const tickets::NotificationRouter& router,
                                      const std::string& target, const std::string& check,
                                      Severity severity) {
  return router.route({target, check, severity, NotifyEvent::opened, {}}).receivers;
}

using Names = std::vector<std::string>;

TEST(Router, NoReceiversMeansNoRouter) { EXPECT_EQ(make_router(config_with({})), nullptr); }

TEST(Router, AReceiverWithoutMatchersHearsOfEverything) {
  const auto router = make_router(config_with({receiver("all")}));
  EXPECT_EQ(receivers_of(*router, "prod", "store_up", Severity::info), Names{"all"});
  EXPECT_EQ(receivers_of(*router, "gone", "gone", Severity::critical), Names{"all"});
}

TEST(Router, AWarningGoesOnlyToTheReceiversThatMatchWarnings) {
  config::ReceiverMatch critical;
  critical.severities = {Severity::critical};
  config::ReceiverMatch warnings;
  warnings.severities = {Severity::warning, Severity::critical};
  const auto router =
      make_router(config_with({receiver("pager", critical), receiver("chat", warnings)}));
  EXPECT_EQ(receivers_of(*router, "prod", "latency", Severity::warning), Names{"chat"});
  EXPECT_EQ(receivers_of(*router, "prod", "latency", Severity::critical), (Names{"pager", "chat"}));
  EXPECT_TRUE(receivers_of(*router, "prod", "latency", Severity::info).empty());
}

TEST(Router, TargetCheckAndLabelMatchersMustAllHold) {
  config::ReceiverMatch storage;
  storage.targets = {"prod"};
  storage.checks = {"store_up"};
  storage.labels = {{"team", "storage"}};
  config::ReceiverMatch latency_team;
  latency_team.labels = {{"team", "latency"}};
  const auto router =
      make_router(config_with({receiver("storage", storage), receiver("latency", latency_team)}));
  EXPECT_EQ(receivers_of(*router, "prod", "store_up", Severity::warning), Names{"storage"});
  EXPECT_EQ(receivers_of(*router, "prod", "latency", Severity::warning), Names{"latency"});
  EXPECT_TRUE(receivers_of(*router, "staging", "store_up", Severity::warning).empty());
}

TEST(Router, AFailedTicketCarriesItsChecksLabelsAndMatchesItsCheck) {
  config::ReceiverMatch by_check;
  by_check.checks = {"latency"};
  config::ReceiverMatch failed_only;
  failed_only.checks = {"latency:failed"};
  const auto router =
      make_router(config_with({receiver("check", by_check), receiver("failed", failed_only)}));
  const auto route =
      router->route({"prod", "latency:failed", Severity::warning, NotifyEvent::opened, {}});
  EXPECT_EQ(route.receivers, (Names{"check", "failed"}));
  EXPECT_EQ(route.labels.at("team"), "latency");
  EXPECT_EQ(route.annotations.at("runbook_url"), "https://runbooks/latency");
  EXPECT_EQ(receivers_of(*router, "prod", "latency", Severity::warning), Names{"check"});
}

// A cause ticket (PD down, say) blocks checks: a receiver that matches one
// of them, or its :failed ticket, hears of it; one that matches none
// does not.
TEST(Router, ACauseTicketMatchesTheChecksItBlocks) {
  config::ReceiverMatch store_up;
  store_up.checks = {"store_up"};
  config::ReceiverMatch failed_only;
  failed_only.checks = {"latency:failed"};
  config::ReceiverMatch other;
  other.checks = {"region_health"};
  const auto router = make_router(config_with(
      {receiver("storage", store_up), receiver("failed", failed_only), receiver("other", other)}));
  tickets::RouteQuery cause{
      "prod", ":failed", Severity::critical, NotifyEvent::opened, {"latency", "store_up"}};
  EXPECT_EQ(router->route(cause).receivers, (Names{"storage", "failed"}));
  cause.blocks = {"disk_space"};
  EXPECT_TRUE(router->route(cause).receivers.empty());
}

TEST(Router, SaysWhichReceiversRepeatAndHowOften) {
  auto hourly = receiver("hourly");
  hourly.repeat_interval = std::chrono::hours(1);
  const auto quiet = make_router(config_with({receiver("once")}));
  EXPECT_FALSE(quiet->repeats());
  const auto router = make_router(config_with({receiver("once"), hourly}));
  EXPECT_TRUE(router->repeats());
  EXPECT_EQ(router->repeat_interval("hourly"), std::chrono::hours(1));
  EXPECT_EQ(router->repeat_interval("once"), std::chrono::milliseconds(0));
  EXPECT_EQ(router->repeat_interval("gone"), std::chrono::milliseconds(0));
}

TEST(Router, AnAlertmanagerIsResentEveryResendIntervalUntilTheTicketResolves) {
  auto am = receiver("am");
  am.type = config::ReceiverType::alertmanager;
  am.resend_interval = std::chrono::minutes(1);
  const auto router = make_router(config_with({am, receiver("hook")}));
  EXPECT_TRUE(router->repeats());
  EXPECT_EQ(router->repeat_interval("am"), std::chrono::minutes(1));
  EXPECT_TRUE(router->repeats_until_resolved("am"));
  EXPECT_FALSE(router->repeats_until_resolved("hook"));
}

TEST(Router, TheRouteNamesTheTargetsPack) {
  const auto router = make_router(config_with({receiver("all")}));
  EXPECT_EQ(router->route({"prod", "store_up", Severity::info, NotifyEvent::opened, {}}).pack,
            "tikv");
  EXPECT_EQ(router->route({"gone", "x", Severity::info, NotifyEvent::opened, {}}).pack, "");
}

TEST(Router, ADiagnosisHookHearsOnlyOfOpeningsUnderItsHookName) {
  config::ReceiverConfig hook = receiver("triage");
  hook.type = config::ReceiverType::diagnose;
  hook.match.severities = {Severity::critical};
  const auto router = make_router(config_with({hook, receiver("chat")}));
  EXPECT_EQ(receivers_of(*router, "prod", "store_up", Severity::critical),
            (Names{"hook:triage", "chat"}));
  EXPECT_EQ(receivers_of(*router, "prod", "store_up", Severity::warning), Names{"chat"});
  for (NotifyEvent event : {NotifyEvent::acknowledged, NotifyEvent::resolved, NotifyEvent::repeated,
                            NotifyEvent::flapping_started}) {
    EXPECT_EQ(router->route({"prod", "store_up", Severity::critical, event, {}}).receivers,
              Names{"chat"});
  }
  EXPECT_EQ(router->repeat_interval("hook:triage").count(), 0);
}

}  // namespace
}  // namespace opr::notify
