// Tests of atomic file replacement: content, replacement, failure cleanup, streaming.
#include "finsent/io/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/file_size_limit.hpp"
#include "finsent/core/error.hpp"
#include "io_test_util.hpp"

namespace finsent::io {
namespace {

using testing::read_bytes;
using testing::ScratchDir;

size_t entries(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

TEST(AtomicFile, WritesNewFile) {
  ScratchDir dir;
  write_file_atomic(dir / "a.txt", std::string("hello\0world", 11));
  EXPECT_EQ(read_bytes(dir / "a.txt"), std::string("hello\0world", 11));
  EXPECT_EQ(entries(dir.path()), 1u) << "no temporary file may be left behind";
}

TEST(AtomicFile, ReplacesExistingFile) {
  ScratchDir dir;
  write_file_atomic(dir / "a.txt", "old contents that are longer");
  write_file_atomic(dir / "a.txt", "new");
  EXPECT_EQ(read_bytes(dir / "a.txt"), "new");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, MissingDirectoryThrowsIoErrorNamingThePath) {
  ScratchDir dir;
  auto target = dir / "no/such/dir/a.txt";
  try {
    write_file_atomic(target, "x");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(target.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST(AtomicFile, RenameFailureRemovesTempAndKeepsTarget) {
  ScratchDir dir;
  // A non-empty directory cannot be replaced by a file: rename fails after the data is written.
  std::filesystem::create_directories(dir / "target/inner");
  EXPECT_THROW(write_file_atomic(dir / "target", "data"), IoError);
  EXPECT_TRUE(std::filesystem::is_directory(dir / "target/inner"));
  EXPECT_EQ(entries(dir.path()), 1u) << "the temporary file must be removed on failure";
}

TEST(AtomicFile, ReadOnlyDirectoryThrowsIoError) {
  ScratchDir dir;
  std::filesystem::create_directories(dir / "ro");
  const auto rx = std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                  std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                  std::filesystem::perms::others_read | std::filesystem::perms::others_exec;
  std::filesystem::permissions(dir.path(), rx | std::filesystem::perms::owner_write);
  std::filesystem::permissions(dir / "ro", rx);
  // Root ignores directory permissions, so as root the write is tried by a child that has dropped
  // to an unprivileged user; the child's exit code carries the verdict.
  const pid_t pid = ::fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    try {
      write_file_atomic(dir / "ro/a.txt", "x");
    } catch (const IoError&) {
      ::_exit(0);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no error, 2: wrong error type, 3: could not drop root";
  std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_all);
  EXPECT_EQ(entries(dir / "ro"), 0u);
}

TEST(AtomicFile, NothingVisibleBeforeCommit) {
  ScratchDir dir;
  {
    AtomicFile f(dir / "big.bin");
    std::string block(100000, 'z');  // larger than the stream buffer
    f.stream() << "head";
    f.stream().write(block.data(), static_cast<std::streamsize>(block.size()));
    f.stream() << "tail";
    EXPECT_FALSE(std::filesystem::exists(dir / "big.bin"));
    f.commit();
    EXPECT_THROW(f.commit(), IoError);
  }
  std::string got = read_bytes(dir / "big.bin");
  EXPECT_EQ(got.size(), 100008u);
  EXPECT_EQ(got.substr(0, 4), "head");
  EXPECT_EQ(got.substr(got.size() - 4), "tail");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, AbandonedWriteLeavesNothing) {
  ScratchDir dir;
  write_file_atomic(dir / "keep.txt", "original");
  {
    AtomicFile f(dir / "keep.txt");
    f.stream() << "partial";
  }  // destroyed without commit, e.g. by an exception
  EXPECT_EQ(read_bytes(dir / "keep.txt"), "original");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, NewFileGetsUmaskPermissions) {
  ScratchDir dir;
  mode_t old = ::umask(022);
  write_file_atomic(dir / "p.txt", "x");
  ::umask(old);
  auto perms = std::filesystem::status(dir / "p.txt").permissions();
  using std::filesystem::perms;
  EXPECT_EQ(perms & perms::all,
            perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
}

TEST(AtomicFile, FullDiskKeepsTheTargetAndLeavesNoTemp) {
  // RLIMIT_FSIZE makes the write fail as a full disk does (EFBIG instead of ENOSPC).
  ScratchDir dir;
  write_file_atomic(dir / "a.txt", "old");
  const auto outcome = finsent::testing::run_with_file_size_limit(
      4096, [&] { write_file_atomic(dir / "a.txt", std::string(100000, 'x')); });
  EXPECT_TRUE(outcome.threw) << outcome.what;
  EXPECT_FALSE(outcome.crashed);
  EXPECT_EQ(outcome.what,
            "cannot write " + (dir / "a.txt").string() + ": write failed: File too large");
  EXPECT_EQ(read_bytes(dir / "a.txt"), "old");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, CommitAllChangesNoTargetWhenOneFileFails) {
  ScratchDir dir;
  write_file_atomic(dir / "a.txt", "old a");
  write_file_atomic(dir / "b.txt", "old b");
  const auto outcome = finsent::testing::run_with_file_size_limit(4096, [&] {
    AtomicFile a(dir / "a.txt"), b(dir / "b.txt");
    a.stream() << "new a";
    b.stream() << std::string(100000, 'b');
    commit_all({&a, &b});
  });
  EXPECT_TRUE(outcome.threw) << outcome.what;
  EXPECT_EQ(read_bytes(dir / "a.txt"), "old a") << "a.txt must not change when b.txt fails";
  EXPECT_EQ(read_bytes(dir / "b.txt"), "old b");
  EXPECT_EQ(entries(dir.path()), 2u);
  // Without a failure both change.
  AtomicFile a(dir / "a.txt"), b(dir / "b.txt");
  a.stream() << "new a";
  b.stream() << "new b";
  commit_all({&a, &b});
  EXPECT_EQ(read_bytes(dir / "a.txt") + read_bytes(dir / "b.txt"), "new anew b");
}

}  // namespace
}  // namespace finsent::io
