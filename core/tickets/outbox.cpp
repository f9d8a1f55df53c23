#include "tickets/outbox.h"

#include <array>
#include <utility>

namespace opr::tickets {

namespace {

constexpr std::array<std::pair<NotifyEvent, std::string_view>, 9> kEvents = {{
    {NotifyEvent::opened, "opened"},
    {NotifyEvent::severity_changed, "severity_changed"},
    {NotifyEvent::acknowledged, "acknowledged"},
    {NotifyEvent::diagnosed, "diagnosed"},
    {NotifyEvent::resolved, "resolved"},
    {NotifyEvent::flapping_started, "flapping_started"},
    {NotifyEvent::flapping_stopped, "flapping_stopped"},
    {NotifyEvent::repeated, "repeated"},
    {NotifyEvent::acknowledgement_expired, "acknowledgement_expired"},
}};

constexpr std::array<std::pair<DeliveryState, std::string_view>, 4> kStates = {{
    {DeliveryState::pending, "pending"},
    {DeliveryState::delivered, "delivered"},
    {DeliveryState::failed, "failed"},
    {DeliveryState::silenced, "silenced"},
}};

template <typename Enum, size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
  for (const auto& [item, name] : names) {
    if (item == value) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view text) {
  for (const auto& [item, name] : names) {
    if (name == text) return item;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(NotifyEvent event) { return name_of(kEvents, event); }

std::optional<NotifyEvent> parse_notify_event(std::string_view text) {
  return value_of(kEvents, text);
}

std::string_view to_string(DeliveryState state) { return name_of(kStates, state); }

std::optional<DeliveryState> parse_delivery_state(std::string_view text) {
  return value_of(kStates, text);
}

}  // namespace opr::tickets
