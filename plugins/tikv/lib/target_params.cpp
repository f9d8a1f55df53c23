#include "target_params.h"

#include "text.h"
#include "url.h"

namespace opr::tikv {

std::string choose_endpoint(const std::optional<std::string>& value, const char* env,
                            const char* param, const char* variable, const char* what) {
  const bool from_param = value && !trim(*value).empty();
  if (!from_param && (env == nullptr || trim(env).empty())) {
    throw ParamProblem(param, std::string("the tikv pack needs ") + what + ": set the parameter '" +
                                  param + "' or the environment variable " + variable);
  }
  // Both names in either case: the user may not know which one was read.
  const std::string name =
      from_param ? std::string("'") + param + "' (or " + variable + ")"
                 : std::string(variable) + " (read because '" + param + "' is not set)";
  try {
    return normalize_base_url(from_param ? std::string_view(*value) : std::string_view(env), name);
  } catch (const std::invalid_argument& e) {
    throw ParamProblem(param, e.what());
  }
}

PrometheusAuth check_prometheus_auth(PrometheusAuth auth) {
  if (auth.bearer_token_file && (auth.username || auth.password_file)) {
    throw ParamProblem("prometheus_bearer_token_file",
                       "set either prometheus_bearer_token_file or prometheus_username with "
                       "prometheus_password_file, not both");
  }
  if (auth.username && !auth.password_file) {
    throw ParamProblem("prometheus_password_file",
                       "prometheus_username is set but prometheus_password_file is not: basic "
                       "auth needs both");
  }
  if (auth.password_file && !auth.username) {
    throw ParamProblem("prometheus_username",
                       "prometheus_password_file is set but prometheus_username is not: basic "
                       "auth needs both");
  }
  return auth;
}

namespace {

// What kind of control character `content` holds, or nullptr: C0 (CR, LF
// and TAB included), DEL, and C1 written as UTF-8. Any of them would go into
// an HTTP header as it is, where CR and LF start headers of their own.
const char* control_character_in(std::string_view content) {
  for (size_t i = 0; i < content.size(); ++i) {
    const auto c = static_cast<unsigned char>(content[i]);
    if (c == '\r') return "a carriage return (CR)";
    if (c == '\n') return "more than one line";
    if (c < 0x20 || c == 0x7F) return "a control character";
    const bool c1 = c == 0xC2 && i + 1 < content.size() &&
                    static_cast<unsigned char>(content[i + 1]) <= 0x9F &&
                    static_cast<unsigned char>(content[i + 1]) >= 0x80;
    if (c1) return "a control character";
  }
  return nullptr;
}

}  // namespace

std::string secret_from(std::string_view content, const char* param, const std::string& path) {
  const std::string named = std::string(param) + " '" + path + "'";
  if (content.ends_with('\n')) content.remove_suffix(1);  // as `echo` and editors end a file
  if (const char* kind = control_character_in(content)) {
    throw ParamProblem(param, named + " holds " + kind +
                                  ": a credentials file holds the secret on one line, "
                                  "with at most a line break after it");
  }
  std::string secret = trim(content);
  if (secret.empty()) throw ParamProblem(param, named + " is empty");
  return secret;
}

}  // namespace opr::tikv
