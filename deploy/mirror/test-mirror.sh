#!/usr/bin/env bash
# Tests deploy/mirror/kohtaamo-mirror.conf for real: Debian's nginx on a loopback port with a
# temporary prefix, in front of a tiny local upstream (python3) that counts its requests, sends
# ETags, cookies and "Cache-Control: no-store" like real APIs do, answers 304 to a matching
# If-None-Match, and can be switched off.
# Only 127.0.0.1 is used; everything is removed at the end. Needs nginx(-light), curl, openssl,
# python3. Prints one line per check and "N passed, N failed".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d /tmp/kohtaamo-mirror.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- The upstream: GET /<anything> answers a JSON body with an ETag; /count?path=P says how often
# P was asked for, /count304?path=P how often it answered P with 304; POST /down makes every later
# request fail with 503.
upstream_port=$(free_port)
cat > "$work/upstream.py" <<'PY'
import hashlib, http.server, json, sys, threading, time, urllib.parse
counts, not_modified, lock, state = {}, {}, threading.Lock(), {"down": False}
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers: self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(body)
    def do_POST(self):
        state["down"] = True
        self.reply(200, b"down\n")
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/count", "/count304"):
            path = urllib.parse.parse_qs(url.query)["path"][0]
            with lock: n = (counts if url.path == "/count" else not_modified).get(path, 0)
            return self.reply(200, str(n).encode())
        with lock: counts[self.path] = counts.get(self.path, 0) + 1
        if state["down"]: return self.reply(503, b"upstream down\n")
        time.sleep(0.3)   # slow enough that concurrent misses overlap
        body = json.dumps({"path": self.path, "accept_encoding": self.headers.get("Accept-Encoding", ""),
                           "items": ["x" * 64] * 64}).encode()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            with lock: not_modified[self.path] = not_modified.get(self.path, 0) + 1
            return self.reply(304, headers=[("ETag", etag)])
        self.reply(200, body, [("Content-Type", "application/json"), ("ETag", etag),
                               ("Cache-Control", "no-store"), ("Set-Cookie", "session=secret")])
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
python3 "$work/upstream.py" "$upstream_port" & pids+=($!)

# ---- The mirror: the sample config with loopback addresses, a self-signed certificate and a
# 1-second freshness for /bundle/ so that expiry and stale answers can be seen.
port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=kohtaamo-mirror.region.example" \
  -keyout "$work/mirror.key" -out "$work/mirror.pem" 2>/dev/null
mkdir -p "$work/cache" "$work/logs" "$work/tmp"
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$port ssl;|" \
    -e "/listen \[::\]:443 ssl;/d" \
    -e "s|/etc/ssl/certs/kohtaamo-mirror.pem|$work/mirror.pem|" \
    -e "s|/etc/ssl/private/kohtaamo-mirror.key|$work/mirror.key|" \
    -e "s|/var/cache/nginx/kohtaamo|$work/cache|" \
    -e "s|/var/log/nginx/|$work/logs/|" \
    -e "s|proxy_pass https://[^/]*/\(.*\);   # UPSTREAM|proxy_pass http://127.0.0.1:$upstream_port/UP\1;|" \
    -e "/location \/bundle\//,/}/s|proxy_cache_valid 200 2m;|proxy_cache_valid 200 1s;|" \
    "$here/kohtaamo-mirror.conf" > "$work/kohtaamo-mirror.conf"
# Each upstream gets its own path prefix at the test upstream: /UP<its path>.
sed -i -e "s|/UPlinkedevents/;|/linkedevents/;|" "$work/kohtaamo-mirror.conf"
cat > "$work/nginx.conf" <<EOF
$( [ "$(id -u)" -eq 0 ] && echo "user root root;" )
worker_processes 1;
error_log $work/logs/error.log warn;
pid $work/nginx.pid;
events { worker_connections 256; }
http {
    default_type application/octet-stream;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    include $work/kohtaamo-mirror.conf;
}
EOF
nginx -t -q -p "$work" -c "$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" -g "daemon off;" & pids+=($!)

# Wait for both servers (bounded).
for _ in $(seq 50); do
  curl -fsk "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$upstream_port/count?path=/" >/dev/null 2>&1 && break
  sleep 0.1
done

passed=0 failed=0
check() {   # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1)); echo "ok   $1"
  else
    failed=$((failed + 1)); echo "FAIL $1: expected '$2', got '$3'"
  fi
}
mirror() { curl -sk --max-time 10 -D "$work/headers" -o "$work/body" "$@"; }
header() { tr -d '\r' < "$work/headers" | sed -n "s/^$1: //Ip" | tail -n 1; }
status() { tr -d '\r' < "$work/headers" | awk 'NR==1 {print $2}'; }
upstream_count() { curl -s "http://127.0.0.1:$upstream_port/count?path=$1"; }
upstream_304s() { curl -s "http://127.0.0.1:$upstream_port/count304?path=$1"; }
base="https://127.0.0.1:$port"

mirror "$base/healthz"
check "health endpoint answers" 200 "$(status)"

mirror "$base/ptv/api/v11/Service/list/area/Municipality/code/905"
check "first request is a MISS" MISS "$(header X-Cache-Status)"
check "body comes from the PTV upstream" 1 "$(grep -c '"/UPapi/v11/Service' "$work/body")"
check "upstream is asked for identity, not gzip" 1 "$(grep -c '"accept_encoding": ""' "$work/body")"
check "upstream's cookie is not passed on" "" "$(header Set-Cookie)"
etag=$(header ETag)

mirror "$base/ptv/api/v11/Service/list/area/Municipality/code/905"
check "second request is a HIT despite Cache-Control: no-store and Set-Cookie" HIT "$(header X-Cache-Status)"
check "upstream saw one request for two kiosks" 1 "$(upstream_count /UPapi/v11/Service/list/area/Municipality/code/905)"

mirror -H "If-None-Match: $etag" "$base/ptv/api/v11/Service/list/area/Municipality/code/905"
check "a kiosk's ETag gets 304 from the cache" 304 "$(status)"

mirror -H "Accept-Encoding: gzip" "$base/ptv/api/v11/Service/list/area/Municipality/code/905"
check "answers to kiosks are gzipped" gzip "$(header Content-Encoding)"

# Twenty kiosks miss the same event list at once: one request goes upstream.
for _ in $(seq 20); do
  curl -sk --max-time 10 -o /dev/null "$base/linkedevents/v1/event/?keyword=yso:p4354" & pids+=($!)
done
wait "${pids[@]:2}" 2>/dev/null || true
pids=("${pids[@]:0:2}")
check "20 concurrent misses, 1 upstream request (proxy_cache_lock)" 1 "$(upstream_count '/linkedevents/v1/event/?keyword=yso:p4354')"

mirror "$base/bundle/jarvela.json"
check "bundle: first request is a MISS" MISS "$(header X-Cache-Status)"
sleep 2.1   # nginx counts freshness in whole seconds
mirror "$base/bundle/jarvela.json"
check "bundle: expired, the kiosk gets the cached copy at once" STALE "$(header X-Cache-Status)"
for _ in $(seq 30); do [ "$(upstream_304s /UPjarvela.json)" = 1 ] && break; sleep 0.1; done
check "bundle: refreshed behind its back with If-None-Match (upstream said 304)" 1 "$(upstream_304s /UPjarvela.json)"
mirror "$base/bundle/jarvela.json"
check "bundle: fresh again after the revalidation" HIT "$(header X-Cache-Status)"

curl -s -X POST "http://127.0.0.1:$upstream_port/down" >/dev/null
sleep 2.1   # nginx counts freshness in whole seconds
mirror "$base/bundle/jarvela.json"
first=$(header X-Cache-Status)
check "upstream down: kiosks still get the last good bundle" 200 "$(status)"
case "$first" in STALE|UPDATING) first=STALE ;; esac
check "upstream down: answered from the stale cache" STALE "$first"

mirror "$base/nothing-here"
check "unknown paths are not proxied" 404 "$(status)"

echo "mirror: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
