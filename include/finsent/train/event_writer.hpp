// Writes TensorBoard event files (TFRecord-framed Event protos holding scalar summaries).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace finsent::train {

// Appends scalar summaries to `<logdir>/events.out.tfevents.<unix seconds>.<hostname>`, the file
// name and format `tensorboard --logdir` discovers. The first record is the file_version event
// "brain.Event:2". Each record is flushed when written, so a killed run keeps what it logged.
// Encodes the protobuf by hand: Event{wall_time, step, summary{value{tag, simple_value}}}.
class EventWriter {
 public:
  // Creates logdir if needed; throws IoError if the file cannot be created.
  explicit EventWriter(const std::filesystem::path& logdir);

  // One Event with one scalar value. wall_time: seconds since the epoch (now if negative).
  void add_scalar(std::string_view tag, float value, int64_t step, double wall_time = -1);

  const std::filesystem::path& path() const { return path_; }

 private:
  void write_record(std::string_view data);

  std::filesystem::path path_;
  std::ofstream out_;
};

// The serialized Event proto for a scalar (exposed for tests).
std::string encode_scalar_event(std::string_view tag, float value, int64_t step, double wall_time);

// The serialized Event proto carrying file_version (exposed for tests).
std::string encode_file_version_event(std::string_view version, double wall_time);

// TFRecord framing of one record: len (u64 LE), masked_crc(len), data, masked_crc(data).
std::string frame_record(std::string_view data);

}  // namespace finsent::train
