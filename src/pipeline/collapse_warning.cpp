// collapse_warning: "the model predicts one class for everything", and what helps given how it was
// trained.
#include "finsent/pipeline/collapse_warning.hpp"

#include <cstdio>
#include <fstream>
#include <vector>

namespace finsent::pipeline {
namespace {

std::string fixed4(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string join_or(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return out;
}

// training_args.json values, read leniently: a missing or mistyped key is "not known".
bool flag(const nlohmann::json& args, const char* key) {
  return args.contains(key) && args[key].is_boolean() && args[key].get<bool>();
}
double number(const nlohmann::json& args, const char* key) {
  return args.contains(key) && args[key].is_number() ? args[key].get<double>() : 0.0;
}
std::string text(const nlohmann::json& args, const char* key) {
  return args.contains(key) && args[key].is_string() ? args[key].get<std::string>() : "";
}

// What helps a head trained on a frozen encoder's features.
std::string frozen_advice(const nlohmann::json& args) {
  std::vector<std::string> tips;
  if (!flag(args, "standardize_features"))
    tips.push_back("--standardize-features (unit-scale features let the head's steps count)");
  if (text(args, "head") != "mean")
    tips.push_back(
        "--head mean (the pooling sentence-transformers encoders such as all-MiniLM-L6-v2 were "
        "trained for)");
  const double lr = number(args, "learning_rate");
  tips.push_back("a higher --lr for the head alone (e.g. 1e-3" +
                 (lr > 0 ? "; this run used " + short_number(lr) : std::string()) + ")");
  tips.push_back("more --epochs");
  return "with a frozen encoder, " + join_or(tips) +
         "; or fine-tune the whole model (without --freeze-encoder)";
}

// What helps a fine-tuned (unfrozen) model.
std::string unfrozen_advice(const nlohmann::json& args) {
  const double lr = number(args, "learning_rate");
  const auto epochs = static_cast<int64_t>(number(args, "epochs"));
  return "with the whole model trained, more --epochs" +
         (epochs > 0 ? " (this run: " + std::to_string(epochs) + ")" : std::string()) +
         ", --lr between 2e-5 and 5e-5 with --warmup 0.1 (a much higher rate also collapses" +
         (lr > 0 ? "; this run used " + short_number(lr) : std::string()) +
         ") or --class-weights balanced";
}

}  // namespace

std::optional<CollapseWarning> collapse_warning(const eval::ClassificationReport& report,
                                                const std::string& split,
                                                const nlohmann::json& how_trained) {
  const auto collapse = eval::find_collapse(report);
  if (!collapse) return std::nullopt;
  const nlohmann::json args = how_trained.is_object() ? how_trained : nlohmann::json::object();
  std::string help;
  if (!how_trained.is_object())
    help = frozen_advice(args) + "; " + unfrozen_advice(args);
  else if (flag(args, "freeze_encoder"))
    help = frozen_advice(args);
  else
    help = unfrozen_advice(args);
  CollapseWarning w{*collapse, ""};
  w.message = "the model predicts '" + collapse->label + "' for all " +
              std::to_string(collapse->examples) + " " + split + ": its accuracy " +
              fixed4(report.accuracy) + " is only the share of '" + collapse->label + "'" +
              (collapse->majority ? " (the majority class)" : "") + " and its macro-F1 is " +
              fixed4(report.macro_avg.f1) +
              "; it has learned the class balance, not the task. What helps: " + help;
  return w;
}

nlohmann::json collapse_json(const std::optional<CollapseWarning>& warning) {
  if (!warning) return nullptr;
  nlohmann::json out = eval::to_json(warning->collapse);
  out["message"] = warning->message;
  return out;
}

nlohmann::json read_training_args(const std::filesystem::path& model_dir) {
  std::ifstream in(model_dir / "training_args.json");
  if (!in) return nullptr;
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() ? doc : nlohmann::json(nullptr);
}

}  // namespace finsent::pipeline
