/* hangar-domain-builder.h — a libvirt domain definition from the wizard's choices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt-gconfig/libvirt-gconfig.h>

#include "hangar-domain-spec.h"

G_BEGIN_DECLS

/* libvirt-gconfig 4.0 has no autoptr support; src/libhangar/hangar-gconfig.h
 * defines the same cleanup under the same guard. */
#ifndef HANGAR_GCONFIG_AUTOPTR
#define HANGAR_GCONFIG_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
#endif
#ifndef HANGAR_GCONFIG_STORAGE_VOL_AUTOPTR
#define HANGAR_GCONFIG_STORAGE_VOL_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
#endif

#define HANGAR_DOMAIN_BUILDER_ERROR (hangar_domain_builder_error_quark ())

typedef enum
{
  HANGAR_DOMAIN_BUILDER_ERROR_NO_HOST,
  HANGAR_DOMAIN_BUILDER_ERROR_NAME,
  HANGAR_DOMAIN_BUILDER_ERROR_MEMORY,
  HANGAR_DOMAIN_BUILDER_ERROR_VCPUS,
  HANGAR_DOMAIN_BUILDER_ERROR_NO_MEDIA,
  HANGAR_DOMAIN_BUILDER_ERROR_NO_DISK,
  HANGAR_DOMAIN_BUILDER_ERROR_NEEDS_CONVERSION,
  HANGAR_DOMAIN_BUILDER_ERROR_NO_NETWORK,
  HANGAR_DOMAIN_BUILDER_ERROR_NO_UEFI,
  HANGAR_DOMAIN_BUILDER_ERROR_NO_SECURE_BOOT,
  HANGAR_DOMAIN_BUILDER_ERROR_NO_TPM,
} HangarDomainBuilderError;

GQuark            hangar_domain_builder_error_quark (void);
GVirConfigDomain *hangar_domain_builder_build       (const HangarDomainSpec  *spec,
                                                     HangarBuildStage         stage,
                                                     GError                 **error);
char             *hangar_domain_builder_to_xml      (const HangarDomainSpec  *spec,
                                                     HangarBuildStage         stage,
                                                     GError                 **error);

GVirConfigStorageVol *hangar_domain_builder_build_volume (const HangarDomainSpec  *spec,
                                                          GError                 **error);

G_END_DECLS
