#include "tikv_family.h"

#include <string>
#include <utility>

#include "store_metric_rows.h"

namespace opr::test {

std::string with_metric_family_off(const std::string& target) {
  std::string block_off, flow_off;
  for (const tikv::StoreMetricRow& row : tikv::store_metric_rows()) {
    if (target.find(std::string(row.name) + ":") != std::string::npos) return target;
    block_off += "      " + std::string(row.name) + ": {enabled: false}\n";
    flow_off += std::string(row.name) + ": {enabled: false}, ";
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

}  // namespace opr::test
