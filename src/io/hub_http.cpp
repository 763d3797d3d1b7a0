// libcurl transfers for the Hub client: one request per call, redirects followed by hand so the
// token can be withheld from other hosts, bodies streamed to a file with Range resumption.
#include "hub_http.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

#include "finsent/core/error.hpp"

namespace finsent::io::hub_detail {
namespace {

constexpr int kMaxRedirects = 10;
constexpr size_t kMaxErrorBody = 4096;
constexpr const char* kUserAgent = "finsent/0.1.0 (huggingface_hub-compatible cache)";

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct UrlFree {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

// Where a response body goes: to memory (capped) or, for 2xx answers of get_to_file, to a file.
struct HubHttp::Sink {
  // File mode.
  const std::filesystem::path* file = nullptr;
  uint64_t offset = 0;
  std::function<void(uint64_t)> progress;
  int fd = -1;
  uint64_t written = 0;  // body bytes written to the file in this response
  // Memory mode (and error bodies in file mode).
  size_t max_body = kMaxErrorBody;
  bool body_overflow = false;
  // Per response.
  HttpResponse* response = nullptr;
  std::string error;  // set when a callback aborts the transfer

  ~Sink() {
    if (fd >= 0) ::close(fd);
  }

  bool to_file() const {
    return file != nullptr && (response->status == 200 || response->status == 206);
  }

  // Opens the file for a 2xx answer: appends after checking Content-Range for 206, truncates
  // for 200 (the server ignored the Range, so the partial bytes are discarded).
  bool open_file() {
    bool append = response->status == 206;
    if (append) {
      std::string range = response->header("content-range");
      std::string want = "bytes " + std::to_string(offset) + "-";
      if (range.compare(0, want.size(), want) != 0) {
        error = "server answered the Range request from byte " + std::to_string(offset) +
                " with Content-Range '" + range + "'";
        return false;
      }
    } else {
      offset = 0;
    }
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    fd = ::open(file->c_str(), flags, 0644);
    if (fd < 0) {
      error = file->string() + ": cannot open: " + std::strerror(errno);
      return false;
    }
    return true;
  }

  bool write(const char* p, size_t n) {
    if (!to_file()) {
      if (response->body.size() + n > max_body) {
        body_overflow = true;
        n = max_body - response->body.size();
      }
      response->body.append(p, n);
      return !body_overflow || file != nullptr;
    }
    if (fd < 0 && !open_file()) return false;
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        error = file->string() + ": write failed: " + std::strerror(errno);
        return false;
      }
      p += w;
      n -= static_cast<size_t>(w);
      written += static_cast<uint64_t>(w);
    }
    if (progress) progress(offset + written);
    return true;
  }
};

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string url_origin(const std::string& url) {
  global_init();
  std::unique_ptr<CURLU, UrlFree> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "";
  std::string out;
  for (auto [part, sep] : {std::pair{CURLUPART_SCHEME, "://"}, std::pair{CURLUPART_HOST, ":"},
                           std::pair{CURLUPART_PORT, ""}}) {
    char* v = nullptr;
    if (curl_url_get(u.get(), part, &v, CURLU_DEFAULT_PORT) != CURLUE_OK) return "";
    out += lower(v) + sep;
    curl_free(v);
  }
  return out;
}

std::string url_quote(const std::string& s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

HubHttp::HubHttp(std::string endpoint, std::optional<std::string> token, long connect_timeout_s,
                 long stall_timeout_s)
    : endpoint_origin_(url_origin(endpoint)),
      token_(std::move(token)),
      connect_timeout_s_(connect_timeout_s),
      stall_timeout_s_(stall_timeout_s) {
  global_init();
  if (endpoint_origin_.empty()) throw ConfigError("invalid Hub endpoint URL '" + endpoint + "'");
}

HttpResponse HubHttp::perform(const std::string& method, const std::string& url, uint64_t offset,
                              Sink& sink) const {
  std::unique_ptr<CURL, EasyFree> curl(curl_easy_init());
  if (!curl) throw IoError("libcurl: cannot create a handle");
  HttpResponse response;
  response.url = url;
  sink.response = &response;
  sink.body_overflow = false;

  std::unique_ptr<curl_slist, SlistFree> headers;
  auto add_header = [&](const std::string& h) {
    curl_slist* l = curl_slist_append(headers.get(), h.c_str());
    if (!l) throw IoError("libcurl: out of memory");
    headers.release();
    headers.reset(l);
  };
  add_header("Accept-Encoding: identity");
  if (token_ && !token_->empty() && url_origin(url) == endpoint_origin_) {
    add_header("Authorization: Bearer " + *token_);
  }
  if (offset > 0) add_header("Range: bytes=" + std::to_string(offset) + "-");

  auto on_header = +[](char* p, size_t size, size_t n, void* ud) -> size_t {
    auto* s = static_cast<Sink*>(ud);
    std::string line(p, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
      s->response->headers.clear();
      size_t sp = line.find(' ');
      s->response->status = sp == std::string::npos ? 0 : std::atol(line.c_str() + sp + 1);
    } else if (size_t colon = line.find(':'); colon != std::string::npos) {
      s->response->headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    return size * n;
  };
  auto on_body = +[](char* p, size_t size, size_t n, void* ud) -> size_t {
    auto* s = static_cast<Sink*>(ud);
    return s->write(p, size * n) ? size * n : 0;
  };

  CURL* c = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, connect_timeout_s_);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, stall_timeout_s_);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string why =
        !sink.error.empty() ? sink.error : (errbuf[0] ? errbuf : curl_easy_strerror(rc));
    throw IoError(method + " " + url + ": " + why);
  }
  if (sink.body_overflow && sink.file == nullptr) {
    throw IoError(method + " " + url + ": response larger than " + std::to_string(sink.max_body) +
                  " bytes");
  }
  if (is_redirect(response.status)) {
    char* target = nullptr;
    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &target);
    if (target) response.redirect_url = target;
  }
  return response;
}

HttpResponse HubHttp::follow(const std::string& method, const std::string& url, uint64_t offset,
                             Sink& sink, bool same_origin_only) const {
  std::string current = url;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    HttpResponse r = perform(method, current, offset, sink);
    if (!is_redirect(r.status) || r.redirect_url.empty()) return r;
    if (same_origin_only && url_origin(r.redirect_url) != url_origin(current)) return r;
    current = r.redirect_url;
  }
  throw IoError(method + " " + url + ": more than " + std::to_string(kMaxRedirects) + " redirects");
}

HttpResponse HubHttp::head(const std::string& url) const {
  Sink sink;
  return follow("HEAD", url, 0, sink, /*same_origin_only=*/true);
}

HttpResponse HubHttp::get_text(const std::string& url, size_t max_body) const {
  Sink sink;
  sink.max_body = max_body;
  return follow("GET", url, 0, sink, /*same_origin_only=*/false);
}

HttpResponse HubHttp::get_to_file(const std::string& url, const std::filesystem::path& file,
                                  uint64_t offset,
                                  const std::function<void(uint64_t)>& progress) const {
  Sink sink;
  sink.file = &file;
  sink.offset = offset;
  sink.progress = progress;
  HttpResponse r = follow("GET", url, offset, sink, /*same_origin_only=*/false);
  if (r.status == 200 || r.status == 206) {
    // An empty body never called the write callback: the file still has to reflect the answer.
    if (sink.fd < 0 && !sink.open_file()) throw IoError("GET " + url + ": " + sink.error);
    if (::fsync(sink.fd) != 0) {
      throw IoError(file.string() + ": fsync failed: " + std::strerror(errno));
    }
  }
  return r;
}

}  // namespace finsent::io::hub_detail
