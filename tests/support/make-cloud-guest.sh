#!/bin/sh
# make-cloud-guest.sh — a tiny guest that reads a NoCloud seed, for the cloud image tests.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-cloud-guest.sh CACHE_DIR
#
# Leaves CACHE_DIR/cloud-vmlinuz and CACHE_DIR/cloud-initrd.img: a Debian
# kernel and a busybox-static initramfs whose /init does what cloud-init's
# NoCloud datasource does first: it finds the CD-ROM labelled "cidata",
# mounts it and reads user-data and meta-data. It prints to the first
# serial port
#   cloud label=LABEL
#   cloud user=NAME key=KEY
#   cloud hostname=HOST
#   cloud disk=BYTES            (each disk's size, as the guest sees it)
#   cloud done
# and powers off. A real cloud image boots its own boot loader and runs
# cloud-init; this stands in for it so a test can boot in seconds.
#
# The shared tiny guest (make-tiny-guest.sh) is left as it is: this one
# carries the CD-ROM and ISO 9660 modules, which are modules in Debian's
# kernel (CONFIG_ATA, CONFIG_BLK_DEV_SR, CONFIG_ISO9660_FS =m), and the
# SCSI disk driver to see the disk's size.
set -eu

cache=${1:?usage: make-cloud-guest.sh CACHE_DIR}
recipe=2
version="$recipe"
mkdir -p "$cache"
if [ -s "$cache/cloud-vmlinuz" ] && [ -s "$cache/cloud-initrd.img" ] &&
   [ "$(cat "$cache/cloud-version" 2>/dev/null)" = "$version" ]; then
  exit 0
fi

for tool in apt-get apt-cache dpkg cpio gzip; do
  command -v "$tool" >/dev/null || { echo "make-cloud-guest: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

kernel=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$kernel" ] || { echo "make-cloud-guest: no linux-image package found" >&2; exit 1; }

apt-get download "$kernel" busybox-static >/dev/null
dpkg -x linux-image-*.deb kernel
dpkg -x busybox-static_*.deb busybox

mkdir -p root/bin root/dev root/proc root/sys root/lib root/mnt
cp busybox/bin/busybox root/bin/busybox
# In the order they load (each after what it depends on).
modules="scsi_common scsi_mod libata libahci ahci ata_piix cdrom sr_mod isofs
         crc64 crc64-rocksoft crct10dif_common crc-t10dif t10-pi sd_mod
         virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"
for module in $modules; do
  find kernel/lib/modules -name "$module.ko*" -exec cp {} root/lib/ \;
  if [ -f "root/lib/$module.ko.xz" ]; then unxz "root/lib/$module.ko.xz"; fi
done
echo "$modules" > root/lib/order

cat > root/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
for module in $(cat /lib/order); do
  insmod /lib/$module.ko 2>/dev/null
done
say() { echo "cloud $*" > /dev/ttyS0; }
# The seed by its label, as cloud-init's ds-identify finds it. busybox
# has no blkid: the label is the primary volume descriptor's volume id
# (sector 16, bytes 40-71).
seed=
for i in $(seq 100); do
  for dev in /dev/sr* /dev/vd* /dev/sd*; do
    [ -b "$dev" ] || continue
    label=$(dd if="$dev" bs=1 skip=32808 count=32 2>/dev/null | tr -d ' \000')
    case "$label" in cidata|CIDATA) seed=$dev; break 2 ;; esac
  done
  sleep 0.2
done
if [ -z "$seed" ]; then
  say "no seed"
else
  say "label=$label"
  mount -t iso9660 -o ro "$seed" /mnt
  # The values are YAML double-quoted scalars: the test's have no escapes.
  user=$(sed -n 's/^  - name: "\(.*\)"$/\1/p' /mnt/user-data)
  key=$(sed -n '/ssh_authorized_keys:/{n;s/^      - "\(.*\)"$/\1/p}' /mnt/user-data)
  host=$(sed -n 's/^local-hostname: "\(.*\)"$/\1/p' /mnt/meta-data)
  say "user=$user key=$key"
  say "hostname=$host"
fi
for dev in /sys/block/sd* /sys/block/vd*; do
  [ -e "$dev/size" ] && say "disk=$(( $(cat "$dev/size") * 512 ))"
done
say "done"
poweroff -f
INIT
chmod 755 root/init

(cd root && find . | cpio -o -H newc --quiet | gzip -1) > "$cache/cloud-initrd.img.tmp"
cp kernel/boot/vmlinuz-* "$cache/cloud-vmlinuz.tmp"
mv "$cache/cloud-initrd.img.tmp" "$cache/cloud-initrd.img"
mv "$cache/cloud-vmlinuz.tmp" "$cache/cloud-vmlinuz"
chmod 644 "$cache/cloud-vmlinuz" "$cache/cloud-initrd.img"
echo "$version" > "$cache/cloud-version"
