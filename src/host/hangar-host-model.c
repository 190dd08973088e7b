/* hangar-host-model.c — one host's own resources, read and changed in workers.
 *
 * Each public call takes its own reference to the connection's handle on
 * the main thread, does all of its libvirt work in one GTask worker and
 * gives the handle back there (the last reference may be an RPC). Storage
 * is only touched when asked for: nothing here runs at connect time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "hangar-connection-private.h"
#include "hangar-gconfig.h"
#include "hangar-host-model.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

/* --- the row types ------------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (HangarHostNetwork, hangar_host_network, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (HangarHostPool, hangar_host_pool, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (HangarHostVolume, hangar_host_volume, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (HangarHostInterface, hangar_host_interface, G_TYPE_OBJECT)

static void
hangar_host_network_finalize (GObject *object)
{
  HangarHostNetwork *self = HANGAR_HOST_NETWORK (object);

  g_free (self->name);
  g_free (self->forward);
  g_free (self->bridge);
  g_free (self->ipv4);
  g_free (self->dhcp_start);
  g_free (self->dhcp_end);
  g_strfreev (self->users);
  G_OBJECT_CLASS (hangar_host_network_parent_class)->finalize (object);
}

static void
hangar_host_network_class_init (HangarHostNetworkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_host_network_finalize;
}

static void
hangar_host_network_init (HangarHostNetwork *self)
{
}

static void
hangar_host_pool_finalize (GObject *object)
{
  HangarHostPool *self = HANGAR_HOST_POOL (object);

  g_free (self->name);
  g_free (self->type);
  g_free (self->path);
  G_OBJECT_CLASS (hangar_host_pool_parent_class)->finalize (object);
}

static void
hangar_host_pool_class_init (HangarHostPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_host_pool_finalize;
}

static void
hangar_host_pool_init (HangarHostPool *self)
{
}

static void
hangar_host_volume_finalize (GObject *object)
{
  HangarHostVolume *self = HANGAR_HOST_VOLUME (object);

  g_free (self->pool);
  g_free (self->name);
  g_free (self->path);
  g_free (self->format);
  g_strfreev (self->users);
  G_OBJECT_CLASS (hangar_host_volume_parent_class)->finalize (object);
}

static void
hangar_host_volume_class_init (HangarHostVolumeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_host_volume_finalize;
}

static void
hangar_host_volume_init (HangarHostVolume *self)
{
}

static void
hangar_host_interface_finalize (GObject *object)
{
  HangarHostInterface *self = HANGAR_HOST_INTERFACE (object);

  g_free (self->name);
  g_free (self->mac);
  g_free (self->kind);
  g_free (self->ipv4);
  G_OBJECT_CLASS (hangar_host_interface_parent_class)->finalize (object);
}

static void
hangar_host_interface_class_init (HangarHostInterfaceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_host_interface_finalize;
}

static void
hangar_host_interface_init (HangarHostInterface *self)
{
}

void
hangar_host_overview_free (HangarHostOverview *overview)
{
  if (overview == NULL)
    return;
  g_free (overview->hostname);
  g_free (overview->hypervisor);
  g_free (overview->hypervisor_version);
  g_free (overview->libvirt_version);
  g_free (overview->arch);
  g_free (overview->cpu_model);
  g_free (overview->cpu_vendor);
  g_free (overview);
}

/* --- XML ---------------------------------------------------------------------------- */

static xmlDoc *
parse_xml (const char *xml)
{
  if (xml == NULL)
    return NULL;
  return xmlReadMemory (xml, strlen (xml), "libvirt.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The text of the first node @expr finds, or NULL. */
static char *
xpath_string (xmlDoc     *doc,
              xmlNode    *node,
              const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) obj = NULL;
  xmlChar *content;
  char *result;

  if (node != NULL)
    ctx->node = node;
  obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  if (obj == NULL || obj->nodesetval == NULL || obj->nodesetval->nodeNr == 0)
    return NULL;
  content = xmlNodeGetContent (obj->nodesetval->nodeTab[0]);
  result = content && content[0] ? g_strdup ((const char *) content) : NULL;
  xmlFree (content);
  return result;
}

/* Every node's text @expr finds, in a NULL-terminated array. */
static GPtrArray *
xpath_strings (xmlDoc     *doc,
               const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
    {
      xmlChar *content = xmlNodeGetContent (obj->nodesetval->nodeTab[i]);

      if (content != NULL && content[0] != '\0')
        g_ptr_array_add (strings, g_strdup ((const char *) content));
      xmlFree (content);
    }
  return strings;
}

static gboolean
xpath_exists (xmlDoc     *doc,
              const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);

  return obj != NULL && obj->nodesetval != NULL && obj->nodesetval->nodeNr > 0;
}

static guint
netmask_to_prefix (const char *netmask)
{
  guint32 mask;
  guint prefix = 0;

  if (!hangar_ipv4_parse_address (netmask, &mask))
    return 0;
  while (mask & 0x80000000u)
    {
      prefix++;
      mask <<= 1;
    }
  return prefix;
}

/* "address/prefix" of the first IPv4 <ip> under @node's document. */
static char *
read_ipv4 (xmlDoc     *doc,
           const char *ip_path)
{
  g_autofree char *address_expr = g_strdup_printf ("%s/@address", ip_path);
  g_autofree char *prefix_expr = g_strdup_printf ("%s/@prefix", ip_path);
  g_autofree char *netmask_expr = g_strdup_printf ("%s/@netmask", ip_path);
  g_autofree char *address = xpath_string (doc, NULL, address_expr);
  g_autofree char *prefix = NULL;
  g_autofree char *netmask = NULL;
  guint32 ignored;

  if (address == NULL || !hangar_ipv4_parse_address (address, &ignored))
    return NULL;
  prefix = xpath_string (doc, NULL, prefix_expr);
  if (prefix != NULL)
    return g_strdup_printf ("%s/%s", address, prefix);
  netmask = xpath_string (doc, NULL, netmask_expr);
  if (netmask != NULL)
    return g_strdup_printf ("%s/%u", address, netmask_to_prefix (netmask));
  return g_strdup_printf ("%s/24", address);
}

/* --- tasks ---------------------------------------------------------------------------- */

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
} JobData;

static void
job_data_free (JobData *data)
{
  /* Normally given back by the worker; here only when it never ran. */
  if (data->conn != NULL)
    _hangar_handle_release (g_steal_pointer (&data->conn));
  g_free (data->name);
  g_free (data->pool);
  g_free (data->path);
  g_free (data->format);
  g_free (data->network);
  g_free (data->dhcp_start);
  g_free (data->dhcp_end);
  g_free (data);
}

static JobData *
job_data_new (Job job)
{
  JobData *data = g_new0 (JobData, 1);

  data->job = job;
  return data;
}

static void job_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable);

static void
start_job (HangarConnection    *connection,
           JobData             *data,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_assert (HANGAR_IS_CONNECTION (connection));

  /* libxml2 wants its first initialisation on one thread, before the workers. */
  xmlInitParser ();

  task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) job_data_free);
  data->conn = _hangar_connection_dup_handle (connection, &error);
  if (data->conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->local = hangar_connection_is_local (connection);
  data->session = strstr (hangar_connection_get_uri (connection), "/session") != NULL;
  g_task_run_in_thread (task, job_thread);
}

/* --- domains: who uses what --------------------------------------------------------- */

typedef struct
{
  char      *name;
  gboolean   active;
  GPtrArray *networks;    /* interface source networks */
  GPtrArray *files;       /* disk source files and block devices */
  GPtrArray *pool_vols;   /* "pool/volume" of <source pool= volume=> */
} DomainUse;

static void
domain_use_free (DomainUse *use)
{
  g_free (use->name);
  g_clear_pointer (&use->networks, g_ptr_array_unref);
  g_clear_pointer (&use->files, g_ptr_array_unref);
  g_clear_pointer (&use->pool_vols, g_ptr_array_unref);
  g_free (use);
}

/* What the host's machines hold on to, from their definitions. */
static GPtrArray *
read_domain_uses (virConnectPtr   conn,
                  gboolean        only_active,
                  GError        **error)
{
  virDomainPtr *doms = NULL;
  int n = virConnectListAllDomains (conn, &doms,
                                    only_active ? VIR_CONNECT_LIST_DOMAINS_ACTIVE : 0);
  GPtrArray *uses;

  if (n < 0)
    {
      *error = _hangar_libvirt_error (_("Could not list the machines"));
      return NULL;
    }
  uses = g_ptr_array_new_with_free_func ((GDestroyNotify) domain_use_free);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virDomainGetXMLDesc (doms[i], 0);
      g_autoptr(xmlDoc) doc = parse_xml (xml);
      DomainUse *use;

      if (doc == NULL)
        {
          virResetLastError ();
          virDomainFree (doms[i]);
          continue;
        }
      use = g_new0 (DomainUse, 1);
      use->name = g_strdup (virDomainGetName (doms[i]));
      use->active = virDomainIsActive (doms[i]) == 1;
      use->networks = xpath_strings (doc, "/domain/devices/interface[@type='network']"
                                          "/source/@network");
      use->files = xpath_strings (doc, "/domain/devices/disk/source/@file"
                                       " | /domain/devices/disk/source/@dev");
      use->pool_vols = g_ptr_array_new_with_free_func (g_free);
      {
        g_autoptr(xmlXPathContext) ctx = xmlXPathNewContext (doc);
        g_autoptr(xmlXPathObject) obj =
          xmlXPathEvalExpression (BAD_CAST "/domain/devices/disk[@type='volume']/source", ctx);

        for (int j = 0; obj && obj->nodesetval && j < obj->nodesetval->nodeNr; j++)
          {
            xmlNode *source = obj->nodesetval->nodeTab[j];
            xmlChar *pool = xmlGetProp (source, BAD_CAST "pool");
            xmlChar *volume = xmlGetProp (source, BAD_CAST "volume");

            if (pool != NULL && volume != NULL)
              g_ptr_array_add (use->pool_vols, g_strdup_printf ("%s/%s", pool, volume));
            xmlFree (pool);
            xmlFree (volume);
          }
      }
      g_ptr_array_add (uses, use);
      virDomainFree (doms[i]);
    }
  free (doms);
  return uses;
}

static gboolean
strings_contain (GPtrArray  *strings,
                 const char *s)
{
  for (guint i = 0; s != NULL && i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), s) == 0)
      return TRUE;
  return FALSE;
}

static char **
network_users (GPtrArray  *uses,
               const char *network)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; uses != NULL && i < uses->len; i++)
    {
      DomainUse *use = g_ptr_array_index (uses, i);

      if (use->active && strings_contain (use->networks, network))
        g_strv_builder_add (builder, use->name);
    }
  return g_strv_builder_end (builder);
}

static char **
volume_users (GPtrArray  *uses,
              const char *pool,
              const char *volume,
              const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *pool_vol = g_strdup_printf ("%s/%s", pool, volume);

  for (guint i = 0; uses != NULL && i < uses->len; i++)
    {
      DomainUse *use = g_ptr_array_index (uses, i);

      if (strings_contain (use->files, path) || strings_contain (use->pool_vols, pool_vol))
        g_strv_builder_add (builder, use->name);
    }
  return g_strv_builder_end (builder);
}

/* --- overview and usage -------------------------------------------------------------- */

static char *
format_version (unsigned long version)
{
  return g_strdup_printf ("%lu.%lu.%lu", version / 1000000, (version / 1000) % 1000,
                          version % 1000);
}

static void
read_local_facts (HangarVirtFacts *facts)
{
  g_autofree char *cpuinfo = NULL;
  int fd;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (cpuinfo, "\n", -1);

      facts->cpu_vmx = HANGAR_FACT_NO;
      facts->cpu_svm = HANGAR_FACT_NO;
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) flags = NULL;

          if (!g_str_has_prefix (lines[i], "flags"))
            continue;
          flags = g_strsplit_set (strchr (lines[i], ':') ? strchr (lines[i], ':') + 1 : "",
                                  " \t", -1);
          if (g_strv_contains ((const char * const *) flags, "vmx"))
            facts->cpu_vmx = HANGAR_FACT_YES;
          if (g_strv_contains ((const char * const *) flags, "svm"))
            facts->cpu_svm = HANGAR_FACT_YES;
          break;
        }
    }

  facts->kvm_device = g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS) ? HANGAR_FACT_YES
                                                                   : HANGAR_FACT_NO;
  if (facts->kvm_device == HANGAR_FACT_YES)
    {
      fd = g_open ("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
      facts->kvm_usable = fd >= 0 ? HANGAR_FACT_YES : HANGAR_FACT_NO;
      if (fd >= 0)
        close (fd);
    }
  else
    facts->kvm_usable = HANGAR_FACT_NO;
}

static HangarHostOverview *
read_overview (JobData  *data,
               GError  **error)
{
  g_autoptr(HangarHostOverview) overview = g_new0 (HangarHostOverview, 1);
  g_autofree char *caps = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  unsigned long hv_version = 0;
  unsigned long lib_version = 0;
  const char *type;
  virNodeInfo info;

  overview->virt.local = data->local;
  overview->virt.session = data->session;
  overview->virt.cpu_vmx = HANGAR_FACT_UNKNOWN;
  overview->virt.cpu_svm = HANGAR_FACT_UNKNOWN;
  overview->virt.kvm_device = HANGAR_FACT_UNKNOWN;
  overview->virt.kvm_usable = HANGAR_FACT_UNKNOWN;
  overview->virt.kvm_in_libvirt = HANGAR_FACT_UNKNOWN;

  if (virNodeGetInfo (data->conn, &info) < 0)
    {
      *error = _hangar_libvirt_error (_("Could not read the host's hardware"));
      return NULL;
    }
  overview->arch = g_strdup (info.model);
  overview->cpus = info.cpus;
  overview->mhz = info.mhz;
  overview->sockets = info.sockets * MAX (info.nodes, 1);
  overview->cores = info.cores;
  overview->threads = info.threads;
  overview->memory_kib = info.memory;

  /* The rest is nice to have: a driver without it still gets a page. */
  {
    char *hostname = virConnectGetHostname (data->conn);

    overview->hostname = g_strdup (hostname);
    free (hostname);
  }
  type = virConnectGetType (data->conn);
  overview->hypervisor = g_strdup (type);
  if (virConnectGetVersion (data->conn, &hv_version) == 0 && hv_version > 0)
    overview->hypervisor_version = format_version (hv_version);
  if (virConnectGetLibVersion (data->conn, &lib_version) == 0)
    overview->libvirt_version = format_version (lib_version);
  virResetLastError ();

  caps = virConnectGetCapabilities (data->conn);
  doc = parse_xml (caps);
  if (doc != NULL)
    {
      overview->cpu_model = xpath_string (doc, NULL, "/capabilities/host/cpu/model");
      overview->cpu_vendor = xpath_string (doc, NULL, "/capabilities/host/cpu/vendor");
      overview->virt.kvm_in_libvirt =
        xpath_exists (doc, "/capabilities/guest/arch/domain[@type='kvm']")
        ? HANGAR_FACT_YES : HANGAR_FACT_NO;
      /* Remote: the host CPU's listed features are all we can see, and a
       * missing one proves nothing. */
      if (xpath_exists (doc, "/capabilities/host/cpu/feature[@name='vmx']"))
        overview->virt.cpu_vmx = HANGAR_FACT_YES;
      if (xpath_exists (doc, "/capabilities/host/cpu/feature[@name='svm']"))
        overview->virt.cpu_svm = HANGAR_FACT_YES;
    }
  virResetLastError ();

  if (data->local)
    read_local_facts (&overview->virt);
  return g_steal_pointer (&overview);
}

static gboolean
read_usage (JobData          *data,
            HangarHostUsage  *usage,
            GError          **error)
{
  g_autofree virNodeCPUStatsPtr cpu = NULL;
  g_autofree virNodeMemoryStatsPtr memory = NULL;
  int n_cpu = 0;
  int n_memory = 0;
  guint64 total = 0, free_kib = 0, buffers = 0, cached = 0;

  if (virNodeGetCPUStats (data->conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n_cpu, 0) < 0
      || n_cpu <= 0)
    goto failed;
  cpu = g_new0 (virNodeCPUStats, n_cpu);
  if (virNodeGetCPUStats (data->conn, VIR_NODE_CPU_STATS_ALL_CPUS, cpu, &n_cpu, 0) < 0)
    goto failed;
  for (int i = 0; i < n_cpu; i++)
    {
      if (g_str_equal (cpu[i].field, VIR_NODE_CPU_STATS_KERNEL)
          || g_str_equal (cpu[i].field, VIR_NODE_CPU_STATS_USER))
        usage->cpu_busy += cpu[i].value;
      if (g_str_equal (cpu[i].field, VIR_NODE_CPU_STATS_KERNEL)
          || g_str_equal (cpu[i].field, VIR_NODE_CPU_STATS_USER)
          || g_str_equal (cpu[i].field, VIR_NODE_CPU_STATS_IDLE)
          || g_str_equal (cpu[i].field, VIR_NODE_CPU_STATS_IOWAIT))
        usage->cpu_total += cpu[i].value;
    }

  if (virNodeGetMemoryStats (data->conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n_memory, 0) < 0
      || n_memory <= 0)
    goto failed;
  memory = g_new0 (virNodeMemoryStats, n_memory);
  if (virNodeGetMemoryStats (data->conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, memory, &n_memory, 0) < 0)
    goto failed;
  for (int i = 0; i < n_memory; i++)
    {
      if (g_str_equal (memory[i].field, VIR_NODE_MEMORY_STATS_TOTAL))
        total = memory[i].value;
      else if (g_str_equal (memory[i].field, VIR_NODE_MEMORY_STATS_FREE))
        free_kib = memory[i].value;
      else if (g_str_equal (memory[i].field, VIR_NODE_MEMORY_STATS_BUFFERS))
        buffers = memory[i].value;
      else if (g_str_equal (memory[i].field, VIR_NODE_MEMORY_STATS_CACHED))
        cached = memory[i].value;
    }
  usage->memory_total_kib = total;
  usage->memory_used_kib = total > free_kib + buffers + cached ? total - free_kib - buffers - cached
                                                               : 0;
  return TRUE;

failed:
  *error = _hangar_libvirt_error (_("Could not read the host's usage"));
  return FALSE;
}

/* --- networks ---------------------------------------------------------------------- */

static HangarHostNetwork *
read_network (virNetworkPtr  net,
              GPtrArray     *uses)
{
  HangarHostNetwork *row = g_object_new (HANGAR_TYPE_HOST_NETWORK, NULL);
  g_autofree char *xml = virNetworkGetXMLDesc (net, 0);
  g_autoptr(xmlDoc) doc = parse_xml (xml);
  int autostart = 0;

  row->name = g_strdup (virNetworkGetName (net));
  row->active = virNetworkIsActive (net) == 1;
  row->persistent = virNetworkIsPersistent (net) == 1;
  if (virNetworkGetAutostart (net, &autostart) == 0)
    row->autostart = autostart != 0;
  if (doc != NULL)
    {
      const char *ip = "/network/ip[not(@family) or @family='ipv4']";
      g_autofree char *start = g_strdup_printf ("%s/dhcp/range/@start", ip);
      g_autofree char *end = g_strdup_printf ("%s/dhcp/range/@end", ip);

      row->forward = xpath_string (doc, NULL, "/network/forward/@mode");
      /* <forward/> without a mode is NAT. */
      if (row->forward == NULL && xpath_exists (doc, "/network/forward"))
        row->forward = g_strdup ("nat");
      row->bridge = xpath_string (doc, NULL, "/network/bridge/@name");
      row->ipv4 = read_ipv4 (doc, ip);
      row->dhcp_start = xpath_string (doc, NULL, start);
      row->dhcp_end = xpath_string (doc, NULL, end);
    }
  row->users = network_users (uses, row->name);
  virResetLastError ();
  return row;
}

static GPtrArray *
list_networks (virConnectPtr   conn,
               GError        **error)
{
  virNetworkPtr *nets = NULL;
  g_autoptr(GPtrArray) uses = NULL;
  GPtrArray *rows;
  int n;

  n = virConnectListAllNetworks (conn, &nets, 0);
  if (n < 0)
    {
      *error = _hangar_libvirt_error (_("Could not list the virtual networks"));
      return NULL;
    }
  /* Without the machines the list is still worth showing. */
  uses = read_domain_uses (conn, TRUE, error);
  g_clear_error (error);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (rows, read_network (nets[i], uses));
      virNetworkFree (nets[i]);
    }
  free (nets);
  return rows;
}

static gboolean
network_create (JobData  *data,
                GError  **error)
{
  HangarNetworkSpec spec = {
    .name = data->name, .forward = data->forward, .network = data->network,
    .dhcp_start = data->dhcp_start, .dhcp_end = data->dhcp_end,
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ranges = g_strv_builder_new ();
  g_auto(GStrv) existing_names = NULL;
  g_auto(GStrv) existing_ranges = NULL;
  HangarNetworkPlan plan;
  g_autofree char *xml = NULL;
  virNetworkPtr net;

  /* Checked again against what the host has now, not what the form saw. */
  rows = list_networks (data->conn, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      HangarHostNetwork *row = g_ptr_array_index (rows, i);

      g_strv_builder_add (names, row->name);
      if (row->ipv4 != NULL)
        {
          g_autofree char *range = g_strdup_printf ("%s %s", row->ipv4, row->name);

          g_strv_builder_add (ranges, range);
        }
    }
  existing_names = g_strv_builder_end (names);
  existing_ranges = g_strv_builder_end (ranges);
  if (!hangar_network_spec_check (&spec, (const char * const *) existing_names,
                                  (const char * const *) existing_ranges, &plan, error))
    return FALSE;

  xml = hangar_network_spec_to_xml (&spec, &plan);
  net = virNetworkDefineXML (data->conn, xml);
  if (net == NULL)
    {
      *error = _hangar_libvirt_error (_("Could not create the network"));
      return FALSE;
    }
  if (virNetworkCreate (net) < 0)
    {
      /* Nothing half-made stays behind. */
      *error = _hangar_libvirt_error (_("Could not start the new network"));
      virNetworkUndefine (net);
      virNetworkFree (net);
      virResetLastError ();
      return FALSE;
    }
  virNetworkFree (net);
  return TRUE;
}

static gboolean
network_run (JobData  *data,
             GError  **error)
{
  virNetworkPtr net = virNetworkLookupByName (data->conn, data->name);
  const char *what = NULL;
  int ret = 0;

  if (net == NULL)
    {
      *error = _hangar_libvirt_error (_("The network is no longer there"));
      return FALSE;
    }

  switch (data->action)
    {
    case HANGAR_HOST_ACTION_START:
      what = _("Could not start the network");
      ret = virNetworkCreate (net);
      break;
    case HANGAR_HOST_ACTION_STOP:
      what = _("Could not stop the network");
      ret = virNetworkDestroy (net);
      break;
    case HANGAR_HOST_ACTION_AUTOSTART_ON:
    case HANGAR_HOST_ACTION_AUTOSTART_OFF:
      what = _("Could not change whether the network starts with the host");
      ret = virNetworkSetAutostart (net, data->action == HANGAR_HOST_ACTION_AUTOSTART_ON);
      break;
    case HANGAR_HOST_ACTION_DELETE:
      {
        g_autoptr(GPtrArray) uses = read_domain_uses (data->conn, TRUE, error);
        g_auto(GStrv) users = NULL;

        if (uses == NULL)
          break;
        users = network_users (uses, data->name);
        if (users[0] != NULL)
          {
            g_autofree char *names = g_strjoinv (", ", users);

            g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE,
                         _("The network “%s” is in use by the running machines: %s. "
                           "Shut them down or move them to another network first."),
                         data->name, names);
            break;
          }
        what = _("Could not delete the network");
        if (virNetworkIsActive (net) == 1)
          ret = virNetworkDestroy (net);
        if (ret == 0 && virNetworkIsPersistent (net) == 1)
          ret = virNetworkUndefine (net);
      }
      break;
    case HANGAR_HOST_ACTION_REFRESH:
    default:
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                           _("Networks cannot do that."));
      break;
    }

  if (ret < 0 && *error == NULL)
    *error = _hangar_libvirt_error (what);
  virNetworkFree (net);
  return *error == NULL;
}

/* --- storage ------------------------------------------------------------------------- */

static HangarHostPool *
read_pool (virStoragePoolPtr pool)
{
  HangarHostPool *row = g_object_new (HANGAR_TYPE_HOST_POOL, NULL);
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(xmlDoc) doc = parse_xml (xml);
  virStoragePoolInfo info;
  int autostart = 0;

  row->name = g_strdup (virStoragePoolGetName (pool));
  row->active = virStoragePoolIsActive (pool) == 1;
  row->persistent = virStoragePoolIsPersistent (pool) == 1;
  if (virStoragePoolGetAutostart (pool, &autostart) == 0)
    row->autostart = autostart != 0;
  if (virStoragePoolGetInfo (pool, &info) == 0)
    {
      row->capacity = info.capacity;
      row->allocation = info.allocation;
      row->available = info.available;
    }
  if (doc != NULL)
    {
      row->type = xpath_string (doc, NULL, "/pool/@type");
      row->path = xpath_string (doc, NULL, "/pool/target/path");
    }
  virResetLastError ();
  return row;
}

static GPtrArray *
list_pools (virConnectPtr   conn,
            GError        **error)
{
  virStoragePoolPtr *pools = NULL;
  GPtrArray *rows;
  int n = virConnectListAllStoragePools (conn, &pools, 0);

  if (n < 0)
    {
      *error = _hangar_libvirt_error (_("Could not list the storage pools"));
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (rows, read_pool (pools[i]));
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  return rows;
}

static HangarHostVolume *
read_volume (const char      *pool,
             virStorageVolPtr vol,
             GPtrArray       *uses)
{
  HangarHostVolume *row = g_object_new (HANGAR_TYPE_HOST_VOLUME, NULL);
  g_autofree char *xml = virStorageVolGetXMLDesc (vol, 0);
  g_autoptr(xmlDoc) doc = parse_xml (xml);
  char *path = virStorageVolGetPath (vol);
  virStorageVolInfo info;

  row->pool = g_strdup (pool);
  row->name = g_strdup (virStorageVolGetName (vol));
  row->path = g_strdup (path);
  free (path);
  if (virStorageVolGetInfo (vol, &info) == 0)
    {
      row->capacity = info.capacity;
      row->allocation = info.allocation;
    }
  if (doc != NULL)
    row->format = xpath_string (doc, NULL, "/volume/target/format/@type");
  row->users = volume_users (uses, pool, row->name, row->path);
  virResetLastError ();
  return row;
}

static GPtrArray *
list_volumes (virConnectPtr   conn,
              const char     *pool_name,
              GError        **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, pool_name);
  virStorageVolPtr *vols = NULL;
  g_autoptr(GPtrArray) uses = NULL;
  GPtrArray *rows;
  int n;

  if (pool == NULL)
    {
      *error = _hangar_libvirt_error (_("The storage pool is no longer there"));
      return NULL;
    }
  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  virStoragePoolFree (pool);
  if (n < 0)
    {
      *error = _hangar_libvirt_error (_("Could not list the volumes"));
      return NULL;
    }
  uses = read_domain_uses (conn, FALSE, error);
  g_clear_error (error);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (rows, read_volume (pool_name, vols[i], uses));
      virStorageVolFree (vols[i]);
    }
  free (vols);
  return rows;
}

static gboolean
pool_create (JobData  *data,
             GError  **error)
{
  g_autoptr(GVirConfigStoragePool) config = gvir_config_storage_pool_new ();
  g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool;

  rows = list_pools (data->conn, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    g_strv_builder_add (builder, HANGAR_HOST_POOL (g_ptr_array_index (rows, i))->name);
  names = g_strv_builder_end (builder);
  if (!hangar_host_check_name (data->name, (const char * const *) names, error)
      || !hangar_pool_check_path (data->path, data->local, error))
    return FALSE;

  gvir_config_storage_pool_set_name (config, data->name);
  gvir_config_storage_pool_set_pool_type (config, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
  gvir_config_storage_pool_target_set_path (target, data->path);
  gvir_config_storage_pool_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  pool = virStoragePoolDefineXML (data->conn, xml, 0);
  if (pool == NULL)
    {
      *error = _hangar_libvirt_error (_("Could not create the storage pool"));
      return FALSE;
    }
  if (virStoragePoolCreate (pool, 0) < 0)
    {
      virErrorPtr err = virGetLastError ();
      gboolean missing = err != NULL && err->message != NULL && !data->local
                         && strstr (err->message, "No such file") != NULL;

      /* A remote folder that does not exist shows up only here. */
      if (missing)
        g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_PATH,
                     _("There is no folder %s on the host: create it first."), data->path);
      else
        *error = _hangar_libvirt_error (_("Could not start the new storage pool"));
      virStoragePoolUndefine (pool);
      virStoragePoolFree (pool);
      virResetLastError ();
      return FALSE;
    }
  virStoragePoolFree (pool);
  return TRUE;
}

static gboolean
pool_run (JobData  *data,
          GError  **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (data->conn, data->name);
  const char *what = NULL;
  int ret = 0;

  if (pool == NULL)
    {
      *error = _hangar_libvirt_error (_("The storage pool is no longer there"));
      return FALSE;
    }

  switch (data->action)
    {
    case HANGAR_HOST_ACTION_START:
      what = _("Could not start the storage pool");
      ret = virStoragePoolCreate (pool, 0);
      break;
    case HANGAR_HOST_ACTION_STOP:
      what = _("Could not stop the storage pool");
      ret = virStoragePoolDestroy (pool);
      break;
    case HANGAR_HOST_ACTION_REFRESH:
      what = _("Could not refresh the storage pool");
      ret = virStoragePoolRefresh (pool, 0);
      break;
    case HANGAR_HOST_ACTION_AUTOSTART_ON:
    case HANGAR_HOST_ACTION_AUTOSTART_OFF:
      what = _("Could not change whether the storage pool starts with the host");
      ret = virStoragePoolSetAutostart (pool, data->action == HANGAR_HOST_ACTION_AUTOSTART_ON);
      break;
    case HANGAR_HOST_ACTION_DELETE:
      /* The definition goes, the folder and its files stay. */
      what = _("Could not delete the storage pool");
      if (virStoragePoolIsActive (pool) == 1)
        ret = virStoragePoolDestroy (pool);
      if (ret == 0 && virStoragePoolIsPersistent (pool) == 1)
        ret = virStoragePoolUndefine (pool);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ret < 0)
    *error = _hangar_libvirt_error (what);
  virStoragePoolFree (pool);
  return *error == NULL;
}

static gboolean
volume_create (JobData  *data,
               GError  **error)
{
  g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  g_autofree char *xml = NULL;

  if (!hangar_host_check_name (data->name, NULL, error))
    return FALSE;
  if (g_strcmp0 (data->format, "qcow2") != 0 && g_strcmp0 (data->format, "raw") != 0)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                   _("Volumes can be qcow2 or raw, not “%s”."), data->format);
      return FALSE;
    }
  if (data->capacity < 1024 * 1024)
    {
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_CAPACITY,
                           _("The size must be at least 1 MiB."));
      return FALSE;
    }

  pool = virStoragePoolLookupByName (data->conn, data->pool);
  if (pool == NULL)
    {
      *error = _hangar_libvirt_error (_("The storage pool is no longer there"));
      return FALSE;
    }
  vol = virStorageVolLookupByName (pool, data->name);
  if (vol != NULL)
    {
      g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NAME,
                   _("There is already a volume named “%s” in this pool."), data->name);
      virStorageVolFree (vol);
      virStoragePoolFree (pool);
      return FALSE;
    }
  virResetLastError ();

  gvir_config_storage_vol_set_name (config, data->name);
  gvir_config_storage_vol_set_capacity (config, data->capacity);
  /* Thin: raw files are sparse, qcow2 grows as the guest writes. */
  gvir_config_storage_vol_set_allocation (config, 0);
  gvir_config_storage_vol_target_set_format (target, data->format);
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    *error = _hangar_libvirt_error (_("Could not create the volume"));
  else
    virStorageVolFree (vol);
  virStoragePoolFree (pool);
  return vol != NULL;
}

static gboolean
volume_delete (JobData  *data,
               GError  **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (data->conn, data->pool);
  virStorageVolPtr vol;
  g_autoptr(GPtrArray) uses = NULL;
  g_auto(GStrv) users = NULL;
  char *path;

  if (pool == NULL)
    {
      *error = _hangar_libvirt_error (_("The storage pool is no longer there"));
      return FALSE;
    }
  vol = virStorageVolLookupByName (pool, data->name);
  virStoragePoolFree (pool);
  if (vol == NULL)
    {
      *error = _hangar_libvirt_error (_("The volume is no longer there"));
      return FALSE;
    }

  if (!data->force)
    {
      uses = read_domain_uses (data->conn, FALSE, error);
      if (uses == NULL)
        {
          virStorageVolFree (vol);
          return FALSE;
        }
      path = virStorageVolGetPath (vol);
      users = volume_users (uses, data->pool, data->name, path);
      free (path);
      if (users[0] != NULL)
        {
          g_autofree char *names = g_strjoinv (", ", users);

          g_set_error (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_IN_USE,
                       _("The volume “%s” is a disk of these machines: %s. "
                         "Deleting it destroys their data."), data->name, names);
          virStorageVolFree (vol);
          return FALSE;
        }
    }

  if (virStorageVolDelete (vol, 0) < 0)
    *error = _hangar_libvirt_error (_("Could not delete the volume"));
  virStorageVolFree (vol);
  return *error == NULL;
}

/* --- sorting ------------------------------------------------------------------------ */

static const char *
row_name (gpointer row)
{
  if (HANGAR_IS_HOST_NETWORK (row))
    return HANGAR_HOST_NETWORK (row)->name;
  if (HANGAR_IS_HOST_POOL (row))
    return HANGAR_HOST_POOL (row)->name;
  if (HANGAR_IS_HOST_VOLUME (row))
    return HANGAR_HOST_VOLUME (row)->name;
  return HANGAR_HOST_INTERFACE (row)->name;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (row_name (*(gpointer *) a), row_name (*(gpointer *) b));
}

/* --- host interfaces ----------------------------------------------------------------- */

static char *
read_sysfs (const char *root,
            const char *name,
            const char *file)
{
  g_autofree char *path = g_build_filename (root, name, file, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (contents);
}

/**
 * hangar_host_read_sysfs_interfaces:
 * @root: (nullable): the folder to read, /sys/class/net by default
 *
 * The kernel's network interfaces, for a local host whose libvirt cannot
 * list them (no netcf or udev backend). Plain file reads: call it off the
 * main thread for /sys, or in tests on a folder made to look like it.
 *
 * Returns: (transfer full) (element-type HangarHostInterface): the
 *   interfaces, sorted by name
 */
GPtrArray *
hangar_host_read_sysfs_interfaces (const char  *root,
                                   GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *name;

  if (root == NULL)
    root = "/sys/class/net";
  dir = g_dir_open (root, 0, error);
  if (dir == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      HangarHostInterface *row = g_object_new (HANGAR_TYPE_HOST_INTERFACE, NULL);
      g_autofree char *bridge = g_build_filename (root, name, "bridge", NULL);
      g_autofree char *operstate = read_sysfs (root, name, "operstate");

      row->name = g_strdup (name);
      row->mac = read_sysfs (root, name, "address");
      /* Loopback and some virtual devices say "unknown" while working. */
      row->active = g_strcmp0 (operstate, "up") == 0 || g_strcmp0 (operstate, "unknown") == 0;
      row->kind = g_strdup (g_file_test (bridge, G_FILE_TEST_IS_DIR) ? "bridge" : "ethernet");
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_sort (rows, compare_rows);
  return g_steal_pointer (&rows);
}

static GPtrArray *
list_interfaces (JobData  *data,
                 GError  **error)
{
  virInterfacePtr *ifaces = NULL;
  GPtrArray *rows;
  int n = virConnectListAllInterfaces (data->conn, &ifaces, 0);

  if (n < 0)
    {
      virResetLastError ();
      /* Without netcf (or the udev backend) libvirt cannot list them; on
       * this machine the kernel can. */
      if (data->local)
        return hangar_host_read_sysfs_interfaces (NULL, error);
      g_set_error_literal (error, HANGAR_HOST_ERROR, HANGAR_HOST_ERROR_NOT_SUPPORTED,
                           _("This host's libvirt cannot list its network interfaces."));
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n; i++)
    {
      HangarHostInterface *row = g_object_new (HANGAR_TYPE_HOST_INTERFACE, NULL);
      g_autofree char *xml = virInterfaceGetXMLDesc (ifaces[i], 0);
      g_autoptr(xmlDoc) doc = parse_xml (xml);

      row->name = g_strdup (virInterfaceGetName (ifaces[i]));
      row->mac = g_strdup (virInterfaceGetMACString (ifaces[i]));
      row->active = virInterfaceIsActive (ifaces[i]) == 1;
      if (doc != NULL)
        {
          row->kind = xpath_string (doc, NULL, "/interface/@type");
          row->ipv4 = read_ipv4 (doc, "/interface/protocol[@family='ipv4']/ip");
        }
      g_ptr_array_add (rows, row);
      virInterfaceFree (ifaces[i]);
    }
  free (ifaces);
  virResetLastError ();
  return rows;
}

/* --- the worker ----------------------------------------------------------------------- */

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  JobData *data = task_data;
  GError *error = NULL;
  gpointer result = NULL;
  GDestroyNotify result_free = NULL;
  gboolean ok = FALSE;
  HangarHostUsage usage = { 0 };

  switch (data->job)
    {
    case JOB_OVERVIEW:
      result = read_overview (data, &error);
      result_free = (GDestroyNotify) hangar_host_overview_free;
      break;
    case JOB_USAGE:
      if (read_usage (data, &usage, &error))
        result = g_memdup2 (&usage, sizeof usage);
      result_free = g_free;
      break;
    case JOB_LIST_NETWORKS:
      result = list_networks (data->conn, &error);
      result_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case JOB_LIST_POOLS:
      result = list_pools (data->conn, &error);
      result_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case JOB_LIST_VOLUMES:
      result = list_volumes (data->conn, data->pool, &error);
      result_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case JOB_LIST_INTERFACES:
      result = list_interfaces (data, &error);
      result_free = (GDestroyNotify) g_ptr_array_unref;
      break;
    case JOB_NETWORK_CREATE:
      ok = network_create (data, &error);
      break;
    case JOB_NETWORK_RUN:
      ok = network_run (data, &error);
      break;
    case JOB_POOL_CREATE:
      ok = pool_create (data, &error);
      break;
    case JOB_POOL_RUN:
      ok = pool_run (data, &error);
      break;
    case JOB_VOLUME_CREATE:
      ok = volume_create (data, &error);
      break;
    case JOB_VOLUME_DELETE:
      ok = volume_delete (data, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (result_free == (GDestroyNotify) g_ptr_array_unref && result != NULL)
    g_ptr_array_sort (result, compare_rows);

  /* Given back in this thread: the last reference may close the connection. */
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (result_free != NULL)
    g_task_return_pointer (task, result, result_free);
  else
    g_task_return_boolean (task, ok);
}

/* --- public calls ---------------------------------------------------------------------- */

void
hangar_host_read_overview_async (HangarConnection    *connection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  start_job (connection, job_data_new (JOB_OVERVIEW), hangar_host_read_overview_async,
             cancellable, callback, user_data);
}

/**
 * hangar_host_read_overview_finish:
 *
 * Returns: (transfer full): what the host is, or %NULL with @error set
 */
HangarHostOverview *
hangar_host_read_overview_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hangar_host_read_usage_async (HangarConnection    *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  start_job (connection, job_data_new (JOB_USAGE), hangar_host_read_usage_async,
             cancellable, callback, user_data);
}

gboolean
hangar_host_read_usage_finish (GAsyncResult     *result,
                               HangarHostUsage  *usage,
                               GError          **error)
{
  g_autofree HangarHostUsage *sample = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (usage != NULL, FALSE);

  sample = g_task_propagate_pointer (G_TASK (result), error);
  if (sample == NULL)
    return FALSE;
  *usage = *sample;
  return TRUE;
}

void
hangar_host_list_networks_async (HangarConnection    *connection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  start_job (connection, job_data_new (JOB_LIST_NETWORKS), hangar_host_list_networks_async,
             cancellable, callback, user_data);
}

void
hangar_host_list_pools_async (HangarConnection    *connection,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  start_job (connection, job_data_new (JOB_LIST_POOLS), hangar_host_list_pools_async,
             cancellable, callback, user_data);
}

void
hangar_host_list_volumes_async (HangarConnection    *connection,
                                const char          *pool,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (pool != NULL);

  data = job_data_new (JOB_LIST_VOLUMES);
  data->pool = g_strdup (pool);
  start_job (connection, data, hangar_host_list_volumes_async, cancellable, callback, user_data);
}

void
hangar_host_list_interfaces_async (HangarConnection    *connection,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  start_job (connection, job_data_new (JOB_LIST_INTERFACES), hangar_host_list_interfaces_async,
             cancellable, callback, user_data);
}

/**
 * hangar_host_list_finish:
 *
 * Returns: (transfer full) (element-type GObject): the rows, sorted by name
 */
GPtrArray *
hangar_host_list_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hangar_host_network_create_async:
 *
 * Defines and starts a network. The spec is checked again in the worker
 * against the host's networks as they are then; a network that cannot
 * start is undefined again.
 */
void
hangar_host_network_create_async (HangarConnection        *connection,
                                  const HangarNetworkSpec *spec,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (spec != NULL);

  data = job_data_new (JOB_NETWORK_CREATE);
  data->name = g_strdup (spec->name);
  data->forward = spec->forward;
  data->network = g_strdup (spec->network);
  data->dhcp_start = g_strdup (spec->dhcp_start);
  data->dhcp_end = g_strdup (spec->dhcp_end);
  start_job (connection, data, hangar_host_network_create_async, cancellable, callback,
             user_data);
}

/**
 * hangar_host_network_run_async:
 *
 * Starts, stops, deletes a network or changes its autostart. Deleting is
 * refused (%HANGAR_HOST_ERROR_IN_USE) while a running machine uses it.
 */
void
hangar_host_network_run_async (HangarConnection    *connection,
                               const char          *name,
                               HangarHostAction     action,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (name != NULL);

  data = job_data_new (JOB_NETWORK_RUN);
  data->name = g_strdup (name);
  data->action = action;
  start_job (connection, data, hangar_host_network_run_async, cancellable, callback, user_data);
}

/**
 * hangar_host_pool_create_async:
 *
 * Defines a directory pool on an existing folder and starts it; a pool
 * that cannot start is undefined again.
 */
void
hangar_host_pool_create_async (HangarConnection    *connection,
                               const char          *name,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  data = job_data_new (JOB_POOL_CREATE);
  data->name = g_strdup (name);
  data->path = g_strdup (path);
  start_job (connection, data, hangar_host_pool_create_async, cancellable, callback, user_data);
}

/**
 * hangar_host_pool_run_async:
 *
 * Deleting a pool removes its definition; its folder and files stay.
 */
void
hangar_host_pool_run_async (HangarConnection    *connection,
                            const char          *name,
                            HangarHostAction     action,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (name != NULL);

  data = job_data_new (JOB_POOL_RUN);
  data->name = g_strdup (name);
  data->action = action;
  start_job (connection, data, hangar_host_pool_run_async, cancellable, callback, user_data);
}

void
hangar_host_volume_create_async (HangarConnection    *connection,
                                 const char          *pool,
                                 const char          *name,
                                 const char          *format,
                                 guint64              capacity,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (pool != NULL);

  data = job_data_new (JOB_VOLUME_CREATE);
  data->pool = g_strdup (pool);
  data->name = g_strdup (name);
  data->format = g_strdup (format);
  data->capacity = capacity;
  start_job (connection, data, hangar_host_volume_create_async, cancellable, callback,
             user_data);
}

/**
 * hangar_host_volume_delete_async:
 * @force: delete even when a machine has the volume as a disk
 *
 * Without @force, a volume a machine uses is refused with
 * %HANGAR_HOST_ERROR_IN_USE naming the machines.
 */
void
hangar_host_volume_delete_async (HangarConnection    *connection,
                                 const char          *pool,
                                 const char          *name,
                                 gboolean             force,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));
  g_return_if_fail (pool != NULL && name != NULL);

  data = job_data_new (JOB_VOLUME_DELETE);
  data->pool = g_strdup (pool);
  data->name = g_strdup (name);
  data->force = force;
  start_job (connection, data, hangar_host_volume_delete_async, cancellable, callback,
             user_data);
}

gboolean
hangar_host_op_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
