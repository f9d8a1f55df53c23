// Ticket events written through the one writer read back as the store's
// timeline.
#include "tickets/event_writer.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "store_fixture.h"
#include "tickets/connection.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets::test {
namespace {

class EventWriterTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
    id_ = open_ticket("tikv/store_up/1").id;
    sql_ = connect(parse_connection(connection()));
  }

  int64_t id_ = 0;
  std::unique_ptr<soci::session> sql_;
};
OPR_STORE_BACKENDS(EventWriterTest);

TEST_P(EventWriterTest, OneEventReadsBackAsTheTicketsLast) {
  write_event(*sql_, id_, to_ms(at_seconds(5)), "alice", "open", kHoldEvent, "maintenance");
  const std::vector<TicketEvent> events = store_->events(id_);
  ASSERT_EQ(events.size(), 2u);  // opened, then this one
  const TicketEvent& event = events.back();
  EXPECT_EQ(event.ticket_id, id_);
  EXPECT_EQ(event.at, at_seconds(5));
  EXPECT_EQ(event.actor, "alice");
  EXPECT_EQ(event.from_status, "open");
  EXPECT_EQ(event.to_status, kHoldEvent);
  EXPECT_EQ(event.note, "maintenance");
}

TEST_P(EventWriterTest, ItsStatementWritesEveryEventWithItsOwnValues) {
  EventWriter events(*sql_, kMonitorActor, to_ms(at_seconds(9)));
  events.add(id_, "open", kUpdatedEvent, "severity warning -> critical");
  events.add(id_, "open", kUnknownEvent, "no data");
  EXPECT_EQ(event_path(id_), (std::vector<std::string>{">open", "open>updated", "open>unknown"}));
  const std::vector<TicketEvent> written = store_->events(id_);
  EXPECT_EQ(written[1].note, "severity warning -> critical");
  EXPECT_EQ(written[2].note, "no data");
  EXPECT_EQ(written[2].actor, kMonitorActor);
  EXPECT_EQ(written[2].at, at_seconds(9));
}

}  // namespace
}  // namespace opr::tickets::test
