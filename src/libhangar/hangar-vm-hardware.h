/* hangar-vm-hardware.h — adding devices to a machine and removing them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"
#include "hangar-vm-config.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_HW_DISK_NEW,       /* a new qcow2 volume in a pool */
  HANGAR_HW_DISK_EXISTING,  /* a file or block device already there */
  HANGAR_HW_CDROM,          /* empty, or an ISO */
  HANGAR_HW_NIC,
  HANGAR_HW_INPUT,
  HANGAR_HW_GRAPHICS,
  HANGAR_HW_SOUND,
  HANGAR_HW_SERIAL,
  HANGAR_HW_CHANNEL,
  HANGAR_HW_VIDEO,
  HANGAR_HW_WATCHDOG,
  HANGAR_HW_RNG,
  HANGAR_HW_TPM,
  HANGAR_HW_USB_HOST,
  HANGAR_HW_PCI_HOST,       /* a host PCI device, passed through (VFIO) */
  HANGAR_HW_FILESYSTEM,     /* a host folder shared with the guest */
} HangarHardwareKind;

typedef struct
{
  HangarHardwareKind  kind;
  char               *pool;      /* DISK_NEW: the pool to create the volume in */
  guint64             size_mib;  /* DISK_NEW */
  char               *path;      /* DISK_EXISTING; CDROM (NULL: an empty drive);
                                    FILESYSTEM: the host folder */
  char               *bus;       /* disks: virtio, sata, scsi, usb; NULL: virtio (sata for a CD) */
  char               *type;      /* NIC: network, bridge; INPUT: tablet, keyboard, mouse;
                                    GRAPHICS: vnc, spice; CHANNEL: qemu-ga, spice-vdagent,
                                    qemu-vdagent (a VNC console's clipboard);
                                    FILESYSTEM: virtiofs, 9p */
  char               *source;    /* NIC: the network or bridge; PCI_HOST: the address,
                                    0000:01:00.0; FILESYSTEM: the tag the guest mounts */
  char               *model;     /* NIC, SOUND, VIDEO, WATCHDOG models; NULL: a default */
  char               *vendor;    /* USB_HOST: "0x1d6b" */
  char               *product;   /* USB_HOST: "0x0002" */
  gboolean            remote;    /* GRAPHICS: the machine's host is not this one (the
                                    console then needs a port and gets a password);
                                    hangar_vm_add_hardware_async() sets it */
} HangarHardwareSpec;

typedef struct
{
  char *vendor;
  char *product;
  char *description;   /* "Linux Foundation 2.0 root hub" */
} HangarUsbDevice;

typedef struct
{
  char *address;       /* 0000:01:00.0 */
  char *description;   /* "0000:01:00.0 Intel Corporation 82574L Gigabit Network Connection" */
} HangarPciDevice;

typedef struct
{
  GPtrArray *usb_devices;     /* HangarUsbDevice */
  GPtrArray *pci_devices;     /* HangarPciDevice: endpoints, not bridges */
  char     **pools;           /* active pools for new disks */
  char     **networks;        /* virtual networks */
  gboolean   tpm_emulator;    /* swtpm is there: an emulated TPM can be added */
  gboolean   virtiofs;        /* virtiofsd is there: folders can be shared with virtiofs */
} HangarHardwareHost;

void     hangar_hardware_spec_clear   (HangarHardwareSpec *spec);
void     hangar_usb_device_free       (HangarUsbDevice    *device);
void     hangar_pci_device_free       (HangarPciDevice    *device);
void     hangar_hardware_host_free    (HangarHardwareHost *host);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HangarHardwareSpec, hangar_hardware_spec_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarHardwareHost, hangar_hardware_host_free)

char    *hangar_hardware_device_xml   (const HangarHardwareSpec *spec,
                                       const char               *target,
                                       GError                  **error);
char    *hangar_hardware_next_target  (const char               *domain_xml,
                                       const char               *bus);
gboolean hangar_hardware_check        (const HangarHardwareSpec *spec,
                                       const char               *domain_xml,
                                       GError                  **error);
gboolean hangar_hardware_can_hotplug  (const HangarHardwareSpec *spec);

void     hangar_vm_hardware_host_async   (HangarVm                 *vm,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data);
HangarHardwareHost *hangar_vm_hardware_host_finish (HangarVm      *vm,
                                                    GAsyncResult  *result,
                                                    GError       **error);

/* Both finish with hangar_vm_config_apply_finish(). */
void     hangar_vm_add_hardware_async    (HangarVm                 *vm,
                                          const HangarHardwareSpec *spec,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data);
void     hangar_vm_remove_hardware_async (HangarVm                 *vm,
                                          const char               *device_xml,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data);

G_END_DECLS
