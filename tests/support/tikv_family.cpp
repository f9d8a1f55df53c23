#include "tikv_family.h"

#include <string>
#include <utility>
#include <vector>

#include "pd_metric_rows.h"
#include "store_metric_rows.h"

namespace opr::test {
namespace {

// Whether `target` has the key `name` (not as the end of a longer name:
// node_restart is not pd_node_restart).
bool names_check(const std::string& target, const std::string& name) {
  for (size_t at = target.find(name + ":"); at != std::string::npos;
       at = target.find(name + ":", at + 1)) {
    if (at == 0 || target[at - 1] == ' ' || target[at - 1] == '{' || target[at - 1] == '\n')
      return true;
  }
  return false;
}

// `target` with each of `names` `enabled: false`, unless it names one of them.
std::string with_off(const std::string& target, const std::vector<std::string>& names) {
  std::string block_off, flow_off;
  for (const std::string& name : names) {
    if (names_check(target, name)) return target;
    block_off += "      " + name + ": {enabled: false}\n";
    flow_off += name + ": {enabled: false}, ";
  }
  std::string out = target;
  for (const auto& [section, off] :
       {std::pair<std::string, const std::string&>{"    checks:\n", block_off},
        {"    checks: {", flow_off}}) {
    for (size_t at = out.find(section); at != std::string::npos;
         at = out.find(section, at + section.size() + off.size())) {
      out.insert(at + section.size(), off);
    }
    if (out != target) return out;
  }
  return target + "    checks:\n" + block_off;
}

}  // namespace

std::string with_metric_family_off(const std::string& target) {
  std::vector<std::string> store_rows, pd_rows;
  for (const tikv::StoreMetricRow& row : tikv::store_metric_rows())
    store_rows.emplace_back(row.name);
  for (const tikv::PdMetricRow& row : tikv::pd_metric_rows()) pd_rows.emplace_back(row.name);
  return with_off(with_off(target, store_rows), pd_rows);
}

}  // namespace opr::test
