/* hangar-host-model-private.h — the host model's jobs and XML helpers, shared by its files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-host-model.h"
#include "hangar-xml.h"

G_BEGIN_DECLS

typedef enum
{
  JOB_OVERVIEW,
  JOB_USAGE,
  JOB_LIST_NETWORKS,
  JOB_LIST_POOLS,
  JOB_LIST_VOLUMES,
  JOB_LIST_INTERFACES,
  JOB_NETWORK_CREATE,
  JOB_NETWORK_RUN,
  JOB_POOL_CREATE,
  JOB_POOL_RUN,
  JOB_VOLUME_CREATE,
  JOB_VOLUME_DELETE,
} Job;

typedef struct
{
  Job               job;
  virConnectPtr     conn;
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
} JobData;

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

JobData *_hangar_host_job_data_new (Job job);

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
