/* hangar-install-checks.h — the new-machine wizard's field checks: install
 * media, disk images to import, memory and disk sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-domain-spec.h"

G_BEGIN_DECLS

#define HANGAR_INSTALL_CHECK_ERROR (hangar_install_check_error_quark ())

typedef enum
{
  HANGAR_INSTALL_CHECK_ERROR_EMPTY,
  HANGAR_INSTALL_CHECK_ERROR_NOT_FOUND,
  HANGAR_INSTALL_CHECK_ERROR_UNREADABLE,
  HANGAR_INSTALL_CHECK_ERROR_NOT_ISO,
  HANGAR_INSTALL_CHECK_ERROR_UNKNOWN_FORMAT,
  HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL,
  HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE,
  HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE,
} HangarInstallCheckError;

GQuark   hangar_install_check_error_quark (void);
gboolean hangar_install_check_iso         (const char        *path,
                                           GError           **error);
gboolean hangar_install_check_image       (const char        *path,
                                           HangarDiskFormat  *format,
                                           GError           **error);
/* hangar-image-check.c */
gboolean hangar_install_check_image_info  (const char        *info,
                                           gssize             length,
                                           const char        *path,
                                           HangarDiskFormat   format,
                                           GError           **error);
gboolean hangar_install_inspect_image     (const char        *path,
                                           HangarDiskFormat   format,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean hangar_install_check_memory      (guint64            memory_mib,
                                           guint64            host_memory_mib,
                                           GError           **error);
gboolean hangar_check_memory_allocation   (guint64            current_mib,
                                           guint64            maximum_mib,
                                           guint64            host_memory_mib,
                                           gboolean          *current_at_fault,
                                           GError           **error);
gboolean hangar_install_check_disk_size   (guint64            capacity_gib,
                                           guint64            pool_available_bytes,
                                           GError           **error);

G_END_DECLS
