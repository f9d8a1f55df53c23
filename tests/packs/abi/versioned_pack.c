/* One pack, built once against each ABI header this host must keep loading
 * (the frozen 1.0 and 1.1 copies in headers/, the SDK's own) and once
 * against a made-up newer one, which the host must refuse. Written to 1.0's
 * API only. PACK_NAME names the build.
 *
 * The check `probe` reports one violation whose subject is its `subject`
 * parameter and whose message is "limit=<limit> label=<label>", so a test
 * sees that every parameter was read through the pack's own struct layout.
 * With the subject "fail" it fails instead: naming the cause "dep:<label>"
 * when built against 1.3 or later (run_fail_cause), without one before. */
#include <stdio.h>
#include <string.h>

#include <operator/plugin.h>

static const op_param_def pack_params[] = {
    {.struct_size = sizeof(op_param_def),
     .name = "label",
     .type = OP_PARAM_STRING,
     .default_value = "plain",
     .doc = "copied into each message"},
};

static const op_param_def probe_params[] = {
    {.struct_size = sizeof(op_param_def),
     .name = "subject",
     .type = OP_PARAM_STRING,
     .default_value = "s1",
     .doc = "the subject of the violation"},
    {.struct_size = sizeof(op_param_def),
     .name = "limit",
     .type = OP_PARAM_INT,
     .default_value = "7",
     .doc = "copied into the message"},
};

static const op_check_def checks[] = {
    {.struct_size = sizeof(op_check_def),
     .name = "probe",
     .description = "reports one violation built from its parameters",
     .default_severity = OP_SEVERITY_WARNING,
     .params = probe_params,
     .param_count = 2},
    {.struct_size = sizeof(op_check_def),
     .name = "quiet",
     .description = "reports nothing",
     .default_severity = OP_SEVERITY_CRITICAL},
};

struct instance {
  const op_host_api* api;
  char label[64];
};

static struct instance instances[8];
static int next_instance;

static op_pack_instance* create(const op_host_api* api, const op_params* params, char* error,
                                size_t error_len) {
  const char* label = NULL;
  if (next_instance >= 8) {
    snprintf(error, error_len, "too many instances");
    return NULL;
  }
  struct instance* self = &instances[next_instance++];
  self->api = api;
  if (!api->param_get_string(params, "label", &label)) label = "?";
  snprintf(self->label, sizeof self->label, "%s", label);
  return (op_pack_instance*)self;
}

static void destroy(op_pack_instance* instance) { (void)instance; }

static int32_t run(op_pack_instance* raw, uint32_t check_index, const op_params* params,
                   op_run* run_handle) {
  const struct instance* self = (const struct instance*)raw;
  if (check_index != 0) return OP_RUN_OK;
  const char* subject = NULL;
  int64_t limit = 0;
  char message[160];
  if (!self->api->param_get_string(params, "subject", &subject) ||
      !self->api->param_get_int(params, "limit", &limit)) {
    self->api->run_fail(run_handle, "parameters not readable");
    return OP_RUN_FAILED;
  }
  snprintf(message, sizeof message, "limit=%lld label=%s", (long long)limit, self->label);
  if (strcmp(subject, "fail") == 0) {
#if OP_ABI_MINOR >= 3
    char cause[80];
    snprintf(cause, sizeof cause, "dep:%s", self->label);
    self->api->run_fail_cause(run_handle, cause, message);
#else
    self->api->run_fail(run_handle, message);
#endif
    return OP_RUN_FAILED;
  }
  op_violation violation;
  memset(&violation, 0, sizeof violation);
  violation.struct_size = sizeof violation;
  violation.subject = subject;
  violation.message = message;
  self->api->run_report(run_handle, &violation);
  return OP_RUN_OK;
}

static const op_pack_descriptor descriptor = {
    .struct_size = sizeof(op_pack_descriptor),
    .abi_major = OP_ABI_MAJOR,
    .abi_minor = OP_ABI_MINOR,
    .name = PACK_NAME,
    .version = "1.0.0",
    .description = "the same pack, built against one ABI header",
    .params = pack_params,
    .param_count = 1,
    .checks = checks,
    .check_count = 2,
    .create = create,
    .destroy = destroy,
    .run = run,
};

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
