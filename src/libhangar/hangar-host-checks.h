/* hangar-host-checks.h — the host window's decisions, without GTK or libvirt:
 * form checks for networks, pools and volumes, and virtualization advice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HANGAR_HOST_ERROR (hangar_host_error_quark ())

/* The error code says which field is wrong, so a form can show the message
 * next to it; the last codes are not about one field. */
typedef enum
{
  HANGAR_HOST_ERROR_NAME,
  HANGAR_HOST_ERROR_NETWORK,
  HANGAR_HOST_ERROR_DHCP_START,
  HANGAR_HOST_ERROR_DHCP_END,
  HANGAR_HOST_ERROR_PATH,
  HANGAR_HOST_ERROR_CAPACITY,
  HANGAR_HOST_ERROR_SOURCE_HOST,
  HANGAR_HOST_ERROR_SOURCE_PATH,
  HANGAR_HOST_ERROR_SOURCE_DEVICE,
  HANGAR_HOST_ERROR_SOURCE_NAME,
  HANGAR_HOST_ERROR_IQN,
  HANGAR_HOST_ERROR_FORMAT,
  HANGAR_HOST_ERROR_IN_USE,
  HANGAR_HOST_ERROR_NOT_SUPPORTED,
  HANGAR_HOST_ERROR_FAILED,
} HangarHostError;

typedef enum
{
  HANGAR_NETWORK_FORWARD_NAT,
  HANGAR_NETWORK_FORWARD_ROUTE,
  HANGAR_NETWORK_FORWARD_ISOLATED,
  HANGAR_NETWORK_FORWARD_OPEN,
} HangarNetworkForward;

/* What the user typed into the new-network form. */
typedef struct
{
  const char           *name;
  HangarNetworkForward  forward;
  const char           *network;     /* "192.168.200.0/24"; a host address sets the gateway */
  const char           *dhcp_start;  /* both empty: no DHCP */
  const char           *dhcp_end;
} HangarNetworkSpec;

/* The checked plan, addresses in host byte order. */
typedef struct
{
  guint32  network;
  guint    prefix;
  guint32  gateway;
  gboolean dhcp;
  guint32  dhcp_start;
  guint32  dhcp_end;
} HangarNetworkPlan;

GQuark       hangar_host_error_quark      (void);

gboolean     hangar_host_check_name       (const char               *name,
                                           const char * const       *existing,
                                           GError                  **error);

gboolean     hangar_ipv4_parse_address    (const char               *text,
                                           guint32                  *address);
char        *hangar_ipv4_format_address   (guint32                   address);
gboolean     hangar_ipv4_parse_cidr       (const char               *text,
                                           guint32                  *address,
                                           guint                    *prefix,
                                           GError                  **error);
gboolean     hangar_ipv4_overlaps         (guint32                   a,
                                           guint                     a_prefix,
                                           guint32                   b,
                                           guint                     b_prefix);

gboolean     hangar_network_spec_check    (const HangarNetworkSpec  *spec,
                                           const char * const       *existing_names,
                                           const char * const       *existing_networks,
                                           HangarNetworkPlan        *plan,
                                           GError                  **error);
char        *hangar_network_spec_to_xml   (const HangarNetworkSpec  *spec,
                                           const HangarNetworkPlan  *plan);
const char  *hangar_network_forward_to_string (HangarNetworkForward forward);

gboolean     hangar_pool_check_path       (const char               *path,
                                           gboolean                  local,
                                           GError                  **error);

/* The kinds of storage pool the new-pool form offers. */
typedef enum
{
  HANGAR_POOL_DIR,
  HANGAR_POOL_FS,
  HANGAR_POOL_NETFS,
  HANGAR_POOL_LOGICAL,
  HANGAR_POOL_ISCSI,
  HANGAR_POOL_DISK,
  HANGAR_N_POOL_TYPES,
} HangarPoolType;

/* What the user typed into the new-pool form; each type reads only its fields. */
typedef struct
{
  const char     *name;
  HangarPoolType  type;
  const char     *target;       /* dir: the folder; fs, netfs: the mount folder;
                                 * iscsi, disk: where the devices appear */
  const char     *source_host;  /* netfs, iscsi */
  const char     *source_path;  /* netfs: the exported folder */
  const char     *devices;      /* fs, disk: one device; logical: devices for a new group */
  const char     *source_name;  /* logical: the volume group */
  const char     *iqn;          /* iscsi: the target's name */
  const char     *format;       /* fs, netfs: a file system, or "auto" */
  gboolean        build;        /* dir: create the folder; fs: make the file system;
                                 * logical: make the group; disk: write a partition table */
} HangarPoolSpec;

/* How libvirt must build a pool before it starts. */
typedef enum
{
  HANGAR_POOL_BUILD_NONE,
  HANGAR_POOL_BUILD_FOLDER,    /* create the target folder; nothing is overwritten */
  HANGAR_POOL_BUILD_NEW,       /* make a file system, group or partition table, but
                                * only on devices that hold nothing yet */
} HangarPoolBuild;

const char  *hangar_pool_type_to_string   (HangarPoolType            type);
const char * const *hangar_pool_formats   (HangarPoolType            type);
const char  *hangar_pool_default_target   (HangarPoolType            type);
gboolean     hangar_pool_can_build        (HangarPoolType            type);
HangarPoolBuild hangar_pool_spec_build    (const HangarPoolSpec     *spec);
char       **hangar_pool_spec_devices     (const HangarPoolSpec     *spec);
gboolean     hangar_pool_spec_check       (const HangarPoolSpec     *spec,
                                           const char * const       *existing_names,
                                           gboolean                  local,
                                           GError                  **error);

gboolean     hangar_check_absolute_path   (const char               *path,
                                           int                       code,
                                           GError                  **error);
gboolean     hangar_check_device_path     (const char               *path,
                                           GError                  **error);
gboolean     hangar_check_host_name       (const char               *host,
                                           GError                  **error);
gboolean     hangar_check_iqn             (const char               *iqn,
                                           GError                  **error);
gboolean     hangar_check_vg_name         (const char               *name,
                                           GError                  **error);
gboolean     hangar_parse_size            (const char               *text,
                                           guint64                  *bytes,
                                           GError                  **error);

/* What is known about hardware virtualization on a host. */
typedef enum
{
  HANGAR_FACT_UNKNOWN = -1,
  HANGAR_FACT_NO      = 0,
  HANGAR_FACT_YES     = 1,
} HangarFact;

typedef struct
{
  gboolean   local;           /* facts about the machine we run on are available */
  gboolean   session;         /* qemu:///session: QEMU runs as the user */
  HangarFact cpu_vmx;         /* Intel VT-x flag */
  HangarFact cpu_svm;         /* AMD-V flag */
  HangarFact kvm_device;      /* /dev/kvm exists */
  HangarFact kvm_usable;      /* /dev/kvm opens for the user */
  HangarFact kvm_in_libvirt;  /* capabilities offer <domain type='kvm'> */
} HangarVirtFacts;

typedef enum
{
  HANGAR_VIRT_WORKS,
  HANGAR_VIRT_NO_CPU_SUPPORT,
  HANGAR_VIRT_NO_MODULE,
  HANGAR_VIRT_NO_ACCESS,
  HANGAR_VIRT_NOT_OFFERED,
  HANGAR_VIRT_UNKNOWN,
} HangarVirtVerdict;

HangarVirtVerdict hangar_virt_advise      (const HangarVirtFacts    *facts,
                                           char                    **title,
                                           char                    **advice);

/* CPU use between two samples of the host's total and idle times. */
double       hangar_host_cpu_percent      (guint64                   busy_before,
                                           guint64                   total_before,
                                           guint64                   busy_now,
                                           guint64                   total_now);

G_END_DECLS
