// A subject named more than once by one run counts once, where it was first
// named, with its last report; a reported subject is never also unknown.
#include "common/subject_reports.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opr {
namespace {

struct Item {
  std::string subject;
  std::string said;
};

std::vector<std::string> kept(const std::vector<Item>& items, const std::vector<size_t>& at) {
  std::vector<std::string> out;
  for (size_t i : at) out.push_back(items[i].subject + "=" + items[i].said);
  return out;
}

TEST(SubjectReports, EachSubjectOnceInFirstOrderWithItsLastReport) {
  const std::vector<Item> items = {{"2", "a"}, {"", "cluster"}, {"1", "b"}, {"2", "c"}, {"1", "d"}};
  EXPECT_EQ(kept(items, last_per_subject(items)),
            (std::vector<std::string>{"2=c", "=cluster", "1=d"}));
}

TEST(SubjectReports, NothingToKeepFromNothing) {
  EXPECT_TRUE(last_per_subject(std::vector<Item>{}).empty());
  EXPECT_TRUE(unknown_not_reported(std::vector<Item>{}, std::vector<Item>{{"1", "x"}}).empty());
}

TEST(SubjectReports, AReportedSubjectIsNotUnknown) {
  const std::vector<Item> reported = {{"3", "down"}};
  const std::vector<Item> unknown = {{"3", "no metrics"}, {"4", "first"}, {"4", "second"}};
  EXPECT_EQ(kept(unknown, unknown_not_reported(unknown, reported)),
            (std::vector<std::string>{"4=second"}));
  EXPECT_EQ(kept(unknown, unknown_not_reported(unknown, std::vector<Item>{})),
            (std::vector<std::string>{"3=no metrics", "4=second"}));
}

}  // namespace
}  // namespace opr
