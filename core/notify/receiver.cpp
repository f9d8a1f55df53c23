#include "notify/receiver.h"

#include <utility>

#include "notify/alertmanager.h"
#include "notify/command.h"
#include "notify/diagnose_hook.h"
#include "notify/webhook.h"

namespace opr::notify {

std::unique_ptr<Receiver> make_receiver(const config::ReceiverConfig& config,
                                        std::shared_ptr<const http::Client> http,
                                        tickets::TicketStore& store) {
  switch (config.type) {
    case config::ReceiverType::webhook:
      return std::make_unique<WebhookReceiver>(config, std::move(http));
    case config::ReceiverType::command:
      return std::make_unique<CommandReceiver>(config);
    case config::ReceiverType::alertmanager:
      return std::make_unique<AlertmanagerReceiver>(config, std::move(http));
    case config::ReceiverType::diagnose:
      return std::make_unique<DiagnoseHook>(config, store);
  }
  return std::make_unique<WebhookReceiver>(config, std::move(http));
}

}  // namespace opr::notify
