// Special-token layouts of BertProcessing, RobertaProcessing and TemplateProcessing.
#include "post_processors.hpp"

#include "byte_level.hpp"
#include "json_fields.hpp"
#include "registry.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

// ["[SEP]", 102] of BertProcessing / RobertaProcessing.
int32_t special_id(const json& j, const char* key) {
  const json v = jf::require<json>(j, key, "post_processor");
  if (!v.is_array() || v.size() != 2 || !v[1].is_number_integer()) {
    throw TokenizerError(std::string("tokenizer.json: post_processor.") + key +
                         " is not [token, id]");
  }
  return v[1].get<int32_t>();
}

LayoutPiece special(int32_t id, uint8_t type) {
  return {LayoutPiece::Special, id, type};
}
LayoutPiece seq(LayoutPiece::Kind kind, uint8_t type) {
  return {kind, 0, type};
}

// A fixed layout for single texts and pairs.
class FixedLayout : public PostProcessor {
 public:
  FixedLayout(std::vector<LayoutPiece> single, std::vector<LayoutPiece> pair,
              bool overflow_type_ids_from_layout = true)
      : single_(std::move(single)),
        pair_(std::move(pair)),
        overflow_type_ids_from_layout_(overflow_type_ids_from_layout) {}
  size_t added_tokens(bool pair) const override {
    size_t n = 0;
    for (const auto& p : pair ? pair_ : single_) n += p.kind == LayoutPiece::Special;
    return n;
  }
  bool layout(bool pair, std::vector<LayoutPiece>& out) const override {
    out = pair ? pair_ : single_;
    return true;
  }
  bool overflow_type_ids_from_layout() const override { return overflow_type_ids_from_layout_; }

 private:
  std::vector<LayoutPiece> single_, pair_;
  bool overflow_type_ids_from_layout_;
};

// RobertaProcessing: <s> A </s> and <s> A </s> </s> B </s>, every type id 0 (tokenizers 0.23), and
// ByteLevel's trim_offsets when asked.
class RobertaLayout final : public FixedLayout {
 public:
  RobertaLayout(int32_t cls, int32_t sep, bool trim_offsets, bool add_prefix_space)
      : FixedLayout({special(cls, 0), seq(LayoutPiece::SequenceA, 0), special(sep, 0)},
                    {special(cls, 0), seq(LayoutPiece::SequenceA, 0), special(sep, 0),
                     special(sep, 0), seq(LayoutPiece::SequenceB, 0), special(sep, 0)}),
        trim_offsets_(trim_offsets),
        add_prefix_space_(add_prefix_space) {}
  void process_offsets(std::vector<RawToken>& tokens, const TokenStrings& strings) const override {
    if (trim_offsets_) trim_byte_level_offsets(tokens, strings, add_prefix_space_);
  }

 private:
  bool trim_offsets_, add_prefix_space_;
};

std::vector<LayoutPiece> parse_template(const json& pieces, const json& specials,
                                        const char* which) {
  const std::string where = std::string("post_processor.") + which;
  if (!pieces.is_array()) throw TokenizerError("tokenizer.json: " + where + " is not a list");
  std::vector<LayoutPiece> out;
  for (const json& p : pieces) {
    if (p.contains("Sequence")) {
      const json& s = p["Sequence"];
      const std::string id = jf::require<std::string>(s, "id", where);
      const auto type = jf::get<uint8_t>(s, "type_id", 0, where);
      if (id != "A" && id != "B")
        throw TokenizerError("tokenizer.json: " + where + " names sequence " + id);
      out.push_back(seq(id == "A" ? LayoutPiece::SequenceA : LayoutPiece::SequenceB, type));
    } else if (p.contains("SpecialToken")) {
      const json& s = p["SpecialToken"];
      const std::string id = jf::require<std::string>(s, "id", where);
      const auto type = jf::get<uint8_t>(s, "type_id", 0, where);
      if (!specials.is_object() || !specials.contains(id)) {
        throw TokenizerError("tokenizer.json: " + where + " uses " + id +
                             ", which special_tokens does not define");
      }
      const json ids = jf::require<json>(specials[id], "ids", "post_processor.special_tokens");
      if (!ids.is_array())
        throw TokenizerError("tokenizer.json: special_tokens." + id + ".ids is not a list");
      for (const json& i : ids) {
        if (!i.is_number_integer())
          throw TokenizerError("tokenizer.json: special_tokens." + id + ".ids holds a non-integer");
        out.push_back(special(i.get<int32_t>(), type));
      }
    } else {
      throw TokenizerError("tokenizer.json: " + where +
                           " has a piece that is neither Sequence nor SpecialToken");
    }
  }
  return out;
}

class SequenceProcessor final : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> stages)
      : stages_(std::move(stages)) {}
  size_t added_tokens(bool pair) const override {
    std::vector<LayoutPiece> l;
    size_t n = 0;
    for (const auto& p : stages_) {
      if (p->layout(pair, l)) n = p->added_tokens(pair);
    }
    return n;
  }
  void process_offsets(std::vector<RawToken>& tokens, const TokenStrings& strings) const override {
    for (const auto& p : stages_) p->process_offsets(tokens, strings);
  }
  bool layout(bool pair, std::vector<LayoutPiece>& out) const override {
    bool any = false;
    std::vector<LayoutPiece> l;
    for (const auto& p : stages_) {
      if (p->layout(pair, l)) {
        out = l;
        any = true;
      }
    }
    return any;
  }
  bool overflow_type_ids_from_layout() const override {
    bool from_layout = true;
    std::vector<LayoutPiece> l;
    for (const auto& p : stages_) {
      if (p->layout(false, l)) from_layout = p->overflow_type_ids_from_layout();
    }
    return from_layout;
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> stages_;
};

}  // namespace

void PostProcessor::process_offsets(std::vector<RawToken>&, const TokenStrings&) const {}

std::unique_ptr<PostProcessor> make_bert_processing(const json& j) {
  const int32_t cls = special_id(j, "cls"), sep = special_id(j, "sep");
  return std::make_unique<FixedLayout>(
      std::vector<LayoutPiece>{special(cls, 0), seq(LayoutPiece::SequenceA, 0), special(sep, 0)},
      std::vector<LayoutPiece>{special(cls, 0), seq(LayoutPiece::SequenceA, 0), special(sep, 0),
                               seq(LayoutPiece::SequenceB, 1), special(sep, 1)});
}

std::unique_ptr<PostProcessor> make_roberta_processing(const json& j) {
  return std::make_unique<RobertaLayout>(
      special_id(j, "cls"), special_id(j, "sep"),
      jf::get<bool>(j, "trim_offsets", true, "post_processor"),
      jf::get<bool>(j, "add_prefix_space", true, "post_processor"));
}

std::unique_ptr<PostProcessor> make_template_processing(const json& j) {
  const json specials = jf::get<json>(j, "special_tokens", json::object(), "post_processor");
  return std::make_unique<FixedLayout>(
      parse_template(jf::require<json>(j, "single", "post_processor"), specials, "single"),
      parse_template(jf::require<json>(j, "pair", "post_processor"), specials, "pair"),
      /*overflow_type_ids_from_layout=*/false);
}

std::unique_ptr<PostProcessor> make_post_processor_sequence(const json& j) {
  const json list = jf::require<json>(j, "processors", "post_processor");
  if (!list.is_array())
    throw TokenizerError("tokenizer.json: post_processor.processors is not a list");
  std::vector<std::unique_ptr<PostProcessor>> stages;
  for (const json& p : list) stages.push_back(make_post_processor(p));
  return std::make_unique<SequenceProcessor>(std::move(stages));
}

}  // namespace finsent::text
