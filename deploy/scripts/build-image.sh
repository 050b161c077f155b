#!/usr/bin/env bash
# ./dev image: the bootable kiosk disk image (Debian 12, x86-64, UEFI), then a boot of it under
# QEMU + OVMF with a screenshot of what the panel shows.
#
#   build-image.sh PACKAGE.deb OUT_DIR [--no-boot]
#
# 1. mkosi 14 builds the operating system from deploy/image/ as a directory tree, with the package,
#    fonts, locales, time zone, journald/logind/apt settings, and kernel-install's boot entry on /efi.
# 2. This script lays the tree out as a disk without mounting anything: the EFI partition as a FAT
#    file (mkfs.fat + mtools: systemd-boot, the kernel, kohtaamo-site.toml), the root as an ext4 file
#    (mkfs.ext4 -d), both put into a GPT (sfdisk). So it also runs where the kernel has no vfat or
#    the build has no loop devices.
# OUT_DIR gets kohtaamo-kiosk.raw (write it to the kiosk's disk: deploy/README.md, step 3), mkosi's
# package cache (a second build downloads nothing), and from the boot: boot-screen.png, serial.log.
set -euo pipefail

deb=$(realpath "$1")
out=$(mkdir -p "$2" && realpath "$2")
shift 2
boot=yes
[ "${1:-}" = --no-boot ] && boot=no
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image_dir=$(cd "$here/../image" && pwd)
started=$(date +%s)
log() { printf '\033[1m==> [%3ss] %s\033[0m\n' "$(($(date +%s) - started))" "$*" >&2; }

[ "$(id -u)" -eq 0 ] || { echo "image: mkosi needs root (debootstrap, systemd-nspawn)" >&2; exit 1; }

esp_mib=256
root_mib=3072
tree=  # mkosi puts it in OUT_DIR/debian~bookworm/
disk="$out/kohtaamo-kiosk.raw"
uuid() { cat /proc/sys/kernel/random/uuid; }
esp_partuuid=$(uuid)
root_partuuid=$(uuid)
root_fsuuid=$(uuid)
# Boot quietly straight into the kiosk: no cursor and no messages over the picture. The serial
# console (the last console=) gets systemd's status and the kernel's errors, for support.
cmdline="root=PARTUUID=$root_partuuid ro quiet loglevel=3 systemd.show_status=auto rd.udev.log_level=3 vt.global_cursor_default=0 console=tty1 console=ttyS0,115200n8"

# ---- The package, the site template and what depends on this build's partition ids reach the
# image as a second extra tree.
stage="$out/extra"
rm -rf "$stage"
mkdir -p "$stage/opt/kohtaamo-install" "$stage/etc/kernel" "$out/cache"
cp "$deb" "$stage/opt/kohtaamo-install/"
cp "$image_dir/kohtaamo-site.toml.example" "$stage/opt/kohtaamo-install/kohtaamo-site.toml"
echo "$cmdline" > "$stage/etc/kernel/cmdline"
# kernel-install names boot entries and kernel folders on the EFI partition after this token, at
# build time and for every kernel update later (systemd-boot's kernel hook).
echo kohtaamo > "$stage/etc/kernel/entry-token"
cat > "$stage/etc/fstab" <<EOF
# Kohtaamo image. The EFI partition carries the boot loader, the kernels and kohtaamo-site.toml.
PARTUUID=$root_partuuid  /     ext4  defaults,noatime,errors=remount-ro  0 1
PARTUUID=$esp_partuuid   /efi  vfat  noauto,x-systemd.automount,x-systemd.idle-timeout=60,umask=0077,shortname=winnt  0 2
EOF

log "mkosi: Debian 12 as a directory tree (log: $out/mkosi.log)"
cd "$image_dir"
# systemd-nspawn (mkosi runs the postinst script in it) keeps state under /run/systemd/nspawn and
# refuses to clean it up unless that is a tmpfs; where /run is not one (containers, CI sandboxes),
# a private mount namespace gets its own tmpfs there, invisible to the rest of the machine. And
# --nspawn-keep-unit: the container stays in this process's cgroup instead of asking systemd (over
# D-Bus) for a scope of its own, so no running systemd is needed on the build host.
mkdir -p /run/systemd/nspawn
if ! unshare --mount --propagation private sh -c '
       findmnt -n /run >/dev/null || mount -t tmpfs -o mode=0755 tmpfs /run/systemd/nspawn
       exec "$@"' sh \
     mkosi --force --output-dir "$out" --workspace-dir "$out" --cache "$out/cache" --nspawn-keep-unit \
     --extra-tree "$image_dir/mkosi.extra,$stage" build >"$out/mkosi.log" 2>&1; then
  tail -n 40 "$out/mkosi.log" >&2
  echo "image: mkosi failed; the whole log is $out/mkosi.log" >&2
  exit 1
fi
rm -rf "$stage"
tree=$(ls -d "$out"/*/kohtaamo-kiosk.tree | head -n 1)

log "laying out $disk: EFI partition ${esp_mib} MiB (FAT32), root ${root_mib} MiB (ext4)"
boot_efi="$tree/usr/lib/systemd/boot/efi/systemd-bootx64.efi"
[ -f "$boot_efi" ] || { echo "image: no systemd-boot in the tree ($boot_efi)" >&2; exit 1; }
ls "$tree"/efi/loader/entries/kohtaamo-*.conf >/dev/null || { echo "image: kernel-install made no boot entry" >&2; exit 1; }
work="$out/layout"
rm -rf "$work"
mkdir -p "$work"
export MTOOLS_SKIP_CHECK=1
mkfs.fat -F 32 -n KOHTAAMO -i "${esp_partuuid:0:8}" -C "$work/esp.img" $((esp_mib * 1024)) >/dev/null
mmd -i "$work/esp.img" ::/EFI ::/EFI/BOOT ::/EFI/systemd
mcopy -i "$work/esp.img" "$boot_efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$work/esp.img" "$boot_efi" ::/EFI/systemd/systemd-bootx64.efi
# kernel-install ran where /efi was no mount point, so its entry names /efi/kohtaamo/...; on the
# partition that is /kohtaamo/... (later kernels, installed on the device, get it right).
sed -i -E 's#^(linux|initrd)( +)/efi/#\1\2/#' "$tree"/efi/loader/entries/kohtaamo-*.conf
# The newest kernel's entry boots at once; holding a key at power-on shows the menu.
printf 'default kohtaamo-*\ntimeout 0\neditor no\nconsole-mode keep\n' > "$tree/efi/loader/loader.conf"
mcopy -s -i "$work/esp.img" "$tree"/efi/* ::/
mdir -/ -i "$work/esp.img" ::/ > "$out/esp-contents.txt"
# The root keeps /efi as an empty mount point.
find "$tree/efi" -mindepth 1 -delete
mkfs.ext4 -q -F -L kohtaamo-root -U "$root_fsuuid" -d "$tree" "$work/root.img" "${root_mib}M"

rm -f "$disk"
truncate -s $(((1 + esp_mib + root_mib + 1) * 1024 * 1024)) "$disk"
sfdisk -q "$disk" <<EOF
label: gpt
first-lba: 2048
start=1MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$esp_partuuid, name="esp"
size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$root_partuuid, name="root-x86-64"
EOF
dd if="$work/esp.img" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$work/root.img" of="$disk" bs=1M seek=$((1 + esp_mib)) conv=notrunc,sparse status=none
rm -rf --one-file-system "$work" "$tree"
log "image: $disk ($(du -h "$disk" | cut -f1) on disk, $(du -h --apparent-size "$disk" | cut -f1) to write)"

[ "$boot" = yes ] || exit 0
exec "$here/boot-image.sh" "$disk" "$out"
