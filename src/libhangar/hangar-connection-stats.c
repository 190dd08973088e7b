/* hangar-connection-stats.c — the statistics poll and the details read.
 *
 * Bulk reads: the first listing takes a handful of calls whatever the
 * number of machines, and statistics are one virConnectGetAllDomainStats
 * call per interval for every running machine, never one call per
 * machine per tick.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "hangar-connection-private.h"
#include "hangar-connection-testing.h"

/* --- the first listing ------------------------------------------------------ */

static GHashTable *
uuid_set (virConnectPtr conn,
          unsigned int  flags)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  virDomainPtr *doms = NULL;
  int n = virConnectListAllDomains (conn, &doms, flags);

  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];

      virDomainGetUUIDString (doms[i], uuid);
      g_hash_table_add (set, g_strdup (uuid));
      virDomainFree (doms[i]);
    }
  free (doms);
  if (n < 0)
    virResetLastError ();
  return set;
}

typedef struct
{
  int      state;
  guint    vcpus;
  guint64  memory_total;
} BulkFacts;

static gboolean
typed_param_ullong (virTypedParameterPtr params,
                    int                  n,
                    const char          *name,
                    unsigned long long  *value)
{
  return virTypedParamsGetULLong (params, n, name, value) == 1;
}

/* One bulk call instead of one call per machine: on a remote host with
 * thousands of machines this is the difference between one round trip and
 * thousands. */
static GHashTable *
bulk_facts (virConnectPtr conn)
{
  GHashTable *facts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  virDomainStatsRecordPtr *records = NULL;
  int n;

  n = virConnectGetAllDomainStats (conn,
                                   VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_BALLOON
                                   | VIR_DOMAIN_STATS_VCPU,
                                   &records, 0);
  if (n < 0)
    {
      virResetLastError ();
      return facts;
    }

  for (int i = 0; i < n; i++)
    {
      virDomainStatsRecordPtr rec = records[i];
      BulkFacts *f = g_new0 (BulkFacts, 1);
      char uuid[VIR_UUID_STRING_BUFLEN];
      unsigned long long ull;
      unsigned int u;
      int state;

      f->state = -1;
      if (virTypedParamsGetInt (rec->params, rec->nparams, "state.state", &state) == 1)
        f->state = state;
      if (virTypedParamsGetUInt (rec->params, rec->nparams, "vcpu.current", &u) == 1)
        f->vcpus = u;
      if (typed_param_ullong (rec->params, rec->nparams, "balloon.maximum", &ull))
        f->memory_total = ull;
      virDomainGetUUIDString (rec->dom, uuid);
      g_hash_table_insert (facts, g_strdup (uuid), f);
    }
  virDomainStatsRecordListFree (records);
  return facts;
}

/* Whether the URI names a host (qemu+ssh://host/…, test+tcp://host/…):
 * every call is then a round trip over the network. */
static gboolean
reached_over_network (virConnectPtr conn)
{
  char *uri = virConnectGetURI (conn);
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  free (uri);
  if (uri == NULL)
    virResetLastError ();
  return host != NULL && *host != '\0';
}

GPtrArray *
_hangar_connection_read_all_domains (virConnectPtr conn)
{
  g_autoptr(GHashTable) transient = NULL;
  g_autoptr(GHashTable) saved = NULL;
  g_autoptr(GHashTable) facts = NULL;
  virDomainPtr *doms = NULL;
  GPtrArray *infos;
  gboolean remote;
  int n;

  n = virConnectListAllDomains (conn, &doms, 0);
  if (n < 0)
    return NULL;

  /* Asking each machine costs a round trip per machine on a remote
   * host: 1,000 machines 300 ms away took five minutes before the first
   * row. There the list shows names and states from the bulk calls, and
   * vCPUs and memory come with each machine's details. */
  remote = reached_over_network (conn);
  transient = uuid_set (conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT);
  saved = uuid_set (conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE);
  facts = bulk_facts (conn);

  infos = g_ptr_array_new_full (n, (GDestroyNotify) _hangar_vm_info_free);
  for (int i = 0; i < n; i++)
    {
      HangarVmInfo *info;
      BulkFacts *f;

      info = g_new0 (HangarVmInfo, 1);
      info->name = g_strdup (virDomainGetName (doms[i]));
      virDomainGetUUIDString (doms[i], info->uuid);
      info->id = (int) virDomainGetID (doms[i]);
      info->persistent = !g_hash_table_contains (transient, info->uuid);
      info->has_managed_save = g_hash_table_contains (saved, info->uuid);

      f = g_hash_table_lookup (facts, info->uuid);
      if (f != NULL && f->state >= 0 && f->vcpus != 0 && f->memory_total != 0)
        {
          info->state = f->state;
          info->vcpus = f->vcpus;
          info->memory_total = f->memory_total;
        }
      else if (remote && f != NULL && f->state >= 0)
        {
          info->state = f->state;
          info->vcpus = f->vcpus;
          info->memory_total = f->memory_total;
        }
      else
        {
          /* Drivers without full bulk statistics (the test driver): ask this one. */
          virDomainInfo dinfo;

          if (virDomainGetInfo (doms[i], &dinfo) == 0)
            {
              info->state = dinfo.state;
              info->vcpus = dinfo.nrVirtCpu;
              info->memory_total = dinfo.maxMem;
            }
          else
            {
              virResetLastError ();
              info->state = f ? MAX (f->state, 0) : VIR_DOMAIN_NOSTATE;
            }
        }
      g_ptr_array_add (infos, info);
      virDomainFree (doms[i]);
    }
  free (doms);
  return infos;
}

/* --- details (titles, graphics) --------------------------------------------- */

typedef struct
{
  virConnectPtr   conn;
  char          **uuids;
} DetailsJob;

static void
details_job_free (DetailsJob *job)
{
  _hangar_handle_release (g_steal_pointer (&job->conn));
  g_strfreev (job->uuids);
  g_free (job);
}

static void
details_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DetailsJob *job = task_data;
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) _hangar_vm_info_free);

  for (guint i = 0; job->uuids[i] != NULL; i++)
    {
      HangarVmInfo *info = NULL;
      virDomainPtr dom;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      dom = virDomainLookupByUUIDString (job->conn, job->uuids[i]);
      if (dom != NULL)
        {
          info = _hangar_vm_info_read (dom, TRUE);
          virDomainFree (dom);
        }
      if (info != NULL)
        g_ptr_array_add (infos, info);
      else
        virResetLastError ();
    }
  g_clear_pointer (&job->conn, virConnectClose);
  g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
}

static void
details_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  g_autoptr(GPtrArray) infos = NULL;

  infos = g_task_propagate_pointer (G_TASK (result), NULL);
  if (infos == NULL || GPOINTER_TO_UINT (user_data) != self->generation)
    return;

  for (guint i = 0; i < infos->len; i++)
    {
      HangarVmInfo *info = g_ptr_array_index (infos, i);
      HangarVm *vm = g_hash_table_lookup (self->by_uuid, info->uuid);

      if (vm != NULL)
        _hangar_vm_apply_info (vm, info, FALSE);
    }
  g_debug ("%s: read details of %u machines", self->uri, infos->len);
}

/* Titles, descriptions and graphics need each machine's XML: read them
 * after the list is shown, not before. */
void
_hangar_connection_fetch_details (HangarConnection *self)
{
  g_autoptr(GTask) task = NULL;
  DetailsJob *job = g_new0 (DetailsJob, 1);

  job->conn = _hangar_connection_dup_handle (self, NULL);
  job->uuids = g_new0 (char *, self->vms->len + 1);
  for (guint i = 0; i < self->vms->len; i++)
    job->uuids[i] = g_strdup (hangar_vm_get_uuid (g_ptr_array_index (self->vms, i)));

  task = g_task_new (self, self->cancellable, details_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, _hangar_connection_fetch_details);
  g_task_set_task_data (task, job, (GDestroyNotify) details_job_free);
  g_task_run_in_thread (task, details_thread);
}

/* --- statistics ------------------------------------------------------------- */

typedef struct
{
  char     uuid[VIR_UUID_STRING_BUFLEN];
  gboolean have_cpu;
  gboolean have_io;
  guint64  disk_read;    /* bytes, all disks, since the guest started */
  guint64  disk_write;
  guint64  net_rx;       /* bytes, all interfaces */
  guint64  net_tx;
  guint64  cpu_ns;
  guint    vcpus;
  guint64  memory_used;
  guint64  memory_total;
} Sample;

typedef struct
{
  virConnectPtr conn;
  gboolean      nowait;
  gboolean      nowait_unsupported;
  gint64        time_us;
  GArray       *samples;
  GHashTable   *names;             /* name → UUID, this worker's to fill */
  guint         names_generation;
  gboolean      closed;            /* the call failed because the handle is dead */
} StatsJob;

static void
stats_job_free (StatsJob *job)
{
  _hangar_handle_release (g_steal_pointer (&job->conn));
  g_clear_pointer (&job->samples, g_array_unref);
  g_clear_pointer (&job->names, g_hash_table_unref);
  g_free (job);
}

/* The machine a record is about, by UUID. virDomainGetUUIDString formats
 * the UUID twice (once for libvirt's debug log, even when logging is off),
 * which was a third of Hangar's idle CPU with 10,000 machines;
 * virDomainGetName costs nothing. So the UUID is looked up once per name,
 * and the table starts afresh whenever a name may have changed hands
 * (_hangar_connection_stats_forget_names). */
static void
record_uuid (StatsJob     *job,
             virDomainPtr  dom,
             char         *uuid)
{
  const char *name = virDomainGetName (dom);
  const char *known = name != NULL ? g_hash_table_lookup (job->names, name) : NULL;

  if (known != NULL)
    {
      memcpy (uuid, known, VIR_UUID_STRING_BUFLEN);
      return;
    }
  virDomainGetUUIDString (dom, uuid);
  if (name != NULL)
    g_hash_table_insert (job->names, g_strdup (name), g_strndup (uuid, VIR_UUID_STRING_BUFLEN - 1));
}

/* Totals over every disk and interface, for the details' I/O graphs. */
static void
sum_io (virDomainStatsRecordPtr  rec,
        Sample                  *sample)
{
  unsigned int count = 0;
  char name[64];

  if (virTypedParamsGetUInt (rec->params, rec->nparams, "block.count", &count) == 1)
    {
      sample->have_io = TRUE;
      for (unsigned int i = 0; i < count; i++)
        {
          unsigned long long value;

          g_snprintf (name, sizeof name, "block.%u.rd.bytes", i);
          if (typed_param_ullong (rec->params, rec->nparams, name, &value))
            sample->disk_read += value;
          g_snprintf (name, sizeof name, "block.%u.wr.bytes", i);
          if (typed_param_ullong (rec->params, rec->nparams, name, &value))
            sample->disk_write += value;
        }
    }
  if (virTypedParamsGetUInt (rec->params, rec->nparams, "net.count", &count) == 1)
    {
      sample->have_io = TRUE;
      for (unsigned int i = 0; i < count; i++)
        {
          unsigned long long value;

          g_snprintf (name, sizeof name, "net.%u.rx.bytes", i);
          if (typed_param_ullong (rec->params, rec->nparams, name, &value))
            sample->net_rx += value;
          g_snprintf (name, sizeof name, "net.%u.tx.bytes", i);
          if (typed_param_ullong (rec->params, rec->nparams, name, &value))
            sample->net_tx += value;
        }
    }
}

static void
stats_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StatsJob *job = task_data;
  virDomainStatsRecordPtr *records = NULL;
  const unsigned int types = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL
                             | VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU
                             | VIR_DOMAIN_STATS_BLOCK | VIR_DOMAIN_STATS_INTERFACE;
  unsigned int flags = VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE;
  int n;

  /* NOWAIT: a guest stuck in a long job must not stall everyone's stats. */
  if (job->nowait)
    flags |= VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;

  n = virConnectGetAllDomainStats (job->conn, types, &records, flags);
  if (n < 0 && job->nowait)
    {
      virErrorPtr err = virGetLastError ();

      if (err != NULL && (err->code == VIR_ERR_INVALID_ARG || err->code == VIR_ERR_NO_SUPPORT))
        {
          job->nowait_unsupported = TRUE;
          virResetLastError ();
          n = virConnectGetAllDomainStats (job->conn, types, &records,
                                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
        }
    }
  job->time_us = g_get_monotonic_time ();
  if (n < 0)
    job->closed = virConnectIsAlive (job->conn) == 0;
  g_clear_pointer (&job->conn, virConnectClose);

  if (n < 0)
    {
      g_task_return_error (task, _hangar_libvirt_error (_("Could not read statistics")));
      return;
    }

  job->samples = g_array_sized_new (FALSE, TRUE, sizeof (Sample), n);
  for (int i = 0; i < n; i++)
    {
      virDomainStatsRecordPtr rec = records[i];
      Sample sample = { 0 };
      unsigned long long ull;
      unsigned long long available = 0, unused = 0;
      unsigned int u;

      record_uuid (job, rec->dom, sample.uuid);
      if (typed_param_ullong (rec->params, rec->nparams, "cpu.time", &ull))
        {
          sample.have_cpu = TRUE;
          sample.cpu_ns = ull;
        }
      if (virTypedParamsGetUInt (rec->params, rec->nparams, "vcpu.current", &u) == 1)
        sample.vcpus = u;
      if (typed_param_ullong (rec->params, rec->nparams, "balloon.maximum", &ull))
        sample.memory_total = ull;
      /* What the guest really uses when its balloon driver reports it,
       * else what it was given. */
      if (typed_param_ullong (rec->params, rec->nparams, "balloon.available", &available)
          && typed_param_ullong (rec->params, rec->nparams, "balloon.unused", &unused)
          && available > unused)
        sample.memory_used = available - unused;
      else if (typed_param_ullong (rec->params, rec->nparams, "balloon.current", &ull))
        sample.memory_used = ull;
      sum_io (rec, &sample);
      g_array_append_val (job->samples, sample);
    }
  virDomainStatsRecordListFree (records);
  g_task_return_boolean (task, TRUE);
}

static void
stats_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  StatsJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->stats_in_flight = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("%s: %s", self->uri, error->message);
      /* The close callback normally tells us first (and bumps the
       * generation). Should it ever be lost, a dead handle must not leave
       * the list frozen and every call failing for good. */
      if (job->closed && GPOINTER_TO_UINT (user_data) == self->generation
          && self->state == HANGAR_CONNECTION_STATE_CONNECTED)
        _hangar_connection_closed (self, VIR_CONNECT_CLOSE_REASON_ERROR);
      return;
    }
  if (GPOINTER_TO_UINT (user_data) != self->generation)
    return;
  if (job->nowait_unsupported)
    self->stats_nowait_unsupported = TRUE;
  /* A name changed hands while the worker ran: its UUIDs may be stale. */
  if (job->names_generation != self->stats_names_generation)
    return;

  for (guint i = 0; i < job->samples->len; i++)
    {
      Sample *s = &g_array_index (job->samples, Sample, i);
      HangarVm *vm = g_hash_table_lookup (self->by_uuid, s->uuid);

      if (vm != NULL)
        {
          _hangar_vm_push_sample (vm, job->time_us, s->cpu_ns, s->have_cpu, s->vcpus,
                                  s->memory_used, s->memory_total);
          if (s->have_io)
            _hangar_vm_push_io_sample (vm, job->time_us, s->disk_read, s->disk_write,
                                       s->net_rx, s->net_tx);
        }
    }
}

static gboolean
stats_tick (gpointer user_data)
{
  HangarConnection *self = user_data;
  g_autoptr(GTask) task = NULL;
  StatsJob *job;

  /* A slow host answers late: skip a tick rather than pile calls up. */
  if (self->stats_in_flight || self->conn == NULL)
    return G_SOURCE_CONTINUE;

  job = g_new0 (StatsJob, 1);
  job->conn = _hangar_connection_dup_handle (self, NULL);
  job->nowait = !self->stats_nowait_unsupported;
  if (self->stats_names == NULL)
    self->stats_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  job->names = g_hash_table_ref (self->stats_names);
  job->names_generation = self->stats_names_generation;

  self->stats_in_flight = TRUE;
  task = g_task_new (self, self->cancellable, stats_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, stats_tick);
  g_task_set_task_data (task, job, (GDestroyNotify) stats_job_free);
  g_task_run_in_thread (task, stats_thread);
  return G_SOURCE_CONTINUE;
}

/* Machines were defined, undefined, renamed or went away: a name may now
 * stand for another UUID. The running worker keeps its own reference to
 * the old table, and its results are dropped (stats_done). */
void
_hangar_connection_stats_forget_names (HangarConnection *self)
{
  g_clear_pointer (&self->stats_names, g_hash_table_unref);
  self->stats_names_generation++;
}

void
_hangar_connection_stats_stop (HangarConnection *self)
{
  g_clear_handle_id (&self->stats_source, g_source_remove);
}

void
_hangar_connection_stats_start (HangarConnection *self)
{
  _hangar_connection_stats_stop (self);
  if (!self->stats_enabled || self->state != HANGAR_CONNECTION_STATE_CONNECTED)
    return;
  self->stats_source = g_timeout_add (self->stats_interval, stats_tick, self);
  g_source_set_name_by_id (self->stats_source, "[hangar] statistics");
}

/* For tests: hangar-connection-testing.h. */
gboolean
_hangar_connection_test_stats_in_flight (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), FALSE);
  return self->stats_in_flight;
}
