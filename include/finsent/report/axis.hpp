// Linear scales and "nice" tick positions for chart axes.
#pragma once

#include <string>
#include <vector>

namespace finsent::report {

// Maps the data interval [d0, d1] onto the pixel interval [p0, p1] (p1 < p0 is fine: SVG's y grows
// downwards). A degenerate domain (d0 == d1) maps everything to the middle of the pixel interval.
class LinearScale {
 public:
  LinearScale(double d0, double d1, double p0, double p1);
  double operator()(double value) const;
  double domain_min() const { return d0_; }
  double domain_max() const { return d1_; }

 private:
  double d0_, d1_, p0_, p1_;
};

// Tick positions: about `target` round values (1, 2 or 5 times a power of ten) that cover
// [lo, hi]; the first tick is <= lo and the last >= hi, so the axis can use them as its domain.
// A degenerate or non-finite interval is widened around its value (or [0, 1]).
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// Labels for ticks, all with the same number of decimals (enough to tell neighbours apart), or in
// scientific notation when the step is below 1e-3 or the values reach 1e6.
std::vector<std::string> tick_labels(const std::vector<double>& ticks);

}  // namespace finsent::report
