/* A pack, in plain C, that hands the host structs smaller than their ABI 1.0
 * size, as a pack built against a broken or hand-edited header would: each
 * run must fail, saying which struct and which size, whatever the pack makes
 * of the host's answer (every run here returns OP_RUN_OK). */
#include <string.h>

#include "fixture_stubs.h"

static const op_host_api* host_api;

enum { CHECK_SHORT_VIOLATION, CHECK_SHORT_REQUEST, CHECK_SHORT_STREAM };

static const op_check_def checks[] = {FIXTURE_CHECK("short_violation"),
                                      FIXTURE_CHECK("short_request"),
                                      FIXTURE_CHECK("short_stream")};

static op_pack_instance* create(const op_host_api* api, const op_params* params, char* error,
                                size_t error_len) {
  host_api = api;
  return fixture_create(api, params, error, error_len);
}

static int32_t ignore_piece(void* user, const char* data, size_t len) {
  (void)user;
  (void)data;
  (void)len;
  return 1;
}

static int32_t run(op_pack_instance* instance, uint32_t check_index, const op_params* params,
                   op_run* run) {
  (void)instance;
  (void)params;
  switch (check_index) {
    case CHECK_SHORT_VIOLATION: {
      op_violation v;
      memset(&v, 0, sizeof v);
      v.struct_size = 40; /* 1.0's op_violation is 48 bytes */
      v.subject = "s";
      v.message = "reported through a struct too small";
      host_api->run_report(run, &v);
      return OP_RUN_OK;
    }
    case CHECK_SHORT_REQUEST:
    case CHECK_SHORT_STREAM: {
      op_http_request request;
      memset(&request, 0, sizeof request);
      request.struct_size = 56; /* 1.0's op_http_request is 64 bytes */
      request.url = "http://127.0.0.1:1/";
      if (check_index == CHECK_SHORT_REQUEST) {
        host_api->http_request(run, &request);
      } else {
        host_api->http_stream(run, &request, ignore_piece, NULL);
      }
      return OP_RUN_OK;
    }
    default:
      return fixture_run(instance, check_index, params, run);
  }
}

static const op_pack_descriptor descriptor = {sizeof(op_pack_descriptor),
                                              OP_ABI_MAJOR,
                                              OP_ABI_MINOR,
                                              "short_structs",
                                              "0.0.1",
                                              "hands the host structs below their 1.0 size",
                                              NULL,
                                              0,
                                              checks,
                                              sizeof checks / sizeof checks[0],
                                              create,
                                              fixture_destroy,
                                              run};

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
