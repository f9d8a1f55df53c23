// How every path that calls into a pack (the engine, `config check`, a
// runner) says that a call did not return in time, so that the monitor's
// log and `config check` name a stuck pack in the same words.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace opr::plugins {

// "pack 'P' did not return from CALL for target 'T' within 10s"; callers
// add what follows from it ("; its runner was killed").
std::string did_not_return(std::string_view call, std::string_view pack, std::string_view target,
                           std::chrono::milliseconds within);

}  // namespace opr::plugins
