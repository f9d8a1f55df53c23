#include "tickets/soci_ticket_store.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "tickets/cached_queries.h"
#include "tickets/cause_tickets.h"
#include "tickets/connection.h"
#include "tickets/list_query.h"
#include "tickets/schema.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

std::unique_ptr<TicketStore> TicketStore::open(const std::string& connection,
                                               StoreOptions options) {
  ConnectionTarget target = parse_connection(connection);
  std::unique_ptr<soci::session> sql = connect(target);
  try {
    migrate(*sql, target.display, kSchemaVersion);
  } catch (const StoreError& e) {
    throw StoreError(target.shown(e.what()));
  }
  return std::make_unique<SociTicketStore>(std::move(sql), std::move(target), options);
}

SociTicketStore::SociTicketStore(std::unique_ptr<soci::session> sql, ConnectionTarget target,
                                 StoreOptions options)
    : sql_(std::move(sql)),
      queries_(std::make_unique<CachedQueries>(*sql_)),
      target_(std::move(target)),
      options_(options),
      catch_up_(options.router && options.router->repeats()) {}

SociTicketStore::~SociTicketStore() = default;

void SociTicketStore::set_options(const StoreOptions& options) {
  std::lock_guard lock(mutex_);
  options_ = options;
  catch_up_ = options_.router && options_.router->repeats();
}

void SociTicketStore::fence_results(const std::string& host) {
  std::lock_guard lock(mutex_);
  fence_host_ = host;
}

void SociTicketStore::set_outbox_listener(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  outbox_listener_ = std::move(listener);
}

void SociTicketStore::outbox_written() const {
  if (options_.router && outbox_listener_) outbox_listener_();
}

void SociTicketStore::fail(const std::exception& e) const {
  // SQLite has no connection to lose; is_connected() asks a server.
  if (target_.backend != "sqlite3" && !sql_->is_connected()) lost_ = true;
  // What the database library says may quote the connection string.
  throw StoreError(target_.shown("ticket database " + target_.display + ": " + e.what()));
}

std::unique_lock<std::mutex> SociTicketStore::lock_connection() {
  std::unique_lock lock(mutex_);
  if (!lost_) return lock;
  // The statements prepared on the old session die with it.
  queries_.reset();
  std::unique_ptr<soci::session> fresh = connect(target_);  // throws StoreError
  sql_ = std::move(fresh);
  queries_ = std::make_unique<CachedQueries>(*sql_);
  lost_ = false;
  spdlog::info("ticket database {}: connected again", target_.display);
  return lock;
}

std::optional<Ticket> SociTicketStore::get(int64_t id) {
  const auto lock = lock_connection();
  try {
    return get_locked(id);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::optional<Ticket> SociTicketStore::get_locked(int64_t id) {
  std::optional<Ticket> ticket = read_ticket(*sql_, id);
  if (ticket) {
    mark_silenced(*sql_, {&*ticket, 1}, now_ms());
    mark_blocked(*sql_, {&*ticket, 1});
  }
  return ticket;
}

std::vector<Ticket> SociTicketStore::list(const ListFilter& filter) {
  ListQuery query(filter);
  const auto lock = lock_connection();
  try {
    std::vector<Ticket> tickets;
    TicketRow row;
    soci::statement select(*sql_);
    row.bind(select);
    query.bind(select);
    select.alloc();
    select.prepare(query.text());
    select.define_and_bind();
    select.execute();
    while (select.fetch()) tickets.push_back(row.to_ticket());
    mark_silenced(*sql_, tickets, now_ms());
    mark_blocked(*sql_, tickets);
    return tickets;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

namespace {

// Every row a query with one :id parameter selects, converted by `convert`.
template <typename Row, typename Item>
std::vector<Item> rows_of(soci::session& sql, const std::string& query, long long id,
                          Item (Row::*convert)() const) {
  std::vector<Item> items;
  Row row;
  soci::statement select(sql);
  row.bind(select);
  select.exchange(soci::use(id));
  select.alloc();
  select.prepare(query);
  select.define_and_bind();
  select.execute();
  while (select.fetch()) items.push_back((row.*convert)());
  return items;
}

}  // namespace

std::vector<TicketEvent> SociTicketStore::events(int64_t ticket_id) {
  const auto lock = lock_connection();
  try {
    return rows_of(
        *sql_,
        "SELECT id, ticket_id, at, actor, from_status, to_status, note FROM ticket_events"
        " WHERE ticket_id = :id ORDER BY id",
        ticket_id, &EventRow::to_event);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::vector<Notification> SociTicketStore::notifications(int64_t ticket_id) {
  const auto lock = lock_connection();
  try {
    return rows_of(*sql_,
                   std::string("SELECT ") + kNotificationColumns +
                       " FROM notifications WHERE ticket_id = :id ORDER BY id",
                   ticket_id, &NotificationRow::to_notification);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

int64_t SociTicketStore::count_open() {
  const auto lock = lock_connection();
  try {
    return queries_->count_open();
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::vector<OpenTicketCount> SociTicketStore::open_ticket_counts() {
  const auto lock = lock_connection();
  try {
    return read_open_ticket_counts(*sql_);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
