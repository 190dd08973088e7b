/* hangar-host-model-private.h — the host model's operations and XML helpers, shared by its files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-host-model.h"
#include "hangar-xml.h"

G_BEGIN_DECLS

typedef struct _JobData JobData;

/* One operation, run in a connection job with @data->conn set: it either
 * changes something (an op) or reads something (a read; rows are sorted by
 * name before they are returned). */
typedef gboolean (*HangarHostOpFunc)   (JobData  *data,
                                        GError  **error);
typedef gpointer (*HangarHostReadFunc) (JobData  *data,
                                        GError  **error);

/* An operation and what it needs: the handle while it runs, and the
 * fields its public call filled in. */
struct _JobData
{
  HangarHostOpFunc    op;
  HangarHostReadFunc  read;
  GDestroyNotify      result_free;
  gboolean            rows;
  virConnectPtr     conn;         /* the job's, in the worker only */
  char             *caps_xml;     /* the connection's capabilities, for the overview */
  gboolean          local;
  gboolean          session;
  char             *name;
  char             *pool;
  char             *path;
  char             *format;
  guint64           capacity;
  HangarHostAction  action;
  gboolean          force;
  HangarNetworkForward forward;
  char             *network;
  char             *dhcp_start;
  char             *dhcp_end;
  HangarPoolType    pool_type;
  char             *source_host;
  char             *source_path;
  char             *devices;
  char             *source_name;
  char             *iqn;
  gboolean          build;
};

typedef struct
{
  char      *name;
  gboolean   active;
  GPtrArray *networks;    /* interface source networks */
  GPtrArray *files;       /* disk source files and block devices */
  GPtrArray *pool_vols;   /* "pool/volume" of <source pool= volume=> */
} DomainUse;

char *_hangar_host_read_ipv4 (xmlDoc     *doc,
                              const char *ip_path);

JobData *_hangar_host_op_new   (HangarHostOpFunc    op);
JobData *_hangar_host_read_new (HangarHostReadFunc  read,
                                GDestroyNotify      result_free);
JobData *_hangar_host_rows_new (HangarHostReadFunc  list);

void _hangar_host_start_job (HangarConnection    *connection,
                             JobData             *data,
                             gpointer             source_tag,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);

GPtrArray *_hangar_host_read_domain_uses (virConnectPtr   conn,
                                          gboolean        only_active,
                                          GError        **error);

gboolean _hangar_host_strings_contain (GPtrArray  *strings,
                                       const char *s);

GPtrArray *_hangar_host_list_networks (virConnectPtr   conn,
                                       GError        **error);

gboolean _hangar_host_network_create (JobData  *data,
                                      GError  **error);

gboolean _hangar_host_network_run (JobData  *data,
                                   GError  **error);

GPtrArray *_hangar_host_list_pools (virConnectPtr   conn,
                                    GError        **error);

GPtrArray *_hangar_host_list_volumes (virConnectPtr   conn,
                                      const char     *pool_name,
                                      GError        **error);

gboolean _hangar_host_pool_create (JobData  *data,
                                   GError  **error);

gboolean _hangar_host_pool_run (JobData  *data,
                                GError  **error);

gboolean _hangar_host_volume_create (JobData  *data,
                                     GError  **error);

gboolean _hangar_host_volume_delete (JobData  *data,
                                     GError  **error);

int _hangar_host_compare_rows (gconstpointer a,
                               gconstpointer b);

GPtrArray *_hangar_host_list_interfaces (JobData  *data,
                                         GError  **error);

G_END_DECLS
