// A pack written with plugin.hpp whose run throws: the helpers must turn the
// exception into a failed run. Creating an instance for a target whose
// `explode` parameter is true throws too.
#include <operator/plugin.hpp>

#include <stdexcept>

namespace {

struct Target {
  Target(const opr::sdk::Host&, const opr::sdk::Params& params) {
    if (params.optional_boolean("explode").value_or(false)) {
      throw std::runtime_error("explode was set");
    }
  }
};

class Throws : public opr::sdk::Check<Target> {
 public:
  void run(Target&, opr::sdk::Run&) override { throw std::runtime_error("the pack threw"); }
};

const opr::sdk::Pack<Target>& pack() {
  static const opr::sdk::Pack<Target> pack =
      opr::sdk::PackBuilder<Target>("throws", "0.0.1", "a run that throws")
          .param({.name = "explode",
                  .type = OP_PARAM_BOOL,
                  .default_value = "false",
                  .doc = "make create throw"})
          .check<Throws>({.name = "boom", .description = "always throws"})
          .build();
  return pack;
}

}  // namespace

OPR_EXPORT_PACK(pack)
