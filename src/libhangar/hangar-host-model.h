/* hangar-host-model.h — one host's own resources: overview, usage, virtual
 * networks, storage and network interfaces. Every call that reaches the
 * daemon runs in a GTask worker; results are plain objects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"
#include "hangar-host-checks.h"

G_BEGIN_DECLS

/* --- rows: plain data, read in one go by a worker ----------------------------------- */

#define HANGAR_TYPE_HOST_NETWORK (hangar_host_network_get_type ())
G_DECLARE_FINAL_TYPE (HangarHostNetwork, hangar_host_network, HANGAR, HOST_NETWORK, GObject)

struct _HangarHostNetwork
{
  GObject   parent_instance;
  char     *name;
  gboolean  active;
  gboolean  autostart;
  gboolean  persistent;
  char     *forward;     /* "nat", "route", "open", "bridge", …; NULL: isolated */
  char     *bridge;
  char     *ipv4;        /* "192.168.122.1/24", or NULL */
  char     *dhcp_start;
  char     *dhcp_end;
  char    **users;       /* running machines with an interface on it */
};

#define HANGAR_TYPE_HOST_POOL (hangar_host_pool_get_type ())
G_DECLARE_FINAL_TYPE (HangarHostPool, hangar_host_pool, HANGAR, HOST_POOL, GObject)

struct _HangarHostPool
{
  GObject   parent_instance;
  char     *name;
  char     *type;        /* "dir", "fs", "netfs", "logical", "iscsi", "disk", … */
  char     *path;        /* the target path */
  char     *source;      /* where the storage is: "server:/export", a device, a volume
                            group; NULL for folders */
  gboolean  active;
  gboolean  autostart;
  gboolean  persistent;
  guint64   capacity;    /* bytes; 0 while inactive */
  guint64   allocation;
  guint64   available;
};

#define HANGAR_TYPE_HOST_VOLUME (hangar_host_volume_get_type ())
G_DECLARE_FINAL_TYPE (HangarHostVolume, hangar_host_volume, HANGAR, HOST_VOLUME, GObject)

struct _HangarHostVolume
{
  GObject   parent_instance;
  char     *pool;
  char     *name;
  char     *path;
  char     *format;      /* "qcow2", "raw", "iso", …, or NULL */
  guint64   capacity;
  guint64   allocation;
  char    **users;       /* machines (running or not) with it as a disk */
};

#define HANGAR_TYPE_HOST_INTERFACE (hangar_host_interface_get_type ())
G_DECLARE_FINAL_TYPE (HangarHostInterface, hangar_host_interface, HANGAR, HOST_INTERFACE, GObject)

struct _HangarHostInterface
{
  GObject   parent_instance;
  char     *name;
  char     *mac;
  char     *kind;        /* "ethernet", "bridge", … or NULL */
  char     *ipv4;        /* "10.0.0.2/24" or NULL */
  gboolean  active;
};

/* --- the overview ---------------------------------------------------------------------- */

typedef struct
{
  char            *hostname;
  char            *hypervisor;          /* "QEMU" */
  char            *hypervisor_version;  /* "7.2.0" */
  char            *libvirt_version;     /* the daemon's: "9.0.0" */
  char            *arch;                /* "x86_64" */
  char            *cpu_model;           /* "Skylake-Client-IBRS", or NULL */
  char            *cpu_vendor;          /* "Intel", or NULL */
  guint            cpus;
  guint            mhz;
  guint            sockets;
  guint            cores;
  guint            threads;
  guint64          memory_kib;
  HangarVirtFacts  virt;
} HangarHostOverview;

void hangar_host_overview_free (HangarHostOverview *overview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarHostOverview, hangar_host_overview_free)

/* One sample of the whole host's use; CPU times in nanoseconds. */
typedef struct
{
  guint64 cpu_busy;
  guint64 cpu_total;
  guint64 memory_total_kib;
  guint64 memory_used_kib;
} HangarHostUsage;

typedef enum
{
  HANGAR_HOST_ACTION_START,
  HANGAR_HOST_ACTION_STOP,
  HANGAR_HOST_ACTION_REFRESH,       /* pools only */
  HANGAR_HOST_ACTION_AUTOSTART_ON,
  HANGAR_HOST_ACTION_AUTOSTART_OFF,
  HANGAR_HOST_ACTION_DELETE,
} HangarHostAction;

void                hangar_host_read_overview_async  (HangarConnection     *connection,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
HangarHostOverview *hangar_host_read_overview_finish (GAsyncResult         *result,
                                                      GError              **error);
void                hangar_host_read_usage_async     (HangarConnection     *connection,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean            hangar_host_read_usage_finish    (GAsyncResult         *result,
                                                      HangarHostUsage      *usage,
                                                      GError              **error);

/* Lists: finished with hangar_host_list_finish(). */
void       hangar_host_list_networks_async   (HangarConnection     *connection,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void       hangar_host_list_pools_async      (HangarConnection     *connection,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void       hangar_host_list_volumes_async    (HangarConnection     *connection,
                                              const char           *pool,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void       hangar_host_list_interfaces_async (HangarConnection     *connection,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray *hangar_host_read_sysfs_interfaces (const char      *root,
                                              GError         **error);
GPtrArray *hangar_host_list_finish           (GAsyncResult         *result,
                                              GError              **error);

/* Changes: finished with hangar_host_op_finish(). */
void       hangar_host_network_create_async  (HangarConnection        *connection,
                                              const HangarNetworkSpec *spec,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
void       hangar_host_network_run_async     (HangarConnection     *connection,
                                              const char           *name,
                                              HangarHostAction      action,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void       hangar_host_pool_create_async     (HangarConnection     *connection,
                                              const HangarPoolSpec *spec,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char      *hangar_host_pool_spec_to_xml      (const HangarPoolSpec *spec);
void       hangar_host_pool_run_async        (HangarConnection     *connection,
                                              const char           *name,
                                              HangarHostAction      action,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void       hangar_host_volume_create_async   (HangarConnection     *connection,
                                              const char           *pool,
                                              const char           *name,
                                              const char           *format,
                                              guint64               capacity,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void       hangar_host_volume_delete_async   (HangarConnection     *connection,
                                              const char           *pool,
                                              const char           *name,
                                              gboolean              force,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean   hangar_host_op_finish             (GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
