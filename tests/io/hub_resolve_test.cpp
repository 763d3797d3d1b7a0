// resolve_model: directories as they are, ids from the cache (refs/main or the newest snapshot),
// and an error that says to run `finsent download`.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/io/hub.hpp"
#include "finsent/io/hub_cache.hpp"
#include "hub_env.hpp"
#include "io_test_util.hpp"

namespace fs = std::filesystem;
using finsent::io::HubRepoCache;
using finsent::io::resolve_model;
using finsent::io::testing::ScopedEnv;
using finsent::io::testing::ScratchDir;

namespace {

const std::string kOld = "1111111111111111111111111111111111111111";
const std::string kNew = "2222222222222222222222222222222222222222";

// A snapshot holding a config.json blob, as a download leaves it.
void add_snapshot(const HubRepoCache& cache, const std::string& commit) {
  fs::create_directories(cache.repo_dir() / "blobs");
  finsent::io::write_file_atomic(cache.blob_path("etag-" + commit), "{}");
  cache.link_snapshot(commit, "config.json", "etag-" + commit);
}

struct CacheEnv {
  ScratchDir dir;
  ScopedEnv cache{"HF_HUB_CACHE", dir.path().string()};
  ScopedEnv offline{"HF_HUB_OFFLINE", std::nullopt};
};

}  // namespace

TEST(HubResolve, ReturnsAnExistingPathAsItIs) {
  CacheEnv env;
  EXPECT_EQ(resolve_model(env.dir.path().string()), env.dir.path());
}

TEST(HubResolve, FollowsRefsMain) {
  CacheEnv env;
  HubRepoCache cache(env.dir.path(), "acme/tiny-bert");
  add_snapshot(cache, kOld);
  add_snapshot(cache, kNew);
  cache.write_ref("main", kOld);
  fs::path dir = resolve_model("acme/tiny-bert");
  EXPECT_EQ(dir, cache.snapshot_dir(kOld));
  EXPECT_EQ(finsent::io::testing::read_bytes(dir / "config.json"), "{}");
  cache.write_ref("main", kNew);
  EXPECT_EQ(resolve_model("acme/tiny-bert"), cache.snapshot_dir(kNew));
}

TEST(HubResolve, WithoutRefsMainTakesTheNewestSnapshot) {
  CacheEnv env;
  HubRepoCache cache(env.dir.path(), "tiny-bert");  // an id without an organisation
  add_snapshot(cache, kNew);
  add_snapshot(cache, kOld);
  auto now = fs::file_time_type::clock::now();
  fs::last_write_time(cache.snapshot_dir(kNew), now);
  fs::last_write_time(cache.snapshot_dir(kOld), now - std::chrono::hours(1));
  EXPECT_EQ(cache.repo_dir(), env.dir.path() / "models--tiny-bert");
  EXPECT_EQ(resolve_model("tiny-bert"), cache.snapshot_dir(kNew));
}

TEST(HubResolve, ARefToAMissingSnapshotIsNotFound) {
  CacheEnv env;
  HubRepoCache cache(env.dir.path(), "acme/tiny-bert");
  cache.write_ref("main", kOld);
  EXPECT_THROW(resolve_model("acme/tiny-bert"), finsent::ConfigError);
}

TEST(HubResolve, SaysToRunFinsentDownload) {
  CacheEnv env;
  try {
    resolve_model("acme/absent");
    FAIL();
  } catch (const finsent::ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("run `finsent download acme/absent`"), std::string::npos) << msg;
    EXPECT_NE(msg.find(env.dir.path().string()), std::string::npos) << msg;
  }
  try {
    resolve_model("no/such/dir");
    FAIL();
  } catch (const finsent::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("neither an existing directory"), std::string::npos)
        << e.what();
  }
}

TEST(HubResolve, OfflineModeChangesTheAdviceOnly) {
  CacheEnv env;
  ScopedEnv offline("HF_HUB_OFFLINE", "1");
  HubRepoCache cache(env.dir.path(), "acme/tiny-bert");
  add_snapshot(cache, kOld);
  cache.write_ref("main", kOld);
  EXPECT_EQ(resolve_model("acme/tiny-bert"), cache.snapshot_dir(kOld));
  try {
    resolve_model("acme/absent");
    FAIL();
  } catch (const finsent::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("HF_HUB_OFFLINE is set"), std::string::npos) << e.what();
  }
}
