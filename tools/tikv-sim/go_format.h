// Values formatted the way PD's Go code prints them, so that the simulator's
// JSON is indistinguishable from a real PD's (see tests/fixtures/SOURCES.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace opr::sim {

// docker/go-units BytesSize: binary units, 4 significant digits, no space,
// e.g. 943718400000 -> "878.9GiB", 0 -> "0B".
std::string go_bytes_size(std::uint64_t bytes);

// Go time.Duration.String() of a nanosecond count, e.g. "437h17m28.393595269s",
// "59.5s", "1.5ms", "0s".
std::string go_duration(std::int64_t nanoseconds);

// Go time.Time JSON (RFC3339Nano) in UTC: "2025-03-10T08:30:13.393595269Z",
// trailing zeros of the fraction trimmed, no fraction when it is zero.
std::string go_rfc3339_nano_utc(std::int64_t unix_nanoseconds);

// The shortest decimal that reads back as `value`, never with an exponent:
// what Go's encoding/json writes for a float64 in the range PD uses and what
// Rust's f64 Display writes in TiKV's /metrics ("1" for 1.0, "0.00005").
std::string shortest_decimal(double value);
void append_shortest_decimal(std::string& out, double value);
// A float64 as Go's client_golang writes a sample value or an `le` label:
// strconv.FormatFloat(v, 'g', -1, 64), so an exponent from 1e+06 up and
// below 1e-04 ("1.234567e+06", "5e-05"), and "NaN", "+Inf", "-Inf".
void append_go_float(std::string& out, double value);
void append_integer(std::string& out, std::int64_t value);
void append_integer(std::string& out, std::uint64_t value);

// The "# HELP" and "# TYPE" lines that open a family in the text format
// (both client libraries write them alike).
void append_help_and_type(std::string& out, std::string_view family, std::string_view help,
                          std::string_view type);

}  // namespace opr::sim
