#include "test_packs.h"

#include <memory>

#include "test_support.h"

namespace opr::config::test {
namespace {

constexpr op_param_def param(const char* name, op_param_type type, const char* default_value,
                             bool required = false, const char* doc = "") {
  return op_param_def{sizeof(op_param_def), name, type, default_value, required ? 1 : 0, doc};
}

constexpr op_check_def check(const char* name, op_severity severity, uint64_t interval_ms,
                             uint64_t grace_ms, const op_param_def* params, uint32_t count) {
  return op_check_def{sizeof(op_check_def), name,     "",     severity,
                      interval_ms,          grace_ms, params, count};
}

constexpr op_pack_descriptor pack(const char* name, const op_param_def* params,
                                  uint32_t param_count, const op_check_def* checks,
                                  uint32_t check_count) {
  return op_pack_descriptor{sizeof(op_pack_descriptor),
                            OP_ABI_MAJOR,
                            OP_ABI_MINOR,
                            name,
                            "1.0.0",
                            "",
                            params,
                            param_count,
                            checks,
                            check_count,
                            nullptr,
                            nullptr,
                            nullptr};
}

const op_param_def kTikvParams[] = {
    param("pd_endpoint", OP_PARAM_STRING, nullptr),
    param("prometheus_url", OP_PARAM_STRING, nullptr),
    param("prometheus_bearer_token_file", OP_PARAM_STRING, nullptr),
    param("prometheus_username", OP_PARAM_STRING, nullptr),
    param("prometheus_password_file", OP_PARAM_STRING, nullptr),
};
const op_param_def kStoreUpParams[] = {param("include_tombstone", OP_PARAM_BOOL, "false")};
const op_param_def kLatencyParams[] = {
    param("quantile", OP_PARAM_FLOAT, "0.99"),
    param("rate_window", OP_PARAM_DURATION, "1m"),
    param("threshold_ms", OP_PARAM_FLOAT, "100"),
};
const op_param_def kDiskParams[] = {param("threshold_percent", OP_PARAM_FLOAT, "70")};
const op_check_def kTikvChecks[] = {
    check("store_up", OP_SEVERITY_CRITICAL, 0, 0, kStoreUpParams, 1),
    check("latency", OP_SEVERITY_WARNING, 0, 60'000, kLatencyParams, 3),
    check("disk_space", OP_SEVERITY_WARNING, 0, 0, kDiskParams, 1),
};
const op_pack_descriptor kTikv = pack("tikv", kTikvParams, 5, kTikvChecks, 3);

const op_param_def kFilesParams[] = {
    param("root", OP_PARAM_STRING, nullptr, true, "the folder every path is under"),
    param("tags", OP_PARAM_STRING_LIST, "a,b"),
    param("api_token", OP_PARAM_STRING, nullptr),
};
const op_param_def kFreshParams[] = {
    param("path", OP_PARAM_STRING, nullptr, true, "the file to watch"),
    param("max_age", OP_PARAM_DURATION, "1h"),
    param("strict", OP_PARAM_BOOL, "false"),
    param("weight", OP_PARAM_FLOAT, "0.5"),
    param("retries", OP_PARAM_INT, "3"),
};
const op_check_def kFilesChecks[] = {
    check("fresh", OP_SEVERITY_WARNING, 15'000, 0, kFreshParams, 5),
    check("exists", OP_SEVERITY_INFO, 0, 5'000, nullptr, 0),
};
const op_pack_descriptor kFiles = pack("files", kFilesParams, 3, kFilesChecks, 2);

std::unique_ptr<opr::test::TempDir> g_dir;

}  // namespace

const op_pack_descriptor& tikv_pack() { return kTikv; }
const op_pack_descriptor& files_pack() { return kFiles; }

PackCatalog test_catalog() { return PackCatalog{{"tikv", &kTikv}, {"files", &kFiles}}; }

std::filesystem::path last_config_path() { return g_dir->path() / "operator.yaml"; }

std::filesystem::path write_text(const std::string& yaml) {
  g_dir = std::make_unique<opr::test::TempDir>();
  opr::test::write_file(last_config_path(), yaml);
  return last_config_path();
}

Config load_text(const std::string& yaml) { return load_config(write_text(yaml), test_catalog()); }

}  // namespace opr::config::test
