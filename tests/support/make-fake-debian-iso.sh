#!/bin/sh
# make-fake-debian-iso.sh — a tiny "distribution" ISO that libosinfo takes
# for Debian 11's netinst.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-fake-debian-iso.sh CACHE_DIR
#
# Leaves CACHE_DIR/fake-debian-11.iso: volume ID "Debian 11.6.0 amd64 n",
# bootable (a 2 KiB El Torito image), with the tiny test guest's kernel
# and an initramfs at the paths osinfo-db names for Debian 11 on x86_64
# (install.amd/vmlinuz, install.amd/initrd.gz). The initramfs' /init plays
# the installer: it looks for /preseed.cfg (an express install appends it
# to the initrd), prints "preseed user=NAME host=HOST" (from
# passwd/username and netcfg/get_hostname) and its kernel command line to
# the first serial port, or "preseed: none", then powers off. Built once
# (on the tiny guest from make-tiny-guest.sh), then reused.
set -eu

cache=${1:?usage: make-fake-debian-iso.sh CACHE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
recipe=1

sh "$here/make-tiny-guest.sh" "$cache"
iso="$cache/fake-debian-11.iso"
version="$recipe $(cksum < "$here/make-fake-debian-iso.sh" | cut -d' ' -f1)"
if [ -s "$iso" ] && [ "$iso" -nt "$cache/initrd.img" ] &&
   [ "$(cat "$cache/fake-debian-11.version" 2>/dev/null)" = "$version" ]; then
  exit 0
fi

for tool in cpio gzip xorriso; do
  command -v "$tool" >/dev/null || { echo "make-fake-debian-iso: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root" "$work/iso/install.amd"
(cd "$work/root" && gzip -dc "$cache/initrd.img" | cpio -i -d --quiet)

cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
exec >/dev/ttyS0 2>&1
if [ -f /preseed.cfg ]; then
  user=$(awk '$1 == "d-i" && $2 == "passwd/username" { print $NF }' /preseed.cfg)
  host=$(awk '$1 == "d-i" && $2 == "netcfg/get_hostname" { print $NF }' /preseed.cfg)
  echo "preseed user=$user host=$host"
else
  echo "preseed: none"
fi
echo "cmdline: $(cat /proc/cmdline)"
sync
poweroff -f
INIT
chmod 755 "$work/root/init"

cp "$cache/vmlinuz" "$work/iso/install.amd/vmlinuz"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/iso/install.amd/initrd.gz"
# El Torito needs a boot image; libosinfo only needs the disc to be bootable.
dd if=/dev/zero of="$work/iso/boot.img" bs=2048 count=1 2>/dev/null
xorriso -as mkisofs -quiet -R -J -V "Debian 11.6.0 amd64 n" -b boot.img -no-emul-boot \
  -boot-load-size 4 -o "$iso.tmp" "$work/iso"
chmod 644 "$iso.tmp"
mv "$iso.tmp" "$iso"
printf '%s\n' "$version" > "$cache/fake-debian-11.version"
