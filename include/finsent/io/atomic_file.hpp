// Atomic file replacement: readers see the old file or the complete new one, never a torn write.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

namespace finsent::io {

// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
// fsync'ed, renamed over `path`, and the directory is fsync'ed. On failure (missing or read-only
// directory, full disk, ...) throws IoError naming the path and the reason; the temporary file is
// removed and an existing `path` is left untouched.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// Streaming form of write_file_atomic for files too large to build in memory:
//   AtomicFile f(path); f.stream() << ...; f.commit();
// Nothing appears at `path` until commit(). Not thread-safe; one writer per object.
class AtomicFile {
 public:
  // Creates the temporary file next to `target`; throws IoError if it cannot.
  explicit AtomicFile(std::filesystem::path target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFile();

  // The stream writing into the temporary file. A failed write sets badbit; commit() reports it.
  std::ostream& stream();
  // Flushes, fsyncs and closes the temporary file: everything a full disk or a file size limit
  // can fail, without touching the target. Throws IoError (the temporary file is then removed).
  // commit() calls it when it was not called.
  void prepare();
  // Flushes, fsyncs, renames over the target and fsyncs the directory. Throws IoError on any
  // failure (including earlier stream write errors); the temporary file is then removed.
  // Calling it twice throws IoError.
  void commit();
  // The final path.
  const std::filesystem::path& target() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Commits files that belong together (a model directory, a train/test split): all are prepared
// first, so a full disk fails before any target changes, then renamed in order. Throws IoError;
// on a failure while preparing no target has changed and every temporary file is removed.
void commit_all(const std::vector<AtomicFile*>& files);

}  // namespace finsent::io
