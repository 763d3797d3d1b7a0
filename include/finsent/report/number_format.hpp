// Locale-independent number formatting for charts, tables and reports.
#pragma once

#include <string>

namespace finsent::report {

// `value` with exactly `decimals` digits after the point ("0.8123"); "nan", "inf", "-inf" for
// non-finite values. Never depends on the C locale.
std::string format_fixed(double value, int decimals);

// Shortest form that reads back to a value within 4 significant digits: "0.8123", "1234",
// "2e-05", "1.5e+06". For axis labels and tooltips.
std::string format_short(double value);

// A percentage with `decimals` digits: 0.8123 -> "81.2%" (decimals = 1).
std::string format_percent(double fraction, int decimals = 1);

// A duration for people: "0.42 s", "12.3 s", "2 min 05 s", "1 h 02 min".
std::string format_seconds(double seconds);

}  // namespace finsent::report
