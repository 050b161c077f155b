#!/usr/bin/env bash
# Boots the kiosk image under QEMU with UEFI firmware (OVMF) and a standard VGA panel, as a lobby PC
# would start it, and takes screenshots until the kiosk draws (or a time limit passes).
#
#   boot-image.sh IMAGE.raw OUT_DIR
#
# Uses KVM when it works, else software emulation (slow: up to 15 minutes). The guest has no
# network card: nothing leaves this machine. Writes OUT_DIR/boot-screen.png (the last screenshot)
# and OUT_DIR/serial.log (the serial console; qemu.log: QEMU's own messages), and exits 0 once the
# screen shows the kiosk.
set -euo pipefail

image=$(realpath "$1")
out=$(mkdir -p "$2" && realpath "$2")
work=$(mktemp -d /tmp/kohtaamo-boot.XXXXXX)
started=$(date +%s)
log() { printf '\033[1m==> [%3ss] %s\033[0m\n' "$(($(date +%s) - started))" "$*" >&2; }
qemu_pid=
cleanup() {
  if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A throw-away copy: the boot must not change the image IT writes to disks.
cp --sparse=always "$image" "$work/disk.raw"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
# KVM when it works: nested KVM can start and then fail inside the firmware ("KVM internal
# error"), so a KVM boot that reports one is started again under software emulation.
# Software emulation gets a CPU without AVX: QEMU 7.2's emulated AVX2 crashes the machine code
# that Mesa's llvmpipe compiles for the kiosk's drawing (real CPUs run it fine).
accel=(-accel tcg -cpu Nehalem)
limit=900
if [ -w /dev/kvm ] && [ "${KOHTAAMO_QEMU_KVM:-1}" = 1 ]; then
  accel=(-accel kvm -cpu "host,-arch-capabilities")
  limit=180
fi
# The panel: virtio-vga (Linux's virtio_gpu driver, 1920x1080 from its EDID). QEMU's standard VGA
# (bochs-drm) showed only the kiosk's first frame: see deploy/README.md, section 11.
gpu=${KOHTAAMO_QEMU_GPU:-virtio-vga,xres=1920,yres=1080}
start_qemu() {
  log "booting $(basename "$image") under QEMU (${accel[1]}, UEFI, ${gpu%%,*}, no network; up to ${limit}s)"
  rm -f "$work/monitor.sock"
  qemu-system-x86_64 "${accel[@]}" -machine q35 -smp 2 -m 2048 -nodefaults -no-user-config \
    -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,unit=1,file="$work/vars.fd" \
    -drive if=virtio,format=raw,file="$work/disk.raw" \
    -device "$gpu" -device i6300esb -device qemu-xhci -device usb-tablet \
    -nic none -display none -serial file:"$out/serial.log" \
    -monitor unix:"$work/monitor.sock",server,nowait 2>"$out/qemu.log" &
  qemu_pid=$!
  for _ in $(seq 100); do [ -S "$work/monitor.sock" ] && break; sleep 0.1; done
}
start_qemu

# Is the picture the kiosk? Black (firmware, boot, night) and a text console are nearly one or two
# colours; the kiosk's home screen has hundreds.
colours() {
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
# P6 header: magic, width, height, maxval, each followed by whitespace.
fields, pos = [], 0
while len(fields) < 4:
    while data[pos:pos + 1].isspace(): pos += 1
    end = pos
    while not data[end:end + 1].isspace(): end += 1
    fields.append(data[pos:end]); pos = end
pixels = data[pos + 1:]
print(len({pixels[i:i + 3] for i in range(0, len(pixels), 3 * 7)}))
PY
}
to_png() {
  python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
fields, pos = [], 0
while len(fields) < 4:
    while data[pos:pos + 1].isspace(): pos += 1
    end = pos
    while not data[end:end + 1].isspace(): end += 1
    fields.append(data[pos:end]); pos = end
width, height = int(fields[1]), int(fields[2])
pixels = data[pos + 1:]
rows = b"".join(b"\0" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
PY
}
monitor() { python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.2); s.recv(65536)
s.sendall((sys.argv[2] + "\n").encode()); time.sleep(0.5); s.close()' "$work/monitor.sock" "$1"; }

result=1
while [ $(($(date +%s) - started)) -lt "$limit" ]; do
  sleep 5
  if [ "${accel[1]}" = kvm ] && { ! kill -0 "$qemu_pid" 2>/dev/null || grep -q "KVM internal error\|failed to set MSR" "$out/qemu.log"; }; then
    log "KVM does not work here ($(grep -m1 -o 'KVM internal error.*\|failed to set MSR.*' "$out/qemu.log")); software emulation instead"
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
    accel=(-accel tcg -cpu Nehalem)
    limit=$(($(date +%s) - started + 900))
    start_qemu
    continue
  fi
  kill -0 "$qemu_pid" 2>/dev/null || { log "QEMU stopped: $(tail -n 1 "$out/qemu.log")"; break; }
  monitor "screendump $work/screen.ppm" || continue
  [ -s "$work/screen.ppm" ] || continue
  n=$(colours "$work/screen.ppm")
  if [ "$n" -gt 200 ]; then
    # One more frame a few seconds later, so the screenshot is the settled home screen.
    sleep 5
    monitor "screendump $work/screen.ppm"
    log "the kiosk is drawing ($n colours on the panel)"
    result=0
    break
  fi
done
if [ -s "$work/screen.ppm" ]; then
  to_png "$work/screen.ppm" "$out/boot-screen.png"
  log "screenshot: $out/boot-screen.png; serial console: $out/serial.log"
fi
[ "$result" -eq 0 ] || log "the kiosk did not draw within ${limit}s (see $out/serial.log and $out/boot-screen.png)"
monitor quit || true
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
exit "$result"
