// The lab report: one section per step of the user's path, built from the stages' JSON results.
#include "lab_report.hpp"

#include "finsent/report/bar_chart.hpp"
#include "finsent/report/confusion_heatmap.hpp"
#include "finsent/report/histogram.hpp"
#include "finsent/report/line_chart.hpp"
#include "finsent/report/number_format.hpp"

namespace finsent::report::detail {
using nlohmann::json;
using Results = std::map<std::string, json>;

namespace {

const json* find(const Results& r, const std::string& name) {
  const auto it = r.find(name);
  return it == r.end() ? nullptr : &it->second;
}

const char* state_name(StageState s) {
  switch (s) {
    case StageState::Ran:
      return "ran";
    case StageState::Cached:
      return "cached";
    case StageState::Failed:
      return "FAILED";
    case StageState::Skipped:
      break;
  }
  return "skipped";
}

// A note saying why a section has no content (the stage failed or was skipped).
Note missing(const std::vector<StageOutcome>& stages, const std::string& name) {
  for (const auto& s : stages) {
    if (s.name == name) {
      return {s.state == StageState::Failed ? Note::Kind::Error : Note::Kind::Warning,
              "stage '" + name + "' " +
                  (s.state == StageState::Failed ? "failed: " : "did not run: ") + s.error};
    }
  }
  return {Note::Kind::Warning, "stage '" + name + "' did not run"};
}

std::string f4(const json& v) {
  return format_fixed(v.get<double>(), 4);
}

// Precision/recall/F1/support per class, the averages and accuracy (sklearn's layout).
Table metrics_table(const json& m) {
  Table t{{"class", "precision", "recall", "F1", "support"},
          {},
          {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right}};
  for (const auto& label : m.at("labels")) {
    const json& c = m.at("per_class").at(label.get<std::string>());
    t.rows.push_back({label.get<std::string>(), f4(c.at("precision")), f4(c.at("recall")),
                      f4(c.at("f1")), std::to_string(c.at("support").get<int64_t>())});
  }
  for (const char* avg : {"macro_avg", "weighted_avg"}) {
    const json& c = m.at(avg);
    t.rows.push_back({std::string(avg) == "macro_avg" ? "macro avg" : "weighted avg",
                      f4(c.at("precision")), f4(c.at("recall")), f4(c.at("f1")),
                      std::to_string(c.at("support").get<int64_t>())});
  }
  t.rows.push_back({"accuracy", "", "", f4(m.at("accuracy")), ""});
  return t;
}

// The heatmap; above eval::kDenseConfusionMaxLabels labels metrics.json keeps only the non-zero
// cells, and a sentence says so instead of a chart with labels^2 cells.
Block confusion_figure(const std::string& name, const std::string& title, const json& m) {
  if (m.at("confusion_matrix").is_null())
    return Paragraph{
        {plain(title + ": the confusion matrix of " + std::to_string(m.at("labels").size()) +
               " labels is not drawn; metrics.json lists its non-zero cells as "
               "confusion_matrix_sparse.")}};
  return Figure{name, title + ": confusion matrix on the test split (rows true, columns predicted)",
                render_confusion_heatmap(
                    {title, m.at("labels").get<std::vector<std::string>>(),
                     m.at("confusion_matrix").get<std::vector<std::vector<int64_t>>>()})};
}

std::string join_tokens(const json& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.get<std::string>();
  }
  return out;
}

std::string join_ids(const json& ids) {
  std::string out;
  for (const auto& t : ids) {
    if (!out.empty()) out += ' ';
    out += std::to_string(t.get<int64_t>());
  }
  return out;
}

Section stages_section(const std::vector<StageOutcome>& stages) {
  Section s{"stages", "Stages of this run", {}};
  Table t{
      {"#", "stage", "status", "time"}, {}, {Align::Right, Align::Left, Align::Left, Align::Right}};
  for (size_t i = 0; i < stages.size(); ++i) {
    const auto& st = stages[i];
    t.rows.push_back({std::to_string(i + 1), st.title, state_name(st.state),
                      st.state == StageState::Ran || st.state == StageState::Failed
                          ? format_seconds(st.seconds)
                          : "-"});
  }
  s.blocks.push_back(t);
  for (const auto& st : stages) {
    if (st.state == StageState::Failed)
      s.blocks.push_back(Note{Note::Kind::Error, st.title + ": " + st.error});
    if (st.state == StageState::Skipped)
      s.blocks.push_back(Note{Note::Kind::Warning, st.title + ": " + st.error});
  }
  s.blocks.push_back(
      Paragraph{{plain("\"cached\" stages reused the result of an earlier run with the same inputs "
                       "(rerun with "),
                 code("--force"), plain(" to redo them).")}});
  return s;
}

// How the stats stage split the data: the notebook's words for its split, the options otherwise.
std::vector<Span> split_description(const json& st) {
  const json split = st.value("split", json::object());
  const uint64_t seed = split.value("seed", uint64_t{0});
  const double test_ratio = split.value("test_ratio", 0.15);
  const bool stratified = split.value("stratified", false);
  if (seed == 0 && test_ratio == 0.15 && !stratified)
    return {plain(", split like the notebook ("), code("random.seed(0); random.shuffle"),
            plain(", 85/15)")};
  return {plain(", split with "), code("--seed " + std::to_string(seed)), plain(" and "),
          code("--test-ratio " + format_short(test_ratio)),
          plain(stratified ? " (stratified)" : "")};
}

Section data_section(const std::vector<StageOutcome>& stages, const Results& r) {
  Section s{"data", "1-2. Data and class balance", {}};
  const json* st = find(r, "stats");
  if (!st) {
    s.blocks.push_back(missing(stages, "stats"));
    return s;
  }
  const auto labels = st->at("labels").get<std::vector<std::string>>();
  std::vector<Span> text{plain(std::to_string(st->at("rows").get<int64_t>()) + " sentences in "),
                         code(st->at("file").get<std::string>())};
  for (auto& part : split_description(*st)) text.push_back(std::move(part));
  // Joined to the last plain span, so the default paragraph is the spans it always was.
  const std::string sizes = " into " + std::to_string(st->at("train_rows").get<int64_t>()) +
                            " training and " + std::to_string(st->at("test_rows").get<int64_t>()) +
                            " test sentences.";
  if (text.back().code)
    text.push_back(plain(sizes));
  else
    text.back().text += sizes;
  s.blocks.push_back(Paragraph{std::move(text)});
  Table t{{"class", "all", "share", "train", "test"},
          {},
          {Align::Left, Align::Right, Align::Right, Align::Right, Align::Right}};
  const json& counts = st->at("counts");
  const double total = st->at("rows").get<double>();
  BarChart chart{"Sentences per class", "sentences", labels, {}};
  for (const char* part : {"all", "train", "test"}) {
    chart.groups.push_back({part, counts.at(part).get<std::vector<double>>()});
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto all = counts.at("all")[i].get<int64_t>();
    t.rows.push_back({labels[i], std::to_string(all),
                      format_percent(static_cast<double>(all) / total),
                      std::to_string(counts.at("train")[i].get<int64_t>()),
                      std::to_string(counts.at("test")[i].get<int64_t>())});
  }
  s.blocks.push_back(t);
  s.blocks.push_back(Figure{"class-balance",
                            "Sentences per class in the whole file and in each split",
                            render_bar_chart(chart)});
  s.blocks.push_back(Paragraph{{plain("Always answering the training split's majority class ("),
                                strong(st->at("majority_label").get<std::string>()),
                                plain(") scores an accuracy of " + f4(st->at("majority_accuracy")) +
                                      " on the test split: the floor every model must beat.")}});
  return s;
}

Section baseline_section(const std::vector<StageOutcome>& stages, const Results& r) {
  Section s{"baseline", "3. Baseline: TF-IDF + multinomial Naive Bayes", {}};
  const json* b = find(r, "baseline");
  if (!b) {
    s.blocks.push_back(missing(stages, "baseline"));
    return s;
  }
  s.blocks.push_back(Paragraph{{plain(
      "Word counts (vocabulary of " + std::to_string(b->at("vocabulary_size").get<int64_t>()) +
      " terms from the training split), TF-IDF weighting and a multinomial Naive Bayes "
      "classifier, as scikit-learn's CountVectorizer + TfidfTransformer + MultinomialNB. "
      "Fit and prediction took " +
      format_seconds(b->at("train_seconds").get<double>()) + ".")}});
  s.blocks.push_back(metrics_table(b->at("metrics")));
  s.blocks.push_back(confusion_figure("confusion-baseline", "Naive Bayes", b->at("metrics")));
  return s;
}

Section tokenizer_section(const LabOptions& o, const std::vector<StageOutcome>& stages,
                          const Results& r) {
  Section s{"tokenizer", "4. The tokenizer on three training sentences", {}};
  const json* t = find(r, "tokenizer");
  if (!t) {
    s.blocks.push_back(missing(stages, "tokenizer"));
    return s;
  }
  s.blocks.push_back(Paragraph{
      {plain("WordPiece tokenizer of "), code(o.model_name),
       plain(" (" + std::to_string(t->at("vocab_size").get<int64_t>()) +
             " entries): each sentence becomes [CLS] pieces [SEP]; \"##\" marks a piece that "
             "continues a word. Decoding the ids gives the normalized text back.")}});
  for (const auto& e : t->at("examples")) {
    s.blocks.push_back(Paragraph{
        {strong(e.at("label").get<std::string>() + ": "), plain(e.at("text").get<std::string>())}});
    s.blocks.push_back(CodeBlock{"tokens:  " + join_tokens(e.at("tokens")) +
                                 "\nids:     " + join_ids(e.at("ids")) +
                                 "\ndecoded: " + e.at("decoded").get<std::string>()});
  }
  return s;
}

Section lengths_section(const std::vector<StageOutcome>& stages, const Results& r) {
  Section s{"lengths", "5. Sentence lengths and MAX_LEN", {}};
  const json* l = find(r, "lengths");
  if (!l) {
    s.blocks.push_back(missing(stages, "lengths"));
    return s;
  }
  const int64_t max_len = l->at("max_len").get<int64_t>();
  Table t{{"sentences", "min", "mean", "median", "p90", "p95", "p99", "max"}, {}, {}};
  t.align.assign(8, Align::Right);
  t.rows.push_back(
      {std::to_string(l->at("count").get<int64_t>()), std::to_string(l->at("min").get<int64_t>()),
       format_fixed(l->at("mean").get<double>(), 1), format_short(l->at("p50").get<double>()),
       format_short(l->at("p90").get<double>()), format_short(l->at("p95").get<double>()),
       format_short(l->at("p99").get<double>()), std::to_string(l->at("max").get<int64_t>())});
  s.blocks.push_back(t);
  Histogram h{"Tokens per training sentence",
              "tokens ([CLS] and [SEP] included)",
              "sentences",
              l->at("lengths").get<std::vector<int64_t>>(),
              0,
              {{l->at("p95").get<double>(), "p95 " + format_short(l->at("p95").get<double>())},
               {static_cast<double>(max_len), "MAX_LEN " + std::to_string(max_len)}}};
  s.blocks.push_back(Figure{
      "lengths", "Token lengths of the training sentences, with the 95th percentile and MAX_LEN",
      render_histogram(h)});
  s.blocks.push_back(Paragraph{
      {plain("MAX_LEN = "), strong(std::to_string(max_len)),
       plain(": the smallest multiple of 8 that keeps 99.9% of the training sentences whole (" +
             std::to_string(l->at("max_len_999").get<int64_t>()) +
             " tokens), within the model's limit of " +
             std::to_string(l->at("model_limit").get<int64_t>()) +
             ". Batches are padded to their "
             "longest member, so most are far shorter.")}});
  return s;
}

std::string recipe_value(const json& o, const char* key) {
  const json& v = o.at(key);
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return format_short(v.get<double>());
}

Section training_section(const std::vector<StageOutcome>& stages, const Results& r) {
  Section s{
      "training", "6-7. Training: frozen encoder (notebook) and unfrozen (improved recipe)", {}};
  const json* fz = find(r, "train-frozen");
  const json* uf = find(r, "train-unfrozen");
  if (!fz) s.blocks.push_back(missing(stages, "train-frozen"));
  if (!uf) s.blocks.push_back(missing(stages, "train-unfrozen"));
  if (!fz && !uf) return s;
  Table t{{"setting", "frozen (notebook)", "unfrozen (improved)"},
          {},
          {Align::Left, Align::Right, Align::Right}};
  const std::vector<std::pair<const char*, const char*>> keys = {
      {"freeze_encoder", "encoder frozen"},
      {"head", "head"},
      {"epochs", "epochs"},
      {"batch_size", "batch size"},
      {"learning_rate", "learning rate"},
      {"warmup", "warmup"},
      {"weight_decay", "weight decay"},
      {"max_length", "MAX_LEN"},
      {"group_by_length", "length-grouped batches"},
      {"seed", "seed"}};
  for (const auto& [key, name] : keys) {
    t.rows.push_back({name, fz ? recipe_value(fz->at("options"), key) : "-",
                      uf ? recipe_value(uf->at("options"), key) : "-"});
  }
  t.rows.push_back({"optimizer steps", fz ? std::to_string(fz->at("steps").get<int64_t>()) : "-",
                    uf ? std::to_string(uf->at("steps").get<int64_t>()) : "-"});
  t.rows.push_back({"training time",
                    fz ? format_seconds(fz->at("train_seconds").get<double>()) : "-",
                    uf ? format_seconds(uf->at("train_seconds").get<double>()) : "-"});
  s.blocks.push_back(t);
  LineChart loss{"Training loss", "epoch", "loss (mean since the last log)", {}};
  LineChart lr{"Learning rate", "epoch", "learning rate", {}};
  for (const auto& [name, run] : {std::pair{"frozen", fz}, std::pair{"unfrozen", uf}}) {
    if (!run) continue;
    Series ls{name, {}}, lrs{name, {}};
    for (const auto& h : run->at("history")) {
      ls.points.emplace_back(h.at("epoch").get<double>(), h.at("loss").get<double>());
      lrs.points.emplace_back(h.at("epoch").get<double>(), h.at("learning_rate").get<double>());
    }
    loss.series.push_back(ls);
    lr.series.push_back(lrs);
  }
  s.blocks.push_back(
      Figure{"loss", "Training loss per logged step, against epochs", render_line_chart(loss)});
  s.blocks.push_back(
      Figure{"learning-rate", "Learning rate schedule, against epochs", render_line_chart(lr)});
  s.blocks.push_back(
      Paragraph{{plain("TensorBoard event files of both runs are in "), code("runs/"),
                 plain("; the trained models (Hugging Face directories) in "),
                 code("models/frozen"), plain(" and "), code("models/unfrozen"), plain(".")}});
  return s;
}

Section eval_section(const std::vector<StageOutcome>& stages, const Results& r) {
  Section s{"evaluation", "7. Evaluation on the test split", {}};
  for (const auto& [which, title] :
       {std::pair{"frozen", "Frozen encoder"}, std::pair{"unfrozen", "Unfrozen"}}) {
    const json* e = find(r, std::string("eval-") + which);
    s.blocks.push_back(Paragraph{{strong(title)}});
    if (!e) {
      s.blocks.push_back(missing(stages, std::string("eval-") + which));
      continue;
    }
    if (e->contains("collapse") && e->at("collapse").is_object())
      s.blocks.push_back(
          Note{Note::Kind::Warning, "The " + std::string(which) + " model collapsed: " +
                                        e->at("collapse").at("message").get<std::string>()});
    s.blocks.push_back(metrics_table(e->at("metrics")));
    s.blocks.push_back(
        confusion_figure(std::string("confusion-") + which, title, e->at("metrics")));
  }
  return s;
}

Section predict_section(const std::vector<StageOutcome>& stages, const Results& r) {
  Section s{"predictions", "8. New sentences (exercise 8)", {}};
  const json* p = find(r, "predict");
  if (!p) {
    s.blocks.push_back(missing(stages, "predict"));
    return s;
  }
  const json& models = p->at("models");
  const auto labels = models.at("unfrozen").at("labels").get<std::vector<std::string>>();
  Table t{{"sentence", "model", "prediction"}, {}, {Align::Left, Align::Left, Align::Left}};
  for (const auto& l : labels) {
    t.columns.push_back("p(" + l + ")");
    t.align.push_back(Align::Right);
  }
  const auto& sentences = p->at("sentences");
  for (size_t i = 0; i < sentences.size(); ++i) {
    for (const char* which : {"frozen", "unfrozen"}) {
      const json& pred = models.at(which).at("predictions")[i];
      std::vector<std::string> row = {
          std::string(which) == "frozen" ? sentences[i].get<std::string>() : "", which,
          pred.at("label").get<std::string>()};
      for (const auto& prob : pred.at("probabilities"))
        row.push_back(format_fixed(prob.get<double>(), 3));
      t.rows.push_back(row);
    }
  }
  s.blocks.push_back(t);
  return s;
}

Section comparison_section(const Results& r) {
  Section s{"comparison", "9. All models compared", {}};
  const json* stats = find(r, "stats");
  std::vector<std::string> labels =
      stats ? stats->at("labels").get<std::vector<std::string>>() : std::vector<std::string>{};
  Table t{{"model", "accuracy", "macro-F1"}, {}, {Align::Left, Align::Right, Align::Right}};
  for (const auto& l : labels) {
    t.columns.push_back("F1 " + l);
    t.align.push_back(Align::Right);
  }
  t.columns.push_back("train time");
  t.align.push_back(Align::Right);
  const auto add = [&](const std::string& name, const json* metrics, const std::string& time) {
    if (!metrics) return;
    const json& m = *metrics;
    std::vector<std::string> row = {name, f4(m.at("accuracy")), f4(m.at("macro_f1"))};
    for (const auto& l : labels)
      row.push_back(m.at("per_class").contains(l) ? f4(m.at("per_class").at(l).at("f1")) : "-");
    row.push_back(time);
    t.rows.push_back(row);
  };
  if (stats) {
    t.rows.push_back({"majority class (" + stats->at("majority_label").get<std::string>() + ")",
                      f4(stats->at("majority_accuracy")), "-"});
    for (size_t i = 0; i < labels.size(); ++i) t.rows.back().push_back("-");
    t.rows.back().push_back("-");
  }
  if (const json* b = find(r, "baseline"))
    add("TF-IDF + Naive Bayes", &b->at("metrics"),
        format_seconds(b->at("train_seconds").get<double>()));
  for (const auto& [which, name] : {std::pair{"frozen", "frozen encoder + linear head"},
                                    std::pair{"unfrozen", "unfrozen (improved)"}}) {
    const json* e = find(r, std::string("eval-") + which);
    const json* tr = find(r, std::string("train-") + which);
    if (e)
      add(name, &e->at("metrics"),
          tr ? format_seconds(tr->at("train_seconds").get<double>()) : "-");
  }
  s.blocks.push_back(t);
  return s;
}

}  // namespace

Document lab_document(const LabOptions& o, const std::vector<StageOutcome>& stages,
                      const Results& r, double total_seconds) {
  Document doc;
  doc.title = "finsent lab: financial sentiment, from data to predictions";
  size_t completed = 0;
  for (const auto& s : stages)
    completed += s.state == StageState::Ran || s.state == StageState::Cached;
  doc.intro.push_back(
      Paragraph{{plain("Data "), code(o.data.path.string()), plain(", model "), code(o.model_name),
                 plain(". " + std::to_string(completed) + " of " + std::to_string(stages.size()) +
                       " stages completed in " + format_seconds(total_seconds) + ".")}});
  doc.sections.push_back(stages_section(stages));
  doc.sections.push_back(data_section(stages, r));
  doc.sections.push_back(baseline_section(stages, r));
  doc.sections.push_back(tokenizer_section(o, stages, r));
  doc.sections.push_back(lengths_section(stages, r));
  doc.sections.push_back(training_section(stages, r));
  doc.sections.push_back(eval_section(stages, r));
  doc.sections.push_back(predict_section(stages, r));
  doc.sections.push_back(comparison_section(r));
  return doc;
}

json lab_metrics(const std::vector<StageOutcome>& stages, const Results& r, double total_seconds) {
  json out = {
      {"total_seconds", total_seconds}, {"stages", json::array()}, {"models", json::object()}};
  for (const auto& s : stages) {
    out["stages"].push_back({{"name", s.name},
                             {"state", state_name(s.state)},
                             {"seconds", s.seconds},
                             {"error", s.error}});
  }
  if (const json* st = find(r, "stats")) out["majority_accuracy"] = st->at("majority_accuracy");
  if (const json* b = find(r, "baseline")) out["models"]["naive_bayes"] = b->at("metrics");
  for (const char* which : {"frozen", "unfrozen"}) {
    if (const json* e = find(r, std::string("eval-") + which)) {
      out["models"][which] = e->at("metrics");
      out["models"][which]["collapse"] = e->value("collapse", json(nullptr));
      if (const json* t = find(r, std::string("train-") + which)) {
        out["models"][which]["train_seconds"] = t->at("train_seconds");
        out["models"][which]["model_dir"] = t->at("model_dir");
      }
    }
  }
  if (const json* p = find(r, "predict")) out["exercise_8"] = *p;
  return out;
}

}  // namespace finsent::report::detail
