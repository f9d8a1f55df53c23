// The commands of operator-host, each run from its parsed request
// (cli/command_line.h) and returning the exit code: 0 done, 1 refused /
// failed / not found, 2 bad usage (unless the command documents others, as
// the monitor's --once does).
#pragma once

#include "cli/command_line.h"

namespace opr::cli {

int run(const GlobalOptions& global,
        const MonitorRequest&);  // --config FILE [--once [--record DIR]]
int run(const GlobalOptions& global, const ConfigCheckRequest&);
int run(const GlobalOptions& global, const PluginsListRequest& request);
int run(const GlobalOptions& global, const PluginsTestRequest& request);
int run(const GlobalOptions& global, const TicketsListRequest& request);
int run(const GlobalOptions& global, const TicketsWatchRequest& request);
int run(const GlobalOptions& global, const TicketShowRequest& request);
int run(const GlobalOptions& global, const TicketChangeRequest& request);
int run(const GlobalOptions& global, const TicketDiagnoseRequest& request);
int run(const GlobalOptions& global, const TicketNoteRequest& request);
int run(const GlobalOptions& global, const SilenceRequest& request);
int run(const GlobalOptions& global, const SilencesListRequest& request);
int run(const GlobalOptions& global, const UnsilenceRequest& request);
int run(const GlobalOptions& global, const ClusterStatusRequest& request);

}  // namespace opr::cli
