/* ports_open: every listed TCP port of a host accepts a connection.
 *
 * The ports are tried side by side (at most MAX_AT_ONCE sockets at a time,
 * well inside a runner's open-file limit) with non-blocking connects, each
 * trying the host's addresses in the order the resolver gives them (an
 * IPv6 address that refuses does not hide an IPv4 one that accepts) for at
 * most connect_timeout in all. The wait is cut in slices so that the run
 * notices run_cancelled, which turns true at the run's deadline. */
#define _POSIX_C_SOURCE 200809L
#include "ports_open.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
  MAX_AT_ONCE = 32,
  POLL_SLICE_MS = 50,
  TEXT_LEN = 512 /* a message: the host (at most 255 bytes as a DNS name) and an error */
};

typedef enum probe_state { PROBE_WAITING, PROBE_CONNECTING, PROBE_OPEN, PROBE_CLOSED } probe_state;

typedef struct port_probe {
  int port;
  probe_state state;
  const struct addrinfo* next_address; /* the next one to try; NULL: none left */
  int fd;                              /* while PROBE_CONNECTING */
  uint64_t deadline_ns;                /* on the host's monotonic clock */
  int error;                           /* why the last attempt failed; ETIMEDOUT: no answer */
} port_probe;

typedef struct ports_run {
  const op_host_api* api;
  op_run* run;
  const char* host;
  uint64_t timeout_ms;
  port_probe* probes;
  uint32_t count;
} ports_run;

/* 1 and *port for "1" to "65535"; 0 for anything else ("+80", "80 ", "http"). */
static int parse_port(const char* text, int* port) {
  int value = 0;
  if (*text == '\0' || strlen(text) > 5) return 0;
  for (const char* c = text; *c != '\0'; ++c) {
    if (*c < '0' || *c > '9') return 0;
    value = value * 10 + (*c - '0');
  }
  if (value < 1 || value > 65535) return 0;
  *port = value;
  return 1;
}

static void fail(const ports_run* r, const char* message) { r->api->run_fail(r->run, message); }

static uint64_t now_ns(const ports_run* r) { return r->api->now_monotonic_ns(r->api->host); }

static void close_probe(port_probe* probe, probe_state state, int error) {
  if (probe->fd >= 0) close(probe->fd);
  probe->fd = -1;
  probe->state = state;
  probe->error = error;
}

/* Starts a connect to the probe's next address; a failure at once (no
 * route, refused on loopback) moves on to the address after it. */
static void start_attempt(port_probe* probe) {
  while (probe->next_address != NULL) {
    const struct addrinfo* address = probe->next_address;
    probe->next_address = address->ai_next;
    struct sockaddr_storage target;
    memcpy(&target, address->ai_addr, address->ai_addrlen);
    if (address->ai_family == AF_INET6) {
      ((struct sockaddr_in6*)&target)->sin6_port = htons((uint16_t)probe->port);
    } else {
      ((struct sockaddr_in*)&target)->sin_port = htons((uint16_t)probe->port);
    }
    const int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
    if (fd < 0) {
      probe->error = errno;
      continue;
    }
    /* Close-on-exec: a check never hands its sockets to a child. */
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
      probe->error = errno;
      close(fd);
      continue;
    }
    if (connect(fd, (const struct sockaddr*)&target, address->ai_addrlen) == 0) {
      close(fd);
      probe->state = PROBE_OPEN;
      return;
    }
    if (errno == EINPROGRESS) {
      probe->fd = fd;
      probe->state = PROBE_CONNECTING;
      return;
    }
    probe->error = errno;
    close(fd);
  }
  close_probe(probe, PROBE_CLOSED, probe->error);
}

/* A connect that poll() says has ended: open, or on to the next address. */
static void finish_attempt(port_probe* probe) {
  int error = 0;
  socklen_t len = sizeof error;
  if (getsockopt(probe->fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
  if (error == 0) {
    close_probe(probe, PROBE_OPEN, 0);
    return;
  }
  close(probe->fd);
  probe->fd = -1;
  probe->error = error;
  start_attempt(probe);
}

/* Probes every port; 0 when the run's time ran out first (the probes then
 * hold no socket). */
static int probe_all(const ports_run* r) {
  uint32_t next = 0; /* the first probe not yet started */
  for (;;) {
    struct pollfd fds[MAX_AT_ONCE];
    port_probe* owners[MAX_AT_ONCE];
    nfds_t active = 0;
    uint64_t now = now_ns(r);
    for (uint32_t i = 0; i < next; ++i) {
      port_probe* probe = &r->probes[i];
      if (probe->state != PROBE_CONNECTING) continue;
      if (now >= probe->deadline_ns) {
        close_probe(probe, PROBE_CLOSED, ETIMEDOUT);
        continue;
      }
      fds[active] = (struct pollfd){.fd = probe->fd, .events = POLLOUT};
      owners[active++] = probe;
    }
    while (active < MAX_AT_ONCE && next < r->count) {
      port_probe* probe = &r->probes[next++];
      probe->deadline_ns = now + r->timeout_ms * 1000000u;
      start_attempt(probe);
      if (probe->state != PROBE_CONNECTING) continue;
      fds[active] = (struct pollfd){.fd = probe->fd, .events = POLLOUT};
      owners[active++] = probe;
    }
    if (active == 0) return 1;
    if (r->api->run_cancelled(r->run)) {
      for (nfds_t i = 0; i < active; ++i) close_probe(owners[i], PROBE_WAITING, 0);
      return 0;
    }
    uint64_t wait_ms = POLL_SLICE_MS;
    for (nfds_t i = 0; i < active; ++i) {
      const uint64_t left_ms = (owners[i]->deadline_ns - now + 999999u) / 1000000u;
      if (left_ms < wait_ms) wait_ms = left_ms;
    }
    if (poll(fds, active, (int)wait_ms) < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      for (nfds_t i = 0; i < active; ++i) close_probe(owners[i], PROBE_CLOSED, error);
      continue;
    }
    for (nfds_t i = 0; i < active; ++i) {
      if (fds[i].revents != 0) finish_attempt(owners[i]);
    }
  }
}

/* "3s", "1500ms": connect_timeout as a person would write it. */
static void duration_text(uint64_t ms, char* out, size_t len) {
  if (ms % 1000 == 0) {
    snprintf(out, len, "%llus", (unsigned long long)(ms / 1000));
  } else {
    snprintf(out, len, "%llums", (unsigned long long)ms);
  }
}

static void report_closed(const ports_run* r, const port_probe* probe) {
  char subject[12];
  char endpoint[TEXT_LEN];
  char error[128];
  char message[TEXT_LEN + 160];
  snprintf(subject, sizeof subject, "%d", probe->port);
  if (strchr(r->host, ':') != NULL) { /* an IPv6 address: brackets before the port */
    snprintf(endpoint, sizeof endpoint, "[%s]:%d", r->host, probe->port);
  } else {
    snprintf(endpoint, sizeof endpoint, "%s:%d", r->host, probe->port);
  }
  if (probe->error == ETIMEDOUT) {
    char timeout[32];
    duration_text(r->timeout_ms, timeout, sizeof timeout);
    snprintf(error, sizeof error, "no answer within %s", timeout);
    snprintf(message, sizeof message, "%s did not accept a connection within %s", endpoint,
             timeout);
  } else {
    /* The XSI strerror_r: thread-safe, unlike strerror. */
    if (strerror_r(probe->error, error, sizeof error) != 0) {
      snprintf(error, sizeof error, "error %d", probe->error);
    }
    snprintf(message, sizeof message, "%s is closed: %s", endpoint, error);
  }
  const op_fact facts[] = {
      {.key = "host", .value = r->host, .is_number = 0},
      {.key = "port", .value = subject, .is_number = 1},
      {.key = "error", .value = error, .is_number = 0},
  };
  const op_violation violation = {
      .struct_size = sizeof(op_violation),
      .subject = subject,
      .message = message,
      .severity = 0, /* the check's configured severity */
      .facts = facts,
      .fact_count = sizeof facts / sizeof facts[0],
  };
  r->api->run_report(r->run, &violation); /* copied before it returns */
}

/* Reads `ports` into r->probes; 0 after run_fail when one is no port. */
static int read_ports(ports_run* r, const op_params* params) {
  r->count = r->api->param_list_size(params, "ports");
  r->probes = calloc(r->count > 0 ? r->count : 1, sizeof *r->probes);
  if (r->probes == NULL) {
    fail(r, "out of memory");
    return 0;
  }
  for (uint32_t i = 0; i < r->count; ++i) {
    const char* item = NULL;
    port_probe* probe = &r->probes[i];
    probe->fd = -1;
    if (!r->api->param_list_item(params, "ports", i, &item) || !parse_port(item, &probe->port)) {
      char message[TEXT_LEN];
      snprintf(message, sizeof message, "ports: '%.64s' is not a port (1 to 65535)",
               item != NULL ? item : "");
      fail(r, message);
      return 0;
    }
  }
  return 1;
}

int32_t tcp_ports_open(const op_host_api* api, const char* host, const op_params* check_params,
                       op_run* run) {
  ports_run r = {.api = api, .run = run, .host = host};
  /* Both have a value (a default, a required list): a read that fails
   * means a host that breaks its own rules, so the run cannot tell. */
  if (!api->param_get_duration_ms(check_params, "connect_timeout", &r.timeout_ms)) {
    fail(&r, "connect_timeout is not set");
    return OP_RUN_FAILED;
  }
  if (!read_ports(&r, check_params)) {
    free(r.probes);
    return OP_RUN_FAILED;
  }

  /* Resolved at every run, so a moved host is followed. The resolver's
   * own timeout applies: it cannot be cut at the run's deadline (the host
   * then counts the run as failed and waits for it to return). */
  const struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
  struct addrinfo* addresses = NULL;
  const int resolved = getaddrinfo(host, NULL, &hints, &addresses);
  if (resolved != 0) {
    char message[TEXT_LEN];
    snprintf(message, sizeof message, "cannot resolve %s: %s", host, gai_strerror(resolved));
    fail(&r, message);
    free(r.probes);
    return OP_RUN_FAILED;
  }
  for (uint32_t i = 0; i < r.count; ++i) r.probes[i].next_address = addresses;

  const int finished = probe_all(&r);
  freeaddrinfo(addresses);
  if (!finished) {
    fail(&r, "the run's time ran out before every port answered");
    free(r.probes);
    return OP_RUN_FAILED;
  }
  uint32_t closed = 0;
  for (uint32_t i = 0; i < r.count; ++i) {
    if (r.probes[i].state != PROBE_CLOSED) continue;
    report_closed(&r, &r.probes[i]);
    ++closed;
  }
  char closed_text[16];
  snprintf(closed_text, sizeof closed_text, "%u", (unsigned)closed);
  const op_fact closed_fact = {.key = "closed_ports", .value = closed_text, .is_number = 1};
  api->run_fact(run, &closed_fact);
  free(r.probes);
  return OP_RUN_OK;
}
