#!/usr/bin/env python3
# make-seeds.py — writes the fuzz targets' seed corpora (tests/fuzz/corpus/).
#
# The seeds are small, valid or nearly valid inputs that take each target
# deep into its parser at once; libFuzzer mutates from there. Run it again
# after changing it; the files are committed so a build needs no Python.
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import struct
import zlib

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')


def write(target, name, data):
    d = os.path.join(here, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


# --- VNC clipboard: mode byte, chunking seed, then the server's bytes ---

def server_init(name=b'QEMU (guest)'):
    pixel_format = bytes([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0])
    return struct.pack('>HH', 1024, 768) + pixel_format + struct.pack('>I', len(name)) + name


def extended(flags, payload=b''):
    body = struct.pack('>I', flags) + payload
    return bytes([3, 0, 0, 0]) + struct.pack('>i', -len(body)) + body


CAPS, REQUEST, PEEK, NOTIFY, PROVIDE, TEXT = 1 << 24, 1 << 25, 1 << 26, 1 << 27, 1 << 28, 1


def provide(text):
    raw = text.encode() + b'\0'
    return extended(PROVIDE | TEXT, zlib.compress(struct.pack('>I', len(raw)) + raw))


handshake_38 = b'RFB 003.008\n' + bytes([1, 1]) + struct.pack('>I', 0) + server_init()
messages = (extended(CAPS | TEXT, struct.pack('>I', 1 << 20))
            + extended(NOTIFY | TEXT)
            + provide('hello from the guest\r\nsecond line')
            + bytes([2])                                        # Bell
            + bytes([1, 0, 0, 0, 0, 2]) + bytes(12)             # SetColourMapEntries
            + bytes([3, 0, 0, 0]) + struct.pack('>I', 5) + b'latin'
            + extended(PEEK))
write('fuzz-vnc-clipboard', 'rfb38-none', bytes([0, 1, 2, 3, 4]) + handshake_38 + messages)
write('fuzz-vnc-clipboard', 'rfb38-vnc-auth', bytes([1, 9, 8, 7, 6]) + b'RFB 003.008\n'
      + bytes([2, 2, 1]) + bytes(range(16)) + struct.pack('>I', 0) + server_init() + messages)
write('fuzz-vnc-clipboard', 'rfb38-auth-failed', bytes([1, 0, 0, 0, 1]) + b'RFB 003.008\n'
      + bytes([1, 2]) + bytes(range(16)) + struct.pack('>II', 1, 6) + b'denied')
write('fuzz-vnc-clipboard', 'rfb33', bytes([2, 0, 0, 1, 0]) + b'RFB 003.003\n'
      + struct.pack('>I', 1) + server_init(b'QEMU') + provide('from the client\r\n'))
write('fuzz-vnc-clipboard', 'rfb37-too-big', bytes([0, 5, 5, 5, 5]) + b'RFB 003.007\n'
      + bytes([1, 1]) + server_init()
      + bytes([3, 0, 0, 0]) + struct.pack('>i', -(9 * 1024 * 1024)) + struct.pack('>I', PROVIDE)
      + bytes(2000) + bytes([2]))
write('fuzz-vnc-clipboard', 'provided-direct', bytes([4, 1, 1, 1, 1])
      + struct.pack('>I', PROVIDE | TEXT)
      + zlib.compress(struct.pack('>I', 6) + b'hi\r\nx\0'))

# --- domain XML: what libvirt gives, and what guests and users put in ---

domain = """<domain type='kvm' id='3'>
  <name>web &amp; db</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <title>A &lt;b&gt;title&lt;/b&gt;</title>
  <description>Line one
line two</description>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/11"/>
    </libosinfo:libosinfo>
    <evil:x xmlns:evil="urn:x"><graphics type='vnc' port='1'/><disk/></evil:x>
  </metadata>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='GiB'>1</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os firmware='efi'>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <kernel>/boot/vmlinuz</kernel><initrd>/boot/initrd</initrd><cmdline>console=ttyS0</cmdline>
    <boot dev='hd'/><boot dev='cdrom'/>
  </os>
  <cpu mode='custom'><model>Skylake-Client</model></cpu>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='/var/lib/libvirt/images/web.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>
    <interface type='network'>
      <mac address='52:54:00:12:34:56'/><source network='default'/><model type='virtio'/>
    </interface>
    <controller type='usb' index='0' model='qemu-xhci'/>
    <controller type='pci' index='0' model='pcie-root'/>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <input type='tablet' bus='usb'/>
    <graphics type='spice' port='5900' tlsPort='5901' autoport='no' listen='127.0.0.1' passwd='a&amp;b&quot;c'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <graphics type='vnc' port='-1' autoport='yes'/>
    <sound model='ich9'/>
    <video><model type='qxl' ram='65536' vram='65536' heads='1'/></video>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source>
    </hostdev>
    <filesystem type='mount'><source dir='/srv'/><target dir='srv'/></filesystem>
    <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <watchdog model='i6300esb' action='reset'/>
    <redirdev bus='usb' type='spicevmc'/>
    <memballoon model='virtio'/>
  </devices>
</domain>
"""
write('fuzz-domain-xml', 'full', domain)
write('fuzz-domain-xml', 'minimal', "<domain type='qemu'><name>a</name><memory>1024</memory>"
      "<os><type>hvm</type></os><devices/></domain>")
write('fuzz-domain-xml', 'vnc-only', "<domain type='kvm'><name>\u00e9\u00e8 \U0001F680</name>"
      "<devices><graphics type='vnc' port='5900' listen='::1' passwd='x'/>"
      "<graphics type='rdp'/></devices></domain>")
write('fuzz-domain-xml', 'entities', "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY e 'x'>]>"
      "<domain><name>&e;&#x1;</name><devices><disk device='floppy'><target/></disk>"
      "<interface type='bridge'><source bridge='br0'/></interface></devices></domain>")
write('fuzz-domain-xml', 'not-a-domain', "<network><name>default</name></network>")
# What the target found: libvirt-gconfig crashed on an empty document and
# logged a critical for a device type newer than it.
write('fuzz-domain-xml', 'found-empty', "")
write('fuzz-domain-xml', 'found-unknown-type', "<domain type='kvm'><devices>"
      "<filesystem type='volume'><source pool='p' volume='v'/></filesystem>"
      "<graphics type='vnc' port='5900'/></devices></domain>")

# --- .treeinfo: first byte picks the base URL ---

write('fuzz-treeinfo', 'fedora', "\0[general]\nfamily = Fedora\nversion = 37\narch = x86_64\n"
      "variant = Everything\n\n[images-x86_64]\nkernel = images/pxeboot/vmlinuz\n"
      "initrd = images/pxeboot/initrd.img\n")
write('fuzz-treeinfo', 'productmd', "\1[header]\ntype = productmd.treeinfo\nversion = 1.2\n\n"
      "[release]\nname = CentOS Stream\nshort = CentOS-Stream\nversion = 9\n\n"
      "[tree]\narch = x86_64\nplatforms = x86_64,xen\n\n"
      "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n"
      "boot.iso = images/boot.iso\n\n[images-xen]\nkernel = images/pxeboot/vmlinuz\n"
      "initrd = images/pxeboot/initrd.img\n")
write('fuzz-treeinfo', 'bad-escape', "\2[general]\nfamily = Fedora\nversion = 37\narch = x86_64\n\n"
      "[images-x86_64]\nkernel = images/%zz\ninitrd = ../../../etc/%2e%2e/initrd\n")
write('fuzz-treeinfo', 'absolute', "\0[general]\nfamily = Debian\nversion = 11\narch = x86_64\n\n"
      "[images-x86_64]\nkernel = http://other.example/vmlinuz\ninitrd = //host/initrd\n")
write('fuzz-treeinfo', 'no-images', "\1[general]\nfamily = x\n")

# --- URIs; a newline splits user and host for the builder ---

for i, uri in enumerate([
        "qemu:///system",
        "qemu+ssh://root@host.example:2222/system?keyfile=/root/.ssh/id&no_verify=1",
        "qemu+tls://[fe80::1%25eth0]:16514/session",
        "lxc:///",
        "test:///default",
        "qemu+ssh://-oProxyCommand=x/system",
        "xen+tcp://%2Dhost/",
        "alice\nhost.example:22",
        "\n[::1]:2222",
        "-l\n-host"]):
    write('fuzz-uri', 'uri-%d' % i, uri)

# --- display bounds: width, height, stride, then rectangles (big endian) ---

def rects(*rs):
    return b''.join(struct.pack('>iiii', *r) for r in rs)


INT_MAX = 2 ** 31 - 1
write('fuzz-display-bounds', 'vga', struct.pack('>iii', 640, 480, 2560)
      + rects((0, 0, 640, 480), (300, 300, 64, 64), (255, 255, 2, 2)))
write('fuzz-display-bounds', 'overflow', struct.pack('>iii', 1024, 768, 4096)
      + rects((INT_MAX - 9, 0, 100, 10), (0, 0, INT_MAX, INT_MAX), (-INT_MAX, 0, INT_MAX, 10)))
write('fuzz-display-bounds', 'negative', struct.pack('>iii', 320, 200, 1280)
      + rects((10, 10, -5, 10), (-500, -500, 10, 10), (-1, -1, 2, 2)))
write('fuzz-display-bounds', 'huge-server', struct.pack('>iii', 65535, 65535, 65535 * 4)
      + rects((0, 0, 100, 100)))
write('fuzz-display-bounds', 'zero', struct.pack('>iii', 0, 100, 0) + rects((0, 0, 1, 1)))
write('fuzz-display-bounds', 'padded-stride', struct.pack('>iii', 100, 1000, 512)
      + rects((99, 999, 1, 1), (50, 0, 100, 2000)))
