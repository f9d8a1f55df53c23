/* The `tcp` pack, the C example: its declaration (the pack's parameters, its
 * one check and theirs), its instances, and the entry symbol. Plain C11
 * against operator/plugin.h alone; the check itself is in ports_open.c. */
#define _POSIX_C_SOURCE 200809L
#include <operator/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports_open.h"

/* One target: a host. The host_api pointer stays valid until destroy(). */
struct op_pack_instance {
  const op_host_api* api;
  char* host;
};

/* Designated initializers: whatever a later plugin.h appends is zero,
 * which always means "not used". */
static const op_param_def pack_params[] = {
    {.struct_size = sizeof(op_param_def),
     .name = "host",
     .type = OP_PARAM_STRING,
     .required = 1,
     .doc = "the host name or address to connect to"},
};

static const op_param_def ports_open_params[] = {
    {.struct_size = sizeof(op_param_def),
     .name = "ports",
     .type = OP_PARAM_STRING_LIST,
     .required = 1,
     .doc = "the TCP ports that must accept a connection, e.g. [22, 5432]"},
    {.struct_size = sizeof(op_param_def),
     .name = "connect_timeout",
     .type = OP_PARAM_DURATION,
     .default_value = "3s",
     .doc = "how long one port may take to accept",
     .min_value = "1ms",
     .max_value = "1m"},
};

static const op_check_def checks[] = {
    {.struct_size = sizeof(op_check_def),
     .name = "ports_open",
     .description = "every listed TCP port of the host accepts a connection",
     .default_severity = OP_SEVERITY_CRITICAL,
     .default_interval_ms = 30000,
     .default_grace_ms = 60000, /* a restart is not an outage */
     .params = ports_open_params,
     .param_count = sizeof ports_open_params / sizeof ports_open_params[0]},
};

/* Whatever can be known without the network is checked here, so that
 * `operator-host config check` shows it before the monitor starts. */
static const char* host_problem(const char* host) {
  if (host[0] == '\0') return "host is empty";
  if (strpbrk(host, "/ \t") != NULL) return "host must be a name or an address, not a URL";
  return NULL;
}

static op_pack_instance* create(const op_host_api* api, const op_params* params, char* error,
                                size_t error_len) {
  const char* host = NULL;
  /* Required, so the host always sets it; checked anyway, as any read. */
  if (!api->param_get_string(params, "host", &host)) {
    snprintf(error, error_len, "host is not set");
    return NULL;
  }
  const char* problem = host_problem(host);
  if (problem != NULL) {
    /* Points the user at the line of the config that set it (ABI 1.2; a
     * host older than the header this pack was built with refuses it, so
     * the function is there). */
    api->param_invalid(params, "host");
    snprintf(error, error_len, "%s", problem);
    return NULL;
  }
  op_pack_instance* instance = malloc(sizeof *instance);
  char* copy = malloc(strlen(host) + 1); /* `host` is valid only during create() */
  if (instance == NULL || copy == NULL) {
    free(instance);
    free(copy);
    snprintf(error, error_len, "out of memory");
    return NULL;
  }
  strcpy(copy, host);
  instance->api = api;
  instance->host = copy;
  return instance;
}

static void destroy(op_pack_instance* instance) {
  free(instance->host);
  free(instance);
}

static int32_t run(op_pack_instance* instance, uint32_t check_index, const op_params* params,
                   op_run* run_handle) {
  (void)check_index; /* one check: ports_open */
  return tcp_ports_open(instance->api, instance->host, params, run_handle);
}

static const op_pack_descriptor descriptor = {
    .struct_size = sizeof(op_pack_descriptor),
    .abi_major = OP_ABI_MAJOR,
    .abi_minor = OP_ABI_MINOR,
    .name = "tcp",
    .version = "1.0.0",
    .description = "Do a host's TCP ports accept connections?",
    .params = pack_params,
    .param_count = sizeof pack_params / sizeof pack_params[0],
    .checks = checks,
    .check_count = sizeof checks / sizeof checks[0],
    .create = create,
    .destroy = destroy,
    .run = run,
};

/* The one exported symbol, with its prototype (plugin.h). */
OP_PACK_ENTRY() { return &descriptor; }
