/* hangar-connection-stats.c — the statistics poll and the details read.
 *
 * Bulk reads: the first listing takes a handful of calls whatever the
 * number of machines. Statistics are in proportion to what the user sees:
 * one virDomainListGetStats call per round for the running machines some
 * view holds (hangar_vm_hold_stats(): list rows on screen, open windows,
 * graphs), none while nothing is held or every window is hidden, and the
 * rounds space out on a host slow to answer. The machines' states come
 * from lifecycle events, which every driver Hangar uses (QEMU, the test
 * driver, remote) delivers; no polling pass reads them.
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

/* Titles, descriptions and graphics need each machine's XML, several RPCs
 * a machine: on a host 300 ms away, one after another, 1,000 machines took
 * minutes before the last title showed. So they are read after the list
 * is shown, by a few workers at once on the one handle (libvirt's remote
 * driver keeps several calls in flight), the machines on screen first:
 * a machine whose statistics a view starts holding (a row bound) jumps
 * the queue. The results come back to the main thread in batches. */
#define DETAILS_WORKERS 4

typedef struct _HangarDetailsQueue
{
  GMutex         lock;
  virConnectPtr  conn;
  GQueue         urgent;     /* UUIDs on screen, read first */
  GQueue         pending;    /* the rest, in list order */
  GHashTable    *taken;      /* UUIDs a worker has taken */
  GPtrArray     *results;    /* HangarVmInfo, for the main thread */
  guint          read;
  guint          workers;    /* still running */
  gboolean       flush_queued;
  int            cancelled;  /* atomic */
  GMainContext  *context;
  GWeakRef       self;
  guint          generation;
  gint64         started_us;
} HangarDetailsQueue;

static void
details_queue_clear (gpointer data)
{
  HangarDetailsQueue *queue = data;

  g_queue_clear_full (&queue->urgent, g_free);
  g_queue_clear_full (&queue->pending, g_free);
  g_clear_pointer (&queue->taken, g_hash_table_unref);
  g_clear_pointer (&queue->results, g_ptr_array_unref);
  g_main_context_unref (queue->context);
  g_weak_ref_clear (&queue->self);
  g_mutex_clear (&queue->lock);
  _hangar_handle_release (g_steal_pointer (&queue->conn));
}

static void
details_queue_unref (HangarDetailsQueue *queue)
{
  g_atomic_rc_box_release_full (queue, details_queue_clear);
}

/* On the main thread: what the workers read since the last batch. */
static gboolean
details_flush (gpointer data)
{
  HangarDetailsQueue *queue = data;
  g_autoptr(HangarConnection) self = g_weak_ref_get (&queue->self);
  g_autoptr(GPtrArray) infos = NULL;
  gboolean finished;

  g_mutex_lock (&queue->lock);
  infos = g_steal_pointer (&queue->results);
  queue->results = g_ptr_array_new_with_free_func ((GDestroyNotify) _hangar_vm_info_free);
  queue->flush_queued = FALSE;
  finished = queue->workers == 0;
  g_mutex_unlock (&queue->lock);

  if (self == NULL || queue->generation != self->generation || g_atomic_int_get (&queue->cancelled))
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < infos->len; i++)
    {
      HangarVmInfo *info = g_ptr_array_index (infos, i);
      HangarVm *vm = g_hash_table_lookup (self->by_uuid, info->uuid);

      if (vm != NULL)
        _hangar_vm_apply_info (vm, info, FALSE);
    }
  if (finished)
    {
      g_debug ("%s: read details of %u machines in %.0f ms", self->uri, queue->read,
               (g_get_monotonic_time () - queue->started_us) / 1000.0);
      if (self->details == queue)
        g_clear_pointer (&self->details, details_queue_unref);
    }
  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
details_queue_flush_locked (HangarDetailsQueue *queue)
{
  GSource *source;

  if (queue->flush_queued)
    return;
  queue->flush_queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, details_flush, g_atomic_rc_box_acquire (queue),
                         (GDestroyNotify) details_queue_unref);
  g_source_set_static_name (source, "[hangar] machine details");
  g_source_attach (source, queue->context);
  g_source_unref (source);
}

static char *
details_next (HangarDetailsQueue *queue)
{
  char *uuid = NULL;

  while (uuid == NULL)
    {
      uuid = g_queue_pop_head (&queue->urgent);
      if (uuid == NULL)
        uuid = g_queue_pop_head (&queue->pending);
      if (uuid == NULL)
        return NULL;
      if (g_hash_table_contains (queue->taken, uuid))
        g_clear_pointer (&uuid, g_free);  /* already read, or being read */
      else
        g_hash_table_add (queue->taken, g_strdup (uuid));
    }
  return uuid;
}

static gpointer
details_worker (gpointer data)
{
  HangarDetailsQueue *queue = data;

  for (;;)
    {
      g_autofree char *uuid = NULL;
      HangarVmInfo *info = NULL;
      virDomainPtr dom;

      if (g_atomic_int_get (&queue->cancelled))
        break;
      g_mutex_lock (&queue->lock);
      uuid = details_next (queue);
      g_mutex_unlock (&queue->lock);
      if (uuid == NULL)
        break;

      dom = virDomainLookupByUUIDString (queue->conn, uuid);
      if (dom != NULL)
        {
          info = _hangar_vm_info_read (dom, TRUE);
          virDomainFree (dom);
        }
      if (info == NULL)
        {
          virResetLastError ();
          continue;
        }
      g_mutex_lock (&queue->lock);
      g_ptr_array_add (queue->results, info);
      queue->read++;
      details_queue_flush_locked (queue);
      g_mutex_unlock (&queue->lock);
    }

  g_mutex_lock (&queue->lock);
  if (--queue->workers == 0)
    details_queue_flush_locked (queue);
  g_mutex_unlock (&queue->lock);
  details_queue_unref (queue);
  return NULL;
}

void
_hangar_connection_fetch_details (HangarConnection *self)
{
  HangarDetailsQueue *queue;

  _hangar_connection_details_cancel (self);
  if (self->conn == NULL || self->vms->len == 0)
    return;

  queue = g_atomic_rc_box_new0 (HangarDetailsQueue);
  g_mutex_init (&queue->lock);
  queue->conn = _hangar_connection_dup_handle (self, NULL);
  queue->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  queue->results = g_ptr_array_new_with_free_func ((GDestroyNotify) _hangar_vm_info_free);
  queue->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&queue->self, self);
  queue->generation = self->generation;
  queue->started_us = g_get_monotonic_time ();
  for (guint i = 0; i < self->vms->len; i++)
    {
      HangarVm *vm = g_ptr_array_index (self->vms, i);
      GQueue *q = _hangar_vm_stats_held (vm) ? &queue->urgent : &queue->pending;

      g_queue_push_tail (q, g_strdup (hangar_vm_get_uuid (vm)));
    }
  queue->workers = MIN (DETAILS_WORKERS, self->vms->len);
  for (guint i = 0; i < queue->workers; i++)
    g_thread_unref (g_thread_new ("hangar-details", details_worker,
                                  g_atomic_rc_box_acquire (queue)));
  self->details = queue;
}

/* A view shows @vm: its title is read next, if it was not yet. */
void
_hangar_connection_details_prioritize (HangarConnection *self,
                                       HangarVm         *vm)
{
  HangarDetailsQueue *queue = self->details;

  if (queue == NULL)
    return;
  g_mutex_lock (&queue->lock);
  if (queue->workers > 0 && !g_hash_table_contains (queue->taken, hangar_vm_get_uuid (vm)))
    g_queue_push_tail (&queue->urgent, g_strdup (hangar_vm_get_uuid (vm)));
  g_mutex_unlock (&queue->lock);
}

/* The handle goes: the workers stop after the call they are in. */
void
_hangar_connection_details_cancel (HangarConnection *self)
{
  if (self->details == NULL)
    return;
  g_atomic_int_set (&self->details->cancelled, TRUE);
  g_clear_pointer (&self->details, details_queue_unref);
}

/* --- statistics ------------------------------------------------------------- */

/* A round takes at most about a quarter of the time between rounds: a host
 * that answers in 600 ms is asked every 3 s, not every second. */
#define SLOW_HOST_FACTOR 4

/* Domain handles by UUID, for the statistics worker: one lookup per
 * machine per handle, not per round. Only one worker uses it at a time
 * (stats_in_flight); it holds its own reference to the handle so freeing
 * the domains never closes the connection on the main thread. */
typedef struct _HangarStatsCache
{
  virConnectPtr  conn;
  GHashTable    *domains;   /* UUID → virDomainPtr */
} HangarStatsCache;

static void
stats_cache_clear (gpointer data)
{
  HangarStatsCache *cache = data;

  g_clear_pointer (&cache->domains, g_hash_table_unref);
  _hangar_handle_release (g_steal_pointer (&cache->conn));
}

static void
stats_cache_release (HangarStatsCache *cache)
{
  g_atomic_rc_box_release_full (cache, stats_cache_clear);
}

static void
domain_free (gpointer dom)
{
  virDomainFree (dom);
}

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
  HangarStatsCache *cache;
  char            **uuids;         /* the machines to ask about */
  gboolean          nowait;
  gboolean          nowait_unsupported;
  gint64            time_us;
  gint64            call_us;           /* how long the host took to answer */
  GArray           *samples;
  GHashTable       *names;             /* name → UUID, this worker's to fill */
  guint             names_generation;
  gboolean          closed;            /* the call failed because the handle is dead */
} StatsJob;

static void
stats_job_free (StatsJob *job)
{
  g_clear_pointer (&job->cache, stats_cache_release);
  g_strfreev (job->uuids);
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

/* The handles of the machines asked about, looked up once per handle.
 * A machine that went away is left out: the event that says so follows. */
static GPtrArray *
held_domains (StatsJob *job)
{
  GPtrArray *doms = g_ptr_array_new ();

  for (guint i = 0; job->uuids[i] != NULL; i++)
    {
      virDomainPtr dom = g_hash_table_lookup (job->cache->domains, job->uuids[i]);

      if (dom == NULL)
        {
          dom = virDomainLookupByUUIDString (job->cache->conn, job->uuids[i]);
          if (dom == NULL)
            {
              virResetLastError ();
              continue;
            }
          g_hash_table_insert (job->cache->domains, g_strdup (job->uuids[i]), dom);
        }
      g_ptr_array_add (doms, dom);
    }
  g_ptr_array_add (doms, NULL);
  return doms;
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
  unsigned int flags = 0;
  g_autoptr(GPtrArray) doms = held_domains (job);
  int n = 0;

  /* NOWAIT: a guest stuck in a long job must not stall everyone's stats. */
  if (job->nowait)
    flags |= VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;

  if (doms->len > 1)
    {
      gint64 start_us = g_get_monotonic_time ();

      n = virDomainListGetStats ((virDomainPtr *) doms->pdata, types, &records, flags);
      if (n < 0 && job->nowait)
        {
          virErrorPtr err = virGetLastError ();

          if (err != NULL && (err->code == VIR_ERR_INVALID_ARG || err->code == VIR_ERR_NO_SUPPORT))
            {
              job->nowait_unsupported = TRUE;
              virResetLastError ();
              n = virDomainListGetStats ((virDomainPtr *) doms->pdata, types, &records, 0);
            }
        }
      job->call_us = g_get_monotonic_time () - start_us;
    }
  job->time_us = g_get_monotonic_time ();
  if (n < 0)
    {
      job->closed = virConnectIsAlive (job->cache->conn) == 0;
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
  if (records != NULL)
    virDomainStatsRecordListFree (records);
  g_task_return_boolean (task, TRUE);
}

static void stats_schedule (HangarConnection *self);

/* The next round waits at least the setting, and longer on a host that is
 * slow to answer. Rounded to whole seconds so the figure shown does not
 * flicker with every round's jitter. */
static void
stats_adapt_interval (HangarConnection *self,
                      gint64            round_us)
{
  guint slow_ms = (guint) MIN (round_us * SLOW_HOST_FACTOR / 1000, 3600000);
  guint effective = self->stats_interval;

  if (slow_ms > effective)
    effective = (slow_ms + 999) / 1000 * 1000;
  _hangar_connection_set_effective_interval (self, effective);
}

static void
stats_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  StatsJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->stats_in_flight = FALSE;
  ok = g_task_propagate_boolean (G_TASK (result), &error);
  /* The statistics call's own time: the first round's lookups of each
   * machine's handle are a one-off. */
  if (GPOINTER_TO_UINT (user_data) == self->generation)
    stats_adapt_interval (self, job->call_us);
  /* A round never starts before the previous one returned. */
  stats_schedule (self);

  if (!ok)
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

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The running machines somebody shows, or NULL when there are none. */
static char **
held_running_uuids (HangarConnection *self)
{
  GPtrArray *uuids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer vm;

  g_hash_table_iter_init (&iter, self->stats_held);
  while (g_hash_table_iter_next (&iter, &vm, NULL))
    if (hangar_vm_is_active (vm))
      g_ptr_array_add (uuids, g_strdup (hangar_vm_get_uuid (vm)));
  if (uuids->len == 0)
    {
      g_ptr_array_free (uuids, TRUE);
      return NULL;
    }
  g_ptr_array_sort (uuids, compare_strings);
  g_ptr_array_add (uuids, NULL);
  return (char **) g_ptr_array_free (uuids, FALSE);
}

static gboolean
stats_wanted (HangarConnection *self)
{
  return self->stats_enabled && !self->stats_paused
         && self->state == HANGAR_CONNECTION_STATE_CONNECTED && self->conn != NULL
         && g_hash_table_size (self->stats_held) > 0;
}

static gboolean
stats_tick (gpointer user_data)
{
  HangarConnection *self = user_data;
  g_autoptr(GTask) task = NULL;
  StatsJob *job;
  char **uuids;

  self->stats_source = 0;
  /* stats_done schedules the next round when this one returns. */
  if (self->stats_in_flight || !stats_wanted (self))
    return G_SOURCE_REMOVE;

  /* Only stopped machines are shown: nothing to ask, look again later. */
  uuids = held_running_uuids (self);
  if (uuids == NULL)
    {
      stats_schedule (self);
      return G_SOURCE_REMOVE;
    }

  if (self->stats_cache == NULL)
    {
      self->stats_cache = g_atomic_rc_box_new0 (HangarStatsCache);
      self->stats_cache->conn = _hangar_connection_dup_handle (self, NULL);
      self->stats_cache->domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          domain_free);
    }

  job = g_new0 (StatsJob, 1);
  job->cache = g_atomic_rc_box_acquire (self->stats_cache);
  job->uuids = uuids;
  job->nowait = !self->stats_nowait_unsupported;
  if (self->stats_names == NULL)
    self->stats_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  job->names = g_hash_table_ref (self->stats_names);
  job->names_generation = self->stats_names_generation;

  self->stats_rounds++;
#if HANGAR_TEST_HOOKS
  g_strfreev (self->stats_last_uuids);
  self->stats_last_uuids = g_strdupv (uuids);
#endif

  self->stats_in_flight = TRUE;
  task = g_task_new (self, self->cancellable, stats_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, stats_tick);
  g_task_set_task_data (task, job, (GDestroyNotify) stats_job_free);
  g_task_run_in_thread (task, stats_thread);
  return G_SOURCE_REMOVE;
}

/* One-shot: the next round is planned when the previous one returned, so
 * a slow host never has calls piling up. Nothing is planned while nobody
 * shows a machine or every window is hidden. */
static void
stats_schedule (HangarConnection *self)
{
  if (self->stats_source != 0 || self->stats_in_flight || !stats_wanted (self))
    return;
  self->stats_source = g_timeout_add (MAX (self->stats_effective_interval, self->stats_interval),
                                      stats_tick, self);
  g_source_set_name_by_id (self->stats_source, "[hangar] statistics");
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
  stats_schedule (self);
}

/* A view started or stopped showing @vm's statistics. */
void
_hangar_connection_stats_interest (HangarConnection *self,
                                   HangarVm         *vm,
                                   gboolean          held)
{
  _hangar_connection_assert_main_thread (self);

  if (!held)
    {
      g_hash_table_remove (self->stats_held, vm);
      return;
    }
  /* A machine no longer in the list (a row not yet rebound) is not asked for. */
  if (g_hash_table_lookup (self->by_uuid, hangar_vm_get_uuid (vm)) != vm)
    return;
  g_hash_table_add (self->stats_held, vm);
  _hangar_connection_details_prioritize (self, vm);
  stats_schedule (self);
}

/* @vm leaves the list. */
void
_hangar_connection_stats_forget_vm (HangarConnection *self,
                                    HangarVm         *vm)
{
  g_hash_table_remove (self->stats_held, vm);
}

/* The handle goes: its domain handles with it, and the held machines,
 * which are about to leave the list. */
void
_hangar_connection_stats_clear (HangarConnection *self)
{
  _hangar_connection_stats_stop (self);
  g_clear_pointer (&self->stats_cache, stats_cache_release);
  if (self->stats_held != NULL)
    g_hash_table_remove_all (self->stats_held);
}

/* For tests: hangar-connection-testing.h. */
gboolean
_hangar_connection_test_stats_in_flight (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), FALSE);
  return self->stats_in_flight;
}

guint
_hangar_connection_test_stats_rounds (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), 0);
  return self->stats_rounds;
}

char **
_hangar_connection_test_stats_last_uuids (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);
  return self->stats_last_uuids ? g_strdupv (self->stats_last_uuids) : g_new0 (char *, 1);
}
