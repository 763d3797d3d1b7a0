// The built `finsent` binary: `predict` output and streaming, `serve` startup and SIGTERM shutdown.
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "finsent/models/text_classifier.hpp"
#include "raw_client.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kModel = std::string(FINSENT_FIXTURES_DIR) + "/models/tiny-bert";

struct RunResult {
  int code = -1;
  std::string out;
};

// Runs a shell command line; returns its exit code and stdout.
RunResult shell(const std::string& command) {
  RunResult r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string predict(const std::string& args) {
  return std::string(FINSENT_BINARY) + " predict --model " + kModel + " " + args;
}

TEST(PredictCli, JsonLinesMatchThePipeline) {
  const RunResult r = shell(predict("--json 'profit rose' 'sales fell in finland'"));
  ASSERT_EQ(r.code, 0) << r.out;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  auto classifier = finsent::models::TextClassifier::load(kModel);
  const auto expected = classifier.predict({"profit rose", "sales fell in finland"});
  for (size_t i = 0; i < 2; ++i) {
    const json j = json::parse(lines[i]);
    EXPECT_EQ(j["label"], expected[i].label);
    EXPECT_NEAR(j["score"].get<double>(), expected[i].score, 1e-6);
    for (size_t k = 0; k < classifier.labels().size(); ++k)
      EXPECT_NEAR(j["probabilities"][classifier.labels()[k]].get<double>(),
                  expected[i].probabilities[k], 1e-6);
  }
  EXPECT_EQ(json::parse(lines[1])["text"], "sales fell in finland");
}

TEST(PredictCli, TableFromStdinSkipsEmptyLinesAndCarriageReturns) {
  const RunResult r = shell("printf 'profit rose\\r\\n\\nsales fell\\n' | " + predict(""));
  ASSERT_EQ(r.code, 0) << r.out;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], "label      score   negative neutral positive  text");
  EXPECT_TRUE(lines[1].ends_with("  profit rose")) << lines[1];
  EXPECT_TRUE(lines[2].ends_with("  sales fell")) << lines[2];
}

TEST(PredictCli, FileStreamsInOrderInChunks) {
  const fs::path file = fs::temp_directory_path() / ("finsent-predict-" + std::to_string(getpid()));
  {
    std::ofstream out(file);
    for (int i = 0; i < 2500; ++i) out << "line " << i << (i % 7 ? " profit rose" : "") << "\n";
  }
  const RunResult r =
      shell(predict("--json --chunk-size 100 --batch-size 16 --file " + file.string()));
  fs::remove(file);
  ASSERT_EQ(r.code, 0);
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2500u);
  for (int i = 0; i < 2500; i += 499) {
    const std::string text = "line " + std::to_string(i) + (i % 7 ? " profit rose" : "");
    EXPECT_EQ(json::parse(lines[i])["text"], text);
  }
}

TEST(PredictCli, ErrorsAreOneLineAndNonZero) {
  const RunResult missing =
      shell(std::string(FINSENT_BINARY) + " predict --model /nonexistent/model 'x' 2>&1");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.out.rfind("finsent: error: ", 0), 0u) << missing.out;
  EXPECT_EQ(lines_of(missing.out).size(), 1u) << missing.out;
  const RunResult both = shell(predict("--file /dev/null 'x' 2>&1"));
  EXPECT_EQ(both.code, 2) << both.out;
}

TEST(PredictCli, UntrustedTextInErrorsIsEscaped) {
  // A file name holding a terminal escape sequence reaches the error message escaped.
  const RunResult r =
      shell(predict("--file \"$(printf '/nonexistent/\\033[31mred\\033[0m')\" 2>&1"));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/nonexistent/\\x1b[31mred\\x1b[0m"), std::string::npos) << r.out;
  EXPECT_EQ(lines_of(r.out).size(), 1u) << r.out;
}

// A copy of the fixture model whose weights are all NaN.
fs::path nan_model() {
  const fs::path dir =
      fs::temp_directory_path() / ("finsent-nan-model-" + std::to_string(getpid()));
  auto classifier = finsent::models::TextClassifier::load(kModel);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : classifier.model()->parameters()) p.fill_(std::nan(""));
  }
  finsent::models::save_pretrained(*classifier.model(), classifier.tokenizer(), dir);
  return dir;
}

TEST(PredictCli, NanWeightsAreAOneLineErrorNotNullScores) {
  const fs::path model = nan_model();
  const std::string bin = FINSENT_BINARY;
  const RunResult predicted =
      shell(bin + " predict --json --model " + model.string() + " 'profit rose' 2>&1");
  EXPECT_EQ(predicted.code, 1) << predicted.out;
  EXPECT_EQ(predicted.out.rfind("finsent: error: ", 0), 0u) << predicted.out;
  EXPECT_NE(predicted.out.find("non-finite logits"), std::string::npos) << predicted.out;
  EXPECT_EQ(predicted.out.find("null"), std::string::npos) << predicted.out;
  EXPECT_EQ(lines_of(predicted.out).size(), 1u) << predicted.out;

  const fs::path data = model / "data.txt";
  {
    std::ofstream out(data);
    for (int i = 0; i < 20; ++i)
      out << "sentence " << i << "@" << (i % 3 ? "positive" : "negative") << "\n";
  }
  const RunResult evaluated = shell(bin + " eval --json --model " + model.string() + " --data " +
                                    data.string() + " --format phrasebank 2>&1");
  EXPECT_EQ(evaluated.code, 1) << evaluated.out;
  EXPECT_EQ(evaluated.out.rfind("finsent: error: ", 0), 0u) << evaluated.out;
  EXPECT_NE(evaluated.out.find("non-finite logits"), std::string::npos) << evaluated.out;
  fs::remove_all(model);
}

// `finsent serve` as a child process whose stdout is a pipe.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& extra) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      std::vector<std::string> args{FINSENT_BINARY, "serve", "--model", kModel, "--port", "0"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }
  // Reads stdout until `needle` appears (or 30 s pass); returns everything read so far.
  std::string read_until(const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (text_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) break;
      text_.append(buf, static_cast<size_t>(n));
    }
    return text_;
  }
  // The port from the "serving ... on http://127.0.0.1:PORT" line.
  int port() {
    const std::string text = read_until(" (Ctrl-C");
    const size_t at = text.find("http://127.0.0.1:");
    if (at == std::string::npos) return -1;
    return std::stoi(text.substr(at + 17));
  }
  // Waits up to `seconds` for exit; returns the exit code, or -1 (still running / killed).
  int wait(int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      usleep(50000);
    }
    return -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool exited_ = false;
  std::string text_;
};

TEST(ServeCli, SigtermFinishesInFlightRequestAndExitsZero) {
  // A long batching wait keeps the request in flight while the signal arrives.
  ServeProcess server({"--max-wait-ms", "1500"});
  const int port = server.port();
  ASSERT_GT(port, 0) << "no serving line on stdout";
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  ASSERT_EQ(c.Get("/health")->status, 200);
  auto in_flight = std::async(std::launch::async, [port] {
    httplib::Client c2("127.0.0.1", port);
    c2.set_read_timeout(30, 0);
    auto res = c2.Post("/predict", R"({"inputs": "profit rose"})", "application/json");
    return res ? res->status : -1;
  });
  // Let the request reach the queue, then ask the server to stop.
  for (int i = 0; i < 100; ++i) {
    auto m = c.Get("/metrics");
    if (m && m->body.find("finsent_queue_size 1\n") != std::string::npos) break;
    usleep(10000);
  }
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_EQ(in_flight.get(), 200);
  EXPECT_EQ(server.wait(20), 0);
  EXPECT_NE(server.read_until("finsent: stopped").find("finsent: stopped"), std::string::npos);
  // The port is closed afterwards.
  httplib::Client after("127.0.0.1", port);
  after.set_connection_timeout(1, 0);
  EXPECT_FALSE(after.Get("/health"));
}

TEST(ServeCli, SigintExitsZero) {
  ServeProcess server({});
  const int port = server.port();
  ASSERT_GT(port, 0);
  httplib::Client c("127.0.0.1", port);
  ASSERT_EQ(c.Post("/predict", R"({"inputs": ["a", "b"]})", "application/json")->status, 200);
  ASSERT_EQ(kill(server.pid(), SIGINT), 0);
  EXPECT_EQ(server.wait(20), 0);
}

TEST(ServeCli, BadPortIsAnError) {
  const RunResult r = shell(std::string(FINSENT_BINARY) + " serve --model " + kModel +
                            " --host 203.0.113.1 --port 9 2>&1");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("finsent: error: cannot listen on 203.0.113.1:9"), std::string::npos)
      << r.out;
}

// A field of /proc/PID/status in KiB (VmRSS, VmHWM), or -1.
long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

TEST(ServeCli, ChunkedUploadPastThePayloadLimitIs413WithBoundedMemory) {
  ServeProcess server({});  // --payload-limit 2MB
  const int port = server.port();
  ASSERT_GT(port, 0);
  const long rss_before = status_kib(server.pid(), "VmRSS");
  finsent::serve::testing::RawClient client(port);
  ASSERT_TRUE(
      client.send_all("POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  // Offers 400 MB in 64 KiB chunks; stops once the server answers or closes.
  const std::string piece = "10000\r\n" + std::string(65536, 'a') + "\r\n";
  size_t sent = 0;
  while (sent < (400u << 20) && !client.readable(0) && client.send_all(piece)) sent += piece.size();
  EXPECT_EQ(client.status(5000), 413);
  const long peak = status_kib(server.pid(), "VmHWM");
  std::cout << "chunked attack: sent " << sent / 1024 << " KiB, server RSS before " << rss_before
            << " KiB, peak " << peak << " KiB\n";
  EXPECT_LT(sent, 64u << 20);
  EXPECT_LT(peak - rss_before, 64 * 1024) << "the server buffered the body";
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_EQ(server.wait(20), 0);
}

TEST(ServeCli, SigtermUnderLoadAnswersEveryAcceptedRequest) {
  // More clients than connection threads and than --max-connections; the batching wait keeps
  // requests in flight when the signal arrives.
  ServeProcess server({"--http-threads", "2", "--max-connections", "24", "--max-wait-ms", "300"});
  const int port = server.port();
  ASSERT_GT(port, 0);
  constexpr int kClients = 64;
  std::vector<std::unique_ptr<finsent::serve::testing::RawClient>> clients;
  const std::string request =
      "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 25\r\n\r\n{\"inputs\": \"profit rose\"}";
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<finsent::serve::testing::RawClient>(port));
    ASSERT_TRUE(clients.back()->send_all(request));
  }
  usleep(100000);
  const auto signalled = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  std::vector<std::future<int>> statuses;
  for (auto& c : clients)
    statuses.push_back(std::async(std::launch::async, [&c] { return c->status(15000); }));
  std::map<int, int> counts;
  for (auto& s : statuses) ++counts[s.get()];
  EXPECT_EQ(server.wait(20), 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  std::cout << "SIGTERM under load (" << kClients << " clients):";
  for (auto [status, n] : counts) std::cout << " " << n << " x " << status;
  std::cout << ", exit after " << seconds << " s\n";
  EXPECT_EQ(counts.count(0), 0u) << counts[0] << " clients got no answer";
  for (auto [status, n] : counts) EXPECT_TRUE(status == 200 || status == 503) << status;
  EXPECT_LT(seconds, 12.0);  // the default --drain-timeout is 10 s; this load needs far less
}

TEST(ServeCli, SlowClientCannotHoldTheExitPastTheDrainTimeout) {
  ServeProcess server({"--drain-timeout", "1", "--request-timeout", "60"});
  const int port = server.port();
  ASSERT_GT(port, 0);
  finsent::serve::testing::RawClient slow(port);
  ASSERT_TRUE(slow.send_all("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"));
  usleep(200000);
  const auto signalled = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_EQ(server.wait(20), 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_GT(seconds, 0.8);  // it waited for the client ...
  EXPECT_LT(seconds, 4.0);  // ... but not past --drain-timeout 1 (plus shutdown)
  EXPECT_TRUE(slow.closed_by_server(1000));
}

}  // namespace
