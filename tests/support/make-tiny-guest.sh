#!/bin/sh
# make-tiny-guest.sh — build a tiny Linux guest for the console tests.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-tiny-guest.sh CACHE_DIR
#
# Leaves CACHE_DIR/vmlinuz and CACHE_DIR/initrd.img: a Debian kernel and a
# busybox-static initramfs whose /init copies every line typed on the VGA
# console (/dev/tty1) to the first serial port, and every PS/2 mouse
# packet (/dev/input/mice) and USB tablet event too, so a test can type
# and point through the console widget and read the result in the serial
# log. Where the guest has a SPICE agent channel, mini-vdagent (built here
# from mini-vdagent.c) answers on it and logs what it gets; a line typed
# as "copy TEXT" puts TEXT on the guest's clipboard. Booted with
# hangar.kms=1 on a guest with a virtio GPU, mini-kms (from mini-kms.c)
# takes the display over: a filled screen of the preferred mode, a
# hardware cursor, and a new mode whenever the host asks for one. Booted
# with hangar.tone=1 on a guest with an AC97 sound card, mini-tone (from
# mini-tone.c) plays a tone without end and records from the card. Built
# once, then reused; CACHE_DIR/version says which recipe (and which
# sources of the guest's programs) built it.
set -eu

cache=${1:?usage: make-tiny-guest.sh CACHE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
recipe=7
# The guest programs' sources are part of the recipe: editing one
# rebuilds the guest.
version="$recipe $(cksum < "$here/mini-vdagent.c" | cut -d' ' -f1)"
version="$version $(cksum < "$here/mini-kms.c" | cut -d' ' -f1)"
version="$version $(cksum < "$here/mini-tone.c" | cut -d' ' -f1)"
version="$version $(cksum < "$here/mini-sha256.h" | cut -d' ' -f1)"
mkdir -p "$cache"
if [ -s "$cache/vmlinuz" ] && [ -s "$cache/initrd.img" ] &&
   [ "$(cat "$cache/version" 2>/dev/null)" = "$version" ]; then
  exit 0
fi

for tool in apt-get apt-cache dpkg cpio gzip gcc; do
  command -v "$tool" >/dev/null || { echo "make-tiny-guest: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The versioned package the linux-image-amd64 metapackage points at.
kernel=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$kernel" ] || { echo "make-tiny-guest: no linux-image package found" >&2; exit 1; }

apt-get download "$kernel" busybox-static >/dev/null
dpkg -x linux-image-*.deb kernel
dpkg -x busybox-static_*.deb busybox

mkdir -p root/bin root/dev root/proc root/sys root/lib root/tmp
cp busybox/bin/busybox root/bin/busybox
# Static: the initramfs has no libc. spice-protocol gives vd_agent.h.
gcc -static -Os -s -Wall \
  $(pkg-config --cflags spice-protocol 2>/dev/null || echo -I/usr/include/spice-1) \
  -o root/bin/mini-vdagent "$here/mini-vdagent.c"
# The DRM structures and ioctl numbers: the kernel's UAPI headers, from libdrm-dev.
gcc -static -Os -s -Wall $(pkg-config --cflags libdrm) -o root/bin/mini-kms "$here/mini-kms.c"
# The ALSA kernel interface's structures: the kernel's UAPI headers.
gcc -static -Os -s -Wall -o root/bin/mini-tone "$here/mini-tone.c" -lm
# The PS/2 mouse driver is a module in Debian's kernel (mousedev is built in).
# So are USB, HID and evdev, for the tablet.
# virtio-serial for the agent's port: the PCI transport and virtio_console
# are modules too.
# The virtio GPU's driver and what it needs (modinfo -F depends): DRM and
# its KMS and shmem helpers, and virtio_dma_buf. The AC97 sound card's
# driver and ALSA's core under it.
for module in psmouse usb-common usbcore uhci-hcd hid usbhid hid-generic evdev \
              virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
              virtio_console \
              drm drm_kms_helper drm_shmem_helper virtio_dma_buf virtio-gpu \
              soundcore snd snd-timer snd-pcm ac97_bus snd-ac97-codec snd-intel8x0; do
  find kernel/lib/modules -name "$module.ko*" -exec cp {} root/lib/ \;
  if [ -f "root/lib/$module.ko.xz" ]; then unxz "root/lib/$module.ko.xz"; fi
done
cat > root/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
insmod /lib/psmouse.ko 2>/dev/null
# Mouse packets: flags (bit 0 left, 1 right, 2 middle), dx, dy.
(
  while true; do
    packet=$(dd bs=3 count=1 2>/dev/null | od -An -tx1)
    echo "hangar-guest: mouse [$(echo $packet)]" > /dev/ttyS0
  done
) < /dev/input/mice &
# USB tablet events: "type|code<<16 value" from /dev/input/eventN.
(
  for module in usb-common usbcore uhci-hcd hid usbhid hid-generic evdev; do
    insmod /lib/$module.ko 2>/dev/null
  done
  dev=
  for i in $(seq 150); do
    for e in /sys/class/input/event*; do
      grep -qi tablet "$e/device/name" 2>/dev/null && dev=/dev/input/${e##*/}
    done
    [ -n "$dev" ] && break
    sleep 0.2
  done
  echo "hangar-guest: tablet at ${dev:-none}" > /dev/ttyS0
  [ -n "$dev" ] || exit 0
  while true; do
    set -- $(dd bs=24 count=1 2>/dev/null | od -An -td4)
    [ "$5" != 0 ] && echo "hangar-guest: tablet [$5 $6]" > /dev/ttyS0
  done < "$dev"
) &
# The SPICE agent, on guests that have its port (it looks for it and
# leaves if there is none).
(
  for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
                virtio_console \
              drm drm_kms_helper drm_shmem_helper virtio_dma_buf virtio-gpu; do
    insmod /lib/$module.ko 2>/dev/null
  done
  exec /bin/mini-vdagent
) &
# The virtio GPU and mini-kms, on guests booted with hangar.kms=1 only:
# elsewhere the display stays VGA text, as the other tests expect.
if grep -qw hangar.kms=1 /proc/cmdline; then
  (
    for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
                  drm drm_kms_helper drm_shmem_helper virtio_dma_buf virtio-gpu; do
      insmod /lib/$module.ko 2>/dev/null
    done
    exec /bin/mini-kms
  ) &
fi
# The sound card, on guests booted with hangar.tone=1 only: a tone
# played, and the microphone recorded, for as long as the guest runs.
if grep -qw hangar.tone=1 /proc/cmdline; then
  (
    for module in soundcore snd snd-timer snd-pcm ac97_bus snd-ac97-codec snd-intel8x0; do
      insmod /lib/$module.ko 2>/dev/null
    done
    /bin/mini-tone record &
    exec /bin/mini-tone play
  ) &
fi
echo "hangar-guest: ready" > /dev/ttyS0
echo "hangar-guest: type here" > /dev/tty1
while true; do
  if read -r line < /dev/tty1; then
    echo "hangar-guest: got [$line]" > /dev/ttyS0
    # "copy TEXT": TEXT goes on the guest's clipboard, through the agent.
    # Octal escapes in TEXT (\303\251) are bytes, so a test can copy
    # UTF-8 with a US keyboard.
    case "$line" in
      "copy "*) [ -p /tmp/hangar-copy ] && printf '%b\n' "${line#copy }" > /tmp/hangar-copy ;;
    esac
  fi
done
INIT
chmod 755 root/init

(cd root && find . | cpio -o -H newc --quiet | gzip -1) > "$cache/initrd.img.tmp"
cp kernel/boot/vmlinuz-* "$cache/vmlinuz.tmp"
mv "$cache/initrd.img.tmp" "$cache/initrd.img"
mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
chmod 644 "$cache/vmlinuz" "$cache/initrd.img"
echo "$version" > "$cache/version"
