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

#include "hangar-connection-job.h"
#include "hangar-host-model-private.h"

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
  g_free (self->source);
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
char *
_hangar_host_read_ipv4 (xmlDoc     *doc,
                        const char *ip_path)
{
  g_autofree char *address_expr = g_strdup_printf ("%s/@address", ip_path);
  g_autofree char *prefix_expr = g_strdup_printf ("%s/@prefix", ip_path);
  g_autofree char *netmask_expr = g_strdup_printf ("%s/@netmask", ip_path);
  g_autofree char *address = hangar_xml_string (doc, NULL, address_expr);
  g_autofree char *prefix = NULL;
  g_autofree char *netmask = NULL;
  guint32 ignored;

  if (address == NULL || !hangar_ipv4_parse_address (address, &ignored))
    return NULL;
  prefix = hangar_xml_string (doc, NULL, prefix_expr);
  if (prefix != NULL)
    return g_strdup_printf ("%s/%s", address, prefix);
  netmask = hangar_xml_string (doc, NULL, netmask_expr);
  if (netmask != NULL)
    return g_strdup_printf ("%s/%u", address, netmask_to_prefix (netmask));
  return g_strdup_printf ("%s/24", address);
}

/* --- tasks ---------------------------------------------------------------------------- */

static void
job_data_free (JobData *data)
{
  g_assert (data->conn == NULL);
  g_free (data->caps_xml);
  g_free (data->name);
  g_free (data->pool);
  g_free (data->path);
  g_free (data->format);
  g_free (data->network);
  g_free (data->dhcp_start);
  g_free (data->dhcp_end);
  g_free (data->source_host);
  g_free (data->source_path);
  g_free (data->devices);
  g_free (data->source_name);
  g_free (data->iqn);
  g_free (data);
}

/* An operation that changes something: the task returns a boolean. */
JobData *
_hangar_host_op_new (HangarHostOpFunc op)
{
  JobData *data = g_new0 (JobData, 1);

  data->op = op;
  return data;
}

/* An operation that reads something, returned as a pointer. */
JobData *
_hangar_host_read_new (HangarHostReadFunc read,
                       GDestroyNotify     result_free)
{
  JobData *data = g_new0 (JobData, 1);

  data->read = read;
  data->result_free = result_free;
  return data;
}

/* An operation that lists rows (GObjects in a GPtrArray), sorted by name. */
JobData *
_hangar_host_rows_new (HangarHostReadFunc list)
{
  JobData *data = _hangar_host_read_new (list, (GDestroyNotify) g_ptr_array_unref);

  data->rows = TRUE;
  return data;
}

static void
host_job (GTask         *task,
          virConnectPtr  conn,
          gpointer       task_data,
          GCancellable  *cancellable)
{
  JobData *data = task_data;
  GError *error = NULL;
  gpointer result = NULL;
  gboolean ok = FALSE;

  data->conn = conn;
  if (data->read != NULL)
    result = data->read (data, &error);
  else
    ok = data->op (data, &error);
  /* The connection's runner gives the handle back. */
  data->conn = NULL;

  if (data->rows && result != NULL)
    g_ptr_array_sort (result, _hangar_host_compare_rows);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (data->read != NULL)
    g_task_return_pointer (task, result, data->result_free);
  else
    g_task_return_boolean (task, ok);
}

static GTask *
job_task_new (HangarConnection    *connection,
              JobData             *data,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (connection, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) job_data_free);
  data->local = hangar_connection_is_local (connection);
  data->session = strstr (hangar_connection_get_uri (connection), "/session") != NULL;
  return task;
}

void
_hangar_host_start_job (HangarConnection    *connection,
                        JobData             *data,
                        gpointer             source_tag,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_assert (HANGAR_IS_CONNECTION (connection));

  task = job_task_new (connection, data, source_tag, cancellable, callback, user_data);
  hangar_connection_run_job (connection, task, host_job);
}

/* --- domains: who uses what --------------------------------------------------------- */

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
GPtrArray *
_hangar_host_read_domain_uses (virConnectPtr   conn,
                               gboolean        only_active,
                               GError        **error)
{
  virDomainPtr *doms = NULL;
  int n = virConnectListAllDomains (conn, &doms,
                                    only_active ? VIR_CONNECT_LIST_DOMAINS_ACTIVE : 0);
  GPtrArray *uses;

  if (n < 0)
    {
      *error = hangar_libvirt_error_new (_("Could not list the machines"));
      return NULL;
    }
  uses = g_ptr_array_new_with_free_func ((GDestroyNotify) domain_use_free);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virDomainGetXMLDesc (doms[i], 0);
      g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
      g_autoptr(GPtrArray) sources = NULL;
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
      use->networks = hangar_xml_strings (doc, NULL, "/domain/devices/interface[@type='network']"
                                                     "/source/@network");
      use->files = hangar_xml_strings (doc, NULL, "/domain/devices/disk/source/@file"
                                                  " | /domain/devices/disk/source/@dev");
      use->pool_vols = g_ptr_array_new_with_free_func (g_free);
      sources = hangar_xml_nodes (doc, NULL, "/domain/devices/disk[@type='volume']/source");
      for (guint j = 0; j < sources->len; j++)
        {
          g_autofree char *pool = hangar_xml_attr (g_ptr_array_index (sources, j), "pool");
          g_autofree char *volume = hangar_xml_attr (g_ptr_array_index (sources, j), "volume");

          if (pool != NULL && volume != NULL)
            g_ptr_array_add (use->pool_vols, g_strdup_printf ("%s/%s", pool, volume));
        }
      g_ptr_array_add (uses, use);
      virDomainFree (doms[i]);
    }
  free (doms);
  return uses;
}

gboolean
_hangar_host_strings_contain (GPtrArray  *strings,
                              const char *s)
{
  for (guint i = 0; s != NULL && i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), s) == 0)
      return TRUE;
  return FALSE;
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

static gpointer
read_overview (JobData  *data,
               GError  **error)
{
  g_autoptr(HangarHostOverview) overview = g_new0 (HangarHostOverview, 1);
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
      *error = hangar_libvirt_error_new (_("Could not read the host's hardware"));
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

  /* The connection's: read once for everyone who asks. */
  doc = hangar_xml_parse (data->caps_xml, NULL);
  if (doc != NULL)
    {
      overview->cpu_model = hangar_xml_string (doc, NULL, "/capabilities/host/cpu/model");
      overview->cpu_vendor = hangar_xml_string (doc, NULL, "/capabilities/host/cpu/vendor");
      overview->virt.kvm_in_libvirt =
        hangar_xml_exists (doc, NULL, "/capabilities/guest/arch/domain[@type='kvm']")
        ? HANGAR_FACT_YES : HANGAR_FACT_NO;
      /* Remote: the host CPU's listed features are all we can see, and a
       * missing one proves nothing. */
      if (hangar_xml_exists (doc, NULL, "/capabilities/host/cpu/feature[@name='vmx']"))
        overview->virt.cpu_vmx = HANGAR_FACT_YES;
      if (hangar_xml_exists (doc, NULL, "/capabilities/host/cpu/feature[@name='svm']"))
        overview->virt.cpu_svm = HANGAR_FACT_YES;
    }
  virResetLastError ();

  if (data->local)
    read_local_facts (&overview->virt);
  return g_steal_pointer (&overview);
}

static gboolean
read_usage_sample (JobData          *data,
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
  *error = hangar_libvirt_error_new (_("Could not read the host's usage"));
  return FALSE;
}

static gpointer
read_usage (JobData  *data,
            GError  **error)
{
  HangarHostUsage usage = { 0 };

  if (!read_usage_sample (data, &usage, error))
    return NULL;
  return g_memdup2 (&usage, sizeof usage);
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

int
_hangar_host_compare_rows (gconstpointer a,
                           gconstpointer b)
{
  return g_strcmp0 (row_name (*(gpointer *) a), row_name (*(gpointer *) b));
}

/* --- public calls ---------------------------------------------------------------------- */

static void
on_overview_caps (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HangarConnection *connection = HANGAR_CONNECTION (object);
  g_autoptr(GTask) task = user_data;
  JobData *data = g_task_get_task_data (task);
  g_autoptr(HangarHostCaps) caps = NULL;
  g_autoptr(GError) error = NULL;

  /* Nice to have: without them the page still shows the rest. */
  caps = hangar_connection_get_caps_finish (connection, result, &data->caps_xml, &error);
  hangar_connection_run_job (connection, task, host_job);
}

void
hangar_host_read_overview_async (HangarConnection    *connection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HANGAR_IS_CONNECTION (connection));

  task = job_task_new (connection,
                       _hangar_host_read_new (read_overview,
                                              (GDestroyNotify) hangar_host_overview_free),
                       hangar_host_read_overview_async, cancellable, callback, user_data);
  hangar_connection_get_caps_async (connection, cancellable, on_overview_caps, task);
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

  _hangar_host_start_job (connection, _hangar_host_read_new (read_usage, g_free),
                          hangar_host_read_usage_async, cancellable, callback, user_data);
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

gboolean
hangar_host_op_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

