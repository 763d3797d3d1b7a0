// The Hub's HTTP needs over libcurl: HEAD without redirects, GET to memory or resumable to a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace finsent::io::hub_detail {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string>
      headers;               // names lowercased; a repeated header keeps its last value
  std::string url;           // the URL that gave this response
  std::string redirect_url;  // absolute target of a 3xx, else empty
  std::string body;          // error bodies and get_text() bodies (capped)
  // The value of a header (name in lowercase), or "" when absent.
  std::string header(const std::string& lower_name) const;
};

// One client per download run. The bearer token is sent only to URLs with the same scheme, host
// and port as `endpoint` (a CDN the Hub redirects to gets signed URLs, not the token).
class HubHttp {
 public:
  HubHttp(std::string endpoint, std::optional<std::string> token, long connect_timeout_s,
          long stall_timeout_s);

  // HEAD with "Accept-Encoding: identity". Redirects within the same origin (a renamed repository)
  // are followed; a redirect to another host (the LFS CDN) is returned as it is, carrying the
  // file's metadata, as huggingface_hub's HEAD does.
  HttpResponse head(const std::string& url) const;
  // GET following redirects, keeping at most `max_body` bytes of the body (IoError beyond).
  HttpResponse get_text(const std::string& url, size_t max_body) const;
  // GET following redirects, asking for bytes from `offset` on (a Range request when offset > 0).
  // A 206 answer is appended to `file` after checking its Content-Range starts at `offset`; a 200
  // answer replaces the file's content. The file is fsync'ed. `progress(done)` gets the bytes the
  // file holds so far. Non-2xx responses leave the file untouched and are returned.
  HttpResponse get_to_file(const std::string& url, const std::filesystem::path& file,
                           uint64_t offset, const std::function<void(uint64_t)>& progress) const;

 private:
  struct Sink;
  HttpResponse perform(const std::string& method, const std::string& url, uint64_t offset,
                       Sink& sink) const;
  HttpResponse follow(const std::string& method, const std::string& url, uint64_t offset,
                      Sink& sink, bool same_origin_only) const;

  std::string endpoint_origin_;
  std::optional<std::string> token_;
  long connect_timeout_s_, stall_timeout_s_;
};

// "scheme://host:port" of an absolute URL (default ports made explicit), or "" if unparsable.
std::string url_origin(const std::string& url);
// Percent-encodes everything but unreserved characters, and '/' when `keep_slash`.
std::string url_quote(const std::string& s, bool keep_slash);

}  // namespace finsent::io::hub_detail
