// Checking config.json against a checkpoint's header (tensor names and shapes) before any module
// is allocated, so a config that claims sizes its weights do not have fails in one line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "finsent/models/config.hpp"
#include "finsent/models/weights.hpp"

namespace finsent::models {

// A checkpoint tensor whose shape follows from config.json fields.
struct ShapeProbe {
  std::string name;                 // base-model or head name: "embeddings.word_embeddings.weight"
  std::vector<int64_t> shape;       // what the config makes it
  std::vector<std::string> fields;  // the config.json field each dimension comes from
  bool required = true;             // absent from the checkpoint: an error (else: skipped)
  std::string note;                 // appended to the message ("config.json has no id2label...")
};

// A required probe: `name` has `shape`, each dimension from the config.json field beside it.
ShapeProbe pinned_probe(std::string name, std::vector<int64_t> shape,
                        std::vector<std::string> fields);

// What a family says about its checkpoints (ModelFamily::shapes).
struct FamilyShapes {
  std::vector<ShapeProbe> probes;  // tensors pinning every size the encoder allocates
  std::string layer_prefix;        // "encoder.layer.": the repeated blocks, numbered from 0
  std::string layers_field;        // "num_hidden_layers" | "n_layers"
  int64_t layers = 0;              // what the config says
};

// Checks `config` (read from `config_origin`, e.g. "DIR/config.json") against `source`'s names
// and shapes only (no tensor data is read): every probe found under its name, with or without
// the family prefix ("bert."), must have the probe's shape, and the config may not ask for more
// layers than the checkpoint holds. `head_probes` are checked like the family's (not required).
// Runs in time linear in the checkpoint's tensor count; allocates nothing proportional to config
// sizes. Throws WeightsError:
//   "CONFIG: FIELD: VALUE disagrees with the checkpoint: CKPT holds NAME as [a, b] (config.json
//    makes it [c, d])", "CONFIG: FIELD: VALUE but CKPT holds N layers (PREFIX0-N-1)", or
//   "CKPT: weights missing from the checkpoint: NAME, ..." for a required probe absent.
void check_config_shapes(const ModelConfig& config, const std::string& config_origin,
                         const TensorSource& source, const std::vector<ShapeProbe>& head_probes);

}  // namespace finsent::models
