#!/usr/bin/env bash
# deploy-check: the Debian package on a clean Debian 12, as IT would install it (`./dev deploy-check`).
#
#   deploy-check.sh PACKAGE.deb CACHE_DIR
#
# 1. A clean Debian 12 (bookworm) minbase root from debootstrap, cached in CACHE_DIR as a tarball
#    (and apt's lists and downloads beside it), so a second run takes no download.
# 2. apt installs the .deb there, so its Depends must resolve from Debian alone; cage too, for the
#    fallback unit. The maintainer scripts must create the user, the state directory, the config's
#    permissions and enable the service.
# 3. systemd-analyze verify on every unit, and the kiosk service's `systemd-analyze security` score.
# 4. The installed binary, as the kohtaamo user, headless (SDL's offscreen driver): the shipped config
#    parses without a problem; --sync-once of the bundled demo source; --status; --print-home;
#    --screenshot (copied to CACHE_DIR/installed-home.png); service mode for one frame with a systemd
#    notify socket (READY=1, WATCHDOG=1, kohtaamo.prom written); --sync-once against a loopback
#    HTTP server serving a bundle, twice (the second must be "not modified" or "unchanged");
#    the kiosk on a damaged cache (moved aside, a fresh one synced).
# 5. apply-site-config with a Windows-edited site file; a reinstall that keeps `systemctl disable`.
# 6. remove keeps the config and the cache; purge leaves no file of the package behind.
# 7. The regional mirror's nginx config (deploy/mirror/test-mirror.sh).
# Needs root (chroot, mounts), debootstrap, python3, curl, nginx, openssl. Network: Debian's mirror
# for the first run (KOHTAAMO_DEBIAN_MIRROR overrides the one in /etc/apt) and 127.0.0.1.
set -euo pipefail

deb=$(realpath "$1")
cache=$(mkdir -p "$2" && realpath "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_root=$(cd "$here/../.." && pwd)
rootfs="$cache/root"
base="$cache/bookworm-minbase.tar.gz"
started=$(date +%s)
package=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)

[ "$(id -u)" -eq 0 ] || { echo "deploy-check: needs root (chroot and mounts)" >&2; exit 1; }

log() { printf '\033[1m==> [%3ss] %s\033[0m\n' "$(($(date +%s) - started))" "$*" >&2; }
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
check() {   # check NAME COMMAND…: passes when the command succeeds
  local name=$1; shift
  if "$@" >"$cache/last.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/     /' "$cache/last.out" | tail -n 20; fi
}
in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# As the service runs it: the kohtaamo user, umask 0027, headless SDL.
as_kiosk() {
  in_root /usr/sbin/runuser -u kohtaamo -- /bin/sh -c 'umask 0027; exec "$@"' sh \
    /usr/bin/env SDL_VIDEODRIVER=offscreen HOME=/var/lib/kohtaamo XDG_CACHE_HOME=/var/cache/kohtaamo "$@"
}

# ---- Mounts and helpers that must never outlive the run.
helpers=()
unmount_root() {
  local target
  # Deepest first; a lazy unmount so a busy file never leaves the host's /dev under rm -rf.
  while read -r target; do umount -l "$target" 2>/dev/null || true; done \
    < <(findmnt -rn -o TARGET | grep -F "$rootfs/" | sort -r)
}
cleanup() {
  for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null || true; done
  unmount_root
}
trap cleanup EXIT

mirror=${KOHTAAMO_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/* *$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
security=${KOHTAAMO_DEBIAN_SECURITY:-${mirror}-security}

# ---- 1. The clean root.
if [ ! -s "$base" ]; then
  log "debootstrap: a Debian 12 minbase root from $mirror (once; cached as $base)"
  fresh="$cache/debootstrap"
  rm -rf --one-file-system "$fresh"
  debootstrap --variant=minbase bookworm "$fresh" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 30 "$cache/debootstrap.log" >&2; exit 1; }
  tar --numeric-owner -C "$fresh" -czf "$base.tmp" .
  mv "$base.tmp" "$base"
  rm -rf --one-file-system "$fresh"
fi
log "unpacking a clean root in $rootfs"
unmount_root
if findmnt -rn -o TARGET | grep -qF "$rootfs/"; then echo "deploy-check: $rootfs still has mounts" >&2; exit 1; fi
rm -rf --one-file-system "$rootfs"
mkdir -p "$rootfs" "$cache/apt-archives/partial" "$cache/apt-lists/partial"
tar --numeric-owner -C "$rootfs" -xzf "$base"
mount -t proc proc "$rootfs/proc"
mount -t sysfs -o ro sysfs "$rootfs/sys"
mount --bind /dev "$rootfs/dev"
mount --bind /dev/pts "$rootfs/dev/pts"
mount --bind "$cache/apt-archives" "$rootfs/var/cache/apt/archives"
mount --bind "$cache/apt-lists" "$rootfs/var/lib/apt/lists"
cat > "$rootfs/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# Nothing starts services inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
chmod 755 "$rootfs/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf" 2>/dev/null || true
echo 'APT::Keep-Downloaded-Packages "true";' > "$rootfs/etc/apt/apt.conf.d/90keep"
cp "$deb" "$rootfs/tmp/"

# ---- 2. Install with apt, so the Depends resolve from Debian.
log "apt-get install $(basename "$deb") (and cage, for the fallback unit)"
in_root apt-get update -qq >"$cache/apt.log" 2>&1 || { tail -n 20 "$cache/apt.log" >&2; exit 1; }
if in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
     "/tmp/$(basename "$deb")" cage >>"$cache/apt.log" 2>&1; then
  ok "apt installs $package $version with its Depends from Debian 12"
else
  bad "apt install"; tail -n 30 "$cache/apt.log"; exit 1
fi
check "apt and the maintainer scripts reported no error or warning" bash -c \
  "! grep -E '^(E|W): |dpkg: (error|warning)|Errors were encountered|kohtaamo.*(error|warning|failed)' '$cache/apt.log' | grep -v unsandboxed"
check "system user kohtaamo exists, home /var/lib/kohtaamo, no login shell" bash -c \
  "chroot '$rootfs' getent passwd kohtaamo | grep -q ':/var/lib/kohtaamo:/usr/sbin/nologin\$'"
check "groups video, input and render exist" in_root getent group video input render
check "/var/lib/kohtaamo is kohtaamo:kohtaamo 750" bash -c "[ \"\$(chroot '$rootfs' stat -c '%U:%G %a' /var/lib/kohtaamo)\" = 'kohtaamo:kohtaamo 750' ]"
check "/etc/kohtaamo/kiosk.toml is a conffile, root:kohtaamo 640" bash -c \
  "chroot '$rootfs' dpkg-query -W -f='\${Conffiles}' $package | grep -q /etc/kohtaamo/kiosk.toml && [ \"\$(chroot '$rootfs' stat -c '%U:%G %a' /etc/kohtaamo/kiosk.toml)\" = 'root:kohtaamo 640' ]"
check "kohtaamo-kiosk.service is enabled (graphical.target)" test -L "$rootfs/etc/systemd/system/graphical.target.wants/kohtaamo-kiosk.service"
check "the cage fallback and the CEC timers are installed but not enabled" bash -c \
  "[ -z \"\$(find '$rootfs/etc/systemd/system' -name 'kohtaamo-kiosk-cage.service' -o -name 'kohtaamo-cec*')\" ]"
check "assets installed where the binary looks (/usr/share/kohtaamo)" test -f "$rootfs/usr/share/kohtaamo/demo/demo-region.json" -a -f "$rootfs/usr/share/kohtaamo/i18n/fi.toml" -a -f "$rootfs/usr/share/kohtaamo/fonts.toml"

# ---- 3. Units.
log "systemd-analyze verify and security"
units=(kohtaamo-kiosk.service kohtaamo-kiosk-cage.service kohtaamo-site-config.service kohtaamo-cec@.service
       kohtaamo-cec-standby.timer kohtaamo-cec-wake.timer)
unit_paths=()
for unit in "${units[@]}"; do unit_paths+=("/lib/systemd/system/$unit"); done
if in_root systemd-analyze verify --man=no "${unit_paths[@]}" >"$cache/verify.out" 2>&1 && [ ! -s "$cache/verify.out" ]; then
  ok "systemd-analyze verify: ${units[*]} (no output)"
else
  bad "systemd-analyze verify"; sed 's/^/     /' "$cache/verify.out"
fi
in_root systemd-analyze security --offline=true /lib/systemd/system/kohtaamo-kiosk.service >"$cache/security.out" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for kohtaamo-kiosk.service: \([0-9.]*\).*/\1/p' "$cache/security.out")
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
  ok "systemd-analyze security kohtaamo-kiosk.service: exposure $exposure (at most 2.0)"
else
  bad "systemd-analyze security: exposure '${exposure:-?}'"; tail -n 5 "$cache/security.out"
fi

# ---- 4. The installed binary, as the service's user.
log "running the installed kiosk headless as user kohtaamo"
check "kohtaamo-kiosk --version" bash -c "chroot '$rootfs' kohtaamo-kiosk --version | grep -qx 'kohtaamo-kiosk ${version%-*}'"
as_kiosk kohtaamo-kiosk --sync-once >"$cache/sync-demo.out" 2>"$cache/sync-demo.err" && sync_rc=0 || sync_rc=$?
if [ "$sync_rc" -eq 0 ] && grep -q '^demo: ok [0-9]* items' "$cache/sync-demo.out"; then
  ok "--sync-once with the shipped config: $(head -n 1 "$cache/sync-demo.out")"
else
  bad "--sync-once with the shipped config (exit $sync_rc)"; cat "$cache/sync-demo.out" "$cache/sync-demo.err"
fi
check "the shipped kiosk.toml parses without a single problem" bash -c "! grep -q 'kiosk.toml' '$cache/sync-demo.err'"
check "--status is healthy after the sync" as_kiosk kohtaamo-kiosk --status
as_kiosk kohtaamo-kiosk --print-home --now 2026-03-10T10:00 >"$cache/home.txt" 2>&1 || true
check "--print-home shows the demo content" test "$(wc -l < "$cache/home.txt")" -ge 5
rm -f "$rootfs/var/lib/kohtaamo/check-home.png"
check "--screenshot of the home screen (offscreen SDL)" as_kiosk kohtaamo-kiosk --screenshot /var/lib/kohtaamo/check-home.png \
  --screen home --size 1280x720 --now 2026-03-10T10:00
if [ -f "$rootfs/var/lib/kohtaamo/check-home.png" ] && [ "$(head -c 8 "$rootfs/var/lib/kohtaamo/check-home.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
   && [ "$(stat -c %s "$rootfs/var/lib/kohtaamo/check-home.png")" -gt 20000 ]; then
  cp "$rootfs/var/lib/kohtaamo/check-home.png" "$cache/installed-home.png"
  ok "the screenshot is a real PNG ($(stat -c %s "$cache/installed-home.png") bytes, $cache/installed-home.png)"
else
  bad "the screenshot is missing or empty"
fi

# Service mode for one frame, with the notify socket systemd would give it (Type=notify,
# WatchdogSec=30): READY=1 and WATCHDOG=1 must come after a presented frame, and kohtaamo.prom.
rm -f "$rootfs/tmp/notify.sock" "$rootfs/var/lib/kohtaamo/kohtaamo.prom"
python3 -c '
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.settimeout(60)
with open(sys.argv[2], "w") as out:
    try:
        while True:
            out.write(s.recv(4096).decode() + "\n"); out.flush()
    except socket.timeout:
        pass
' "$rootfs/tmp/notify.sock" "$cache/notify.out" & helpers+=($!)
for _ in $(seq 50); do [ -S "$rootfs/tmp/notify.sock" ] && break; sleep 0.1; done
: > "$cache/notify.out"
check "service mode: first frame, then exit (--first-frame-exit)" as_kiosk NOTIFY_SOCKET=/tmp/notify.sock WATCHDOG_USEC=30000000 \
  kohtaamo-kiosk --windowed 1280x720 --software --first-frame-exit
sleep 0.5
check "service mode: READY=1 sent to systemd's notify socket" grep -q '^READY=1' "$cache/notify.out"
check "service mode: WATCHDOG=1 sent after the presented frame" grep -q '^WATCHDOG=1' "$cache/notify.out"
check "service mode: kohtaamo.prom written, group-readable, with the last frame's time" bash -c \
  "grep -q '^kohtaamo_last_frame_timestamp_seconds [1-9]' '$rootfs/var/lib/kohtaamo/kohtaamo.prom' && [ \"\$(stat -c %a '$rootfs/var/lib/kohtaamo/kohtaamo.prom')\" = 640 ]"

# --sync-once against a loopback HTTP server serving a bundle (python's http.server answers
# If-Modified-Since with 304, as a web server would).
mkdir -p "$cache/www"
cp "$source_root/assets/demo/demo-region.json" "$cache/www/region.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$cache/www" "$port" >"$cache/http.log" 2>&1 & helpers+=($!)
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/region.json" && break; sleep 0.1; done
cat > "$rootfs/tmp/loopback.toml" <<EOF
data_dir = "/var/lib/kohtaamo/loopback"
[[source]]
id = "loopback"
kind = "bundle"
url = "http://127.0.0.1:$port/region.json"
interval_minutes = 5
EOF
chmod 644 "$rootfs/tmp/loopback.toml"
first=$(as_kiosk kohtaamo-kiosk --config /tmp/loopback.toml --sync-once 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ] && [[ "$first" == "loopback: ok "* ]]; then ok "--sync-once from http://127.0.0.1:$port: $first"; else bad "--sync-once loopback (exit $rc): $first"; fi
second=$(as_kiosk kohtaamo-kiosk --config /tmp/loopback.toml --sync-once 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ] && [[ "$second" == *"(304 not modified)"* || "$second" == *"(unchanged)"* ]]; then
  ok "--sync-once again: $second"
else
  bad "--sync-once loopback, second time (exit $rc): $second"
fi
check "--status of the loopback cache is healthy" as_kiosk kohtaamo-kiosk --config /tmp/loopback.toml --status
check "--list-events from the loopback cache" bash -c \
  "chroot '$rootfs' runuser -u kohtaamo -- kohtaamo-kiosk --config /tmp/loopback.toml --list-events 2026-03-09 2026-03-16 | grep -q '^loopback	'"

# A damaged cache: the kiosk moves it aside as it starts and syncs into a fresh one.
printf 'this is not SQLite' | dd of="$rootfs/var/lib/kohtaamo/loopback/cache.sqlite" bs=1 seek=0 conv=notrunc status=none
check "the kiosk moves a damaged cache aside and syncs into a fresh one" bash -c \
  "chroot '$rootfs' runuser -u kohtaamo -- kohtaamo-kiosk --config /tmp/loopback.toml --sync-once 2>&1 | grep -q 'moved to /var/lib/kohtaamo/loopback/corrupt/cache.sqlite' && chroot '$rootfs' runuser -u kohtaamo -- kohtaamo-kiosk --config /tmp/loopback.toml --status | grep -q '\"ok\": true'"

# ---- 5. The per-device site file, and IT's choices surviving an upgrade.
log "apply-site-config, reinstall"
mkdir -p "$rootfs/tmp/site"
printf 'idle_seconds = 120\r\n[display]\r\nrotation = 45\r\n[site]\r\ndefault_language = "sv"\r\n' > "$rootfs/tmp/site/kohtaamo-site.toml"
in_root /usr/libexec/kohtaamo/apply-site-config /tmp/site/kohtaamo-site.toml /tmp/site/kiosk.toml >"$cache/site.out" 2>&1 || true
check "apply-site-config copies the site file" grep -q '^applied /tmp/site/kohtaamo-site.toml' "$cache/site.out"
check "apply-site-config names a bad key with its line" grep -q 'kiosk.toml:3: display.rotation' "$cache/site.out"
check "apply-site-config strips Windows line ends; the result is root:kohtaamo 640" bash -c \
  "! grep -q \$'\\r' '$rootfs/tmp/site/kiosk.toml' && [ \"\$(chroot '$rootfs' stat -c '%U:%G %a' /tmp/site/kiosk.toml)\" = 'root:kohtaamo 640' ]"
check "apply-site-config leaves a matching file alone" bash -c \
  "chroot '$rootfs' /usr/libexec/kohtaamo/apply-site-config /tmp/site/kohtaamo-site.toml /tmp/site/kiosk.toml | grep -q 'already matches'"
in_root systemctl disable kohtaamo-kiosk.service >/dev/null 2>&1 || true
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall --no-install-recommends "/tmp/$(basename "$deb")" >>"$cache/apt.log" 2>&1
check "an upgrade keeps IT's 'systemctl disable'" test ! -e "$rootfs/etc/systemd/system/graphical.target.wants/kohtaamo-kiosk.service"
in_root systemctl enable kohtaamo-kiosk.service >/dev/null 2>&1 || true

# ---- 6. Remove and purge.
log "remove and purge"
in_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$package" >>"$cache/apt.log" 2>&1
check "remove: the binary is gone" test ! -e "$rootfs/usr/bin/kohtaamo-kiosk"
check "remove: the config and the cache stay" test -f "$rootfs/etc/kohtaamo/kiosk.toml" -a -f "$rootfs/var/lib/kohtaamo/cache.sqlite"
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$package" >>"$cache/apt.log" 2>&1
check "purge: dpkg forgot the package" bash -c "! chroot '$rootfs' dpkg-query -W -f='\${Status}' $package 2>/dev/null | grep -q installed"
find "$rootfs" -xdev \( -path "$rootfs/tmp" -o -path "$rootfs/var/cache/apt" -o -path "$rootfs/var/lib/apt" \) -prune \
  -o -name '*kohtaamo*' -print > "$cache/leftovers.out"
if [ ! -s "$cache/leftovers.out" ]; then ok "purge: no file named *kohtaamo* left (the system user stays, as Debian does)"
else bad "purge left files:"; sed "s|^$rootfs|     |" "$cache/leftovers.out"; fi

# ---- 7. The regional content mirror.
log "regional mirror (nginx on loopback)"
if "$source_root/deploy/mirror/test-mirror.sh" >"$cache/mirror.out" 2>&1; then
  ok "$(tail -n 1 "$cache/mirror.out")"
else
  bad "mirror test"; sed 's/^/     /' "$cache/mirror.out"
fi

cleanup
trap - EXIT
helpers=()
log "done in $(($(date +%s) - started)) s"
echo "deploy-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
