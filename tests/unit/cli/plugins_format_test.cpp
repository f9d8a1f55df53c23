// `plugins list` shows what a pack declares about itself, which is text from
// outside: escaped in the text form, exact in JSON (as json_output carries
// it); and never the default of a secret-named parameter, in either form.
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli/plugins_format.h"
#include "common/json_output.h"
#include "test_support.h"

namespace opr::cli {
namespace {

using namespace std::chrono_literals;
using test::contains;
using test::raw_terminal_control;

const op_pack_descriptor kDescriptor{};  // only its address: the pack is loaded

std::vector<plugins::LoadedPack> hostile_packs() {
  auto declaration = std::make_shared<PackDeclaration>();
  declaration->name = "evil\x1b[2J";
  declaration->version = "1.0\a";
  declaration->description = "clears\x1b[2J the\r screen\xC2\x9b";
  declaration->params = {
      {"api_token", OP_PARAM_STRING, "hunter2-SECRET", false, "a token\x1b]0;title\a", {}},
      {"colour\x1b[31m", OP_PARAM_STRING, "red\x1b[0m", false, "what colour", {}}};
  declaration->checks = {
      {"probe\x7f", "looks\x9b around", OP_SEVERITY_WARNING, 30s, 0ms, declaration->params}};
  plugins::LoadedPack loaded;
  loaded.file = "/packs/evil\n.so";
  loaded.descriptor = &kDescriptor;
  loaded.declaration = declaration;
  plugins::LoadedPack failed;
  failed.file = "/packs/bad\x1b[8m.so";
  failed.error = "not a pack\x1b[2J";
  return {loaded, failed};
}

TEST(PluginsFormat, TextEscapesWhatThePackWroteAndHidesSecretDefaults) {
  const std::string text = format_packs_text(hostile_packs());
  EXPECT_EQ(raw_terminal_control(text), "") << text;
  EXPECT_FALSE(contains(text, "hunter2")) << text;
  EXPECT_TRUE(contains(text, R"(evil\x1b[2J 1.0\x07  (ABI 0.0)  /packs/evil\n.so)")) << text;
  EXPECT_TRUE(contains(text, R"(clears\x1b[2J the\r screen\u009b)")) << text;
  EXPECT_TRUE(contains(text, R"(    probe\x7f  [warning, interval 30s, grace 0s])")) << text;
  EXPECT_TRUE(contains(text, R"(colour\x1b[31m  string  = red\x1b[0m)")) << text;
  EXPECT_TRUE(contains(text, "api_token       string  = ***")) << text;
  EXPECT_TRUE(contains(text, R"(FAILED  /packs/bad\x1b[8m.so)"
                             "\n"
                             R"(  not a pack\x1b[2J)"))
      << text;
}

TEST(PluginsFormat, JsonIsExactButForSecretDefaults) {
  const nlohmann::json json = packs_to_json(hostile_packs());
  const nlohmann::json& pack = json["packs"][0];
  EXPECT_EQ(pack["name"], "evil\x1b[2J");
  EXPECT_EQ(pack["description"], "clears\x1b[2J the\r screen\xC2\x9b");
  EXPECT_EQ(pack["params"][0]["default"], "***");
  EXPECT_EQ(pack["params"][0]["secret"], true);
  EXPECT_EQ(pack["params"][1]["default"], "red\x1b[0m");
  EXPECT_EQ(pack["params"][1]["secret"], false);
  EXPECT_EQ(pack["checks"][0]["params"][0]["default"], "***");
  const std::string printed = json_output(json, 2);
  EXPECT_EQ(raw_terminal_control(printed), "") << printed;
  EXPECT_FALSE(contains(printed, "hunter2")) << printed;
  // Printed and read back: UTF-8 exactly, a byte that is not UTF-8 as U+FFFD.
  const nlohmann::json read = nlohmann::json::parse(printed);
  EXPECT_EQ(read["packs"][0]["description"], "clears\x1b[2J the\r screen\xC2\x9b");
  EXPECT_EQ(read["packs"][0]["checks"][0]["description"], "looks\xEF\xBF\xBD around");
  EXPECT_EQ(read["packs"][1]["error"], "not a pack\x1b[2J");
}

}  // namespace
}  // namespace opr::cli
