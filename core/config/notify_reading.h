// Reading what tells people about tickets: the `notify` receivers, and the
// `labels` and `annotations` of the defaults, targets and checks.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/yaml_tree.h"

namespace opr::config {

struct RawConfig;

// `labels` or `annotations` of a section: a mapping of names (letters,
// digits and '_', not starting with a digit) to strings. `key` is which of
// the two, `where` names the section, e.g. "target 'prod'". Labels that
// operator sets itself (alertname, target, subject, severity, pack,
// ticket_id) are refused as labels.
LabelMap read_labels(const YamlNode& node, const std::string& key, const std::string& where);

// `labels` and `annotations` of `section` over `labels` and `annotations`
// (a name set again wins).
void read_label_sections(const YamlNode& section, const std::string& where, LabelMap& labels,
                         LabelMap& annotations);

// The keys read_label_sections reads.
const std::vector<std::string>& label_keys();

// The `notify` list. Relative file paths are taken against `base`; the
// files must be readable now. Names are unique.
std::vector<ReceiverConfig> read_receivers(const YamlNode& node, const std::filesystem::path& base);

// The `diagnose` list: hooks run once on each newly opened ticket they
// match. Names are unique among hooks.
std::vector<ReceiverConfig> read_hooks(const YamlNode& node, const std::filesystem::path& base);

// The targets of `raw` with only their name, pack, labels and annotations,
// and the checks the file lists with theirs: what routing needs, read
// without the packs (for commands that load none, as `tickets ack` does).
// Throws ConfigError for a bad label, as resolve_config would.
std::vector<TargetConfig> label_targets(const RawConfig& raw);

// Every target and check a receiver's (or hook's) matchers name must exist
// in `config`.
void check_receiver_matches(const Config& config);

}  // namespace opr::config
