#include "engine/cycle_recording.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace opr::engine {

void CycleRecording::arm(RecordSink sink, const Targets& targets, const Ownership* ownership) {
  sink_ = std::move(sink);
  pending_.clear();
  never_ran_.clear();
  for (const auto& target : targets) {
    // Another host's target is recorded there, if at all.
    if (ownership != nullptr && !ownership->owns(target->config.name)) continue;
    for (const auto& check : target->checks) {
      if (check.config.enabled) pending_.insert(qualified(target->config.name, check.config.name));
    }
  }
  spdlog::info("recording the next run of {} checks", pending_.size());
}

bool CycleRecording::take(const std::string& check) {
  if (pending_.erase(check) == 0) return false;
  ++out_;
  return true;
}

bool CycleRecording::skip(const std::string& check) {
  if (pending_.erase(check) == 0) return false;
  never_ran_.push_back(check);
  return true;
}

void CycleRecording::told(const RecordedCheck& check) {
  if (!sink_) return;
  --out_;
  sink_->recorded(check);
}

void CycleRecording::lost(const std::string& check) {
  if (!sink_) return;
  --out_;
  spdlog::warn("{} was not recorded: the config no longer has it", check);
}

std::vector<std::string> CycleRecording::drop_missing(const Targets& targets) {
  std::vector<std::string> dropped;
  for (auto it = pending_.begin(); it != pending_.end();) {
    const auto slash = it->find('/');
    TargetState* target = find_target(targets, it->substr(0, slash));
    CheckState* check = target != nullptr ? target->find(it->substr(slash + 1)) : nullptr;
    if (check != nullptr && check->config.enabled) {
      ++it;
    } else {
      dropped.push_back(*it);
      it = pending_.erase(it);
    }
  }
  never_ran_.insert(never_ran_.end(), dropped.begin(), dropped.end());
  return dropped;
}

std::vector<std::string> CycleRecording::abandon() {
  std::vector<std::string> never_ran(pending_.begin(), pending_.end());
  pending_.clear();
  out_ = 0;
  never_ran_.insert(never_ran_.end(), never_ran.begin(), never_ran.end());
  return never_ran;
}

bool CycleRecording::end_if_done() {
  if (!sink_ || !pending_.empty() || out_ > 0) return false;
  RecordSink sink = std::move(*sink_);
  sink_.reset();
  const std::vector<std::string> never_ran = std::move(never_ran_);
  never_ran_.clear();
  if (sink.finished) sink.finished(never_ran);
  return true;
}

}  // namespace opr::engine
