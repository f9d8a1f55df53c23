/* The `secrets` test pack: a parameter named like a secret (password, token,
 * secret) of every type the host reads, numbers with a range, so a test can
 * show that no value of theirs is ever printed, whatever its type and
 * whatever is wrong with it. Its one check passes. */
#include <operator/plugin.h>

#define PARAM(param_name, param_type, min, max)                                      \
  {                                                                                  \
    .struct_size = sizeof(op_param_def), .name = param_name, .type = param_type,     \
    .doc = "a secret of this type", .min_value = min, .max_value = max, .bounds = 0u \
  }

static const op_param_def pack_params[] = {
    PARAM("api_token", OP_PARAM_STRING, NULL, NULL),
    PARAM("secret_port", OP_PARAM_INT, "1", "65535"),
    PARAM("token_ratio", OP_PARAM_FLOAT, "0", "1"),
    PARAM("secret_flag", OP_PARAM_BOOL, NULL, NULL),
    PARAM("token_ttl", OP_PARAM_DURATION, "1s", "1h"),
    PARAM("password_list", OP_PARAM_STRING_LIST, NULL, NULL)};

static const op_check_def checks[] = {
    {sizeof(op_check_def), "probe", "passes", OP_SEVERITY_WARNING, 0, 0, NULL, 0}};

static int instance_storage;

static op_pack_instance* create(const op_host_api* api, const op_params* params, char* error,
                                size_t error_len) {
  (void)api;
  (void)params;
  (void)error;
  (void)error_len;
  return (op_pack_instance*)&instance_storage;
}

static void destroy(op_pack_instance* instance) { (void)instance; }

static int32_t run(op_pack_instance* instance, uint32_t check_index, const op_params* params,
                   op_run* run) {
  (void)instance;
  (void)check_index;
  (void)params;
  (void)run;
  return OP_RUN_OK;
}

static const op_pack_descriptor descriptor = {sizeof(op_pack_descriptor),
                                              OP_ABI_MAJOR,
                                              OP_ABI_MINOR,
                                              "secrets",
                                              "1.0.0",
                                              "Test fixture: secret parameters of every type",
                                              pack_params,
                                              sizeof pack_params / sizeof pack_params[0],
                                              checks,
                                              1,
                                              create,
                                              destroy,
                                              run};

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
