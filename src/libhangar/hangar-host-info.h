/* hangar-host-info.h — what the new-machine wizard needs to know about a host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-connection.h"
#include "hangar-domain-spec.h"

G_BEGIN_DECLS

/* The pool a new machine's disk goes into when nothing else is chosen. */
#define HANGAR_DEFAULT_POOL "default"

typedef struct
{
  char     *name;
  char     *path;       /* the pool's directory, NULL when it has none */
  guint64   capacity;   /* bytes */
  guint64   available;  /* bytes */
  gboolean  active;
  gboolean  planned;    /* does not exist yet: the creator makes it */
} HangarPoolInfo;

typedef struct
{
  HangarConnectionKind  kind;
  gboolean              local;
  HangarHostCaps       *caps;
  guint64               memory_mib;      /* the host's memory */
  guint64               free_memory_mib;
  guint                 cpus;
  char                **domain_names;    /* every machine, running or not */
  GPtrArray            *pools;           /* HangarPoolInfo; the default one always first */
  char                **networks;        /* libvirt networks */
} HangarHostInfo;

void            hangar_pool_info_free        (HangarPoolInfo  *pool);
void            hangar_host_info_free        (HangarHostInfo  *info);
HangarPoolInfo *hangar_host_info_find_pool   (HangarHostInfo  *info,
                                              const char      *name);
char           *hangar_host_info_default_pool_path (HangarConnectionKind kind);
HangarConnectionKind hangar_host_info_kind_for_uri (const char *uri);

void            hangar_host_info_query_async  (HangarConnection     *connection,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
HangarHostInfo *hangar_host_info_query_finish (HangarConnection     *connection,
                                               GAsyncResult         *result,
                                               GError              **error);

void            hangar_host_info_disk_users_async  (HangarConnection     *connection,
                                                    const char           *path,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char          **hangar_host_info_disk_users_finish (HangarConnection     *connection,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarHostInfo, hangar_host_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarPoolInfo, hangar_pool_info_free)

G_END_DECLS
