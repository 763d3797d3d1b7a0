#!/usr/bin/env python3
"""A local stand-in for the Hugging Face Hub, for trying `finsent download` (and huggingface_hub)
without network access: serves one model directory under the Hub's URL scheme.

    python3 tools/hub_fake_server.py --repo-id sentence-transformers/all-MiniLM-L6-v2 \
        --dir models/all-MiniLM-L6-v2 --port 8765
    HF_ENDPOINT=http://127.0.0.1:8765 build/finsent download sentence-transformers/all-MiniLM-L6-v2

GET/HEAD /{repo_id}/resolve/{main|commit}/{file}: X-Repo-Commit, ETag; weights (*.safetensors,
*.bin) answer like LFS files: 302 to http://localhost:PORT/cdn/<sha256> (another host name) with X-Linked-Etag (sha256) and X-Linked-Size.
/cdn/<sha256> serves bytes with Range support. /api/models/{repo_id}/revision/{rev} lists files.
Standard library only; used by docs/hub.md, never by the test suite (which has its own C++ server).
"""
import argparse
import hashlib
import http.server
import json
import os
import re
import urllib.parse

LFS_SUFFIXES = (".safetensors", ".bin", ".h5", ".onnx", ".msgpack")


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo-id", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--commit", default="c0ffee" + "0" * 34)
    args = ap.parse_args()

    files = {}
    for root, _, names in os.walk(args.dir):
        for n in names:
            path = os.path.join(root, n)
            rel = os.path.relpath(path, args.dir).replace(os.sep, "/")
            data = open(path, "rb").read()
            files[rel] = {"data": data, "lfs": rel.endswith(LFS_SUFFIXES),
                          "sha256": hashlib.sha256(data).hexdigest()}
    by_sha = {f["sha256"]: f for f in files.values() if f["lfs"]}
    resolve = re.compile(r"^/" + re.escape(args.repo_id) + r"/resolve/([^/]+)/(.+)$")
    listing = re.compile(r"^/api/models/" + re.escape(args.repo_id) + r"/revision/([^/]+)$")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def send(self, status, headers, body=b""):
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", headers.get("Content-Length", str(len(body))))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def body_with_range(self, data, headers):
            m = re.match(r"bytes=(\d+)-$", self.headers.get("Range", ""))
            if not m:
                return self.send(200, headers, data)
            start = int(m.group(1))
            if start >= len(data):
                return self.send(416, {"Content-Range": "bytes */%d" % len(data)})
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, len(data) - 1, len(data))
            self.send(206, headers, data[start:])

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            if path.startswith("/cdn/"):
                f = by_sha.get(path[5:])
                if f is None:
                    return self.send(404, {})
                return self.body_with_range(f["data"], {"ETag": '"%s"' % f["sha256"]})
            m = listing.match(path)
            if m:
                body = json.dumps({"sha": args.commit,
                                   "siblings": [{"rfilename": n} for n in sorted(files)]}).encode()
                return self.send(200, {"Content-Type": "application/json"}, body)
            m = resolve.match(path)
            if not m:
                return self.send(401, {"X-Error-Code": "RepoNotFound"})
            rev, name = m.groups()
            if rev not in ("main", args.commit):
                return self.send(404, {"X-Error-Code": "RevisionNotFound"})
            headers = {"X-Repo-Commit": args.commit}
            f = files.get(name)
            if f is None:
                headers["X-Error-Code"] = "EntryNotFound"
                return self.send(404, headers)
            if f["lfs"]:
                headers.update({"ETag": '"%s"' % git_blob_sha1(f["sha256"].encode()),
                                "X-Linked-Etag": '"%s"' % f["sha256"],
                                "X-Linked-Size": str(len(f["data"]))})
                # Another host name for the same server: clients must treat it as a CDN (stop the
                # HEAD there, withhold the token), as they do for the Hub's LFS storage.
                headers["Location"] = "http://localhost:%d/cdn/%s" % (args.port, f["sha256"])
                return self.send(302, headers)
            headers["ETag"] = '"%s"' % git_blob_sha1(f["data"])
            self.body_with_range(f["data"], headers)

        def log_message(self, fmt, *a):
            print("%s %s" % (self.command, self.path), flush=True)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("serving %s (%d files) at http://127.0.0.1:%d" % (args.repo_id, len(files), args.port),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
