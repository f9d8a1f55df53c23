#include "http_routes.h"

#include <charconv>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "control_api.h"
#include "json_writer.h"
#include "metrics_render.h"
#include "pd_control.h"
#include "pd_metrics_render.h"
#include "pd_render.h"

namespace opr::sim {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kHangLimit(60'000);
constexpr milliseconds kPollStep(50);
// A real PD error: what /stores answers before any TiKV has joined.
constexpr const char* kPdErrorMessage =
    "[PD:cluster:ErrNotBootstrapped]TiKV cluster not bootstrapped, please start TiKV first";
// Valid UTF-8 that stops in the middle of a key, like a cut connection.
constexpr const char* kGarbageBody =
    "{\n  \"count\": 3,\n  \"stores\": [\n    {\n      \"store\": {\n        \"id\": 1,\n"
    "        \"addr";

void set_pd_answer(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", kPdContentType);
}

// Applies the PD mode. Returns true when the mode answered the request
// itself; false when the handler should answer normally (ok, or slow once
// the delay passed).
bool pd_fault(const Cluster& cluster, httplib::Response& res) {
  cluster.count_pd_request();  // every PD handler starts here
  const auto started = steady_clock::now();
  for (;;) {
    switch (cluster.pd_mode()) {
      case PdMode::kOk:
        return false;
      case PdMode::kError:
        set_pd_answer(res, 500, render_error(kPdErrorMessage));
        return true;
      case PdMode::kGarbage:
        set_pd_answer(res, 200, kGarbageBody);
        return true;
      case PdMode::kSlow: {
        const auto until = started + cluster.pd_slow_delay();
        while (steady_clock::now() < until && !cluster.stopping()) {
          std::this_thread::sleep_for(kPollStep);
        }
        return false;
      }
      case PdMode::kHang:
        if (cluster.stopping() || steady_clock::now() - started > kHangLimit) {
          res.status = 503;
          res.set_content("tikv-sim: PD kept hanging for 60 s\n", "text/plain; charset=utf-8");
          return true;
        }
        std::this_thread::sleep_for(kPollStep);
        break;
    }
  }
}

// Go's strconv.Atoi on a state value, PD's filter check, and its messages.
std::optional<std::string> parse_states(const httplib::Request& req, std::vector<int>& states) {
  const std::size_t count = req.get_param_value_count("state");
  if (count == 0) {
    states = {0, 1};  // PD's default: Up and Offline, no Tombstone
    return std::nullopt;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const std::string text = req.get_param_value("state", i);
    const char* begin = text.data();
    if (!text.empty() && text[0] == '+') ++begin;
    long long value = 0;
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      const char* reason =
          ec == std::errc::result_out_of_range ? "value out of range" : "invalid syntax";
      return "strconv.Atoi: parsing " + json_quote(text) + ": " + reason;
    }
    if (value < 0 || value > 2) return "unknown StoreState: " + std::to_string(value);
    states.push_back(static_cast<int>(value));
  }
  return std::nullopt;
}

}  // namespace

void ThreadPerConnection::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    ++running_;
  }
  std::thread([this, fn = std::move(fn)] {
    fn();
    std::lock_guard lock(mutex_);
    --running_;
    done_.notify_all();
  }).detach();
}

void ThreadPerConnection::shutdown() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return running_ == 0; });
}

void add_routes(httplib::Server& server, Cluster& cluster) {
  const std::int64_t started_ns = steady_now_ns();

  server.Get("/pd/api/v1/stores", [&cluster](const httplib::Request& req, httplib::Response& res) {
    if (pd_fault(cluster, res)) return;
    std::vector<int> states;
    if (auto error = parse_states(req, states)) {
      set_pd_answer(res, 500, render_error(*error));
      return;
    }
    const auto order = cluster.shuffled_order();
    std::string body;
    cluster.read([&](const std::vector<Store>& stores) {
      body = render_stores(stores, order, states, wall_now_ns());
    });
    set_pd_answer(res, 200, std::move(body));
  });

  server.Get(R"(/pd/api/v1/store/([^/]+))", [&cluster](const httplib::Request& req,
                                                       httplib::Response& res) {
    if (pd_fault(cluster, res)) return;
    const std::string text = req.matches[1];
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      const char* reason =
          ec == std::errc::result_out_of_range ? "value out of range" : "invalid syntax";
      set_pd_answer(res, 400,
                    render_error("strconv.ParseUint: parsing " + json_quote(text) + ": " + reason));
      return;
    }
    if (id == 0 || id > cluster.size()) {
      set_pd_answer(
          res, 404,
          render_error("[PD:core:ErrStoreNotFound]store " + std::to_string(id) + " not found"));
      return;
    }
    std::string body;
    cluster.read([&](const std::vector<Store>& stores) {
      body = render_store(stores[id - 1], wall_now_ns());
    });
    set_pd_answer(res, 200, std::move(body));
  });

  server.Get("/pd/api/v1/health", [&cluster](const httplib::Request&, httplib::Response& res) {
    if (pd_fault(cluster, res)) return;
    set_pd_answer(res, 200, render_health(cluster));
  });

  server.Get("/pd/api/v1/members", [&cluster](const httplib::Request&, httplib::Response& res) {
    if (pd_fault(cluster, res)) return;
    set_pd_answer(res, 200, render_members(cluster));
  });

  server.Get("/metrics", [&cluster, started_ns](const httplib::Request&, httplib::Response& res) {
    std::string body;
    cluster.read([&](const std::vector<Store>& stores) {
      const std::int64_t now = steady_now_ns();
      body = render_metrics(stores, cluster.by_status_address(), now,
                            static_cast<double>(now - started_ns) / 1e9);
    });
    res.body = std::move(body);
    res.set_header("Content-Type", kMetricsContentType);
  });

  // Every PD member's own /metrics (real PD serves it on its client port);
  // not a PD API request, so neither the PD mode nor pd_requests touch it.
  server.Get("/pd/metrics", [&cluster](const httplib::Request&, httplib::Response& res) {
    std::string body;
    cluster.read_pd([&](const std::vector<Store>& stores, const PdView& view) {
      body = render_pd_metrics(cluster.members(), view, stores, steady_now_ns(), wall_now_ns());
    });
    res.body = std::move(body);
    res.set_header("Content-Type", kPdMetricsContentType);
  });

  const auto answer = [](httplib::Response& res, const ControlAnswer& a) {
    res.status = a.status;
    res.set_content(a.body, "application/json");
  };
  server.Post(R"(/sim/stores/([^/]+))",
              [&cluster, answer](const httplib::Request& req, httplib::Response& res) {
                answer(res, change_store(cluster, req.matches[1], req.body));
              });
  server.Post("/sim/pd", [&cluster, answer](const httplib::Request& req, httplib::Response& res) {
    answer(res, change_pd_mode(cluster, req.body));
  });
  server.Post(R"(/sim/pd/members/([^/]+))",
              [&cluster, answer](const httplib::Request& req, httplib::Response& res) {
                answer(res, change_pd_member(cluster, req.matches[1], req.body));
              });
  server.Post("/sim/pd/regions",
              [&cluster, answer](const httplib::Request& req, httplib::Response& res) {
                answer(res, change_pd_regions(cluster, req.body));
              });
  server.Post("/sim/pd/leader",
              [&cluster, answer](const httplib::Request& req, httplib::Response& res) {
                answer(res, change_pd_leader(cluster, req.body));
              });
  // PD's redirector (pkg/utils/apiutil/serverapi): a member that is not
  // the leader forwards API requests to it, and while there is none answers
  // 503 "no leader", unless the request says PD-Allow-follower-handle.
  server.set_pre_routing_handler([&cluster](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/pd/api/", 0) != 0 || cluster.pd_view().leader ||
        !req.get_header_value("PD-Allow-follower-handle").empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    cluster.count_pd_request();
    res.status = 503;
    res.set_content("no leader\n", "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get("/sim/state", [&cluster, answer](const httplib::Request&, httplib::Response& res) {
    answer(res, describe_state(cluster));
  });
}

}  // namespace opr::sim
