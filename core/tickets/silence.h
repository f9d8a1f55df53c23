// Silences: a planned quiet for a target, or one check or subject of it.
// A silenced ticket is opened, counted and resolved as ever (the record
// stays true); only its notifications are held back while the silence
// lasts. Expired silences stop applying by themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_format.h"

namespace opr::tickets {

struct Silence {
  int64_t id = 0;
  std::string target;
  std::optional<std::string> check;    // unset: every check of the target
  std::optional<std::string> subject;  // unset: every subject
  TimePoint starts_at;
  TimePoint ends_at;  // exclusive; set to the time of `tickets unsilence`
  std::string author;
  std::string comment;
  TimePoint created_at;
  std::string expired_by;  // who ended it early; empty when nobody did

  // Whether it holds at `at` for a ticket of target/check/subject. A check's
  // `:failed` ticket is silenced with the check.
  bool covers(std::string_view ticket_target, std::string_view ticket_check,
              std::string_view ticket_subject, TimePoint at) const;
  bool active(TimePoint at) const { return starts_at <= at && at < ends_at; }
};

// The first of `silences` (by id) that covers the ticket at `at`.
const Silence* covering_silence(const std::vector<Silence>& silences, std::string_view target,
                                std::string_view check, std::string_view subject, TimePoint at);

}  // namespace opr::tickets
