// huggingface_hub's cache layout: where blobs, snapshots, refs and markers live, and how they link.
#include "finsent/io/hub_cache.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <system_error>
#include <vector>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"

namespace fs = std::filesystem;

namespace finsent::io {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

void create_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create directory: " + ec.message());
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

// A file name inside a repository: relative, no empty, "." or ".." components.
void validate_repo_file(const std::string& file) {
  bool ok = !file.empty() && file.front() != '/';
  for (const auto& part : fs::path(file)) {
    if (part.empty() || part == "." || part == "..") ok = false;
  }
  if (!ok) throw InputError("invalid file name in repository: '" + file + "'");
}

}  // namespace

fs::path hub_cache_dir() {
  for (const char* name : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
    std::string v = env_or_empty(name);
    if (!v.empty()) return fs::path(v);
  }
  std::string hf_home = env_or_empty("HF_HOME");
  if (!hf_home.empty()) return fs::path(hf_home) / "hub";
  std::string xdg = env_or_empty("XDG_CACHE_HOME");
  if (!xdg.empty()) return fs::path(xdg) / "huggingface" / "hub";
  std::string home = env_or_empty("HOME");
  if (home.empty()) throw ConfigError("cannot locate the Hugging Face cache: set HF_HOME or HOME");
  return fs::path(home) / ".cache" / "huggingface" / "hub";
}

bool hub_offline() {
  std::string v = env_or_empty("HF_HUB_OFFLINE");
  for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

bool is_commit_hash(const std::string& revision) {
  if (revision.size() != 40) return false;
  for (char c : revision) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

void validate_repo_id(const std::string& repo_id) {
  // huggingface_hub's validate_repo_id: [org/]name of [\w-.], at most 96 characters, no "--" or
  // "..", not starting or ending with '-' or '.'.
  auto fail = [&](const std::string& why) {
    throw InputError("invalid model id '" + repo_id + "': " + why +
                     " (expected 'name' or 'org/name')");
  };
  if (repo_id.empty() || repo_id.size() > 96) fail("empty or longer than 96 characters");
  std::vector<std::string> parts;
  for (size_t begin = 0;;) {
    size_t slash = repo_id.find('/', begin);
    parts.push_back(repo_id.substr(begin, slash == std::string::npos ? slash : slash - begin));
    if (slash == std::string::npos) break;
    begin = slash + 1;
  }
  if (parts.size() > 2) fail("more than one '/'");
  for (const std::string& part : parts) {
    if (part.empty()) fail("empty part");
    for (char c : part) {
      if (!is_name_char(c)) fail("only letters, digits, '-', '_' and '.' are allowed");
    }
    if (part.front() == '-' || part.front() == '.' || part.back() == '-' || part.back() == '.')
      fail("a part starts or ends with '-' or '.'");
  }
  if (repo_id.find("--") != std::string::npos || repo_id.find("..") != std::string::npos)
    fail("'--' and '..' are not allowed");
}

HubRepoCache::HubRepoCache(fs::path root, std::string repo_id)
    : root_(std::move(root)), repo_id_(std::move(repo_id)) {
  validate_repo_id(repo_id_);
}

fs::path HubRepoCache::repo_dir() const {
  std::string folder = "models--" + repo_id_;
  size_t slash = folder.find('/');
  if (slash != std::string::npos) folder.replace(slash, 1, "--");
  return root_ / folder;
}

fs::path HubRepoCache::blob_path(const std::string& etag) const {
  return repo_dir() / "blobs" / etag;
}

fs::path HubRepoCache::incomplete_path(const std::string& etag) const {
  return repo_dir() / "blobs" / (etag + ".incomplete");
}

fs::path HubRepoCache::lock_path(const std::string& etag) const {
  return root_ / ".locks" / repo_dir().filename() / (etag + ".lock");
}

fs::path HubRepoCache::snapshot_dir(const std::string& commit) const {
  return repo_dir() / "snapshots" / commit;
}

fs::path HubRepoCache::snapshot_file(const std::string& commit, const std::string& file) const {
  validate_repo_file(file);
  return snapshot_dir(commit) / file;
}

fs::path HubRepoCache::no_exist_marker(const std::string& commit, const std::string& file) const {
  validate_repo_file(file);
  return repo_dir() / ".no_exist" / commit / file;
}

std::optional<std::string> HubRepoCache::resolve_revision(const std::string& revision) const {
  if (is_commit_hash(revision)) return revision;
  fs::path ref = repo_dir() / "refs" / revision;
  std::error_code ec;
  if (!fs::is_regular_file(ref, ec)) return std::nullopt;
  std::ifstream in(ref, std::ios::binary);
  if (!in) throw IoError(ref.string() + ": cannot read");
  std::string commit = trim(std::string(std::istreambuf_iterator<char>(in), {}));
  if (!is_commit_hash(commit)) {
    throw IoError(ref.string() + ": expected a 40-hex-digit commit hash, found '" +
                  commit.substr(0, 64) + "'");
  }
  return commit;
}

void HubRepoCache::write_ref(const std::string& revision, const std::string& commit) const {
  validate_repo_file(revision);
  fs::path ref = repo_dir() / "refs" / revision;
  create_dirs(ref.parent_path());
  write_file_atomic(ref, commit);
}

void HubRepoCache::link_snapshot(const std::string& commit, const std::string& file,
                                 const std::string& etag) const {
  fs::path link = snapshot_file(commit, file);
  create_dirs(link.parent_path());
  // Relative, like huggingface_hub's, so the cache can be moved or mounted elsewhere.
  fs::path target = blob_path(etag).lexically_relative(link.parent_path());
  std::string tmp_name = link.filename().string();
  tmp_name.insert(0, 1, '.');
  tmp_name += ".tmp-" + random_suffix();
  fs::path tmp = link.parent_path() / tmp_name;
  std::error_code ec;
  fs::create_symlink(target, tmp, ec);
  if (!ec) fs::rename(tmp, link, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw IoError(link.string() + ": cannot link to " + target.string() + ": " + ec.message());
  }
}

void HubRepoCache::mark_missing(const std::string& commit, const std::string& file) const {
  fs::path marker = no_exist_marker(commit, file);
  create_dirs(marker.parent_path());
  std::ofstream out(marker, std::ios::binary | std::ios::app);
  if (!out) throw IoError(marker.string() + ": cannot create");
}

}  // namespace finsent::io
