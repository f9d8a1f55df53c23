// Configs built to hurt the reader: alias cycles, "billion laughs", deep
// nesting, huge files. Each is refused, before anything is expanded, with
// the cause at its line and column, and a config within the limits that
// uses aliases still reads as before.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "config/yaml_tree.h"
#include "test_packs.h"
#include "test_support.h"

namespace opr::config {
namespace {

const std::string kFile = "limits.yaml";

std::string repeat(const std::string& text, size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (size_t i = 0; i < times; ++i) out += text;
  return out;
}

// The refusal parse_yaml_text gives `yaml` (FAIL when it gives none).
ConfigError refusal(const std::string& yaml, const YamlLimits& limits = {}) {
  try {
    parse_yaml_text(yaml, kFile, limits);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted:\n" << yaml.substr(0, 300);
  return ConfigError(Mark{}, "(accepted)");
}

TEST(ConfigLimits, AnAliasOfItsOwnListIsACycleRefusedAtTheAlias) {
  const ConfigError e = refusal("targets: &a [*a]\n");
  EXPECT_EQ(e.message(),
            "alias *a is inside the node it names (anchored at line 1, column 10): an alias "
            "cycle, which would expand forever");
  EXPECT_EQ(e.mark().line, 1);
  EXPECT_EQ(e.mark().column, 14);
  EXPECT_EQ(e.mark().file, kFile);
}

TEST(ConfigLimits, ACycleThroughNestedNodesIsRefused) {
  const ConfigError e = refusal("x: 1\na: &top {b: [c, {d: *top}]}\n");
  EXPECT_EQ(e.message(),
            "alias *top is inside the node it names (anchored at line 2, column 4): an alias "
            "cycle, which would expand forever");
  EXPECT_EQ(e.mark().line, 2);
  EXPECT_EQ(e.mark().column, 21);
}

TEST(ConfigLimits, BillionLaughsIsRefusedAtTheAliasThatPassesTheNodeBudget) {
  const std::string yaml = opr::test::billion_laughs_yaml(8);
  ASSERT_LT(yaml.size(), 500u);
  const ConfigError e = refusal(yaml);
  // a4 expands to 66,430 nodes: the first *a4 on line 6 passes 100,000.
  EXPECT_EQ(e.message(),
            "alias *a4 would expand the config past 100000 nodes (each alias counts as a copy "
            "of the node it names, and aliases of aliases multiply); refused before expanding "
            "it");
  EXPECT_EQ(e.mark().line, 6);
  EXPECT_EQ(e.mark().column, 10);
}

TEST(ConfigLimits, AliasesOfALongValueAreRefusedPastTheTextBudget) {
  const std::string yaml =
      "a: &a " + std::string(100'000, 'x') + "\nb: [" + repeat("*a, ", 49) + "*a]\n";
  const ConfigError e = refusal(yaml);
  // 100,002 bytes, then 100,000 more at each alias: the 41st passes 4 MiB.
  EXPECT_EQ(e.message(),
            "alias *a would expand the config past 4 MiB of text (each alias counts as a copy "
            "of the node it names, and aliases of aliases multiply); refused before expanding "
            "it");
  EXPECT_EQ(e.mark().line, 2);
  EXPECT_EQ(e.mark().column, 5 + 4 * 40);
}

TEST(ConfigLimits, AFileOfMoreNodesThanTheBudgetIsRefusedWithoutAliasesToo) {
  const std::string yaml = "x: [" + repeat("0,", 100'000) + "0]\n";
  const ConfigError e = refusal(yaml);
  EXPECT_EQ(e.message(), "the config has more than 100000 nodes (keys, values and list items)");
  EXPECT_EQ(e.mark().line, 1);
  // The root, the key and the list come first: the 99,998th item passes.
  EXPECT_EQ(e.mark().column, 5 + 2 * 99'997);
}

TEST(ConfigLimits, NestingIsRefusedPast64LevelsAtTheFirstTooDeepNode) {
  // The root mapping is level 1: 63 lists inside it are fine.
  EXPECT_NO_THROW(
      parse_yaml_text("x: " + std::string(63, '[') + std::string(63, ']') + "\n", kFile));
  const ConfigError e = refusal("x: " + std::string(64, '[') + std::string(64, ']') + "\n");
  EXPECT_EQ(e.message(), "mappings and lists are nested deeper than 64 levels here");
  EXPECT_EQ(e.mark().line, 1);
  EXPECT_EQ(e.mark().column, 4 + 63);
}

TEST(ConfigLimits, BlockNestingCountsAlike) {
  std::string yaml;
  for (int level = 0; level < 70; ++level) yaml += std::string(2 * level, ' ') + "k:\n";
  const ConfigError e = refusal(yaml);
  EXPECT_EQ(e.message(), "mappings and lists are nested deeper than 64 levels here");
  EXPECT_EQ(e.mark().line, 65);
}

TEST(ConfigLimits, AThousandfoldNestingGetsTheSameMessageNotASyntaxError) {
  // yaml-cpp alone said "YAML syntax error: bad file" past ~1,000 levels.
  const ConfigError e = refusal(std::string(100'000, '[') + std::string(100'000, ']'));
  EXPECT_EQ(e.message(), "mappings and lists are nested deeper than 64 levels here");
  EXPECT_EQ(e.mark().line, 1);
  EXPECT_EQ(e.mark().column, 65);
}

TEST(ConfigLimits, AnAliasThatNestsTooDeepWhereItIsUsedIsRefusedThere) {
  const std::string yaml = "a: &a " + std::string(60, '[') + std::string(60, ']') +
                           "\nb: " + std::string(10, '[') + "*a" + std::string(10, ']') + "\n";
  const ConfigError e = refusal(yaml);
  EXPECT_EQ(e.message(), "alias *a nests mappings and lists deeper than 64 levels here");
  EXPECT_EQ(e.mark().line, 2);
  EXPECT_EQ(e.mark().column, 14);
}

TEST(ConfigLimits, TheYamlReadersOwnDepthGuardGetsAClearMessageWithAPosition) {
  // Only reachable with a depth limit above yaml-cpp's own (about 500).
  YamlLimits limits;
  limits.max_depth = 100'000;
  const ConfigError e = refusal(std::string(2'000, '[') + std::string(2'000, ']'), limits);
  EXPECT_NE(e.message().find("nested deeper than the YAML reader allows here"), std::string::npos)
      << e.message();
  // yaml-cpp gives no position of its own there: the deepest list seen is it.
  EXPECT_EQ(e.mark().line, 1);
  EXPECT_GT(e.mark().column, 400);
  EXPECT_LT(e.mark().column, 1'000);
}

TEST(ConfigLimits, EveryLimitCanBeSetForAParse) {
  YamlLimits depth;
  depth.max_depth = 2;
  EXPECT_NO_THROW(parse_yaml_text("a: [b]\n", kFile, depth));
  EXPECT_EQ(refusal("a: [[b]]\n", depth).message(),
            "mappings and lists are nested deeper than 2 levels here");
  YamlLimits nodes;
  nodes.max_nodes = 4;
  EXPECT_NO_THROW(parse_yaml_text("a: [b]\n", kFile, nodes));
  EXPECT_EQ(refusal("a: [b, c]\n", nodes).message(),
            "the config has more than 4 nodes (keys, values and list items)");
  YamlLimits text;
  text.max_text_bytes = 4;
  EXPECT_NO_THROW(parse_yaml_text("a: bcd\n", kFile, text));
  EXPECT_EQ(refusal("a: bcde\n", text).message(),
            "the config has more than 4 bytes of text in "
            "its values");
  YamlLimits bytes;
  bytes.max_bytes = 6;
  EXPECT_NO_THROW(parse_yaml_text("a: bc\n", kFile, bytes));
  EXPECT_EQ(std::string(refusal("a: bcd\n", bytes).what()),
            kFile + ": the config file is larger than 6 bytes, the most operator reads");
}

TEST(ConfigLimits, AFileLargerThanOneMebibyteIsRefusedWithoutReadingIt) {
  opr::test::TempDir dir;
  const auto big = dir / "big.yaml";
  opr::test::write_file(big, "# " + std::string((1 << 20) - 3, 'x') + "\n" + "x: 1\n");
  try {
    parse_yaml_file(big);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              big.string() + ": the config file is larger than 1 MiB, the most operator reads");
    EXPECT_EQ(e.mark().line, 0);
  }
  // Exactly 1 MiB is read.
  const auto limit = dir / "limit.yaml";
  opr::test::write_file(limit, "# " + std::string((1 << 20) - 3, 'x') + "\n");
  EXPECT_TRUE(parse_yaml_file(limit).is_null());
}

TEST(ConfigLimits, AnEndlessFileIsRefusedAtTheLimitNotReadForever) {
  try {
    parse_yaml_file("/dev/zero");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/dev/zero: the config file is larger than 1 MiB, the most operator reads");
  }
}

TEST(ConfigLimits, AliasesWithinTheLimitsExpandAsBefore) {
  const YamlNode root = parse_yaml_text(
      "base: &b {interval: 5s, tags: [x, y]}\ncopy: *b\nlaughs: " + std::string("[") + "*b, *b]\n",
      kFile);
  const YamlNode* copy = root.find("copy");
  ASSERT_NE(copy, nullptr);
  ASSERT_TRUE(copy->is_map());
  ASSERT_NE(copy->find("interval"), nullptr);
  EXPECT_EQ(copy->find("interval")->text, "5s");
  EXPECT_EQ(root.find("laughs")->items.size(), 2u);
  // Four levels of nine aliases: 74,734 nodes in all, within the budget.
  const YamlNode laughs = parse_yaml_text(opr::test::billion_laughs_yaml(4), kFile);
  EXPECT_EQ(laughs.find("a4")->items.size(), 9u);
}

TEST(ConfigLimits, AWholeConfigUsingAnchorsLoads) {
  const Config config = test::load_text(
      "defaults: &d {interval: 20s}\n"
      "targets:\n"
      "  - &t {name: logs, pack: files, root: /r, checks: {fresh: {path: p}}}\n"
      "  - {name: more, pack: files, root: /s, checks: {fresh: {path: q, interval: 7s}}}\n");
  ASSERT_EQ(config.targets.size(), 2u);
  EXPECT_EQ(config.defaults.interval, std::chrono::seconds(20));
}

TEST(ConfigLimits, ACycleInAWholeConfigIsAConfigErrorNotACrash) {
  try {
    test::load_text("targets: &a [*a]\n");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              test::last_config_path().string() +
                  ":1:14: alias *a is inside the node it names (anchored at line 1, column 10): "
                  "an alias cycle, which would expand forever");
  }
}

}  // namespace
}  // namespace opr::config
