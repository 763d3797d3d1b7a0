// download_model against a fake Hub on 127.0.0.1: cache layout, idempotence, resume, sha256,
// auth, weight fallbacks, includes, errors, offline mode.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/io/hub.hpp"
#include "finsent/io/hub_cache.hpp"
#include "finsent/io/hub_sha256.hpp"
#include "hub_fake_server.hpp"
#include "io_test_util.hpp"

namespace fs = std::filesystem;
using finsent::io::DownloadedFile;
using finsent::io::DownloadOptions;
using finsent::io::DownloadResult;
using finsent::io::HubRepoCache;
using finsent::io::testing::FakeHub;
using finsent::io::testing::read_bytes;
using finsent::io::testing::ScratchDir;

namespace {

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen() & 0xFF);
  return s;
}

const std::string kConfig = R"({"model_type": "bert", "hidden_size": 8})";
const std::string kWeights = random_bytes(300000, 7);

// A small BERT-like repository: config, two tokenizer files, one LFS safetensors file.
void add_model(FakeHub& hub) {
  hub.add("config.json", kConfig);
  hub.add("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n");
  hub.add("tokenizer_config.json", R"({"do_lower_case": true})");
  hub.add("model.safetensors", kWeights, /*lfs=*/true);
}

DownloadOptions options_for(const FakeHub& hub, const ScratchDir& cache) {
  DownloadOptions o;
  o.endpoint = hub.endpoint();
  o.cache_dir = cache.path();
  o.token = "";  // never pick up a real token from the environment
  o.offline = false;
  o.connect_timeout_s = 5;
  o.stall_timeout_s = 10;
  return o;
}

const DownloadedFile& file_named(const DownloadResult& r, const std::string& name) {
  auto it = std::find_if(r.files.begin(), r.files.end(),
                         [&](const DownloadedFile& f) { return f.name == name; });
  if (it == r.files.end()) throw std::runtime_error("no file " + name + " in the result");
  return *it;
}

bool has_file(const DownloadResult& r, const std::string& name) {
  return std::any_of(r.files.begin(), r.files.end(),
                     [&](const DownloadedFile& f) { return f.name == name; });
}

std::vector<std::string> blob_names(const HubRepoCache& cache) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(cache.repo_dir() / "blobs", ec)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST(HubDownload, WritesTheHuggingFaceCacheLayout) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  HubRepoCache layout(cache.path(), hub.repo_id());

  EXPECT_EQ(r.commit, hub.commit());
  EXPECT_EQ(layout.repo_dir(), cache.path() / "models--acme--tiny-bert");
  EXPECT_EQ(r.snapshot, layout.repo_dir() / "snapshots" / hub.commit());
  EXPECT_EQ(read_bytes(layout.repo_dir() / "refs" / "main"), hub.commit());  // no newline

  const std::string sha = finsent::io::sha256_hex(kWeights);
  const DownloadedFile& weights = file_named(r, "model.safetensors");
  EXPECT_EQ(weights.etag, sha);
  EXPECT_EQ(weights.size, kWeights.size());
  EXPECT_EQ(weights.status, DownloadedFile::Status::Downloaded);
  EXPECT_EQ(weights.transferred, kWeights.size());
  EXPECT_TRUE(fs::is_symlink(weights.path));
  EXPECT_EQ(fs::read_symlink(weights.path), fs::path("../../blobs") / sha);  // relative
  EXPECT_EQ(read_bytes(weights.path), kWeights);
  EXPECT_EQ(read_bytes(r.snapshot / "config.json"), kConfig);
  EXPECT_TRUE(fs::is_symlink(r.snapshot / "config.json"));
  EXPECT_TRUE(fs::exists(r.snapshot / "vocab.txt"));
  EXPECT_TRUE(fs::exists(r.snapshot / "tokenizer_config.json"));

  // Absent optional files are reported and remembered as huggingface_hub does.
  EXPECT_EQ(r.absent, (std::vector<std::string>{"tokenizer.json", "special_tokens_map.json"}));
  EXPECT_TRUE(fs::exists(layout.repo_dir() / ".no_exist" / hub.commit() / "tokenizer.json"));
  // Four blobs, none left incomplete.
  auto blobs = blob_names(layout);
  EXPECT_EQ(blobs.size(), 4u);
  for (const auto& b : blobs) EXPECT_EQ(b.find(".incomplete"), std::string::npos) << b;
  EXPECT_EQ(r.transferred, kWeights.size() + kConfig.size() + 35 + 23);
}

TEST(HubDownload, FollowsTheHubsProtocol) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  auto log = hub.requests();
  ASSERT_FALSE(log.empty());
  // The revision is resolved once; every later request names the commit.
  EXPECT_EQ(log[0].method, "HEAD");
  EXPECT_EQ(log[0].path, "/acme/tiny-bert/resolve/main/config.json");
  for (size_t i = 1; i < log.size(); ++i) {
    if (log[i].server == "hub") {
      EXPECT_NE(log[i].path.find("/resolve/" + hub.commit() + "/"), std::string::npos)
          << log[i].path;
    }
  }
  // The LFS file: HEAD on the Hub (not followed), one GET straight to the CDN.
  EXPECT_EQ(hub.count("GET", "cdn"), 1u);
  EXPECT_EQ(hub.count("HEAD", "cdn"), 0u);
  // 3 small files fetched by GET on the Hub; 6 HEADs (config, 4 tokenizer files, weights).
  EXPECT_EQ(hub.count("GET", "hub"), 3u);
  EXPECT_EQ(hub.count("HEAD", "hub"), 6u);
}

TEST(HubDownload, SecondRunDownloadsNothing) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  hub.clear_log();
  DownloadResult again = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  EXPECT_EQ(hub.count("GET"), 0u);
  EXPECT_EQ(again.transferred, 0u);
  for (const auto& f : again.files) {
    EXPECT_EQ(f.status, DownloadedFile::Status::Cached) << f.name;
  }
  EXPECT_EQ(read_bytes(again.snapshot / "model.safetensors"), kWeights);
}

TEST(HubDownload, ANewCommitReusesUnchangedBlobs) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  const std::string next = "89abcdef0123456789abcdef0123456789abcdef";
  hub.set_commit(next);
  hub.add("config.json", R"({"model_type": "bert", "hidden_size": 16})");
  hub.clear_log();
  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  EXPECT_EQ(r.commit, next);
  HubRepoCache layout(cache.path(), hub.repo_id());
  EXPECT_EQ(read_bytes(layout.repo_dir() / "refs" / "main"), next);
  EXPECT_EQ(hub.count("GET"), 1u);  // only the changed config.json
  EXPECT_EQ(file_named(r, "model.safetensors").status, DownloadedFile::Status::Cached);
  EXPECT_TRUE(fs::exists(layout.snapshot_file(hub.commit(), "model.safetensors")));
  EXPECT_TRUE(
      fs::exists(layout.snapshot_file("0123456789abcdef0123456789abcdef01234567", "config.json")));
}

TEST(HubDownload, FollowsARenamedRepositorysSameHostRedirect) {
  FakeHub hub;
  add_model(hub);
  hub.rename_from("acme/old-name");
  ScratchDir cache;
  DownloadResult r = finsent::io::download_model("acme/old-name", options_for(hub, cache));
  // Stored under the id asked for, as huggingface_hub does.
  EXPECT_EQ(r.snapshot, cache.path() / "models--acme--old-name" / "snapshots" / hub.commit());
  EXPECT_EQ(read_bytes(r.snapshot / "model.safetensors"), kWeights);
  EXPECT_EQ(hub.count("GET", "cdn"), 1u);
}

TEST(HubDownload, ResumesATruncatedIncompleteBlob) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  HubRepoCache layout(cache.path(), hub.repo_id());
  const std::string sha = finsent::io::sha256_hex(kWeights);
  fs::create_directories(layout.repo_dir() / "blobs");
  finsent::io::write_file_atomic(layout.incomplete_path(sha), kWeights.substr(0, 123457));

  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  const DownloadedFile& weights = file_named(r, "model.safetensors");
  EXPECT_EQ(weights.status, DownloadedFile::Status::Resumed);
  EXPECT_EQ(weights.transferred, kWeights.size() - 123457);
  EXPECT_EQ(read_bytes(weights.path), kWeights);
  EXPECT_FALSE(fs::exists(layout.incomplete_path(sha)));
  bool ranged = false;
  for (const auto& req : hub.requests()) {
    if (req.server == "cdn" && req.method == "GET") {
      EXPECT_EQ(req.range, "bytes=123457-");
      ranged = true;
    }
  }
  EXPECT_TRUE(ranged);
}

TEST(HubDownload, ACompleteIncompleteBlobNeedsNoTransfer) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  HubRepoCache layout(cache.path(), hub.repo_id());
  const std::string sha = finsent::io::sha256_hex(kWeights);
  fs::create_directories(layout.repo_dir() / "blobs");
  finsent::io::write_file_atomic(layout.incomplete_path(sha), kWeights);
  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  EXPECT_EQ(hub.count("GET", "cdn"), 0u);
  EXPECT_EQ(read_bytes(file_named(r, "model.safetensors").path), kWeights);
}

TEST(HubDownload, RejectsASha256MismatchAndLinksNothing) {
  FakeHub hub;
  add_model(hub);
  hub.corrupt_lfs(true);
  ScratchDir cache;
  HubRepoCache layout(cache.path(), hub.repo_id());
  const std::string sha = finsent::io::sha256_hex(kWeights);
  try {
    finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
    FAIL() << "a corrupted LFS file was accepted";
  } catch (const finsent::IoError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("model.safetensors: sha256 mismatch"), std::string::npos) << msg;
    EXPECT_NE(msg.find(sha), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(layout.snapshot_file(hub.commit(), "model.safetensors")));
  EXPECT_FALSE(fs::exists(layout.blob_path(sha)));
  EXPECT_FALSE(fs::exists(layout.incomplete_path(sha)));

  // Once the CDN serves the right bytes, the same cache completes.
  hub.corrupt_lfs(false);
  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  EXPECT_EQ(read_bytes(r.snapshot / "model.safetensors"), kWeights);
}

TEST(HubDownload, SendsTheTokenToTheHubOnly) {
  FakeHub hub;
  add_model(hub);
  hub.require_token("hf_test_secret");
  ScratchDir cache;
  DownloadOptions o = options_for(hub, cache);
  o.token = "hf_test_secret";
  finsent::io::download_model(hub.repo_id(), o);
  size_t hub_requests = 0, cdn_requests = 0;
  for (const auto& req : hub.requests()) {
    if (req.server == "hub") {
      EXPECT_EQ(req.authorization, "Bearer hf_test_secret") << req.path;
      ++hub_requests;
    } else {
      EXPECT_EQ(req.authorization, "") << "token leaked to the CDN: " << req.path;
      ++cdn_requests;
    }
  }
  EXPECT_GT(hub_requests, 0u);
  EXPECT_EQ(cdn_requests, 1u);
}

TEST(HubDownload, AnUnauthorizedAnswerSaysToSetHfToken) {
  FakeHub hub;
  add_model(hub);
  hub.require_token("hf_test_secret");
  ScratchDir cache;
  try {
    finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
    FAIL() << "401 not reported";
  } catch (const finsent::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("set HF_TOKEN"), std::string::npos) << e.what();
  }
  DownloadOptions o = options_for(hub, cache);
  o.token = "hf_wrong";
  try {
    finsent::io::download_model(hub.repo_id(), o);
    FAIL() << "401 not reported";
  } catch (const finsent::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("the token in HF_TOKEN cannot read"), std::string::npos)
        << e.what();
  }
}

TEST(HubDownload, DownloadsShardedSafetensors) {
  FakeHub hub;
  hub.add("config.json", kConfig);
  hub.add("vocab.txt", "[UNK]\n");
  hub.add(
      "model.safetensors.index.json",
      R"({"metadata": {"total_size": 20}, "weight_map": {"a": "model-00001-of-00002.safetensors",
              "b": "model-00002-of-00002.safetensors", "c": "model-00001-of-00002.safetensors"}})");
  hub.add("model-00001-of-00002.safetensors", random_bytes(5000, 1), true);
  hub.add("model-00002-of-00002.safetensors", random_bytes(7000, 2), true);
  ScratchDir cache;
  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  EXPECT_TRUE(has_file(r, "model.safetensors.index.json"));
  EXPECT_EQ(file_named(r, "model-00001-of-00002.safetensors").size, 5000u);
  EXPECT_EQ(file_named(r, "model-00002-of-00002.safetensors").size, 7000u);
  EXPECT_FALSE(has_file(r, "pytorch_model.bin"));
  EXPECT_EQ(hub.count("GET", "cdn"), 2u);
}

TEST(HubDownload, FallsBackToPytorchModelBin) {
  FakeHub hub;
  hub.add("config.json", kConfig);
  hub.add("pytorch_model.bin", random_bytes(4000, 3), true);
  ScratchDir cache;
  DownloadResult r = finsent::io::download_model(hub.repo_id(), options_for(hub, cache));
  EXPECT_EQ(file_named(r, "pytorch_model.bin").size, 4000u);
  EXPECT_NE(std::find(r.absent.begin(), r.absent.end(), "model.safetensors"), r.absent.end());
}

TEST(HubDownload, AModelWithoutWeightsIsAnError) {
  FakeHub hub;
  hub.add("config.json", kConfig);
  ScratchDir cache;
  EXPECT_THROW(finsent::io::download_model(hub.repo_id(), options_for(hub, cache)),
               finsent::ConfigError);
}

TEST(HubDownload, IncludesExactNamesAndPatterns) {
  FakeHub hub;
  add_model(hub);
  hub.add("1_Pooling/config.json", R"({"pooling_mode_mean_tokens": true})");
  hub.add("modules.json", "[]");
  hub.add("README.md", "# tiny");
  ScratchDir cache;
  DownloadOptions o = options_for(hub, cache);
  o.include = {"modules.json", "1_Pooling/"};
  DownloadResult r = finsent::io::download_model(hub.repo_id(), o);
  EXPECT_TRUE(has_file(r, "modules.json"));
  EXPECT_TRUE(has_file(r, "1_Pooling/config.json"));
  EXPECT_FALSE(has_file(r, "README.md"));
  EXPECT_EQ(fs::read_symlink(r.snapshot / "1_Pooling" / "config.json").parent_path(),
            fs::path("../../../blobs"));
  EXPECT_EQ(read_bytes(r.snapshot / "1_Pooling" / "config.json"),
            R"({"pooling_mode_mean_tokens": true})");

  o.include = {"*.md"};
  EXPECT_TRUE(has_file(finsent::io::download_model(hub.repo_id(), o), "README.md"));
  o.include = {"tokenizer.json"};  // asked for by name, but absent (already probed as optional)
  EXPECT_THROW(finsent::io::download_model(hub.repo_id(), o), finsent::ConfigError);
  o.include = {"no-such-file.txt"};
  EXPECT_THROW(finsent::io::download_model(hub.repo_id(), o), finsent::ConfigError);
  o.include = {"*.onnx"};
  EXPECT_THROW(finsent::io::download_model(hub.repo_id(), o), finsent::ConfigError);
}

TEST(HubDownload, DownloadsAnEmptyLfsFile) {
  FakeHub hub;
  add_model(hub);
  hub.add("empty.bin", "", /*lfs=*/true);
  ScratchDir cache;
  DownloadOptions o = options_for(hub, cache);
  o.include = {"empty.bin"};
  DownloadResult r = finsent::io::download_model(hub.repo_id(), o);
  EXPECT_EQ(file_named(r, "empty.bin").size, 0u);
  EXPECT_EQ(file_named(r, "empty.bin").etag, finsent::io::sha256_hex(""));
}

TEST(HubDownload, ACommitRevisionWritesNoRef) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  DownloadOptions o = options_for(hub, cache);
  o.revision = hub.commit();
  DownloadResult r = finsent::io::download_model(hub.repo_id(), o);
  EXPECT_EQ(r.commit, hub.commit());
  HubRepoCache layout(cache.path(), hub.repo_id());
  EXPECT_FALSE(fs::exists(layout.repo_dir() / "refs"));
  EXPECT_EQ(read_bytes(r.snapshot / "config.json"), kConfig);
}

TEST(HubDownload, ReportsUnknownModelsAndRevisions) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  try {
    finsent::io::download_model("acme/nope", options_for(hub, cache));
    FAIL();
  } catch (const finsent::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("model 'acme/nope' not found"), std::string::npos)
        << e.what();
  }
  DownloadOptions o = options_for(hub, cache);
  o.revision = "v9";
  try {
    finsent::io::download_model(hub.repo_id(), o);
    FAIL();
  } catch (const finsent::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("revision 'v9' not found"), std::string::npos) << e.what();
  }
  EXPECT_THROW(finsent::io::download_model("../etc", options_for(hub, cache)), finsent::InputError);
}

TEST(HubDownload, ANetworkFailureIsOneLineIoError) {
  // A port that was free a moment ago and now has nothing listening.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  ScratchDir cache;
  DownloadOptions o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port);
  o.cache_dir = cache.path();
  o.token = "";
  o.offline = false;
  o.connect_timeout_s = 5;
  o.stall_timeout_s = 5;
  try {
    finsent::io::download_model("acme/tiny-bert", o);
    FAIL() << "no error for a closed port";
  } catch (const finsent::IoError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("HEAD http://127.0.0.1:", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(HubDownload, OfflineAnswersFromTheCacheWithoutRequests) {
  FakeHub hub;
  add_model(hub);
  ScratchDir cache;
  DownloadOptions o = options_for(hub, cache);
  o.offline = true;
  try {
    finsent::io::download_model(hub.repo_id(), o);
    FAIL() << "offline download of an uncached model succeeded";
  } catch (const finsent::ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("HF_HUB_OFFLINE"), std::string::npos) << msg;
    EXPECT_NE(msg.find("finsent download acme/tiny-bert"), std::string::npos) << msg;
  }
  EXPECT_TRUE(hub.requests().empty());

  o.offline = false;
  DownloadResult online = finsent::io::download_model(hub.repo_id(), o);
  hub.clear_log();
  o.offline = true;
  DownloadResult offline = finsent::io::download_model(hub.repo_id(), o);
  EXPECT_TRUE(hub.requests().empty());
  EXPECT_EQ(offline.commit, online.commit);
  EXPECT_EQ(offline.snapshot, online.snapshot);
  EXPECT_EQ(offline.files.size(), 4u);
  EXPECT_EQ(file_named(offline, "model.safetensors").etag, finsent::io::sha256_hex(kWeights));
}
