// The cache layout helpers: where the cache is, id validation, refs, snapshot links, offline flag.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/io/hub_cache.hpp"
#include "hub_env.hpp"
#include "io_test_util.hpp"

namespace fs = std::filesystem;
using finsent::io::HubRepoCache;
using finsent::io::testing::ScopedEnv;
using finsent::io::testing::ScratchDir;

TEST(HubCache, CacheDirFollowsHuggingfaceHubPrecedence) {
  ScopedEnv a("HF_HUB_CACHE", std::nullopt), b("HUGGINGFACE_HUB_CACHE", std::nullopt),
      c("HF_HOME", std::nullopt), d("XDG_CACHE_HOME", std::nullopt), e("HOME", "/home/u");
  EXPECT_EQ(finsent::io::hub_cache_dir(), fs::path("/home/u/.cache/huggingface/hub"));
  ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
  EXPECT_EQ(finsent::io::hub_cache_dir(), fs::path("/xdg/huggingface/hub"));
  ScopedEnv home("HF_HOME", "/hf");
  EXPECT_EQ(finsent::io::hub_cache_dir(), fs::path("/hf/hub"));
  ScopedEnv legacy("HUGGINGFACE_HUB_CACHE", "/legacy");
  EXPECT_EQ(finsent::io::hub_cache_dir(), fs::path("/legacy"));
  ScopedEnv hub("HF_HUB_CACHE", "/cache");
  EXPECT_EQ(finsent::io::hub_cache_dir(), fs::path("/cache"));
}

TEST(HubCache, OfflineFlagReadsLikeHuggingfaceHub) {
  for (const char* on : {"1", "true", "YES", "On"}) {
    ScopedEnv env("HF_HUB_OFFLINE", on);
    EXPECT_TRUE(finsent::io::hub_offline()) << on;
  }
  for (const char* off : {"0", "", "false", "no"}) {
    ScopedEnv env("HF_HUB_OFFLINE", off);
    EXPECT_FALSE(finsent::io::hub_offline()) << off;
  }
}

TEST(HubCache, ValidatesModelIds) {
  for (const char* ok : {"bert-base-uncased", "ProsusAI/finbert",
                         "sentence-transformers/all-MiniLM-L6-v2", "a_b/c.d"}) {
    EXPECT_NO_THROW(finsent::io::validate_repo_id(ok)) << ok;
  }
  for (const char* bad :
       {"", "a/b/c", "/abs", "org/", "../x", "a--b", "a..b", "-x", "x.", "sp ace", "a/b?c"}) {
    EXPECT_THROW(finsent::io::validate_repo_id(bad), finsent::InputError) << bad;
  }
}

TEST(HubCache, CommitHashesAreFortyLowercaseHexDigits) {
  EXPECT_TRUE(finsent::io::is_commit_hash("0123456789abcdef0123456789abcdef01234567"));
  EXPECT_FALSE(finsent::io::is_commit_hash("0123456789ABCDEF0123456789abcdef01234567"));
  EXPECT_FALSE(finsent::io::is_commit_hash("main"));
  EXPECT_FALSE(finsent::io::is_commit_hash("0123456789abcdef0123456789abcdef0123456"));
}

TEST(HubCache, RefsRoundTripAndMalformedRefsAreErrors) {
  ScratchDir dir;
  HubRepoCache cache(dir.path(), "org/name");
  EXPECT_EQ(cache.repo_dir(), dir.path() / "models--org--name");
  EXPECT_EQ(cache.resolve_revision("main"), std::nullopt);
  const std::string commit = "0123456789abcdef0123456789abcdef01234567";
  EXPECT_EQ(cache.resolve_revision(commit), commit);
  cache.write_ref("main", commit);
  EXPECT_EQ(cache.resolve_revision("main"), commit);
  cache.write_ref("refs/pr/1", commit);  // huggingface_hub nests PR refs the same way
  EXPECT_EQ(finsent::io::testing::read_bytes(cache.repo_dir() / "refs" / "refs" / "pr" / "1"),
            commit);
  finsent::io::write_file_atomic(cache.repo_dir() / "refs" / "v1", "not a hash\n");
  EXPECT_THROW(cache.resolve_revision("v1"), finsent::IoError);
  EXPECT_THROW(cache.write_ref("../escape", commit), finsent::InputError);
}

TEST(HubCache, SnapshotLinksAreRelativeAndReplaceable) {
  ScratchDir dir;
  HubRepoCache cache(dir.path(), "org/name");
  const std::string commit = "0123456789abcdef0123456789abcdef01234567";
  fs::create_directories(cache.repo_dir() / "blobs");
  finsent::io::write_file_atomic(cache.blob_path("e1"), "one");
  finsent::io::write_file_atomic(cache.blob_path("e2"), "two");
  cache.link_snapshot(commit, "sub/dir/file.txt", "e1");
  fs::path link = cache.snapshot_file(commit, "sub/dir/file.txt");
  EXPECT_EQ(fs::read_symlink(link), fs::path("../../../../blobs/e1"));
  EXPECT_EQ(finsent::io::testing::read_bytes(link), "one");
  cache.link_snapshot(commit, "sub/dir/file.txt", "e2");
  EXPECT_EQ(finsent::io::testing::read_bytes(link), "two");
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(link.parent_path())) entries += e.exists() ? 1 : 1;
  EXPECT_EQ(entries, 1u);  // no temporary link left behind
  EXPECT_THROW(cache.snapshot_file(commit, "../../escape"), finsent::InputError);
  EXPECT_EQ(cache.lock_path("e1"), dir.path() / ".locks" / "models--org--name" / "e1.lock");
  cache.mark_missing(commit, "tokenizer.json");
  EXPECT_TRUE(fs::exists(cache.repo_dir() / ".no_exist" / commit / "tokenizer.json"));
}
