// A target's pack-level parameters, checked as far as they can be without
// the network: the rules TikvTarget's constructor applies at create(), as
// functions the unit tests call directly. Reading files is left to the pack.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace opr::tikv {

// A pack-level parameter whose value cannot be used. `param` names it, so
// that the host can point at the line of the config that set it.
class ParamProblem : public std::runtime_error {
 public:
  ParamProblem(std::string param, const std::string& message)
      : std::runtime_error(message), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

// An endpoint: the parameter `param`'s `value` when set and not blank, else
// the environment variable `variable`'s `env` (nullptr when unset), through
// normalize_base_url(). Throws ParamProblem naming `param` (the message
// names the variable too) when neither is set, or when the value is not an
// http:// or https:// URL with a host. `what` says what it is for humans.
std::string choose_endpoint(const std::optional<std::string>& value, const char* env,
                            const char* param, const char* variable, const char* what);

// How the pack authenticates to Prometheus; unset (or blank) values are
// nullopt.
struct PrometheusAuth {
  std::optional<std::string> bearer_token_file;
  std::optional<std::string> username;
  std::optional<std::string> password_file;
};

// Bearer and basic auth are exclusive (ParamProblem naming
// prometheus_bearer_token_file), and basic auth needs both of its
// parameters (ParamProblem naming the missing one). Returns `auth`.
PrometheusAuth check_prometheus_auth(PrometheusAuth auth);

// The secret in the `content` of the credentials file `path`, set by
// `param`: the content without one trailing line break (LF) and without
// surrounding spaces. Throws ParamProblem naming `param` and `path` when it
// holds a control character (CR, any other LF, TAB, ...: it would go into
// an HTTP header raw, where CR and LF start headers of their own) or
// nothing is left. The content never appears in a message.
std::string secret_from(std::string_view content, const char* param, const std::string& path);

}  // namespace opr::tikv
