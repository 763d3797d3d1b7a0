// Data files under a size limit: sparse files refused from their size, FIFOs and /dev/zero
// refused once the limit is passed, never read whole.
#include "finsent/data/data_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "finsent/core/error.hpp"
#include "finsent/data/dataset.hpp"

namespace finsent::data {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no InputError>";
}

std::string over_limit(const fs::path& path, uint64_t limit) {
  return path.string() + ": larger than the data-file limit of " + std::to_string(limit) +
         " bytes (raise it with --max-data-bytes)";
}

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() /
         ("finsent_data_file_test_" + std::to_string(::getpid()) + "_" + name);
}

TEST(DataFile, SparseFileOverTheDefaultLimitIsRefusedFromItsSize) {
  const auto path = temp_path("sparse.csv");
  { std::ofstream(path) << "text,label\n"; }
  fs::resize_file(path, kDefaultMaxDataFileBytes + 1);  // a hole: no disk, no read
  EXPECT_EQ(error_of([&] { load_examples({.path = path}); }),
            over_limit(path, kDefaultMaxDataFileBytes));
  fs::remove(path);
}

TEST(DataFile, AFileOfExactlyTheLimitIsRead) {
  const auto path = temp_path("exact.txt");
  { std::ofstream(path) << "a@neutral\n"; }
  EXPECT_EQ(read_data_file(path, 10), "a@neutral\n");
  EXPECT_EQ(error_of([&] { read_data_file(path, 9); }), over_limit(path, 9));
  fs::remove(path);
}

TEST(DataFile, DevZeroStopsAtTheLimit) {
  EXPECT_EQ(error_of([] { load_examples({.path = "/dev/zero", .max_bytes = 3u << 20}); }),
            over_limit("/dev/zero", 3u << 20));
}

TEST(DataFile, FifoStopsAtTheLimitWhileTheWriterGoesOn) {
  const auto path = temp_path("fifo.csv");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::signal(SIGPIPE, SIG_IGN);  // the writer sees EPIPE instead of dying
  // The writer offers 64 MiB; the reader must give up after 2 MiB and close the pipe.
  std::thread writer([&] {
    const int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) return;
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < 64; ++i)
      if (::write(fd, block.data(), block.size()) < 0) break;  // EPIPE once the reader is gone
    ::close(fd);
  });
  EXPECT_EQ(error_of([&] { load_examples({.path = path, .max_bytes = 2u << 20}); }),
            over_limit(path, 2u << 20));
  writer.join();
  fs::remove(path);
}

TEST(DataFile, FifoUnderTheLimitIsReadWhole) {
  const auto path = temp_path("small_fifo.csv");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(path) << "text,label\nProfit \"rose\",positive\n"; });
  const auto rows = load_examples({.path = path});
  writer.join();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "Profit \"rose\"");
  fs::remove(path);
}

}  // namespace
}  // namespace finsent::data
