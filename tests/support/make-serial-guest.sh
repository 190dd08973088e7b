#!/bin/sh
# make-serial-guest.sh — a tiny Linux guest that lives on its serial port.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-serial-guest.sh CACHE_DIR
#
# Builds (once) the console tests' tiny guest with
# tests/support/make-tiny-guest.sh, then repacks its initramfs with an
# /init that talks on /dev/ttyS0 only: it says "hangar-serial: ready" and
# answers every line it reads with "hangar-serial: got [LINE]". Leaves
# CACHE_DIR/vmlinuz and CACHE_DIR/serial-initrd.img.
set -eu

cache=${1:?usage: make-serial-guest.sh CACHE_DIR}
here=$(cd "$(dirname "$0")" && pwd)

sh "$here/make-tiny-guest.sh" "$cache"
if [ -s "$cache/serial-initrd.img" ] && [ "$cache/serial-initrd.img" -nt "$cache/initrd.img" ]; then
  exit 0
fi

for tool in cpio gzip; do
  command -v "$tool" >/dev/null || { echo "make-serial-guest: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root"
(cd "$work/root" && gzip -dc "$cache/initrd.img" | cpio -i -d --quiet)

cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
exec </dev/ttyS0 >/dev/ttyS0 2>&1
echo "hangar-serial: ready"
while true; do
  if read -r line; then
    echo "hangar-serial: got [$line]"
  else
    sleep 1
  fi
done
INIT
chmod 755 "$work/root/init"

(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$cache/serial-initrd.img.tmp"
chmod 644 "$cache/serial-initrd.img.tmp"
mv "$cache/serial-initrd.img.tmp" "$cache/serial-initrd.img"
