// The command receiver with real programs: the payload on stdin, the exit
// status, a program that hangs, one that does not exist.
#include <gtest/gtest.h>

#include "notify/command.h"
#include "one_ticket.h"
#include "test_support.h"

namespace opr::notify {
namespace {

using namespace std::chrono_literals;

config::ReceiverConfig command(std::vector<std::string> argv,
                               std::chrono::milliseconds timeout = 10s) {
  return test::program(config::ReceiverType::command, "cmd", std::move(argv), timeout);
}

tickets::Notification notification() {
  tickets::Notification n;
  n.uid = "6f1d0c1e-0000-4000-8000-000000000001";
  n.payload = R"({"notification_id":"6f1d0c1e-0000-4000-8000-000000000001"})";
  return n;
}

TEST(CommandReceiver, GetsThePayloadOnStdinAndExitZeroIsADelivery) {
  opr::test::TempDir dir;
  const auto file = dir / "got.json";
  CommandReceiver receiver(command({"sh", "-c", "cat > \"$0\"", file.string()}));
  const Delivery delivery = receiver.deliver(notification());
  EXPECT_TRUE(delivery.ok) << delivery.error;
  EXPECT_EQ(opr::test::read_file(file), notification().payload);
}

TEST(CommandReceiver, AnotherExitStatusIsAFailureWithItsLastLine) {
  CommandReceiver receiver(
      command({"sh", "-c", "cat >/dev/null; echo trying; echo 'SMTP down' >&2; exit 3"}));
  const Delivery delivery = receiver.deliver(notification());
  EXPECT_FALSE(delivery.ok);
  EXPECT_EQ(delivery.error, "sh exited with status 3: SMTP down");
}

TEST(CommandReceiver, AProgramThatDoesNotReadItsInputStillCounts) {
  CommandReceiver receiver(command({"true"}));
  EXPECT_TRUE(receiver.deliver(notification()).ok);
}

TEST(CommandReceiver, AProgramThatHangsIsKilledAtTheTimeout) {
  // The hang is what is tested: the child would sleep far past the timeout.
  CommandReceiver receiver(command({"sh", "-c", "sleep 60"}, 300ms));
  const auto start = std::chrono::steady_clock::now();
  const Delivery delivery = receiver.deliver(notification());
  EXPECT_FALSE(delivery.ok);
  EXPECT_EQ(delivery.error, "sh timed out after 300ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);
}

TEST(CommandReceiver, AProgramThatCannotBeStartedSaysSo) {
  CommandReceiver receiver(command({"/nonexistent/page-someone"}));
  const Delivery delivery = receiver.deliver(notification());
  EXPECT_FALSE(delivery.ok);
  EXPECT_TRUE(delivery.error.starts_with("cannot run /nonexistent/page-someone: "))
      << delivery.error;
}

}  // namespace
}  // namespace opr::notify
