/* hangar-domain-spec.h — the choices made in the new-machine wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <osinfo/osinfo.h>

#include "hangar-cloud-init.h"
#include "hangar-host-caps.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_CONNECTION_KIND_SYSTEM,  /* qemu:///system and remote /system */
  HANGAR_CONNECTION_KIND_SESSION, /* qemu:///session */
} HangarConnectionKind;

typedef enum
{
  HANGAR_INSTALL_ISO,     /* an ISO file or a host CD/DVD drive */
  HANGAR_INSTALL_TREE,    /* a distribution tree: kernel + initrd + URL */
  HANGAR_INSTALL_PXE,     /* network boot */
  HANGAR_INSTALL_IMPORT,  /* an existing disk image */
  HANGAR_INSTALL_MANUAL,  /* no media */
  HANGAR_INSTALL_CLOUD,   /* a cloud image and a cloud-init seed */
} HangarInstallMethod;

typedef enum
{
  HANGAR_DISK_FORMAT_QCOW2,
  HANGAR_DISK_FORMAT_RAW,
  HANGAR_DISK_FORMAT_VDI,
  HANGAR_DISK_FORMAT_VMDK,
} HangarDiskFormat;

typedef enum
{
  HANGAR_DISK_NONE,
  HANGAR_DISK_NEW,      /* a volume the create step makes in a pool */
  HANGAR_DISK_EXISTING, /* a volume or file that is already there */
} HangarDiskMode;

typedef enum
{
  HANGAR_NETWORK_NONE,
  HANGAR_NETWORK_VIRTUAL, /* a libvirt network, "default" (NAT) normally */
  HANGAR_NETWORK_USER,    /* user-mode (slirp/passt), for session connections */
  HANGAR_NETWORK_BRIDGE,  /* a host bridge by name */
} HangarNetworkMode;

typedef enum
{
  HANGAR_FIRMWARE_BIOS,
  HANGAR_FIRMWARE_UEFI,
} HangarFirmware;

/* The console's protocol. SPICE brings the agent (clipboard, resizing),
 * sound and USB redirection; VNC is the one more clients speak, and gets
 * a clipboard from QEMU's own agent where QEMU has it. */
typedef enum
{
  HANGAR_CONSOLE_SPICE,
  HANGAR_CONSOLE_VNC,
} HangarConsoleProtocol;

/* QEMU's own agent on the SPICE agent's port, clipboard on: a VNC
 * console's clipboard (QEMU ≥ 6.1). The mouse stays with the machine's
 * own pointer devices. */
#define HANGAR_QEMU_VDAGENT_CHANNEL_XML \
  "<channel type='qemu-vdagent'>" \
    "<source><clipboard copypaste='yes'/><mouse mode='server'/></source>" \
    "<target type='virtio' name='com.redhat.spice.0'/>" \
  "</channel>"

/* Which definition the builder writes. The create step defines FINAL and
 * starts INSTALL once (virDomainCreateXML, same name and UUID); when the
 * installer powers off or reboots, the machine stops and the persistent
 * FINAL definition is what runs from then on. */
typedef enum
{
  HANGAR_BUILD_STAGE_INSTALL,
  HANGAR_BUILD_STAGE_FINAL,
} HangarBuildStage;

typedef struct
{
  HangarConnectionKind  connection_kind;
  HangarInstallMethod   install_method;

  /* HANGAR_INSTALL_ISO */
  char                 *iso_path;        /* ISO file or /dev/sr0 */

  /* HANGAR_INSTALL_TREE: kernel and initrd already downloaded to the host.
   * An express HANGAR_INSTALL_ISO install sets the kernel, initrd and
   * command line too: the installer's, out of the ISO (the creator does). */
  char                 *tree_url;
  char                 *kernel_path;
  char                 *initrd_path;
  char                 *extra_cmdline;   /* nullable */
  /* nullable: an express Windows install's answers (autounattend.xml) on
   * a disc of their own, in the install boot only */
  char                 *answers_iso_path;

  /* HANGAR_INSTALL_IMPORT */
  char                 *import_path;
  HangarDiskFormat      import_format;
  char                 *import_converted_path; /* qcow2 made from a VDI/VMDK */

  /* HANGAR_INSTALL_CLOUD: a qcow2 cloud image on this computer, copied
   * into the pool as a standalone disk of disk_capacity_gib (disk_path
   * once made), and the first boot's settings, written as a NoCloud seed
   * ISO beside it (cloud_seed_path once made) and attached as a CD-ROM. */
  char                 *cloud_image_path;
  HangarCloudInit      *cloud_init;
  char                 *cloud_seed_path;

  OsinfoOs             *os;              /* nullable: generic */

  char                 *name;
  char                 *uuid;            /* nullable: libvirt picks one */
  guint64               memory_mib;
  guint                 vcpus;

  /* Ignored for imports: the imported image is the disk. */
  HangarDiskMode        disk_mode;
  char                 *disk_path;       /* where the new volume will be, or the existing one */
  HangarDiskFormat      disk_format;
  guint64               disk_capacity_gib;

  HangarNetworkMode     network_mode;
  char                 *network_source;  /* network name or bridge name */

  /* QEMU's emulator (TCG) even where KVM is offered: for hosts whose KVM
   * cannot run the guest, such as some nested set-ups. */
  gboolean              force_emulation;

  HangarFirmware        firmware;
  gboolean              secure_boot;
  gboolean              tpm;

  HangarConsoleProtocol console;

  HangarHostCaps       *caps;

  /* Whether the connection reaches another host (the console then comes
   * through ssh to the host's loopback, with a password), or this one
   * (no listening port at all: libvirt hands Hangar the console's socket). */
  gboolean              remote;
  /* nullable: the console's password on a remote host; the builder makes
   * one up when it is NULL. Set it once so that the install and final
   * definitions agree. */
  char                 *graphics_password;
} HangarDomainSpec;

#define HANGAR_TYPE_DOMAIN_SPEC (hangar_domain_spec_get_type ())

GType             hangar_domain_spec_get_type          (void) G_GNUC_CONST;
HangarDomainSpec *hangar_domain_spec_new               (void);
HangarDomainSpec *hangar_domain_spec_copy              (const HangarDomainSpec *spec);
void              hangar_domain_spec_free              (HangarDomainSpec       *spec);
void              hangar_domain_spec_set_os            (HangarDomainSpec       *spec,
                                                        OsinfoOs               *os);
void              hangar_domain_spec_set_caps          (HangarDomainSpec       *spec,
                                                        const HangarHostCaps   *caps);
void              hangar_domain_spec_apply_os_defaults (HangarDomainSpec       *spec);

gboolean          hangar_domain_spec_is_windows        (const HangarDomainSpec *spec);
gboolean          hangar_domain_spec_os_needs_tpm      (const HangarDomainSpec *spec);
gboolean          hangar_domain_spec_os_needs_uefi     (const HangarDomainSpec *spec);
gboolean          hangar_domain_spec_os_has_device     (const HangarDomainSpec *spec,
                                                        const char             *device_id);

char             *hangar_domain_spec_new_graphics_password (void);

const char       *hangar_disk_format_to_string         (HangarDiskFormat        format);
gboolean          hangar_disk_format_needs_conversion  (HangarDiskFormat        format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDomainSpec, hangar_domain_spec_free)

G_END_DECLS
