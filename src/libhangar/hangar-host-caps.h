/* hangar-host-caps.h — what a host can run, read from libvirt's capabilities.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HANGAR_HOST_CAPS_ERROR (hangar_host_caps_error_quark ())

typedef enum
{
  HANGAR_HOST_CAPS_ERROR_PARSE,
  HANGAR_HOST_CAPS_ERROR_NO_GUEST,
} HangarHostCapsError;

/* Plain data, filled by the parsers below (or by hand in tests). */
typedef struct
{
  char     *arch;             /* guest architecture, the host's own: "x86_64" */
  gboolean  has_kvm;          /* a <domain type='kvm'/> is offered for @arch */
  char     *emulator;         /* e.g. /usr/bin/qemu-system-x86_64 */
  char    **machines;         /* machine types and their aliases ("pc", "q35", …) */
  gboolean  has_uefi;         /* OVMF firmware is installed */
  gboolean  has_secure_boot;  /* an OVMF build with Secure Boot is installed */
  gboolean  has_tpm_emulator; /* swtpm is installed */
  char     *virtio_win_iso;   /* path of the virtio-win driver ISO, or NULL */
  char    **hyperv_features;  /* Hyper-V enlightenments KVM offers; NULL: not known */
  gboolean  has_qemu_vdagent; /* QEMU's own clipboard agent (qemu-vdagent chardev, QEMU 6.1) */
} HangarHostCaps;

#define HANGAR_TYPE_HOST_CAPS (hangar_host_caps_get_type ())

GType           hangar_host_caps_get_type           (void) G_GNUC_CONST;
GQuark          hangar_host_caps_error_quark        (void);
HangarHostCaps *hangar_host_caps_new                (void);
HangarHostCaps *hangar_host_caps_copy               (const HangarHostCaps  *caps);
void            hangar_host_caps_free               (HangarHostCaps        *caps);
gboolean        hangar_host_caps_parse              (HangarHostCaps        *caps,
                                                     const char            *capabilities_xml,
                                                     GError               **error);
gboolean        hangar_host_caps_parse_domain_caps  (HangarHostCaps        *caps,
                                                     const char            *domain_caps_xml,
                                                     GError               **error);
void            hangar_host_caps_set_hypervisor_version (HangarHostCaps *caps,
                                                     unsigned long          version);
void            hangar_host_caps_probe_files        (HangarHostCaps        *caps,
                                                     const char            *root);
gboolean        hangar_host_caps_has_machine        (const HangarHostCaps  *caps,
                                                     const char            *machine);
gboolean        hangar_host_caps_has_hyperv         (const HangarHostCaps  *caps,
                                                     const char            *feature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarHostCaps, hangar_host_caps_free)

G_END_DECLS
