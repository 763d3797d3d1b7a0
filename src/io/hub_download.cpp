// download_model: which files a model needs (config, tokenizer, weights), fetched at one commit;
// the offline path that answers from the cache alone.
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "finsent/core/error.hpp"
#include "finsent/io/hub.hpp"
#include "finsent/io/hub_cache.hpp"
#include "hub_file_download.hpp"
#include "hub_http.hpp"

namespace fs = std::filesystem;

namespace finsent::io {
namespace {

using hub_detail::HubFileDownloader;
using hub_detail::HubHttp;

constexpr const char* kTokenizerFiles[] = {"tokenizer.json", "tokenizer_config.json", "vocab.txt",
                                           "special_tokens_map.json"};
constexpr size_t kMaxListingBytes = 16u << 20;

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string resolve_endpoint(const DownloadOptions& o) {
  std::string e = !o.endpoint.empty() ? o.endpoint : env_or_empty("HF_ENDPOINT");
  if (e.empty()) e = "https://huggingface.co";
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

// huggingface_hub's get_token: $HF_TOKEN, else the file `huggingface-cli login` wrote
// ($HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token).
std::optional<std::string> resolve_token(const DownloadOptions& o) {
  if (o.token) return o.token;
  std::string t = trimmed(env_or_empty("HF_TOKEN"));
  if (!t.empty()) return t;
  fs::path file = env_or_empty("HF_TOKEN_PATH");
  if (file.empty()) {
    std::string home = env_or_empty("HF_HOME");
    if (!home.empty()) {
      file = fs::path(home) / "token";
    } else if (!env_or_empty("HOME").empty()) {
      file = fs::path(env_or_empty("HOME")) / ".cache" / "huggingface" / "token";
    }
  }
  std::error_code ec;
  if (file.empty() || !fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  t = trimmed(std::string(std::istreambuf_iterator<char>(in), {}));
  return t.empty() ? std::nullopt : std::optional<std::string>(t);
}

bool is_pattern(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos || (!s.empty() && s.back() == '/');
}

// huggingface_hub's filter_repo_objects: fnmatch, a trailing '/' meaning the whole folder.
bool matches(const std::string& file, std::string pattern) {
  if (!pattern.empty() && pattern.back() == '/') pattern += "*";
  return ::fnmatch(pattern.c_str(), file.c_str(), 0) == 0;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw IoError(p.string() + ": cannot read");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The shard files a *.index.json names in its weight_map, sorted and without repeats.
std::vector<std::string> shards_of(const fs::path& index) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_text(index));
  } catch (const nlohmann::json::exception& e) {
    throw WeightsError(index.string() + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
    throw WeightsError(index.string() + ": expected an object with a \"weight_map\" object");
  }
  std::set<std::string> shards;
  for (const auto& [name, shard] : j["weight_map"].items()) {
    if (!shard.is_string()) {
      throw WeightsError(index.string() + ": weight_map[\"" + name + "\"] is not a file name");
    }
    shards.insert(shard.get<std::string>());
  }
  if (shards.empty()) throw WeightsError(index.string() + ": empty weight_map");
  return {shards.begin(), shards.end()};
}

// Every file of the snapshot, for the offline answer.
DownloadResult from_cache(const HubRepoCache& cache, const std::string& repo_id,
                          const DownloadOptions& o) {
  std::optional<std::string> commit = cache.resolve_revision(o.revision);
  const std::string advice = "HF_HUB_OFFLINE is set and model '" + repo_id + "' (revision " +
                             o.revision + ") is not in the cache " +
                             cache.repo_dir().parent_path().string() + "; run `finsent download " +
                             repo_id + "` where the Hub is reachable";
  if (!commit || !fs::exists(cache.snapshot_file(*commit, "config.json")))
    throw ConfigError(advice);
  DownloadResult out;
  out.repo_id = repo_id;
  out.revision = o.revision;
  out.commit = *commit;
  out.snapshot = cache.snapshot_dir(*commit);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out.snapshot, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory()) continue;
    DownloadedFile f;
    f.name = it->path().lexically_relative(out.snapshot).generic_string();
    f.path = it->path();
    f.size = fs::file_size(it->path(), ec);
    if (ec) throw IoError(f.path.string() + ": broken cache entry: " + ec.message());
    if (it->is_symlink()) f.etag = fs::read_symlink(it->path()).filename().string();
    out.files.push_back(std::move(f));
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& want : o.include) {
    bool found = std::any_of(out.files.begin(), out.files.end(), [&](const DownloadedFile& f) {
      return is_pattern(want) ? matches(f.name, want) : f.name == want;
    });
    if (!found) throw ConfigError(advice + " (no cached file matches '" + want + "')");
  }
  return out;
}

class ModelDownload {
 public:
  ModelDownload(const HubRepoCache& cache, const HubHttp& http, std::string endpoint,
                const DownloadOptions& o)
      : http_(http), endpoint_(endpoint), files_(cache, http, endpoint, o.revision, o) {
    result_.repo_id = cache.repo_id();
    result_.revision = o.revision;
  }

  // Fetches `file` once; false when the repository does not have it (recorded as absent).
  bool optional(const std::string& file) {
    if (seen_.count(file)) {
      return std::find(result_.absent.begin(), result_.absent.end(), file) == result_.absent.end();
    }
    std::optional<DownloadedFile> f = files_.fetch(file);
    seen_.insert(file);
    if (!f) {
      result_.absent.push_back(file);
      return false;
    }
    result_.transferred += f->transferred;
    result_.files.push_back(std::move(*f));
    return true;
  }

  void required(const std::string& file) {
    if (!optional(file)) {
      throw ConfigError("model '" + result_.repo_id + "' (revision " + result_.revision +
                        ") has no file '" + file + "'");
    }
  }

  // model.safetensors, else its sharded index, else pytorch_model.bin, else its sharded index.
  void weights() {
    if (optional("model.safetensors")) return;
    if (optional("model.safetensors.index.json")) return shards("model.safetensors.index.json");
    if (optional("pytorch_model.bin")) return;
    if (optional("pytorch_model.bin.index.json")) return shards("pytorch_model.bin.index.json");
    throw ConfigError("model '" + result_.repo_id +
                      "' has no weights finsent reads: none of model.safetensors, "
                      "model.safetensors.index.json, pytorch_model.bin, "
                      "pytorch_model.bin.index.json");
  }

  // Extra files: exact names must exist; patterns are matched against the repository listing.
  void include(const std::vector<std::string>& wanted) {
    for (const auto& w : wanted) {
      if (!is_pattern(w)) {
        required(w);
        continue;
      }
      bool any = false;
      for (const auto& file : listing()) {
        if (matches(file, w)) any = optional(file) || any;
      }
      if (!any) {
        throw ConfigError("no file of model '" + result_.repo_id + "' matches '" + w + "'");
      }
    }
  }

  DownloadResult finish(const HubRepoCache& cache) {
    result_.commit = files_.commit();
    result_.snapshot = cache.snapshot_dir(result_.commit);
    return std::move(result_);
  }

 private:
  void shards(const std::string& index) {
    auto it = std::find_if(result_.files.begin(), result_.files.end(),
                           [&](const DownloadedFile& f) { return f.name == index; });
    fs::path path = it->path;  // copied: required() grows result_.files
    for (const auto& shard : shards_of(path)) required(shard);
  }

  // The repository's file names at the fixed commit, from the Hub's model API.
  const std::vector<std::string>& listing() {
    if (listing_) return *listing_;
    std::string url = endpoint_ + "/api/models/" + result_.repo_id + "/revision/" +
                      hub_detail::url_quote(files_.commit(), false);
    hub_detail::HttpResponse r = http_.get_text(url, kMaxListingBytes);
    if (r.status != 200) files_.throw_http_error(r, "GET", "the file list");
    listing_.emplace();
    try {
      auto j = nlohmann::json::parse(r.body);
      for (const auto& s : j.at("siblings"))
        listing_->push_back(s.at("rfilename").get<std::string>());
    } catch (const nlohmann::json::exception& e) {
      throw IoError("GET " + url + ": unexpected file list: " + e.what());
    }
    return *listing_;
  }

  const HubHttp& http_;
  std::string endpoint_;
  HubFileDownloader files_;
  DownloadResult result_;
  std::set<std::string> seen_;
  std::optional<std::vector<std::string>> listing_;
};

}  // namespace

DownloadResult download_model(const std::string& repo_id, const DownloadOptions& options) {
  DownloadOptions o = options;
  if (o.revision.empty()) o.revision = "main";
  HubRepoCache cache(o.cache_dir.empty() ? hub_cache_dir() : o.cache_dir, repo_id);
  if (o.offline.value_or(hub_offline())) return from_cache(cache, repo_id, o);

  o.token = resolve_token(o);
  const std::string endpoint = resolve_endpoint(o);
  HubHttp http(endpoint, o.token, o.connect_timeout_s, o.stall_timeout_s);
  ModelDownload run(cache, http, endpoint, o);
  run.required("config.json");
  for (const char* f : kTokenizerFiles) run.optional(f);
  run.weights();
  run.include(o.include);
  return run.finish(cache);
}

}  // namespace finsent::io
