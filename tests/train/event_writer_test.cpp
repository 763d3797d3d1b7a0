// Re-reads written event files record by record: framing, CRCs and the decoded scalar fields.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "finsent/train/crc32c.hpp"
#include "finsent/train/event_writer.hpp"
#include "finsent/train/scalar_log.hpp"

namespace finsent::train {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("finsent_train_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

template <typename T>
T read_le(const std::string& s, size_t at) {
  T v;
  std::memcpy(&v, s.data() + at, sizeof(T));
  return v;
}

// Splits a TFRecord file into records, failing the test on any CRC mismatch.
std::vector<std::string> read_records(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  std::vector<std::string> records;
  size_t at = 0;
  while (at < bytes.size()) {
    EXPECT_LE(at + 12, bytes.size());
    const auto len = read_le<uint64_t>(bytes, at);
    EXPECT_EQ(read_le<uint32_t>(bytes, at + 8), masked_crc32c(bytes.substr(at, 8)));
    const std::string data = bytes.substr(at + 12, len);
    EXPECT_EQ(read_le<uint32_t>(bytes, at + 12 + len), masked_crc32c(data));
    records.push_back(data);
    at += 12 + len + 4;
  }
  EXPECT_EQ(at, bytes.size());
  return records;
}

uint64_t varint(const std::string& s, size_t& at) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const auto b = static_cast<unsigned char>(s[at++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
}

// Minimal decoder for the fields the writer emits.
struct Decoded {
  double wall_time = 0;
  int64_t step = 0;
  std::string file_version, tag;
  float value = 0;
};

void decode_into(const std::string& msg, int depth, Decoded& d) {
  size_t at = 0;
  while (at < msg.size()) {
    const uint64_t key = varint(msg, at);
    const auto field = key >> 3;
    const auto wire = key & 7;
    if (wire == 1) {
      d.wall_time = read_le<double>(msg, at);
      at += 8;
    } else if (wire == 0) {
      d.step = static_cast<int64_t>(varint(msg, at));
    } else if (wire == 5) {
      d.value = read_le<float>(msg, at);
      at += 4;
    } else if (wire == 2) {
      const auto len = varint(msg, at);
      const std::string sub = msg.substr(at, len);
      at += len;
      if (depth == 0 && field == 3)
        d.file_version = sub;
      else if (depth == 2 && field == 1)
        d.tag = sub;
      else
        decode_into(sub, depth + 1, d);
    } else {
      ADD_FAILURE() << "unexpected wire type " << wire;
      return;
    }
  }
}

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  // An all-zero 32-byte block (RFC 3720 B.4).
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);
}

TEST(EventWriter, FileVersionFirstThenScalars) {
  const auto dir = fresh_dir("events");
  std::filesystem::path file;
  {
    EventWriter w(dir);
    file = w.path();
    w.add_scalar("train/loss", 0.75f, 1, 1000.5);
    w.add_scalar("train/learning_rate", 5e-5f, 300, 1001.25);
  }
  EXPECT_EQ(file.filename().string().rfind("events.out.tfevents.", 0), 0u);
  const auto records = read_records(file);
  ASSERT_EQ(records.size(), 3u);
  Decoded first;
  decode_into(records[0], 0, first);
  EXPECT_EQ(first.file_version, "brain.Event:2");
  Decoded a, b;
  decode_into(records[1], 0, a);
  decode_into(records[2], 0, b);
  EXPECT_EQ(a.tag, "train/loss");
  EXPECT_FLOAT_EQ(a.value, 0.75f);
  EXPECT_EQ(a.step, 1);
  EXPECT_DOUBLE_EQ(a.wall_time, 1000.5);
  EXPECT_EQ(b.tag, "train/learning_rate");
  EXPECT_FLOAT_EQ(b.value, 5e-5f);
  EXPECT_EQ(b.step, 300);
  std::filesystem::remove_all(dir);
}

TEST(ScalarLog, WritesEventCsvAndJsonlCopies) {
  const auto dir = fresh_dir("scalars");
  {
    ScalarLog log(dir);
    log.add("eval/accuracy", 0.5, 10);
    log.add("eval/macro_f1", 0.25, 10);
  }
  {
    ScalarLog resumed(dir);  // appends, header once
    resumed.add("eval/accuracy", 0.75, 20);
  }
  std::ifstream csv(dir / "scalars.csv");
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(csv, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "step,tag,value,wall_time");
  EXPECT_EQ(lines[3].rfind("20,eval/accuracy,0.75,", 0), 0u);
  std::ifstream jsonl(dir / "scalars.jsonl");
  int n = 0;
  while (std::getline(jsonl, line)) ++n;
  EXPECT_EQ(n, 3);
  int event_files = 0, scalars = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("events.out.tfevents.", 0) != 0) continue;
    ++event_files;
    scalars += static_cast<int>(read_records(entry.path()).size()) - 1;
  }
  EXPECT_EQ(event_files, 2);
  EXPECT_EQ(scalars, 3);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace finsent::train
