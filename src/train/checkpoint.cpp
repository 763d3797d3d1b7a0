// Checkpoint folders: temp folder + fsync + rename, so a killed save leaves nothing resumable
// behind.
#include "finsent/train/checkpoint.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"

namespace finsent::train {
namespace fs = std::filesystem;
namespace {

constexpr const char* kPrefix = "checkpoint-";

void fsync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) throw IoError(p.string() + ": cannot open to sync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw IoError(p.string() + ": fsync failed");
}

// Written through an AtomicFile: LibTorch's own file writer aborts the process (an exception
// thrown from a destructor) when a write fails, so the archive streams into a writer that always
// accepts the bytes and keeps the first error for commit(), which throws it as an IoError.
void write_archive(const std::map<std::string, torch::Tensor>& tensors, const fs::path& file) {
  torch::serialize::OutputArchive archive;
  // On disk every tensor is a CPU tensor, whatever device trained it: a checkpoint resumes
  // anywhere.
  for (const auto& [name, t] : tensors)
    archive.write(name, t.detach().to(torch::kCPU).contiguous());
  io::AtomicFile out(file);
  std::ostream& stream = out.stream();
  try {
    archive.save_to([&stream](const void* data, size_t size) -> size_t {
      stream.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
      return size;
    });
  } catch (const c10::Error& e) {
    throw IoError(file.string() + ": cannot write: " + e.what_without_backtrace());
  }
  out.commit();
}

torch::serialize::InputArchive read_archive(const fs::path& file) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file.string(), torch::kCPU);  // then copied to the model's device
  } catch (const c10::Error& e) {
    throw WeightsError(file.string() + ": cannot read: " + e.what_without_backtrace());
  }
  return archive;
}

std::map<std::string, torch::Tensor> module_tensors(const torch::nn::Module& model) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& p : model.named_parameters()) out["param." + p.key()] = p.value();
  for (const auto& b : model.named_buffers()) out["buffer." + b.key()] = b.value();
  return out;
}

void restore_module(torch::nn::Module& model, torch::serialize::InputArchive& archive,
                    const fs::path& file) {
  torch::NoGradGuard no_grad;
  for (auto& [name, dst] : module_tensors(model)) {
    torch::Tensor src;
    if (!archive.try_read(name, src)) throw WeightsError(file.string() + ": missing " + name);
    if (src.sizes() != dst.sizes())
      throw WeightsError(file.string() + ": " + name + " has the wrong shape");
    dst.copy_(src);
  }
}

void write_text(const fs::path& file, const std::string& text) {
  io::write_file_atomic(file, text);
}

bool complete_checkpoint(const fs::path& dir, int64_t* step) {
  static const std::regex name(R"(checkpoint-(\d+))");
  std::smatch m;
  const std::string base = dir.filename().string();
  if (!std::regex_match(base, m, name)) return false;
  if (!fs::is_regular_file(dir / "trainer_state.json")) return false;
  if (step) *step = std::stoll(m[1].str());
  return true;
}

}  // namespace

void save_module_state(const torch::nn::Module& model, const fs::path& file) {
  write_archive(module_tensors(model), file);
}

void load_module_state(torch::nn::Module& model, const fs::path& file) {
  auto archive = read_archive(file);
  restore_module(model, archive, file);
}

fs::path save_checkpoint(const fs::path& out_dir, const torch::nn::Module& model,
                         const AdamW& optimizer, const TrainerState& state) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw IoError(out_dir.string() + ": cannot create: " + ec.message());
  const std::string name = kPrefix + std::to_string(state.global_step);
  const fs::path final_dir = out_dir / name;
  const fs::path tmp = out_dir / ("." + name + ".tmp-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec) || ec)
    throw IoError(tmp.string() + ": cannot create checkpoint folder: " + ec.message());
  try {
    write_archive(module_tensors(model), tmp / "model.pt");
    write_archive(optimizer.state(), tmp / "optimizer.pt");
    write_archive({{"cpu", at::detail::getDefaultCPUGenerator().get_state()}},
                  tmp / "rng_state.pt");
    // Written last: its presence marks the folder complete even if a rename were not atomic.
    write_text(tmp / "trainer_state.json", to_json(state).dump(2));
    fsync_path(tmp, true);
  } catch (const Error& e) {
    // A full disk lands here: the partial folder goes, the previous checkpoint stays.
    fs::remove_all(tmp, ec);
    const auto last = latest_checkpoint(out_dir);
    throw IoError(name + " not saved (" + e.what() + "); its temporary folder was removed; " +
                  (last ? "the last good checkpoint is " + last->string() +
                              " (continue with --resume " + out_dir.string() + ")"
                        : std::string("no checkpoint was saved before")));
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(final_dir, ec);  // a resumed run re-saving the same step
  fs::rename(tmp, final_dir, ec);
  if (ec)
    throw IoError(final_dir.string() + ": cannot rename checkpoint into place: " + ec.message());
  fsync_path(out_dir, true);
  for (const auto& entry : fs::directory_iterator(out_dir)) {
    const auto base = entry.path().filename().string();
    if (entry.path() == final_dir) continue;
    if (base.rfind(kPrefix, 0) == 0 || base.rfind(std::string(".") + kPrefix, 0) == 0)
      fs::remove_all(entry.path(), ec);  // older checkpoints and leftovers of killed saves
  }
  return final_dir;
}

std::optional<fs::path> latest_checkpoint(const fs::path& dir) {
  if (complete_checkpoint(dir, nullptr)) return dir;
  if (!fs::is_directory(dir)) return std::nullopt;
  std::optional<fs::path> best;
  int64_t best_step = -1;
  for (const auto& entry : fs::directory_iterator(dir)) {
    int64_t step = 0;
    if (entry.is_directory() && complete_checkpoint(entry.path(), &step) && step > best_step) {
      best_step = step;
      best = entry.path();
    }
  }
  return best;
}

TrainerState load_checkpoint(const fs::path& checkpoint, torch::nn::Module& model,
                             AdamW& optimizer) {
  std::ifstream in(checkpoint / "trainer_state.json");
  if (!in) throw WeightsError((checkpoint / "trainer_state.json").string() + ": cannot read");
  TrainerState state;
  try {
    state = trainer_state_from_json(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& e) {
    throw WeightsError((checkpoint / "trainer_state.json").string() + ": " + e.what());
  }
  load_module_state(model, checkpoint / "model.pt");
  auto opt_archive = read_archive(checkpoint / "optimizer.pt");
  std::map<std::string, torch::Tensor> opt_state;
  for (const auto& [key, t] : optimizer.state()) {
    torch::Tensor src;
    if (!opt_archive.try_read(key, src))
      throw WeightsError((checkpoint / "optimizer.pt").string() + ": missing " + key);
    opt_state[key] = src;
  }
  optimizer.load_state(opt_state);
  auto rng_archive = read_archive(checkpoint / "rng_state.pt");
  torch::Tensor rng;
  if (!rng_archive.try_read("cpu", rng))
    throw WeightsError((checkpoint / "rng_state.pt").string() + ": missing cpu");
  auto generator = at::detail::getDefaultCPUGenerator();
  generator.set_state(rng);
  return state;
}

}  // namespace finsent::train
