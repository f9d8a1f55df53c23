#include "pd_control.h"

namespace opr::sim {

namespace {

using Json = nlohmann::ordered_json;

}  // namespace

ControlAnswer change_pd_regions(Cluster& cluster, const std::string& body) {
  const Json request = Json::parse(body, nullptr, false);
  PdRegionsChange change;
  const auto problem = request.is_discarded() ? std::optional<std::string>("the body must be JSON")
                                              : parse_pd_regions(request, change);
  if (problem) return {400, Json{{"error", *problem}}.dump() + "\n"};
  cluster.change_pd_regions(change);
  return {200, pd_regions_json(cluster.pd_view().metrics).dump(2) + "\n"};
}

Json pd_metrics_state_json(const Cluster& cluster, const PdView& view) {
  Json state = pd_regions_json(view.metrics);
  Json members = Json::array();
  for (std::size_t i = 0; i < cluster.members().size(); ++i) {
    Json member{{"name", cluster.members()[i].name}};
    member.update(pd_member_metrics_json(view.metrics.members[i]));
    members.push_back(std::move(member));
  }
  state["members"] = std::move(members);
  return state;
}

}  // namespace opr::sim
