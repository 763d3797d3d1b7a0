// `finsent predict` output: texts go in one at a time, results come out in bounded chunks.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "finsent/serve/classifier_backend.hpp"

namespace finsent::serve {

struct PredictionWriterOptions {
  bool json = false;        // JSON lines {"text","label","score","probabilities":{label: p}}
  size_t chunk_size = 512;  // texts held before they are classified and written
};

// Buffers at most chunk_size texts, classifies them in one backend call (truncating to the model's
// max length), and writes one result per text in input order: a JSON line each, or a table row
// each under a header printed once. Memory stays bounded however many texts stream through.
class PredictionWriter {
 public:
  PredictionWriter(ClassifierBackend& backend, std::ostream& out, PredictionWriterOptions options);
  // Queues one text; classifies and writes the chunk when it is full.
  void add(std::string text);
  // Classifies and writes whatever is queued, then flushes the stream.
  void flush();
  size_t written() const { return written_; }

 private:
  void write_header();

  ClassifierBackend& backend_;
  std::ostream& out_;
  PredictionWriterOptions options_;
  std::vector<SequenceInput> pending_;
  size_t written_ = 0;
  bool header_written_ = false;
};

}  // namespace finsent::serve
