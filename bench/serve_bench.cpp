// HTTP load generator for `finsent serve`: N clients in closed loops POST /predict for a fixed
// time. Prints requests/s and latency percentiles (one JSON line with --json). Not a test: see
// docs/serve.md.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Sentences in the style of the Financial PhraseBank, so token counts look like real traffic.
const char* const kSentences[] = {
    "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007.",
    "The company's net sales decreased by 5 % and its operating loss widened.",
    "The annual general meeting will be held in Helsinki on 23 March.",
    "Finnish Talentum reports its operating profit increased to EUR 20.5 mn in 2005.",
    "Pretax loss totalled EUR 117mn compared to a loss of EUR 65mn in the corresponding period.",
    "The contract includes design, construction and maintenance of the new facility.",
    "Sales in Finland decreased by 10.5 % in January, while sales outside Finland dropped by 17 %.",
    "The agreement strengthens our long-term partnership with the customer."};

struct Args {
  std::string host = "127.0.0.1";
  int port = 8080;
  int clients = 1;
  double seconds = 10;
  bool json = false;
};

int usage() {
  std::fprintf(stderr,
               "usage: serve_bench [--host H] [--port P] [--clients N] [--seconds S] [--json]\n");
  return 2;
}

double percentile(std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const size_t i = std::min(sorted.size() - 1, static_cast<size_t>(q * (sorted.size() - 1) + 0.5));
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (k == "--json") {
      a.json = true;
    } else if ((k == "--host") && (v = next())) {
      a.host = v;
    } else if (k == "--port" && (v = next())) {
      a.port = std::atoi(v);
    } else if (k == "--clients" && (v = next())) {
      a.clients = std::max(1, std::atoi(v));
    } else if (k == "--seconds" && (v = next())) {
      a.seconds = std::atof(v);
    } else {
      return usage();
    }
  }

  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::atomic<long> errors{0};
  const auto start = Clock::now();
  const auto stop_at = start + std::chrono::duration<double>(a.seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < a.clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client client(a.host, a.port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);  // as curl and Python's http clients do
      client.set_read_timeout(60, 0);
      std::vector<double> mine;
      for (size_t n = c; Clock::now() < stop_at; ++n) {
        const std::string body =
            std::string(R"({"inputs": ")") + kSentences[n % std::size(kSentences)] + "\"}";
        const auto t0 = Clock::now();
        auto res = client.Post("/predict", body, "application/json");
        const auto t1 = Clock::now();
        if (!res || res->status != 200) {
          ++errors;
          continue;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      std::lock_guard lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double rps = latencies_ms.size() / elapsed;
  const double p50 = percentile(latencies_ms, 0.50), p99 = percentile(latencies_ms, 0.99);
  if (a.json) {
    std::printf(
        "{\"clients\": %d, \"requests\": %zu, \"errors\": %ld, \"seconds\": %.2f, "
        "\"requests_per_s\": %.1f, \"p50_ms\": %.2f, \"p99_ms\": %.2f}\n",
        a.clients, latencies_ms.size(), errors.load(), elapsed, rps, p50, p99);
  } else {
    std::printf("clients %3d  requests %7zu  errors %ld  req/s %8.1f  p50 %7.2f ms  p99 %7.2f ms\n",
                a.clients, latencies_ms.size(), errors.load(), rps, p50, p99);
  }
  return errors.load() == 0 ? 0 : 1;
}
