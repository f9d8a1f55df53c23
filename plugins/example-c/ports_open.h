/* The check ports_open of the `tcp` pack. */
#ifndef TCP_PORTS_OPEN_H
#define TCP_PORTS_OPEN_H

#include <operator/plugin.h>

/* Connects to each port of check_params' `ports` on `host`, at most
 * `connect_timeout` each, and reports one violation per port that does not
 * accept, its subject the port. Fails the run when a port is not a number
 * from 1 to 65535, when `host` does not resolve, or when the run's time
 * runs out first. Called on the thread of op_pack_run_fn, with its
 * arguments. */
int32_t tcp_ports_open(const op_host_api* api, const char* host, const op_params* check_params,
                       op_run* run);

#endif /* TCP_PORTS_OPEN_H */
