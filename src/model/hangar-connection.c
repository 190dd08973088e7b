/* hangar-connection.c — one libvirt host and the machines on it.
 *
 * Every call that can touch the daemon runs in a worker thread; the main
 * thread only applies results. Machine state follows libvirt's domain
 * events (dispatched on the main loop through gvir_event_register()); only
 * statistics are polled, with one bulk call per interval.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libvirt-glib/libvirt-glib.h>

#include "hangar-connection-private.h"
#include "hangar-uri.h"
#include "hangar-vm-private.h"

#define RECONNECT_MAX_DELAY_S 60
#define KEEPALIVE_INTERVAL_S  5
#define KEEPALIVE_COUNT       3

struct _HangarConnection
{
  GObject                parent_instance;

  char                  *uri;
  char                  *display_name;
  char                  *error_message;
  HangarConnectionState  state;

  virConnectPtr          conn;
  int                    lifecycle_id;
  guint                  generation;

  GPtrArray             *vms;
  GHashTable            *by_uuid;

  /* Reads that must stay in order (event refreshes) go through one thread. */
  GThreadPool           *serial;
  GCancellable          *cancellable;

  guint                  stats_source;
  guint                  stats_interval;
  guint                  stats_nowait_unsupported : 1;
  guint                  stats_enabled : 1;
  guint                  stats_in_flight : 1;

  guint                  reconnect_source;
  guint                  reconnect_attempt;
  guint                  was_connected : 1;
  guint                  wanted : 1;
};

enum {
  PROP_0,
  PROP_URI,
  PROP_DISPLAY_NAME,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_STATS_INTERVAL,
  PROP_STATS_ENABLED,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarConnection, hangar_connection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (hangar-libvirt-error-quark, hangar_libvirt_error)

/* Event callbacks may outlive the object: they hold a weak reference and
 * the generation they were registered for. */
typedef struct
{
  GWeakRef self;
  guint    generation;
} EventContext;

static void
event_context_free (gpointer data)
{
  EventContext *ctx = data;

  g_weak_ref_clear (&ctx->self);
  g_free (ctx);
}

static EventContext *
event_context_new (HangarConnection *self)
{
  EventContext *ctx = g_new0 (EventContext, 1);

  g_weak_ref_init (&ctx->self, self);
  ctx->generation = self->generation;
  return ctx;
}

/* Called from the open thread: the task keeps the object alive meanwhile. */
static EventContext *
event_context_new_copy (EventContext *ctx)
{
  EventContext *copy = g_new0 (EventContext, 1);
  g_autoptr(GObject) self = g_weak_ref_get (&ctx->self);

  g_weak_ref_init (&copy->self, self);
  copy->generation = ctx->generation;
  return copy;
}

static HangarConnection *
event_context_get (EventContext *ctx)
{
  HangarConnection *self = g_weak_ref_get (&ctx->self);

  if (self != NULL && self->generation != ctx->generation)
    g_clear_object (&self);
  return self;
}

/**
 * _hangar_libvirt_error:
 * @what: what was being done, for people: “Could not start the machine”
 *
 * Turns libvirt's last error of this thread into a GError.
 *
 * Returns: (transfer full): the error
 */
GError *
_hangar_libvirt_error (const char *what)
{
  virErrorPtr err = virGetLastError ();
  GError *error;

  if (err == NULL || err->message == NULL)
    error = g_error_new (HANGAR_LIBVIRT_ERROR, VIR_ERR_INTERNAL_ERROR, "%s", what);
  else
    error = g_error_new (HANGAR_LIBVIRT_ERROR, err->code, "%s: %s", what, err->message);
  virResetLastError ();
  return error;
}

static void
silence_libvirt (void       *data,
                 virErrorPtr error)
{
  /* Errors are reported to the user from the GError we build; libvirt's
   * default handler would print each one to stderr as well. */
}

/* --- the list ------------------------------------------------------------ */

static GType
list_model_get_item_type (GListModel *model)
{
  return HANGAR_TYPE_VM;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return HANGAR_CONNECTION (model)->vms->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  HangarConnection *self = HANGAR_CONNECTION (model);

  if (position >= self->vms->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->vms, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
add_vms (HangarConnection *self,
         GPtrArray        *infos)
{
  guint before = self->vms->len;

  for (guint i = 0; i < infos->len; i++)
    {
      HangarVmInfo *info = g_ptr_array_index (infos, i);
      HangarVm *vm = g_hash_table_lookup (self->by_uuid, info->uuid);

      if (vm != NULL)
        {
          _hangar_vm_apply_info (vm, info);
          continue;
        }
      vm = _hangar_vm_new (self, info);
      g_ptr_array_add (self->vms, vm);
      g_hash_table_insert (self->by_uuid, (char *) hangar_vm_get_uuid (vm), vm);
    }

  if (self->vms->len != before)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), before, 0, self->vms->len - before);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
remove_vm (HangarConnection *self,
           HangarVm         *vm)
{
  guint position;

  if (!g_ptr_array_find (self->vms, vm, &position))
    return;
  g_hash_table_remove (self->by_uuid, hangar_vm_get_uuid (vm));
  g_ptr_array_remove_index (self->vms, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
clear_vms (HangarConnection *self)
{
  guint n = self->vms->len;

  if (n == 0)
    return;
  g_hash_table_remove_all (self->by_uuid);
  g_ptr_array_set_size (self->vms, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* --- state ----------------------------------------------------------------- */

static void
set_state (HangarConnection      *self,
           HangarConnectionState  state,
           const char            *error_message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->error_message, error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void on_close (virConnectPtr conn,
                      int           reason,
                      void         *opaque);

typedef struct
{
  virConnectPtr conn;
  int           lifecycle_id;
} CloseJob;

static gpointer
close_thread (gpointer data)
{
  CloseJob *job = data;

  if (job->lifecycle_id >= 0)
    virConnectDomainEventDeregisterAny (job->conn, job->lifecycle_id);
  virConnectUnregisterCloseCallback (job->conn, on_close);
  virConnectClose (job->conn);
  virResetLastError ();
  g_free (job);
  return NULL;
}

/* Deregistering and closing are RPCs: never on the main thread. */
static void
close_handle (virConnectPtr conn,
              int           lifecycle_id)
{
  CloseJob *job = g_new0 (CloseJob, 1);

  job->conn = conn;
  job->lifecycle_id = lifecycle_id;
  g_thread_unref (g_thread_new ("hangar-close", close_thread, job));
}

static void
close_in_thread (virConnectPtr conn)
{
  close_handle (conn, -1);
}

static void
release_handle (HangarConnection *self)
{
  virConnectPtr conn = g_steal_pointer (&self->conn);
  int lifecycle_id = self->lifecycle_id;

  self->lifecycle_id = -1;
  if (conn != NULL)
    close_handle (conn, lifecycle_id);
}

static void stats_stop (HangarConnection *self);
static void schedule_reconnect (HangarConnection *self);

static void
teardown (HangarConnection      *self,
          HangarConnectionState  state,
          const char            *message)
{
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stats_stop (self);
  release_handle (self);
  clear_vms (self);
  set_state (self, state, message);
}

/* --- events ---------------------------------------------------------------- */

typedef struct
{
  virDomainPtr dom;
  char         uuid[VIR_UUID_STRING_BUFLEN];
  HangarVmInfo *info;
} RefreshJob;

static void
refresh_job_free (RefreshJob *job)
{
  g_clear_pointer (&job->dom, virDomainFree);
  g_clear_pointer (&job->info, _hangar_vm_info_free);
  g_free (job);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshJob *job = task_data;

  job->info = _hangar_vm_info_read (job->dom, TRUE);
  if (job->info == NULL)
    virResetLastError ();
  g_clear_pointer (&job->dom, virDomainFree);
  g_task_return_boolean (task, TRUE);
}

static void
refresh_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  RefreshJob *job = g_task_get_task_data (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (user_data);
  HangarVm *vm;

  if (generation != self->generation)
    return;

  vm = g_hash_table_lookup (self->by_uuid, job->uuid);
  if (job->info == NULL)
    {
      /* It vanished before we could read it: a transient machine that stopped. */
      if (vm != NULL)
        remove_vm (self, vm);
      return;
    }

  if (vm != NULL)
    _hangar_vm_apply_info (vm, job->info);
  else
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, job->info);
      add_vms (self, one);
    }
}

static void
serial_worker (gpointer data,
               gpointer user_data)
{
  GTask *task = data;

  refresh_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                  g_task_get_cancellable (task));
  g_object_unref (task);
}

static void
refresh_domain (HangarConnection *self,
                virDomainPtr      dom)
{
  GTask *task;
  RefreshJob *job = g_new0 (RefreshJob, 1);

  virDomainRef (dom);
  job->dom = dom;
  virDomainGetUUIDString (dom, job->uuid);

  task = g_task_new (self, self->cancellable, refresh_done,
                     GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, refresh_domain);
  g_task_set_task_data (task, job, (GDestroyNotify) refresh_job_free);
  g_thread_pool_push (self->serial, task, NULL);
}

static int
on_lifecycle_event (virConnectPtr conn,
                    virDomainPtr  dom,
                    int           event,
                    int           detail,
                    void         *opaque)
{
  g_autoptr(HangarConnection) self = event_context_get (opaque);
  char uuid[VIR_UUID_STRING_BUFLEN];
  HangarVm *vm;

  if (self == NULL)
    return 0;

  virDomainGetUUIDString (dom, uuid);
  vm = g_hash_table_lookup (self->by_uuid, uuid);
  g_debug ("%s: event %d/%d for %s", self->uri, event, detail, virDomainGetName (dom));

  if (vm == NULL)
    {
      if (event != VIR_DOMAIN_EVENT_UNDEFINED && event != VIR_DOMAIN_EVENT_STOPPED)
        refresh_domain (self, dom);
      return 0;
    }

  switch (event)
    {
    case VIR_DOMAIN_EVENT_DEFINED:
      _hangar_vm_set_persistent (vm, TRUE);
      refresh_domain (self, dom);
      break;
    case VIR_DOMAIN_EVENT_UNDEFINED:
      if (hangar_vm_is_active (vm))
        _hangar_vm_set_persistent (vm, FALSE);
      else
        remove_vm (self, vm);
      break;
    case VIR_DOMAIN_EVENT_STARTED:
      _hangar_vm_set_has_managed_save (vm, FALSE);
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_RUNNING, (int) virDomainGetID (dom));
      break;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_PAUSED, hangar_vm_get_id (vm));
      break;
    case VIR_DOMAIN_EVENT_RESUMED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_RUNNING, hangar_vm_get_id (vm));
      break;
    case VIR_DOMAIN_EVENT_STOPPED:
      if (!hangar_vm_get_persistent (vm))
        {
          remove_vm (self, vm);
          break;
        }
      if (detail == VIR_DOMAIN_EVENT_STOPPED_SAVED)
        _hangar_vm_set_has_managed_save (vm, TRUE);
      _hangar_vm_set_state (vm, detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED
                                ? HANGAR_VM_STATE_CRASHED : HANGAR_VM_STATE_SHUTOFF, -1);
      break;
    case VIR_DOMAIN_EVENT_PMSUSPENDED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_PMSUSPENDED, hangar_vm_get_id (vm));
      break;
    case VIR_DOMAIN_EVENT_CRASHED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_CRASHED, hangar_vm_get_id (vm));
      break;
    case VIR_DOMAIN_EVENT_SHUTDOWN:
    default:
      /* The guest is on its way down; STOPPED follows. */
      break;
    }

  return 0;
}

static void
on_close (virConnectPtr conn,
          int           reason,
          void         *opaque)
{
  g_autoptr(HangarConnection) self = event_context_get (opaque);
  const char *message;

  if (self == NULL || reason == VIR_CONNECT_CLOSE_REASON_CLIENT)
    return;

  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_EOF:
      message = _("The connection to the host was closed: the libvirt daemon stopped or "
                  "the host went away.");
      break;
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
      message = _("The host stopped answering (keepalive timed out).");
      break;
    case VIR_CONNECT_CLOSE_REASON_ERROR:
    default:
      message = _("A network error ended the connection to the host.");
      break;
    }

  g_message ("%s: %s", self->uri, message);
  teardown (self, HANGAR_CONNECTION_STATE_DISCONNECTED, message);
  if (self->was_connected && self->wanted)
    schedule_reconnect (self);
}

/* --- opening --------------------------------------------------------------- */

static int
refuse_credentials (virConnectCredentialPtr cred,
                    unsigned int            ncred,
                    void                   *cbdata)
{
  /* No way to ask here yet: fail at once instead of reading a terminal. */
  return -1;
}

static int auth_credtypes[] = {
  VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_ECHOPROMPT,
};

typedef struct
{
  char         *uri;
  EventContext *ctx;    /* handed to libvirt on success */
  virConnectPtr conn;
  int           lifecycle_id;
  GPtrArray    *infos;
  gint64        started_us;
} OpenData;

static void close_in_thread (virConnectPtr conn);

static void
open_data_free (OpenData *data)
{
  g_free (data->uri);
  g_clear_pointer (&data->ctx, event_context_free);
  if (data->conn != NULL)
    close_in_thread (g_steal_pointer (&data->conn));
  g_clear_pointer (&data->infos, g_ptr_array_unref);
  g_free (data);
}

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

static GPtrArray *
read_all_domains (virConnectPtr conn)
{
  g_autoptr(GHashTable) transient = NULL;
  g_autoptr(GHashTable) saved = NULL;
  g_autoptr(GHashTable) facts = NULL;
  virDomainPtr *doms = NULL;
  GPtrArray *infos;
  int n;

  n = virConnectListAllDomains (conn, &doms, 0);
  if (n < 0)
    return NULL;

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

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  virConnectAuth auth = {
    auth_credtypes, G_N_ELEMENTS (auth_credtypes), refuse_credentials, NULL,
  };

  data->conn = virConnectOpenAuth (data->uri, &auth, 0);
  if (data->conn == NULL)
    {
      g_task_return_error (task, _hangar_libvirt_error (_("Could not connect")));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Not every driver has keepalive (the test driver runs in-process). */
  if (virConnectSetKeepAlive (data->conn, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0)
    virResetLastError ();

  /* Events first, then the list: nothing that happens in between is missed,
   * and the main thread reconciles duplicates by UUID. */
  data->lifecycle_id =
    virConnectDomainEventRegisterAny (data->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle_event),
                                      event_context_new_copy (data->ctx), event_context_free);
  if (data->lifecycle_id < 0)
    virResetLastError ();

  if (virConnectRegisterCloseCallback (data->conn, on_close,
                                       event_context_new_copy (data->ctx),
                                       event_context_free) < 0)
    virResetLastError ();

  data->infos = read_all_domains (data->conn);
  if (data->infos == NULL)
    {
      g_task_return_error (task, _hangar_libvirt_error (_("Could not list the machines")));
      close_handle (g_steal_pointer (&data->conn), data->lifecycle_id);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void fetch_details (HangarConnection *self);
static void stats_start (HangarConnection *self);

static void
open_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  OpenData *data = g_task_get_task_data (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (generation != self->generation)
        return;
      g_debug ("%s: %s", self->uri, error->message);
      set_state (self, HANGAR_CONNECTION_STATE_FAILED, error->message);
      if (self->was_connected && self->wanted)
        schedule_reconnect (self);
      return;
    }

  if (generation != self->generation)
    return;  /* closed meanwhile: open_data_free() closes the handle */

  self->conn = g_steal_pointer (&data->conn);
  self->lifecycle_id = data->lifecycle_id;
  self->was_connected = TRUE;
  self->reconnect_attempt = 0;

  add_vms (self, data->infos);
  g_debug ("%s: listed %u machines in %.0f ms", self->uri, self->vms->len,
           (g_get_monotonic_time () - data->started_us) / 1000.0);

  set_state (self, HANGAR_CONNECTION_STATE_CONNECTED, NULL);
  stats_start (self);
  fetch_details (self);
}

/**
 * hangar_connection_open:
 *
 * Starts connecting in a worker thread; #HangarConnection:state says how
 * it went. Does nothing while connecting or connected.
 */
void
hangar_connection_open (HangarConnection *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  OpenData *data;

  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  self->wanted = TRUE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  if (self->state == HANGAR_CONNECTION_STATE_CONNECTING
      || self->state == HANGAR_CONNECTION_STATE_CONNECTED)
    return;

  /* Our own check says more than libvirt's “no connection driver available”. */
  if (!hangar_uri_validate (self->uri, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not connect: %s"), error->message);

      set_state (self, HANGAR_CONNECTION_STATE_FAILED, message);
      return;
    }

  self->generation++;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (OpenData, 1);
  data->uri = g_strdup (self->uri);
  data->ctx = event_context_new (self);
  data->lifecycle_id = -1;
  data->started_us = g_get_monotonic_time ();

  set_state (self, HANGAR_CONNECTION_STATE_CONNECTING, NULL);

  task = g_task_new (self, self->cancellable, open_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, hangar_connection_open);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  /* A result after close() must still close the handle: don't let
   * cancellation drop it. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, open_thread);
}

/**
 * hangar_connection_close:
 *
 * Disconnects on the user's request: no reconnection follows.
 */
void
hangar_connection_close (HangarConnection *self)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  self->wanted = FALSE;
  self->was_connected = FALSE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  teardown (self, HANGAR_CONNECTION_STATE_DISCONNECTED, NULL);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  HangarConnection *self = user_data;

  self->reconnect_source = 0;
  g_debug ("%s: reconnecting (attempt %u)", self->uri, self->reconnect_attempt);
  hangar_connection_open (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (HangarConnection *self)
{
  guint delay = MIN (1u << MIN (self->reconnect_attempt, 6u), RECONNECT_MAX_DELAY_S);

  self->reconnect_attempt++;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_source = g_timeout_add_seconds (delay, reconnect_cb, self);
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
        _hangar_vm_apply_info (vm, info);
    }
  g_debug ("%s: read details of %u machines", self->uri, infos->len);
}

/* Titles, descriptions and graphics need each machine's XML: read them
 * after the list is shown, not before. */
static void
fetch_details (HangarConnection *self)
{
  g_autoptr(GTask) task = NULL;
  DetailsJob *job = g_new0 (DetailsJob, 1);

  job->conn = _hangar_connection_dup_handle (self, NULL);
  job->uuids = g_new0 (char *, self->vms->len + 1);
  for (guint i = 0; i < self->vms->len; i++)
    job->uuids[i] = g_strdup (hangar_vm_get_uuid (g_ptr_array_index (self->vms, i)));

  task = g_task_new (self, self->cancellable, details_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, fetch_details);
  g_task_set_task_data (task, job, (GDestroyNotify) details_job_free);
  g_task_run_in_thread (task, details_thread);
}

/* --- statistics ------------------------------------------------------------- */

typedef struct
{
  char     uuid[VIR_UUID_STRING_BUFLEN];
  gboolean have_cpu;
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
} StatsJob;

static void
stats_job_free (StatsJob *job)
{
  _hangar_handle_release (g_steal_pointer (&job->conn));
  g_clear_pointer (&job->samples, g_array_unref);
  g_free (job);
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
                             | VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU;
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

      virDomainGetUUIDString (rec->dom, sample.uuid);
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
      return;
    }
  if (GPOINTER_TO_UINT (user_data) != self->generation)
    return;
  if (job->nowait_unsupported)
    self->stats_nowait_unsupported = TRUE;

  for (guint i = 0; i < job->samples->len; i++)
    {
      Sample *s = &g_array_index (job->samples, Sample, i);
      HangarVm *vm = g_hash_table_lookup (self->by_uuid, s->uuid);

      if (vm != NULL)
        _hangar_vm_push_sample (vm, job->time_us, s->cpu_ns, s->have_cpu, s->vcpus,
                                s->memory_used, s->memory_total);
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

  self->stats_in_flight = TRUE;
  task = g_task_new (self, self->cancellable, stats_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, stats_tick);
  g_task_set_task_data (task, job, (GDestroyNotify) stats_job_free);
  g_task_run_in_thread (task, stats_thread);
  return G_SOURCE_CONTINUE;
}

static void
stats_stop (HangarConnection *self)
{
  g_clear_handle_id (&self->stats_source, g_source_remove);
}

static void
stats_start (HangarConnection *self)
{
  stats_stop (self);
  if (!self->stats_enabled || self->state != HANGAR_CONNECTION_STATE_CONNECTED)
    return;
  self->stats_source = g_timeout_add (self->stats_interval, stats_tick, self);
  g_source_set_name_by_id (self->stats_source, "[hangar] statistics");
}

/* --- object ---------------------------------------------------------------- */

HangarConnection *
hangar_connection_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (HANGAR_TYPE_CONNECTION, "uri", uri, NULL);
}

static void
hangar_connection_dispose (GObject *object)
{
  HangarConnection *self = (HangarConnection *)object;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stats_stop (self);
  release_handle (self);
  if (self->vms != NULL)
    {
      g_hash_table_remove_all (self->by_uuid);
      g_ptr_array_set_size (self->vms, 0);
    }

  G_OBJECT_CLASS (hangar_connection_parent_class)->dispose (object);
}

static void
hangar_connection_finalize (GObject *object)
{
  HangarConnection *self = (HangarConnection *)object;

  g_thread_pool_free (self->serial, FALSE, TRUE);
  g_clear_pointer (&self->vms, g_ptr_array_unref);
  g_clear_pointer (&self->by_uuid, g_hash_table_unref);
  g_free (self->uri);
  g_free (self->display_name);
  g_free (self->error_message);

  G_OBJECT_CLASS (hangar_connection_parent_class)->finalize (object);
}

static void
hangar_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HangarConnection *self = HANGAR_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_STATS_INTERVAL:
      g_value_set_uint (value, self->stats_interval);
      break;
    case PROP_STATS_ENABLED:
      g_value_set_boolean (value, self->stats_enabled);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->vms->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_connection_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HangarConnection *self = HANGAR_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      self->display_name = hangar_uri_display_name (self->uri);
      break;
    case PROP_STATS_INTERVAL:
      hangar_connection_set_stats_interval (self, g_value_get_uint (value));
      break;
    case PROP_STATS_ENABLED:
      hangar_connection_set_stats_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_connection_class_init (HangarConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hangar_connection_dispose;
  object_class->finalize = hangar_connection_finalize;
  object_class->get_property = hangar_connection_get_property;
  object_class->set_property = hangar_connection_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HANGAR_TYPE_CONNECTION_STATE,
                       HANGAR_CONNECTION_STATE_DISCONNECTED, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_STATS_INTERVAL] =
    g_param_spec_uint ("stats-interval", NULL, NULL, 100, 3600000, 1000, rw);
  properties[PROP_STATS_ENABLED] = g_param_spec_boolean ("stats-enabled", NULL, NULL, TRUE, rw);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* libvirt's events are dispatched on the GLib main loop; this must come
   * before the first connection is opened. */
  gvir_event_register ();
  virSetErrorFunc (NULL, silence_libvirt);
}

static void
hangar_connection_init (HangarConnection *self)
{
  self->vms = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->lifecycle_id = -1;
  self->stats_interval = 1000;
  self->stats_enabled = TRUE;
  self->serial = g_thread_pool_new (serial_worker, self, 1, FALSE, NULL);
}

const char *
hangar_connection_get_uri (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);
  return self->uri;
}

const char *
hangar_connection_get_display_name (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);
  return self->display_name;
}

HangarConnectionState
hangar_connection_get_state (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), HANGAR_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const char *
hangar_connection_get_error_message (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);
  return self->error_message;
}

gboolean
hangar_connection_is_local (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), FALSE);
  return hangar_uri_is_local (self->uri);
}

/**
 * _hangar_connection_dup_handle:
 *
 * A reference to the libvirt connection for a worker thread, which gives it
 * back with _hangar_handle_release() (or virConnectClose() in the thread).
 *
 * Returns: (transfer full) (nullable): the handle, or %NULL when not connected
 */
virConnectPtr
_hangar_connection_dup_handle (HangarConnection  *self,
                               GError           **error)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);

  if (self->conn == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("%s is not connected."), self->display_name);
      return NULL;
    }
  virConnectRef (self->conn);
  return self->conn;
}

/* The last reference may close the connection, which is an RPC. */
void
_hangar_handle_release (virConnectPtr conn)
{
  if (conn != NULL)
    close_in_thread (conn);
}

/**
 * hangar_connection_lookup_vm:
 * @name_id_or_uuid: a machine's name, numeric id or UUID, as virsh accepts
 *
 * Returns: (transfer none) (nullable): the machine
 */
HangarVm *
hangar_connection_lookup_vm (HangarConnection *self,
                             const char       *name_id_or_uuid)
{
  HangarVm *vm;
  gint64 id = -1;

  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (name_id_or_uuid != NULL, NULL);

  if ((vm = g_hash_table_lookup (self->by_uuid, name_id_or_uuid)) != NULL)
    return vm;

  for (guint i = 0; i < self->vms->len; i++)
    {
      vm = g_ptr_array_index (self->vms, i);
      if (g_strcmp0 (hangar_vm_get_name (vm), name_id_or_uuid) == 0)
        return vm;
    }

  if (g_ascii_string_to_signed (name_id_or_uuid, 10, 0, G_MAXINT, &id, NULL))
    for (guint i = 0; i < self->vms->len; i++)
      {
        vm = g_ptr_array_index (self->vms, i);
        if (hangar_vm_get_id (vm) == id)
          return vm;
      }

  return NULL;
}

guint
hangar_connection_get_stats_interval (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), 0);
  return self->stats_interval;
}

void
hangar_connection_set_stats_interval (HangarConnection *self,
                                      guint             interval_ms)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  interval_ms = MAX (interval_ms, 100);
  if (self->stats_interval == interval_ms)
    return;
  self->stats_interval = interval_ms;
  if (self->stats_source != 0)
    stats_start (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_INTERVAL]);
}

gboolean
hangar_connection_get_stats_enabled (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), FALSE);
  return self->stats_enabled;
}

void
hangar_connection_set_stats_enabled (HangarConnection *self,
                                     gboolean          enabled)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  if (self->stats_enabled == !!enabled)
    return;
  self->stats_enabled = !!enabled;
  if (enabled)
    stats_start (self);
  else
    stats_stop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_ENABLED]);
}
