// `finsent predict` output: chunked classification, JSON lines or a table.
#include "finsent/serve/prediction_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "finsent/core/printable.hpp"
#include "finsent/serve/scores.hpp"

namespace finsent::serve {
namespace {

std::string fixed(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

PredictionWriter::PredictionWriter(ClassifierBackend& backend, std::ostream& out,
                                   PredictionWriterOptions options)
    : backend_(backend), out_(out), options_(options) {
  options_.chunk_size = std::max<size_t>(options_.chunk_size, 1);
  pending_.reserve(options_.chunk_size);
}

void PredictionWriter::add(std::string text) {
  pending_.push_back({std::move(text), std::nullopt});
  if (pending_.size() >= options_.chunk_size) flush();
}

void PredictionWriter::write_header() {
  header_written_ = true;
  if (options_.json) return;
  out_ << pad("label", 10) << ' ' << pad("score", 7);
  // The table is for a terminal: labels and texts come from files, so controls are escaped.
  for (const std::string& label : backend_.labels()) {
    const std::string shown = printable(label);
    out_ << ' ' << pad(shown, std::max<size_t>(shown.size(), 7));
  }
  out_ << "  text\n";
}

void PredictionWriter::flush() {
  if (!header_written_) write_header();
  if (!pending_.empty()) {
    const auto logits = backend_.logits(pending_, /*truncate=*/true);
    const auto& labels = backend_.labels();
    for (size_t i = 0; i < pending_.size(); ++i) {
      const std::vector<float> probs = softmax(logits[i]);
      const size_t best = std::max_element(probs.begin(), probs.end()) - probs.begin();
      if (options_.json) {
        nlohmann::ordered_json line{
            {"text", pending_[i].text}, {"label", labels[best]}, {"score", probs[best]}};
        nlohmann::ordered_json p = nlohmann::ordered_json::object();
        for (size_t k = 0; k < labels.size(); ++k) p[labels[k]] = probs[k];
        line["probabilities"] = std::move(p);
        // Input lines may not be valid UTF-8; replace bad bytes rather than fail mid-stream.
        out_ << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
      } else {
        out_ << pad(printable(labels[best]), 10) << ' ' << pad(fixed(probs[best]), 7);
        for (size_t k = 0; k < labels.size(); ++k)
          out_ << ' ' << pad(fixed(probs[k]), std::max<size_t>(printable(labels[k]).size(), 7));
        out_ << "  " << printable(pending_[i].text) << '\n';
      }
    }
    written_ += pending_.size();
    pending_.clear();
  }
  out_.flush();
}

}  // namespace finsent::serve
