/*
 * operator invariant-pack ABI, version 1.3.
 *
 * This header is the whole contract between operator-host ("the host") and an
 * invariant pack ("the pack"), a shared library that checks one kind of
 * system. It is plain C so that a pack can be written in any language and
 * built with any compiler, and it stays stable for years:
 *
 *   - A pack exports exactly one symbol, OP_PACK_ENTRY_SYMBOL, which returns a
 *     pointer to a static op_pack_descriptor (define it with OP_PACK_ENTRY()).
 *   - Structs that may grow start with `struct_size`; fields are only ever
 *     appended. A reader checks struct_size before touching a field added in
 *     a later minor version, accepts any struct_size from the struct's 1.0
 *     size up, and steps through an array of such structs (checks[],
 *     params[]) by the struct_size its first element declares: every
 *     element of one array must declare the same struct_size.
 *   - The host refuses a pack whose abi_major differs from its own, or whose
 *     abi_minor is newer than its own.
 *
 * Naming tells direction: `op_pack_*` functions are implemented by the pack
 * and called by the host; `op_host_*` functions are implemented by the host
 * and called by the pack.
 *
 * Ownership rules, everywhere unless a comment says otherwise:
 *   - Whatever the host passes in (strings, structs, handles) is owned by the
 *     host and valid only until the call it was passed to returns.
 *   - Whatever the pack passes to a host function is copied by the host
 *     before that function returns; the pack may free or reuse it at once.
 *   - Nothing allocated on one side is ever freed on the other.
 *   - Strings are NUL-terminated UTF-8. Pointers are never NULL unless the
 *     comment says NULL is allowed. A run that passes the host a NULL where
 *     none is allowed fails, its message naming the pack and the rule.
 *
 * Errors: no C++ exception, longjmp or signal may cross this boundary in
 * either direction. A pack reports problems through return values and
 * op_host_run_fail() (or op_host_run_fail_cause()); the host reports them
 * through return codes and text.
 *
 * Threads: the host may call different instances on different threads at the
 * same time, but it never calls into one instance from two threads at once.
 * A pack must therefore protect only state it shares between instances
 * (ideally: none).
 *
 * History:
 *   1.0  the first version.
 *   1.1  op_host_api.http_stream: a 2xx response body is handed to the pack
 *        piece by piece as it arrives, so a large answer never has to be
 *        held whole (op_pack_http_body_fn, OP_HOST_API_HAS).
 *   1.2  op_host_api.run_unknown: a run says which subjects it could not
 *        evaluate, and the host keeps their tickets exactly as they were
 *        instead of reading the silence as health.
 *        op_host_api.param_invalid: create() names the parameter that made
 *        it fail, so the host can point at the line of the config.
 *        op_param_def.min_value, max_value and bounds: a numeric parameter
 *        declares its range, which the host checks before anything runs.
 *        create() and destroy() may be called on any thread, and the host
 *        waits for them no longer than the target's timeout.
 *        The host reads 1.0 and 1.1 packs as before; it now steps through
 *        checks[] and params[] by their declared struct_size (see above).
 *   1.3  op_host_api.run_fail_cause: a failed run names its cause (the
 *        dependency that failed, e.g. "pd:http://pd:2379"), and the host
 *        opens one ticket per cause for the checks of a target that fail
 *        for it, instead of one per check. Packs built against 1.0 to 1.2
 *        fail without a cause, exactly as before.
 *        Later in 1.3, with no change to the binary interface (so no new
 *        minor, and every pack built before loads as it did):
 *          - OP_PACK_ENTRY() declares and defines the entry function with
 *            its prototype, export and C linkage, so a C pack builds clean
 *            with -Wmissing-prototypes. Writing the definition by hand, as
 *            older packs do, stays valid.
 *          - The host enforces rules this header always stated instead of
 *            guessing: a NULL subject or message in op_violation, a NULL
 *            key or value in op_fact (of a violation or of run_fact), a
 *            NULL fact to run_fact and a NULL message to run_fail each make
 *            the run fail, naming the pack and the rule; and a required
 *            OP_PARAM_STRING_LIST must hold at least one item, which the
 *            host checks with the rest of the config, before anything runs.
 */
#ifndef OPERATOR_PLUGIN_H
#define OPERATOR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. */
#define OP_ABI_MAJOR 1
#define OP_ABI_MINOR 3

/* The one symbol a pack exports (see op_pack_entry_fn). */
#define OP_PACK_ENTRY_SYMBOL "op_pack_entry"

/* Visibility for the entry symbol. The SDK's CMake helper also applies a
 * linker version script so that nothing else leaks from the pack. */
#if defined(_WIN32)
#define OP_EXPORT __declspec(dllexport)
#else
#define OP_EXPORT __attribute__((visibility("default")))
#endif

/* C linkage for the entry symbol when the pack is C++, so that its name is
 * exactly OP_PACK_ENTRY_SYMBOL; nothing in C. */
#ifdef __cplusplus
#define OP_C_LINKAGE extern "C"
#else
#define OP_C_LINKAGE
#endif

/* ------------------------------------------------------------------------ */
/* Enumerations. Stored as int32_t in structs so their size never changes.  */
/* ------------------------------------------------------------------------ */

/* How serious a violation is. */
typedef enum op_severity {
  OP_SEVERITY_INFO = 1,
  OP_SEVERITY_WARNING = 2,
  OP_SEVERITY_CRITICAL = 3
} op_severity;

/* The type of a declared parameter, which decides how the host parses the
 * user's YAML value and which op_host_param_get_* function reads it. */
typedef enum op_param_type {
  OP_PARAM_STRING = 1,      /* any string */
  OP_PARAM_INT = 2,         /* signed 64-bit integer */
  OP_PARAM_FLOAT = 3,       /* double */
  OP_PARAM_BOOL = 4,        /* true / false */
  OP_PARAM_DURATION = 5,    /* "250ms", "30s", "5m", "1h"; read in milliseconds */
  OP_PARAM_STRING_LIST = 6  /* a YAML sequence of strings */
} op_param_type;

/* How a run ended. */
typedef enum op_run_status {
  /* The check evaluated the system. The violations it reported are the whole
   * current truth for every subject it did not call run_unknown for:
   * violations it did not report are no longer present. */
  OP_RUN_OK = 0,
  /* The check could not evaluate the system (endpoint down, bad data, ...).
   * The host reads this as "unknown", never as healthy: it resolves nothing. */
  OP_RUN_FAILED = 1
} op_run_status;

typedef enum op_log_level {
  OP_LOG_DEBUG = 1,
  OP_LOG_INFO = 2,
  OP_LOG_WARNING = 3,
  OP_LOG_ERROR = 4
} op_log_level;

/* ------------------------------------------------------------------------ */
/* What a pack declares about itself (static data owned by the pack).       */
/* ------------------------------------------------------------------------ */

/* One parameter a pack or a check accepts. The host validates the user's
 * config against these declarations before anything runs, fills in defaults,
 * and prints them in `operator-host plugins list`.
 *
 * OWNERSHIP: the pack; must stay valid and unchanged while the pack is
 * loaded (static storage is the norm). */
typedef struct op_param_def {
  uint32_t struct_size; /* sizeof(op_param_def) as the pack was built */
  const char* name;     /* [a-z0-9_]+, unique within its list; must not be an
                           engine key: enabled, interval, timeout, grace,
                           severity, name, pack, checks */
  int32_t type;         /* an op_param_type */
  /* The default as text, parsed like a YAML scalar of `type`: "100", "0.99",
   * "true", "1m"; for OP_PARAM_STRING_LIST, items separated by commas.
   * NULL: no default (then the parameter is absent unless the user sets it). */
  const char* default_value;
  int32_t required; /* non-zero: the user must set it (default_value is then
                       NULL); an OP_PARAM_STRING_LIST to at least one item */
  const char* doc;  /* one line for humans */

  /* Added in 1.2. The range of an OP_PARAM_INT, OP_PARAM_FLOAT or
   * OP_PARAM_DURATION value, as text parsed like default_value ("0", "0.5",
   * "1s"); NULL: no bound on that side. Both must be NULL for other types.
   * The host refuses a config value (and a default) outside the range
   * before anything runs, naming the file, line and column, and
   * `operator-host plugins list` shows it: a run never sees a value outside
   * it. A bounded OP_PARAM_FLOAT is never NaN. */
  const char* min_value;
  const char* max_value;
  uint32_t bounds; /* OP_PARAM_MIN_EXCLUSIVE | OP_PARAM_MAX_EXCLUSIVE, or 0:
                      both bounds are inclusive */
} op_param_def;

/* Flags of op_param_def.bounds (ABI 1.2). */
#define OP_PARAM_MIN_EXCLUSIVE 1u /* the value must be > min_value, not >= */
#define OP_PARAM_MAX_EXCLUSIVE 2u /* the value must be < max_value, not <= */

/* One check of a pack: an invariant the pack can evaluate.
 *
 * OWNERSHIP: the pack; valid while the pack is loaded. */
typedef struct op_check_def {
  uint32_t struct_size;        /* sizeof(op_check_def) as the pack was built */
  const char* name;            /* [a-z0-9_]+, unique within the pack */
  const char* description;     /* one line for humans */
  int32_t default_severity;    /* an op_severity */
  uint64_t default_interval_ms; /* 0: use the host's configured default */
  uint64_t default_grace_ms;    /* how long a violation must persist before it
                                   becomes a ticket (0: at once) */
  const op_param_def* params;  /* may be NULL when param_count is 0 */
  uint32_t param_count;
} op_check_def;

/* ------------------------------------------------------------------------ */
/* Opaque handles owned by the host.                                        */
/* ------------------------------------------------------------------------ */

/* The host's side of one pack instance (logging, HTTP, clock). */
typedef struct op_host op_host;
/* A read-only set of resolved parameter values (defaults already applied). */
typedef struct op_params op_params;
/* The host's side of one run of one check. */
typedef struct op_run op_run;

/* The pack's side of one instance (one configured target). */
typedef struct op_pack_instance op_pack_instance;

/* ------------------------------------------------------------------------ */
/* Host services.                                                           */
/* ------------------------------------------------------------------------ */

/* One HTTP header, as a name and a value.
 * OWNERSHIP: whoever passes it; see the function it is passed to. */
typedef struct op_http_header {
  const char* name;
  const char* value;
} op_http_header;

/* An HTTP request a pack asks the host to make.
 * OWNERSHIP: the pack; the host copies what it needs before
 * op_host_http_request_fn (or op_host_http_stream_fn) returns. */
typedef struct op_http_request {
  uint32_t struct_size;        /* sizeof(op_http_request) as the pack was built */
  const char* method;          /* "GET", "POST", ...; NULL means "GET" */
  const char* url;             /* absolute http:// or https:// URL */
  const op_http_header* headers; /* may be NULL when header_count is 0 */
  uint32_t header_count;
  const char* body;            /* may be NULL when body_len is 0 */
  size_t body_len;
  uint64_t timeout_ms;         /* total time allowed; 0: the rest of the run's
                                  timeout. The host never waits longer than
                                  the run's timeout either way. */
} op_http_request;

/* The number of zero bytes the host guarantees after every response body,
 * so that parsers such as simdjson can read the body in place. */
#define OP_HTTP_BODY_PADDING 64

/* The outcome of an HTTP request.
 * OWNERSHIP: the host. Valid until the run that made the request returns.
 * The pack must not free or modify anything in it. */
typedef struct op_http_response {
  uint32_t struct_size;   /* sizeof(op_http_response) as the host was built */
  int32_t ok;             /* non-zero: a response arrived (any status code);
                             zero: the transport failed, see `error` */
  int32_t status;         /* HTTP status code, 0 when !ok */
  const op_http_header* headers; /* response headers, names lower-case */
  uint32_t header_count;
  const char* body;       /* body_len bytes, followed by OP_HTTP_BODY_PADDING
                             zero bytes; never NULL */
  size_t body_len;
  const char* error;      /* "" when ok; else why it failed, for humans */
  uint64_t elapsed_ms;    /* from sending to the last byte */
} op_http_response;

/* Write one line to the host's log, attributed to the pack instance.
 * Called by: the pack, from any thread, during any call into the pack.
 * `message` is copied; it should not contain secrets. */
typedef void (*op_host_log_fn)(op_host* host, int32_t level, const char* message);

/* Make an HTTP request through the host's libcurl client, which applies the
 * host's connect and total timeouts, response-size cap and TLS verification.
 * Called by: the pack, only inside op_pack_run_fn, on the thread of that run.
 * Blocks until the response arrives, the timeout expires or the run is
 * cancelled. Never returns NULL. The response is owned by the host and stays
 * valid until the run returns. */
typedef const op_http_response* (*op_host_http_request_fn)(op_run* run,
                                                           const op_http_request* request);

/* Receives one piece of a streamed response body (ABI 1.1).
 * Implemented by: the pack. Called by: the host, only from inside
 * op_host_http_stream_fn, on the thread of the run that made the request;
 * pieces come in the order of the body, and len is never 0.
 * `user` is the pointer the pack passed to http_stream, untouched.
 * OWNERSHIP: `data` belongs to the host and is valid only during this call;
 * it is neither NUL-terminated nor padded, so a parser that needs either
 * must copy what it keeps.
 * Return non-zero to go on, zero to stop the transfer: the response is then
 * !ok with an error saying the pack stopped reading the body.
 * Must not throw, longjmp, or call http_request or http_stream. */
typedef int32_t (*op_pack_http_body_fn)(void* user, const char* data, size_t len);

/* Make an HTTP request like op_host_http_request_fn, but hand a successful
 * body to the pack as it arrives instead of keeping it (ABI 1.1), for
 * answers too large to hold whole. Everything http_request applies applies
 * here too: the connect and total timeouts, the run's deadline and
 * cancellation, the response-size cap (counting the streamed bytes), TLS
 * verification, and the decoding of Content-Encoding (pieces are decoded).
 *   - Status 2xx: each piece of the body goes to on_body(user, ...) and is
 *     not kept; the response's body is "" (body_len 0, padded as always).
 *   - Any other status: on_body is never called and the body is kept in the
 *     response exactly as http_request keeps it (e.g. the server's error
 *     text, to show to humans).
 *   - A transfer that fails after pieces were delivered (timeout, reset,
 *     size cap, cancellation, on_body returning 0) gives a !ok response with
 *     `error` set: the pack must discard whatever it built from the pieces.
 * Called by: the pack, only inside op_pack_run_fn, on the thread of that run.
 * `on_body` must not be NULL; `user` may be. Blocks like http_request, never
 * returns NULL; the response is owned by the host and valid until the run
 * returns.
 * Available when OP_HOST_API_HAS(host_api, http_stream): always for a pack
 * built against 1.1, since an older host refuses such a pack. */
typedef const op_http_response* (*op_host_http_stream_fn)(op_run* run,
                                                          const op_http_request* request,
                                                          op_pack_http_body_fn on_body,
                                                          void* user);

/* Wall-clock time as Unix milliseconds (UTC).
 * Called by: the pack, any thread, any time. */
typedef int64_t (*op_host_now_unix_ms_fn)(op_host* host);

/* Monotonic time in nanoseconds, for measuring durations.
 * Called by: the pack, any thread, any time. */
typedef uint64_t (*op_host_now_monotonic_ns_fn)(op_host* host);

/* Typed access to resolved parameters. Each returns 1 and writes *out when
 * the parameter is set (by the user or by its default) and has that type;
 * returns 0 and leaves *out untouched otherwise.
 * Called by: the pack, on the thread of the call that received `params`,
 * and only during that call.
 * OWNERSHIP: strings written to *out are owned by the host and valid for as
 * long as `params` is: copy them to keep them. */
typedef int32_t (*op_host_param_get_string_fn)(const op_params* params, const char* name,
                                               const char** out);
typedef int32_t (*op_host_param_get_int_fn)(const op_params* params, const char* name,
                                            int64_t* out);
typedef int32_t (*op_host_param_get_float_fn)(const op_params* params, const char* name,
                                              double* out);
typedef int32_t (*op_host_param_get_bool_fn)(const op_params* params, const char* name,
                                             int32_t* out);
typedef int32_t (*op_host_param_get_duration_ms_fn)(const op_params* params, const char* name,
                                                    uint64_t* out);
/* String lists: the count (0 when unset), then each item by index. */
typedef uint32_t (*op_host_param_list_size_fn)(const op_params* params, const char* name);
typedef int32_t (*op_host_param_list_item_fn)(const op_params* params, const char* name,
                                              uint32_t index, const char** out);

/* One key/value fact about a violation or a run, stored in the ticket's
 * metric snapshot. `value` is text; when `is_number` is non-zero it is a
 * JSON number literal (e.g. "150.2") and is stored as a number.
 * OWNERSHIP: the pack; copied by the host during the call it is passed to. */
typedef struct op_fact {
  const char* key;
  const char* value;
  int32_t is_number;
} op_fact;

/* One current violation of an invariant.
 * OWNERSHIP: the pack; copied by the host during op_host_run_report_fn. */
typedef struct op_violation {
  uint32_t struct_size;  /* sizeof(op_violation) as the pack was built */
  const char* subject;   /* what is broken, e.g. a store id; "" for the whole
                            target. Together with target and check it forms
                            the violation key, so it must be stable. */
  const char* message;   /* one line for humans, e.g. "Store 2 at
                            10.0.2.12:20160 is Down" */
  int32_t severity;      /* an op_severity; 0: the check's configured severity */
  const op_fact* facts;  /* may be NULL when fact_count is 0 */
  uint32_t fact_count;
} op_violation;

/* Report one current violation. Call once per violation; a subject reported
 * twice in one run is kept once (the last report wins). `subject`,
 * `message` and each fact's key and value must not be NULL: the host fails
 * the run that passes one.
 * Called by: the pack, inside op_pack_run_fn, on the thread of that run. */
typedef void (*op_host_run_report_fn)(op_run* run, const op_violation* violation);

/* Attach a fact to the run itself (not to a violation), e.g. the stores that
 * had no metrics. The host logs it and shows it with the run's outcome.
 * `fact`, its key and its value must not be NULL: the host fails the run
 * that passes one.
 * Called by: the pack, inside op_pack_run_fn, on the thread of that run. */
typedef void (*op_host_run_fact_fn)(op_run* run, const op_fact* fact);

/* Say why the run could not evaluate the system. The run should then return
 * OP_RUN_FAILED. The last message set wins. `message` must not be NULL (""
 * is allowed, and read as "check failed without a message").
 * Called by: the pack, inside op_pack_run_fn, on the thread of that run. */
typedef void (*op_host_run_fail_fn)(op_run* run, const char* message);

/* Non-zero once the host has given up on this run (its timeout expired or
 * the host is shutting down). A long run should check it and return.
 * Called by: the pack, inside op_pack_run_fn, on the thread of that run. */
typedef int32_t (*op_host_run_cancelled_fn)(op_run* run);

/* Say that this run could not evaluate `subject` (ABI 1.2): a pack that sees
 * only part of a system (one store's metrics missing or unusable while the
 * others were read) calls it once for each subject it could not see, and
 * returns OP_RUN_OK for the rest. Without it the run would have to fail as a
 * whole, or let the subject pass as healthy.
 * The host leaves that subject exactly as it was: an open ticket stays open
 * and is not counted as seen again, a violation inside its grace period
 * keeps its first-seen time, and nothing is opened or resolved for it.
 * `reason` says why, for humans (e.g. "store 3 is Disconnected; its
 * metrics are not evaluated"); the host logs it, lists it with the run and
 * shows it on the subject's open ticket.
 * A subject that the same run also reports with run_report counts as
 * reported (the pack saw it broken). Called again for one subject, the last
 * reason wins. "" is the whole target, as in op_violation.subject.
 * Called by: the pack, inside op_pack_run_fn, on the thread of that run.
 * Both strings are copied; neither may be NULL. Ignored when the run fails.
 * Available when OP_HOST_API_HAS(host_api, run_unknown): always for a pack
 * built against 1.2, since an older host refuses such a pack. */
typedef void (*op_host_run_unknown_fn)(op_run* run, const char* subject, const char* reason);

/* Name the parameter whose value made op_pack_create_fn fail (ABI 1.2), so
 * that the host can point the user at the line of the config that set it
 * (an endpoint with the wrong scheme, a credentials file that cannot be
 * read). The reason still goes into create()'s `error` buffer.
 * Called by: the pack, only inside op_pack_create_fn, on the thread of that
 * call, with the `params` that create() received, before create() returns
 * NULL. `name` is one of the pack-level parameters the pack declares; it is
 * copied. The last call wins; calls are ignored when create() succeeds.
 * Available when OP_HOST_API_HAS(host_api, param_invalid). */
typedef void (*op_host_param_invalid_fn)(const op_params* params, const char* name);

/* Say why the run could not evaluate the system, like op_host_run_fail_fn,
 * and name its cause (ABI 1.3): the dependency whose failure made the run
 * fail, so that the host opens one ticket for the cause instead of one per
 * check that fails for it. When PD answers 500, every check that asks PD
 * fails: with a cause they make one ticket (target, check ":failed",
 * subject the cause) that lists the checks it blocks, and that resolves
 * once each of them has run again without failing for that cause. The
 * checks' own tickets stay as they are meanwhile (a failed run is no
 * evidence) and are shown as blocked by it.
 * `cause` is a stable name of the dependency, the same from every check
 * and every run that fails for it, by convention "<kind>:<endpoint>":
 * "pd:http://pd:2379", "prometheus:http://prom:9090". It becomes a
 * ticket's subject, stored and shown to people: it must not hold
 * credentials (no user:password@ in a URL) or anything that changes from
 * run to run (a request path, a time, an error text; those go in
 * `message`).
 * "" as cause names none: the call is then op_host_run_fail(run, message),
 * and the failure counts toward the check's own "<check>:failed" ticket,
 * as every failure of a pack built before 1.3 does. A failure that is the
 * check's own (a query the server refuses as malformed, a parameter that
 * cannot be used) should name no cause.
 * The last call of run_fail and run_fail_cause wins, its cause with it: a
 * run_fail after run_fail_cause leaves the run without a cause. The run
 * should then return OP_RUN_FAILED.
 * Called by: the pack, inside op_pack_run_fn, on the thread of that run.
 * Both strings are copied; neither may be NULL.
 * Available when OP_HOST_API_HAS(host_api, run_fail_cause): always for a
 * pack built against 1.3, since an older host refuses such a pack. */
typedef void (*op_host_run_fail_cause_fn)(op_run* run, const char* cause,
                                          const char* message);

/* The services the host offers a pack, in the manner of SQLite's
 * sqlite3_api_routines: a table passed in, never symbols to link against.
 * OWNERSHIP: the host; valid from op_pack_create_fn until op_pack_destroy_fn
 * of the instance it was passed to returns. New functions are appended;
 * check struct_size (OP_HOST_API_HAS) before calling one added after 1.0. */
typedef struct op_host_api {
  uint32_t struct_size; /* sizeof(op_host_api) as the host was built */
  uint16_t abi_major;   /* the host's ABI version */
  uint16_t abi_minor;
  op_host* host;        /* first argument of the op_host_* functions below */

  op_host_log_fn log;
  op_host_now_unix_ms_fn now_unix_ms;
  op_host_now_monotonic_ns_fn now_monotonic_ns;

  op_host_param_get_string_fn param_get_string;
  op_host_param_get_int_fn param_get_int;
  op_host_param_get_float_fn param_get_float;
  op_host_param_get_bool_fn param_get_bool;
  op_host_param_get_duration_ms_fn param_get_duration_ms;
  op_host_param_list_size_fn param_list_size;
  op_host_param_list_item_fn param_list_item;

  op_host_http_request_fn http_request;
  op_host_run_report_fn run_report;
  op_host_run_fact_fn run_fact;
  op_host_run_fail_fn run_fail;
  op_host_run_cancelled_fn run_cancelled;

  /* Added in 1.1. */
  op_host_http_stream_fn http_stream;

  /* Added in 1.2. */
  op_host_run_unknown_fn run_unknown;
  op_host_param_invalid_fn param_invalid;

  /* Added in 1.3. */
  op_host_run_fail_cause_fn run_fail_cause;
} op_host_api;

/* Non-zero when the host's table has `member` (its struct_size reaches past
 * it), e.g. OP_HOST_API_HAS(host_api, http_stream). Check it before calling
 * a function added after 1.0. */
#define OP_HOST_API_HAS(api, member)                               \
  ((api)->struct_size >= offsetof(op_host_api, member) +           \
                             sizeof(((const op_host_api*)0)->member))

/* ------------------------------------------------------------------------ */
/* Functions the pack implements.                                           */
/* ------------------------------------------------------------------------ */

/* Create one instance for one configured target.
 * Called by: the host, on any thread (never the same instance's create and
 * run at once), once per target, after the config was validated against the
 * pack's declarations. `operator-host config check` also creates and
 * destroys an instance of every configured target, to show what create()
 * refuses before the monitor starts: create() should check everything it
 * can about its parameters (and say which one is wrong with param_invalid),
 * and must not start work that destroy() cannot undo.
 * `host_api` stays valid until op_pack_destroy_fn of this instance returns;
 * the pack may keep the pointer. `params` holds the pack-level parameters and
 * is valid only during this call.
 * Returns the instance, owned by the pack until op_pack_destroy_fn; or NULL
 * after writing a NUL-terminated reason of at most error_len bytes (including
 * the NUL) into `error` (owned by the host). Must not block on the network:
 * the host waits at most the target's timeout, then counts the target's
 * checks as failed at each of their due times until create() returns. */
typedef op_pack_instance* (*op_pack_create_fn)(const op_host_api* host_api,
                                               const op_params* params, char* error,
                                               size_t error_len);

/* Destroy an instance. Called by: the host, on any thread, once, when no
 * run of the instance is in progress. The pack frees everything the
 * instance owns. Must return promptly: the host waits at most the target's
 * timeout (and at shutdown, what is left of its shutdown timeout), then
 * logs the pack and goes on without it. */
typedef void (*op_pack_destroy_fn)(op_pack_instance* instance);

/* Evaluate one check for one instance.
 * Called by: the host, on a worker thread; never twice at once for one
 * instance, but different instances may run at the same time.
 * `check_index` indexes op_pack_descriptor.checks. `check_params` holds the
 * check's parameters (defaults applied) and `run` the run's handle; both are
 * valid until this function returns. Report each current violation with
 * host_api->run_report. Return OP_RUN_OK when the system was evaluated, or
 * call host_api->run_fail (or run_fail_cause, naming the dependency that
 * failed) and return OP_RUN_FAILED when it could not be.
 * The host may stop waiting after the check's timeout and count the run as
 * failed; it then ignores whatever the run reports and does not call the
 * instance again until this function returns, counting a failure of each
 * of the instance's checks at each of its due times meanwhile. */
typedef int32_t (*op_pack_run_fn)(op_pack_instance* instance, uint32_t check_index,
                                  const op_params* check_params, op_run* run);

/* The pack's description of itself.
 * OWNERSHIP: the pack; static, valid while the pack is loaded, never
 * modified. */
typedef struct op_pack_descriptor {
  uint32_t struct_size; /* sizeof(op_pack_descriptor) as the pack was built */
  uint16_t abi_major;   /* OP_ABI_MAJOR the pack was built with */
  uint16_t abi_minor;   /* OP_ABI_MINOR the pack was built with */
  const char* name;        /* [a-z0-9_]+, unique among loaded packs; the
                              config's `pack:` names it */
  const char* version;     /* the pack's own version, e.g. "1.2.0" */
  const char* description; /* one line for humans */
  const op_param_def* params; /* pack-level parameters; may be NULL when 0 */
  uint32_t param_count;
  const op_check_def* checks; /* at least one */
  uint32_t check_count;
  op_pack_create_fn create;
  op_pack_destroy_fn destroy;
  op_pack_run_fn run;
} op_pack_descriptor;

/* The entry symbol, exported under the name OP_PACK_ENTRY_SYMBOL.
 * Called by: the host, on its main thread, once after loading the library.
 * Returns a pointer to the pack's static descriptor (never NULL). Must not
 * allocate, block or start threads; static constructors must not either. */
typedef const op_pack_descriptor* (*op_pack_entry_fn)(void);

/* The head of the entry function's definition, preceded by its prototype
 * (added in 1.3 without a binary change: see the history above). A pack
 * writes it once, followed by the body:
 *
 *   OP_PACK_ENTRY() { return &descriptor; }
 *
 * The prototype keeps -Wmissing-prototypes (C) and -Wmissing-declarations
 * (C++) quiet, OP_EXPORT makes the symbol visible, and OP_C_LINKAGE keeps
 * its name unmangled in C++. What the function must do is said just above. */
#define OP_PACK_ENTRY()                                             \
  OP_C_LINKAGE OP_EXPORT const op_pack_descriptor* op_pack_entry(void); \
  OP_C_LINKAGE OP_EXPORT const op_pack_descriptor* op_pack_entry(void)

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPERATOR_PLUGIN_H */
