#include "http/client.h"

#include <curl/curl.h>

#include "common/duration.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string_view>

namespace opr::http {
namespace {

using Clock = std::chrono::steady_clock;

// Loopback never goes through a proxy, whatever http_proxy says.
constexpr const char* kNoProxy = "127.0.0.1,localhost,::1";

bool ascii_iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Compression saves bandwidth a loopback peer does not use, and costs CPU
// on both ends (inflating Prometheus' answers was ~2 ms of a 10,000-store
// cycle): ask a peer on this machine for the body as it is.
bool is_loopback_url(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), &curl_url_cleanup);
  char* host = nullptr;
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    return false;
  }
  const std::string_view name(host);
  const bool loopback = name == "localhost" || name == "[::1]" || name.starts_with("127.");
  curl_free(host);
  return loopback;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Bigger than libcurl's 16 KiB default: a 13.7 MB store list then takes
// ~30 recv calls instead of ~850. libcurl allocates it per easy handle.
constexpr long kReceiveBufferBytes = 512L * 1024;

struct Transfer {
  CURL* curl;
  Response* response;
  size_t max_bytes;
  size_t body_spare;
  const std::function<bool(std::string_view)>* sink;  // Request::on_body, maybe empty
  const std::atomic<bool>* cancelled;
  size_t received = 0;   // body bytes so far, kept or streamed
  bool started = false;  // the first piece decided where the body goes
  bool streaming = false;
  bool too_large = false;
  std::string stop_reason{};  // why on_body ended the transfer, when it did
};

// Sizes the body once from Content-Length, so that a large body is not
// copied again at every doubling of its string (and a 16 MiB buffer plus
// its 8 MiB predecessor are never alive at once). Not for encoded bodies:
// Content-Length then counts compressed bytes.
void reserve_body(Transfer& transfer) {
  for (const auto& [name, value] : transfer.response->headers) {
    if (name == "content-encoding" && value != "identity") return;
  }
  curl_off_t length = -1;
  if (curl_easy_getinfo(transfer.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) != CURLE_OK ||
      length <= 0) {
    return;
  }
  const size_t capped = std::min(static_cast<size_t>(length), transfer.max_bytes);
  transfer.response->body.reserve(capped + transfer.body_spare);
}

// The first piece decides where the body goes: to the caller's sink when
// there is one and the status is 2xx, else into Response::body.
void start_body(Transfer& transfer) {
  transfer.started = true;
  if (*transfer.sink) {
    long status = 0;
    curl_easy_getinfo(transfer.curl, CURLINFO_RESPONSE_CODE, &status);
    transfer.streaming = status >= 200 && status < 300;
  }
  if (!transfer.streaming) reserve_body(transfer);
}

void set_stop_reason(Transfer& transfer, std::string_view reason) noexcept {
  try {
    transfer.stop_reason = reason;
  } catch (...) {
  }
}

// Returning anything but `bytes` makes curl stop with CURLE_WRITE_ERROR.
size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (bytes == 0) return 0;
  if (bytes > transfer->max_bytes - transfer->received) {
    transfer->too_large = true;
    return 0;
  }
  transfer->received += bytes;
  try {
    if (!transfer->started) start_body(*transfer);
    if (!transfer->streaming) {
      transfer->response->body.append(data, bytes);
      return bytes;
    }
    if ((*transfer->sink)(std::string_view(data, bytes))) return bytes;
    set_stop_reason(*transfer, "the pack stopped reading the body");
  } catch (const std::exception& e) {
    set_stop_reason(*transfer, std::string("reading the body failed: ") + e.what());
  } catch (...) {
    set_stop_reason(*transfer, "reading the body failed");
  }
  return 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  try {
    if (line.starts_with("HTTP/")) {
      // A new response (after 100 Continue, say): its headers replace any before.
      transfer->response->headers.clear();
      return bytes;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bytes;
    std::string name(trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    transfer->response->headers.emplace_back(std::move(name),
                                             std::string(trim(line.substr(colon + 1))));
  } catch (...) {
    return 0;
  }
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* transfer = static_cast<const Transfer*>(user);
  return transfer->cancelled != nullptr && transfer->cancelled->load() ? 1 : 0;
}

// One easy handle per thread, kept between requests, so that libcurl keeps
// connections to PD and Prometheus alive instead of opening a new one (and
// a TLS handshake) for every request. curl_easy_reset clears the options
// but keeps the connection cache.
CURL* thread_handle() {
  thread_local std::unique_ptr<CURL, EasyDeleter> handle;
  if (!handle) handle.reset(curl_easy_init());
  return handle.get();
}

// Resets the handle however the request ends: no option of this request
// (method, body, pointers to its buffers) may leak into the next one.
struct ResetOnExit {
  CURL* curl;
  ~ResetOnExit() { curl_easy_reset(curl); }
};

Response failure(std::string error) {
  Response response;
  response.error = std::move(error);
  return response;
}

// Set while a request is in flight on this thread: a sink that made another
// request would reset the easy handle under the transfer that called it.
thread_local bool performing = false;

struct PerformingOnExit {
  PerformingOnExit() { performing = true; }
  ~PerformingOnExit() { performing = false; }
  PerformingOnExit(const PerformingOnExit&) = delete;
  PerformingOnExit& operator=(const PerformingOnExit&) = delete;
};

Response perform_or_throw(const ClientOptions& options, const Request& request) {
  if (performing) return failure("an HTTP request was made from inside a body callback");
  global_init();
  const auto start = Clock::now();

  auto timeout = request.timeout.count() > 0 ? request.timeout : options.default_timeout;
  bool deadline_bounds = false;  // the run's deadline comes before the request's own timeout
  if (request.deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*request.deadline - start);
    if (left.count() <= 0) return failure("the run's time was up before the request was sent");
    deadline_bounds = left <= timeout;
    timeout = std::min(timeout, left);
  }
  const auto connect_timeout = std::min(options.connect_timeout, timeout);
  if (request.cancelled != nullptr && request.cancelled->load()) {
    return failure("the run was cancelled before the request was sent");
  }

  CURL* h = thread_handle();
  if (h == nullptr) return failure("could not create a libcurl handle");
  const PerformingOnExit performing_on_exit;
  const ResetOnExit reset_on_exit{h};

  Response response;
  Transfer transfer{.curl = h,
                    .response = &response,
                    .max_bytes = options.max_response_bytes,
                    .body_spare = request.body_spare,
                    .sink = &request.on_body,
                    .cancelled = request.cancelled};
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_NOPROXY, kNoProxy);
  // libcurl decodes what it asked for: a caller's own Accept-Encoding is
  // asked through it; otherwise every encoding libcurl knows, but from a
  // peer on another machine only.
  const auto asked_encoding = std::find_if(
      request.headers.begin(), request.headers.end(),
      [](const auto& header) { return ascii_iequals(header.first, "accept-encoding"); });
  if (asked_encoding != request.headers.end()) {
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, asked_encoding->second.c_str());
  } else if (!is_loopback_url(request.url)) {
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  }
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);

  const std::string method = request.method.empty() ? "GET" : request.method;
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" || !request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
    if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  std::unique_ptr<curl_slist, ListDeleter> list;
  auto add_header = [&list](const std::string& line) {
    // curl_slist_append returns the head: a new one only for the first item.
    curl_slist* head = curl_slist_append(list.get(), line.c_str());
    if (head == nullptr) throw std::bad_alloc();
    if (!list) list.reset(head);
  };
  // No "Expect: 100-continue" round trip for request bodies.
  add_header("Expect:");
  for (const auto& [name, value] : request.headers) {
    if (!ascii_iequals(name, "accept-encoding")) add_header(name + ": " + value);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());

  const CURLcode code = curl_easy_perform(h);
  response.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.ok = true;
    response.status = static_cast<int>(status);
    return response;
  }

  response.ok = false;
  response.status = 0;
  response.body.clear();
  response.headers.clear();
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    response.error =
        "response larger than " + std::to_string(options.max_response_bytes) + " bytes";
  } else if (!transfer.stop_reason.empty()) {
    response.error = transfer.stop_reason;
  } else if (code == CURLE_ABORTED_BY_CALLBACK) {
    response.error = "the run was cancelled during the request";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    // Our words and our limit, not libcurl's ("Operation timed out after
    // 999 milliseconds with 0 bytes received"): the same "timed out" the
    // engine says when its own timer ends the run first.
    // Nothing sent: the connection (name look-up included) never completed.
    // A connection kept from an earlier request has no connect time, so
    // that cannot tell.
    long request_bytes = 0;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
    if (request_bytes == 0 && connect_timeout < timeout) {
      response.error = "timed out connecting after " + format_duration(connect_timeout);
    } else if (deadline_bounds) {
      response.error = "timed out at the run's deadline";
    } else {
      response.error = "timed out after " + format_duration(timeout);
    }
  } else {
    response.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    // curl says "Couldn't connect to server"; the system says why.
    long os_errno = 0;
    if (code == CURLE_COULDNT_CONNECT &&
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno != 0) {
      response.error += " (" + std::string(std::strerror(static_cast<int>(os_errno))) + ")";
    }
  }
  return response;
}

// A request answered by `transport`, with a streaming request's 2xx body
// handed to its sink as perform_or_throw would (in one piece).
Response through_transport(const Transport& transport, const Request& request) {
  Response response = transport(request);
  if (!request.on_body || !response.ok || response.status < 200 || response.status >= 300 ||
      response.body.empty()) {
    return response;
  }
  std::string body = std::move(response.body);
  response.body.clear();
  try {
    if (request.on_body(body)) return response;
    return failure("the pack stopped reading the body");
  } catch (const std::exception& e) {
    return failure(std::string("reading the body failed: ") + e.what());
  }
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) { global_init(); }

Response Client::perform(const Request& request) const noexcept {
  try {
    if (options_.transport) return through_transport(options_.transport, request);
    return perform_or_throw(options_, request);
  } catch (const std::exception& e) {
    try {
      return failure(std::string("HTTP request failed: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  return Response{};
}

}  // namespace opr::http
