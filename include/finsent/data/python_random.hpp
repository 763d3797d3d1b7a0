// CPython's `random` module, bit for bit: MT19937 seeded from an int, getrandbits, shuffle.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace finsent::data {

// Mirrors random.Random: same seed → same stream as CPython 3.
class PythonRandom {
 public:
  // random.seed(n) for a non-negative int n: init_by_array over n's 32-bit chunks, low first.
  explicit PythonRandom(uint64_t seed);

  // random.getrandbits(k) for 0 < k <= 64.
  uint64_t getrandbits(int k);

  // random._randbelow(n) for n > 0 (rejection sampling on getrandbits(n.bit_length())).
  uint64_t randbelow(uint64_t n);

  // random.shuffle(x): Fisher-Yates from the end, j = _randbelow(i + 1).
  template <typename T>
  void shuffle(std::vector<T>& x) {
    for (std::size_t i = x.size(); i-- > 1;) std::swap(x[i], x[randbelow(i + 1)]);
  }

  uint32_t next_u32();

 private:
  void init_genrand(uint32_t s);
  std::array<uint32_t, 624> mt_{};
  int index_ = 625;
};

}  // namespace finsent::data
