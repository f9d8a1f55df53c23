/* A valid pack, in plain C, whose runs bend the rules the host must survive
 * and exercise each host service: a failure without a message, OK after
 * run_fail, one subject reported twice, an unknown status, HTTP, typed
 * parameters, and a run that waits for cancellation. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <operator/plugin.h>

/* One parameter, its 1.2 bounds left NULL (none). */
#define PARAM(param_name, param_type, default_text, is_required, param_doc)      \
  {                                                                              \
    .struct_size = sizeof(op_param_def), .name = param_name, .type = param_type, \
    .default_value = default_text, .required = is_required, .doc = param_doc     \
  }

static const op_host_api* host_api;
static int instance_storage;

enum {
  CHECK_FAIL_SILENTLY,
  CHECK_OK_AFTER_FAIL,
  CHECK_REPORT_TWICE,
  CHECK_HTTP_GET,
  CHECK_BAD_STATUS,
  CHECK_PARAMS,
  CHECK_WAIT_CANCEL
};

static const op_param_def http_params[] = {PARAM("url", OP_PARAM_STRING, NULL, 1, "what to GET")};
static const op_param_def typed_params[] = {PARAM("s", OP_PARAM_STRING, "text", 0, "a string"),
                                            PARAM("i", OP_PARAM_INT, "42", 0, "an int"),
                                            PARAM("f", OP_PARAM_FLOAT, "0.5", 0, "a float"),
                                            PARAM("b", OP_PARAM_BOOL, "true", 0, "a bool"),
                                            PARAM("d", OP_PARAM_DURATION, "90s", 0, "a duration"),
                                            PARAM("l", OP_PARAM_STRING_LIST, "x,y", 0, "a list")};

#define CHECK(name, params, count) \
  { sizeof(op_check_def), name, "misbehaves", OP_SEVERITY_WARNING, 0, 0, params, count }

static const op_check_def checks[] = {
    CHECK("fail_silently", NULL, 0), CHECK("ok_after_fail", NULL, 0),
    CHECK("report_twice", NULL, 0),  CHECK("http_get", http_params, 1),
    CHECK("bad_status", NULL, 0),    CHECK("params", typed_params, 6),
    CHECK("wait_cancel", NULL, 0)};

static op_pack_instance* create(const op_host_api* api, const op_params* params, char* error,
                                size_t error_len) {
  (void)params;
  (void)error;
  (void)error_len;
  host_api = api;
  return (op_pack_instance*)&instance_storage;
}

static void destroy(op_pack_instance* instance) { (void)instance; }

static void report(op_run* run, const char* subject, const char* message, const op_fact* facts,
                   uint32_t fact_count) {
  op_violation v;
  memset(&v, 0, sizeof v);
  v.struct_size = sizeof v;
  v.subject = subject;
  v.message = message;
  v.facts = facts;
  v.fact_count = fact_count;
  host_api->run_report(run, &v);
}

static int32_t http_get(const op_params* params, op_run* run) {
  const char* url = NULL;
  if (!host_api->param_get_string(params, "url", &url)) return OP_RUN_FAILED;
  op_http_request request;
  memset(&request, 0, sizeof request);
  request.struct_size = sizeof request;
  request.url = url;
  const op_http_response* response = host_api->http_request(run, &request);
  int padded = 1;
  for (size_t i = 0; i < OP_HTTP_BODY_PADDING; ++i) {
    if (response->body[response->body_len + i] != '\0') padded = 0;
  }
  char status[16];
  snprintf(status, sizeof status, "%d", (int)response->status);
  op_fact facts[] = {
      {"status", status, 1}, {"padded", padded ? "yes" : "no", 0}, {"error", response->error, 0}};
  report(run, "response", response->body, facts, 3);
  return OP_RUN_OK;
}

static int32_t typed(const op_params* params, op_run* run) {
  const char* s = NULL;
  int64_t i = 0;
  double f = 0;
  int32_t b = 0;
  uint64_t d = 0;
  const char* item = NULL;
  char text[256];
  const uint32_t size = host_api->param_list_size(params, "l");
  const int got =
      host_api->param_get_string(params, "s", &s) && host_api->param_get_int(params, "i", &i) &&
      host_api->param_get_float(params, "f", &f) && host_api->param_get_bool(params, "b", &b) &&
      host_api->param_get_duration_ms(params, "d", &d) && size > 0 &&
      host_api->param_list_item(params, "l", size - 1, &item);
  /* Wrong type and unknown names must answer 0. */
  const int strict =
      !host_api->param_get_int(params, "s", &i) && !host_api->param_get_string(params, "nope", &s);
  if (!got || !strict) {
    host_api->run_fail(run, "a parameter could not be read");
    return OP_RUN_FAILED;
  }
  snprintf(text, sizeof text, "s=%s i=%lld f=%g b=%d d=%llu l=%u last=%s", s, (long long)i, f,
           (int)b, (unsigned long long)d, (unsigned)size, item);
  report(run, "params", text, NULL, 0);
  return OP_RUN_OK;
}

static int32_t run(op_pack_instance* instance, uint32_t check_index, const op_params* params,
                   op_run* run) {
  (void)instance;
  switch (check_index) {
    case CHECK_FAIL_SILENTLY:
      return OP_RUN_FAILED;
    case CHECK_OK_AFTER_FAIL:
      host_api->run_fail(run, "gave up half way");
      return OP_RUN_OK;
    case CHECK_REPORT_TWICE: {
      op_fact fact = {"n", "not a number", 1};
      host_api->log(host_api->host, OP_LOG_WARNING, "reporting s twice");
      report(run, "s", "first", NULL, 0);
      report(run, "t", "other", NULL, 0);
      report(run, "s", "second", &fact, 1);
      return OP_RUN_OK;
    }
    case CHECK_HTTP_GET:
      return http_get(params, run);
    case CHECK_BAD_STATUS:
      return 7;
    case CHECK_PARAMS:
      return typed(params, run);
    case CHECK_WAIT_CANCEL: {
      const struct timespec tick = {0, 1000000};
      while (!host_api->run_cancelled(run)) nanosleep(&tick, NULL);
      host_api->run_fail(run, "cancelled");
      return OP_RUN_FAILED;
    }
    default:
      return OP_RUN_FAILED;
  }
}

static const op_pack_descriptor descriptor = {sizeof(op_pack_descriptor),
                                              OP_ABI_MAJOR,
                                              OP_ABI_MINOR,
                                              "misbehaving",
                                              "0.0.1",
                                              "runs that bend the rules",
                                              NULL,
                                              0,
                                              checks,
                                              sizeof checks / sizeof checks[0],
                                              create,
                                              destroy,
                                              run};

OP_EXPORT const op_pack_descriptor* op_pack_entry(void) { return &descriptor; }
