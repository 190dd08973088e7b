/* hangar-os.h — libosinfo for the wizard: the database, search, generic
 * fallbacks and detection from install media and trees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define HANGAR_OS_ERROR (hangar_os_error_quark ())

typedef enum
{
  HANGAR_OS_ERROR_DATABASE,
  HANGAR_OS_ERROR_NOT_BOOTABLE,
  HANGAR_OS_ERROR_NO_TREE,
} HangarOsError;

GQuark      hangar_os_error_quark   (void);
OsinfoDb   *hangar_os_get_db        (GError       **error);
OsinfoDb   *hangar_os_load_db       (const char    *path,
                                     GError       **error);
OsinfoOs   *hangar_os_find          (OsinfoDb      *db,
                                     const char    *short_id);
GPtrArray  *hangar_os_search        (OsinfoDb      *db,
                                     const char    *text,
                                     guint          max_results);
OsinfoOs   *hangar_os_find_generic  (OsinfoDb      *db,
                                     const char    *family);
char       *hangar_os_name_for_id   (OsinfoDb      *db,
                                     const char    *id);
OsinfoOs   *hangar_os_identify_iso  (OsinfoDb      *db,
                                     const char    *path,
                                     GCancellable  *cancellable,
                                     GError       **error);
OsinfoTree *hangar_os_identify_tree (OsinfoDb      *db,
                                     const char    *url,
                                     GCancellable  *cancellable,
                                     GError       **error);
gboolean    hangar_os_tree_prepare  (OsinfoDb      *db,
                                     OsinfoTree    *tree,
                                     const char    *url,
                                     GError       **error);
char       *hangar_os_tree_resolve  (OsinfoTree    *tree,
                                     const char    *relative_path,
                                     GError       **error);

G_END_DECLS
