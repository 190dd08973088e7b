/* hangar-domain-builder-private.h — what the domain builder's two files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-domain-builder.h"
#include "hangar-xml.h"

G_BEGIN_DECLS

/* libvirt-gconfig 4.0 has no autoptr support for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainOs, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainCpu, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainClock, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainTimer, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainPowerManagement, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDisk, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDiskDriver, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainControllerUsb, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainInterface, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChannel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainGraphicsSpice, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainGraphicsVnc, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainSound, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainVideo, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainRedirdev, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainMemballoon, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

/* libosinfo device ids: the legacy (transitional) and the virtio 1.0 id. */
#define DEV_VIRTIO_BLOCK      "http://pcisig.com/pci/1af4/1001"
#define DEV_VIRTIO1_BLOCK     "http://pcisig.com/pci/1af4/1042"
#define DEV_VIRTIO_NET        "http://pcisig.com/pci/1af4/1000"
#define DEV_VIRTIO1_NET       "http://pcisig.com/pci/1af4/1041"
#define DEV_VIRTIO_CONSOLE    "http://pcisig.com/pci/1af4/1003"
#define DEV_VIRTIO1_CONSOLE   "http://pcisig.com/pci/1af4/1043"
#define DEV_VIRTIO_BALLOON    "http://pcisig.com/pci/1af4/1002"
#define DEV_VIRTIO1_BALLOON   "http://pcisig.com/pci/1af4/1045"
#define DEV_VIRTIO_RNG        "http://pcisig.com/pci/1af4/1005"
#define DEV_VIRTIO1_RNG       "http://pcisig.com/pci/1af4/1044"
#define DEV_VIRTIO1_GPU       "http://pcisig.com/pci/1af4/1050"
#define DEV_QXL               "http://pcisig.com/pci/1b36/0100"
#define DEV_QEMU_XHCI         "http://pcisig.com/pci/1b36/0004"
#define DEV_E1000E            "http://pcisig.com/pci/8086/10d3"
#define DEV_E1000             "http://pcisig.com/pci/8086/100e"
#define DEV_ICH9_HDA          "http://pcisig.com/pci/8086/293e"
#define DEV_ICH6              "http://pcisig.com/pci/8086/2668"
#define DEV_AC97              "http://pcisig.com/pci/8086/2415"
#define DEV_Q35               "http://qemu.org/chipset/x86/q35"

/* What the builder decided, so each part reads one answer. */
typedef struct
{
  const HangarDomainSpec *spec;
  HangarBuildStage        stage;
  gboolean                kvm;
  gboolean                q35;
  gboolean                windows;
  gboolean                is_linux;
  gboolean                virtio_disk;
  gboolean                virtio_serial;
  guint                   next_sata;
  guint                   next_virtio;
} Plan;

gboolean _hangar_domain_builder_has_device  (const Plan *plan,
                                             const char *legacy_id,
                                             const char *modern_id);
void     _hangar_domain_builder_append_xml  (gpointer    object,
                                             const char *under,
                                             const char *fragment);
void     _hangar_domain_builder_add_devices (GVirConfigDomain *domain,
                                             Plan             *plan);

G_END_DECLS
