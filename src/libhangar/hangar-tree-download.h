/* hangar-tree-download.h — what a network install may fetch: redirects,
 * paths inside the tree, and the checksums a .treeinfo lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Limits on what a server may send: the kernel and initrd are tens of
 * MiB, so 1 GiB is generous and still bounded. */
#define HANGAR_TREE_DOWNLOAD_MAX_BYTES   (G_GINT64_CONSTANT (1) << 30)
#define HANGAR_TREE_DOWNLOAD_MAX_TREEINFO (G_GINT64_CONSTANT (1) << 20)
#define HANGAR_HTTP_MAX_HEADER_LINE      8192
#define HANGAR_HTTP_MAX_HEADERS          100

gboolean hangar_tree_download_same_origin    (const char     *tree_url,
                                              const char     *url,
                                              GError        **error);
gboolean hangar_tree_download_inside_tree    (const char     *tree_url,
                                              const char     *url,
                                              GError        **error);
gboolean hangar_treeinfo_parse_checksum      (const char     *value,
                                              GChecksumType  *type,
                                              char          **hex,
                                              GError        **error);
gboolean hangar_treeinfo_find_checksum       (const char     *treeinfo,
                                              gsize           length,
                                              const char     *path,
                                              GChecksumType  *type,
                                              char          **hex,
                                              GError        **error);

G_END_DECLS
