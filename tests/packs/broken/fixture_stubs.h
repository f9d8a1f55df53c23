/* Shared by the broken fixture packs: instance functions that do nothing,
 * so each fixture file shows only what is wrong with it. */
#ifndef OPERATOR_TEST_FIXTURE_STUBS_H
#define OPERATOR_TEST_FIXTURE_STUBS_H

#include <operator/plugin.h>

static int fixture_instance_storage;

static op_pack_instance* fixture_create(const op_host_api* api, const op_params* params,
                                        char* error, size_t error_len) {
  (void)api;
  (void)params;
  (void)error;
  (void)error_len;
  return (op_pack_instance*)&fixture_instance_storage;
}

static void fixture_destroy(op_pack_instance* instance) { (void)instance; }

static int32_t fixture_run(op_pack_instance* instance, uint32_t check_index,
                           const op_params* params, op_run* run) {
  (void)instance;
  (void)check_index;
  (void)params;
  (void)run;
  return OP_RUN_OK;
}

/* One parameter, its 1.2 bounds left NULL (none). */
#define FIXTURE_PARAM(param_name, param_type, default_text, is_required, param_doc) \
  {                                                                                 \
    .struct_size = sizeof(op_param_def), .name = param_name, .type = param_type,    \
    .default_value = default_text, .required = is_required, .doc = param_doc        \
  }

#define FIXTURE_CHECK(check_name) \
  { sizeof(op_check_def), check_name, "a fixture check", OP_SEVERITY_WARNING, 0, 0, NULL, 0 }

#define FIXTURE_DESCRIPTOR(var, major, minor, pack_name, checks_array, count) \
  static const op_pack_descriptor var = {sizeof(op_pack_descriptor),          \
                                         major,                               \
                                         minor,                               \
                                         pack_name,                           \
                                         "0.0.1",                             \
                                         "a broken fixture pack",             \
                                         NULL,                                \
                                         0,                                   \
                                         checks_array,                        \
                                         count,                               \
                                         fixture_create,                      \
                                         fixture_destroy,                     \
                                         fixture_run}

#endif
