// One run per output folder: an exclusive lock on OUT/.finsent.lock, held while a run writes there.
#pragma once

#include <filesystem>
#include <string>

namespace finsent::train {

// Takes an exclusive flock(2) on `dir`/.finsent.lock (creating `dir` and the file) and writes the
// holder's identity into it: "pid PID on HOST, started TIME UTC (WHAT)". The kernel releases the
// lock when the holder exits however it exits (kill -9 included), so a crashed run never leaves
// the folder locked; the file itself stays (a stale file is harmless: only a held lock counts).
// Throws InputError "DIR is in use by another finsent run (pid ..., started ...); wait for it to
// finish or choose another output folder" when another process holds it, IoError when `dir` or
// the lock file cannot be created.
class RunLock {
 public:
  RunLock(const std::filesystem::path& dir, const std::string& what);
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  // The lock file's path.
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace finsent::train
