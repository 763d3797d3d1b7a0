// TensorBoard event files without a protobuf dependency: the few fields a scalar needs,
// hand-encoded.
#include "finsent/train/event_writer.hpp"

#include <unistd.h>

#include <chrono>
#include <cstring>

#include "finsent/core/error.hpp"
#include "finsent/train/crc32c.hpp"

namespace finsent::train {
namespace {

// Protobuf wire types.
constexpr uint8_t kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_key(std::string& out, uint32_t field, uint8_t wire_type) {
  put_varint(out, (static_cast<uint64_t>(field) << 3) | wire_type);
}

template <typename T>
void put_little_endian(std::string& out, T v) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));  // the build targets little-endian hosts only (x86-64, arm64)
  out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}

void put_bytes(std::string& out, uint32_t field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out.append(bytes);
}

// Event fields shared by every record: wall_time = 1 (double), step = 2 (int64).
std::string event_header(double wall_time, int64_t step) {
  std::string event;
  put_key(event, 1, kFixed64);
  put_little_endian(event, wall_time);
  if (step != 0) {
    put_key(event, 2, kVarint);
    put_varint(event, static_cast<uint64_t>(step));
  }
  return event;
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

}  // namespace

std::string encode_scalar_event(std::string_view tag, float value, int64_t step, double wall_time) {
  std::string summary_value;  // Summary.Value: tag = 1, simple_value = 2 (float)
  put_bytes(summary_value, 1, tag);
  put_key(summary_value, 2, kFixed32);
  put_little_endian(summary_value, value);
  std::string summary;  // Summary: repeated Value value = 1
  put_bytes(summary, 1, summary_value);
  std::string event = event_header(wall_time, step);
  put_bytes(event, 5, summary);  // Event.summary = 5
  return event;
}

std::string encode_file_version_event(std::string_view version, double wall_time) {
  std::string event = event_header(wall_time, 0);
  put_bytes(event, 3, version);  // Event.file_version = 3
  return event;
}

std::string frame_record(std::string_view data) {
  std::string header;
  put_little_endian(header, static_cast<uint64_t>(data.size()));
  std::string record = header;
  put_little_endian(record, masked_crc32c(header));
  record.append(data);
  put_little_endian(record, masked_crc32c(data));
  return record;
}

EventWriter::EventWriter(const std::filesystem::path& logdir) {
  std::error_code ec;
  std::filesystem::create_directories(logdir, ec);
  if (ec) throw IoError(logdir.string() + ": cannot create log directory: " + ec.message());
  const double now = now_seconds();
  const std::string base =
      "events.out.tfevents." + std::to_string(static_cast<int64_t>(now)) + "." + host_name();
  path_ = logdir / base;
  // A second writer in the same second (a quick resume) gets its own file; TensorBoard reads any
  // file whose name contains "tfevents".
  for (int n = 1; std::filesystem::exists(path_); ++n)
    path_ = logdir / (base + "." + std::to_string(n));
  out_.open(path_, std::ios::binary);
  if (!out_) throw IoError(path_.string() + ": cannot create event file");
  write_record(encode_file_version_event("brain.Event:2", now));
}

void EventWriter::add_scalar(std::string_view tag, float value, int64_t step, double wall_time) {
  write_record(encode_scalar_event(tag, value, step, wall_time < 0 ? now_seconds() : wall_time));
}

void EventWriter::write_record(std::string_view data) {
  const std::string record = frame_record(data);
  out_.write(record.data(), static_cast<std::streamsize>(record.size()));
  out_.flush();
  if (!out_) throw IoError(path_.string() + ": write failed");
}

}  // namespace finsent::train
