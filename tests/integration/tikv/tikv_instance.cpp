#include "tikv_instance.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "http/client.h"
#include "tikv_cluster.h"

namespace opr::test {

std::shared_ptr<const plugins::LoadedPack> tikv_pack() {
  static const auto pack =
      std::make_shared<const plugins::LoadedPack>(plugins::load_pack(packs_dir() / "tikv.so"));
  if (!pack->ok()) throw std::runtime_error("the built tikv pack did not load: " + pack->error);
  return pack;
}

LogCapture::LogCapture()
    : out_(std::make_shared<std::ostringstream>()), previous_(spdlog::default_logger()) {
  auto logger = std::make_shared<spdlog::logger>(
      "tikv-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*out_));
  logger->set_pattern("%l %v");
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

std::string LogCapture::text() const {
  spdlog::default_logger()->flush();
  return out_->str();
}

std::vector<std::string> LogCapture::lines(const std::string& level) const {
  std::vector<std::string> found;
  std::istringstream all(text());
  const std::string prefix = level + " ";
  for (std::string line; std::getline(all, line);) {
    if (line.starts_with(prefix)) found.push_back(line.substr(prefix.size()));
  }
  return found;
}

TikvInstance::TikvInstance(const std::string& target) {
  write_file(dir_ / "operator.yaml", "targets:\n  - name: t\n" + target);
  const config::Config config = config::load_config(
      dir_ / "operator.yaml", config::PackCatalog{{"tikv", tikv_pack()->declaration.get()}});
  config_ = config.targets.at(0);
  instance_ = std::make_unique<plugins::PackInstance>(tikv_pack(), config_.name, config_.params,
                                                      std::make_shared<http::Client>());
}

Refusal TikvInstance::refusal(const std::string& target) {
  try {
    TikvInstance instance(target);
  } catch (const plugins::InstanceError& e) {
    return {e.what(), e.param()};
  }
  ADD_FAILURE() << "the pack created an instance of:\n" << target;
  return {};
}

plugins::RunResult TikvInstance::run(const std::string& check) {
  for (const config::CheckConfig& configured : config_.checks) {
    if (configured.name != check) continue;
    plugins::RunControl control;
    control.deadline = std::chrono::steady_clock::now() + kPatience;
    return instance_->run(configured.index, configured.params, control);
  }
  throw std::logic_error("the tikv pack has no check " + check);
}

std::optional<std::string> fact(const plugins::RunResult& result, const std::string& key) {
  for (const plugins::Fact& f : result.facts) {
    if (f.key == key) return f.value;
  }
  return std::nullopt;
}

std::vector<std::string> violation_subjects(const plugins::RunResult& result) {
  std::vector<std::string> subjects;
  for (const auto& violation : result.violations) subjects.push_back(violation.subject);
  return subjects;
}

std::vector<std::string> unknown_subjects(const plugins::RunResult& result) {
  std::vector<std::string> subjects;
  for (const auto& unknown : result.unknown) subjects.push_back(unknown.subject);
  return subjects;
}

}  // namespace opr::test
