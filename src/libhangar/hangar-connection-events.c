/* hangar-connection-events.c — domain events and the refreshes they trigger.
 *
 * Lifecycle events are dispatched on the main loop. The run state comes
 * from the event itself; anything that needs the daemon (a new machine,
 * a changed definition) is read by one serial worker so results apply in
 * the order the events came.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "hangar-connection-private.h"
#include "hangar-connection-testing.h"

/* --- events ---------------------------------------------------------------- */

typedef struct
{
  virDomainPtr  dom;
  virConnectPtr conn;     /* set instead of @dom when asked by UUID */
  char          uuid[VIR_UUID_STRING_BUFLEN];
  HangarVmInfo *info;
  guint         generation;    /* the connection's, when it was queued */
  guint         defined : 1;   /* a DEFINED event: the definition changed */
  guint         asked : 1;     /* hangar_connection_refresh_vm(), no event */
} RefreshJob;

static void
refresh_job_free (RefreshJob *job)
{
  g_clear_pointer (&job->dom, virDomainFree);
  g_clear_pointer (&job->conn, _hangar_handle_release);
  g_clear_pointer (&job->info, _hangar_vm_info_free);
  g_free (job);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  HangarConnection *self = source_object;
  RefreshJob *job = task_data;

  /* From here on, a new refresh of this machine queues a read of its own:
   * this one may already have missed what it is about. */
  g_mutex_lock (&self->refresh_lock);
  if (g_hash_table_lookup (self->refresh_pending, job->uuid) == job)
    g_hash_table_remove (self->refresh_pending, job->uuid);
  g_mutex_unlock (&self->refresh_lock);
  g_atomic_int_inc (&self->refresh_reads);

  if (job->dom == NULL && job->conn != NULL)
    job->dom = virDomainLookupByUUIDString (job->conn, job->uuid);
  if (job->dom != NULL)
    job->info = _hangar_vm_info_read (job->dom, TRUE);
  if (job->info == NULL)
    virResetLastError ();
  g_clear_pointer (&job->dom, virDomainFree);
  if (job->conn != NULL)
    virConnectClose (g_steal_pointer (&job->conn));
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
  if (job->info == NULL && job->asked)
    /* Not read (the host is going away, say): events say what happened. */
    return;
  if (job->info == NULL)
    {
      /* It vanished before we could read it: a transient machine that stopped. */
      if (vm != NULL)
        _hangar_connection_remove_vm (self, vm);
      return;
    }

  if (vm != NULL)
    {
      _hangar_vm_apply_info (vm, job->info, FALSE);
      if (job->defined)
        _hangar_vm_emit_definition_changed (vm);
    }
  else if (!job->asked)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, job->info);
      _hangar_connection_add_vms (self, one);
    }
}

void
_hangar_connection_serial_worker (gpointer data,
               gpointer user_data)
{
  GTask *task = data;

  refresh_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                  g_task_get_cancellable (task));
  g_object_unref (task);
}

/* Queues @job (taking it), or folds it into the read of the same machine
 * that is queued and not started yet: that read happens after this
 * request, so it sees what this one is about. */
static void
queue_refresh (HangarConnection *self,
               RefreshJob       *job)
{
  RefreshJob *pending;
  GTask *task;

  job->generation = self->generation;
  g_mutex_lock (&self->refresh_lock);
  pending = g_hash_table_lookup (self->refresh_pending, job->uuid);
  if (pending != NULL && pending->generation == job->generation)
    {
      pending->defined |= job->defined;
      /* An event's read may add or remove the machine; an asked one not. */
      pending->asked &= job->asked;
      if (pending->dom == NULL && job->dom != NULL)
        pending->dom = g_steal_pointer (&job->dom);
      g_mutex_unlock (&self->refresh_lock);
      refresh_job_free (job);
      return;
    }
  g_hash_table_insert (self->refresh_pending, job->uuid, job);
  g_mutex_unlock (&self->refresh_lock);

  task = g_task_new (self, self->cancellable, refresh_done,
                     GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, queue_refresh);
  g_task_set_task_data (task, job, (GDestroyNotify) refresh_job_free);
  g_thread_pool_push (self->serial, task, NULL);
}

guint
_hangar_connection_test_refresh_reads (HangarConnection *self)
{
  return g_atomic_int_get (&self->refresh_reads);
}

guint
_hangar_connection_test_refreshes_waiting (HangarConnection *self)
{
  return g_thread_pool_unprocessed (self->serial);
}

static void
refresh_domain (HangarConnection *self,
                virDomainPtr      dom,
                gboolean          defined)
{
  RefreshJob *job = g_new0 (RefreshJob, 1);

  virDomainRef (dom);
  job->dom = dom;
  job->defined = defined;
  virDomainGetUUIDString (dom, job->uuid);
  queue_refresh (self, job);
}

/**
 * hangar_connection_refresh_vm:
 * @vm: one of this connection's machines
 *
 * Reads @vm's facts (memory, processors, name, title) again in a worker.
 * For changes libvirt sends no event for: QEMU's `virsh setmem --config`
 * and `setmaxmem --config` rewrite the definition silently, where
 * `virsh define` and `edit` send DEFINED. Queued behind the event
 * refreshes, so an older read never undoes a newer one.
 */
void
hangar_connection_refresh_vm (HangarConnection *self,
                              HangarVm         *vm)
{
  RefreshJob *job;
  virConnectPtr conn;

  g_return_if_fail (HANGAR_IS_CONNECTION (self));
  g_return_if_fail (HANGAR_IS_VM (vm));

  if (self->state != HANGAR_CONNECTION_STATE_CONNECTED
      || (conn = _hangar_connection_dup_handle (self, NULL)) == NULL)
    return;

  job = g_new0 (RefreshJob, 1);
  job->conn = conn;
  job->asked = TRUE;
  g_strlcpy (job->uuid, hangar_vm_get_uuid (vm), sizeof job->uuid);
  queue_refresh (self, job);
}

/* What came for one machine while the first list was read: its last
 * event, and whether its definition changed on the way (a DEFINED event
 * followed by another must still make the list read it again). */
typedef struct
{
  virDomainPtr dom;
  char         uuid[VIR_UUID_STRING_BUFLEN];
  int          event;
  int          detail;
  gboolean     defined;
} EarlyEvent;

static void
early_event_free (EarlyEvent *early)
{
  g_clear_pointer (&early->dom, virDomainFree);
  g_free (early);
}

static void handle_event (HangarConnection *self,
                          virDomainPtr      dom,
                          int               event,
                          int               detail);

/* Called once the first list is in the model: the events that came while
 * it was read (a machine stopped or removed meanwhile) apply on top. */
void
_hangar_connection_replay_early_events (HangarConnection *self)
{
  GQueue *early = g_steal_pointer (&self->early_events);

  g_clear_pointer (&self->early_by_uuid, g_hash_table_unref);
  if (early == NULL)
    return;
  for (GList *l = early->head; l != NULL; l = l->next)
    {
      EarlyEvent *e = l->data;

      if (e->defined && e->event != VIR_DOMAIN_EVENT_DEFINED)
        handle_event (self, e->dom, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_UPDATED);
      handle_event (self, e->dom, e->event, e->detail);
    }
  g_queue_free_full (early, (GDestroyNotify) early_event_free);
}

void
_hangar_connection_drop_early_events (HangarConnection *self)
{
  g_clear_pointer (&self->early_by_uuid, g_hash_table_unref);
  if (self->early_events != NULL)
    g_queue_free_full (g_steal_pointer (&self->early_events), (GDestroyNotify) early_event_free);
}

guint
_hangar_connection_test_early_events (HangarConnection *self)
{
  return self->early_events != NULL ? self->early_events->length : 0;
}

/* Keeps @event for after the first list: one entry per machine, its last
 * event, so the queue is bounded by the host's machines however many
 * events come. */
static void
keep_early_event (HangarConnection *self,
                  virDomainPtr      dom,
                  int               event,
                  int               detail)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  EarlyEvent *early;

  virDomainGetUUIDString (dom, uuid);
  if (self->early_events == NULL)
    {
      self->early_events = g_queue_new ();
      self->early_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
    }
  early = g_hash_table_lookup (self->early_by_uuid, uuid);
  if (early == NULL)
    {
      early = g_new0 (EarlyEvent, 1);
      g_strlcpy (early->uuid, uuid, sizeof early->uuid);
      g_queue_push_tail (self->early_events, early);
      g_hash_table_insert (self->early_by_uuid, early->uuid, early);
    }
  virDomainRef (dom);
  g_clear_pointer (&early->dom, virDomainFree);
  early->dom = dom;
  early->event = event;
  early->detail = detail;
  early->defined |= event == VIR_DOMAIN_EVENT_DEFINED;
}

int
_hangar_connection_on_lifecycle_event (virConnectPtr conn,
                                       virDomainPtr  dom,
                                       int           event,
                                       int           detail,
                                       void         *opaque)
{
  g_autoptr(HangarConnection) self = _hangar_event_context_get (opaque);

  if (self == NULL)
    return 0;

  if (self->state == HANGAR_CONNECTION_STATE_CONNECTING)
    {
      keep_early_event (self, dom, event, detail);
      return 0;
    }

  handle_event (self, dom, event, detail);
  return 0;
}

static void
handle_event (HangarConnection *self,
              virDomainPtr      dom,
              int               event,
              int               detail)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  /* Every event carries the domain's current id: QEMU sends RESUMED
   * before STARTED, so don't wait for STARTED to learn it. */
  int id = (int) virDomainGetID (dom);
  HangarVm *vm;

  virDomainGetUUIDString (dom, uuid);
  vm = g_hash_table_lookup (self->by_uuid, uuid);
  /* A new definition, a rename or an undefinition may give a name to
   * another machine. */
  if (event == VIR_DOMAIN_EVENT_DEFINED || event == VIR_DOMAIN_EVENT_UNDEFINED)
    _hangar_connection_stats_forget_names (self);
  g_debug ("%s: event %d/%d for %s (id %d)", self->uri, event, detail, virDomainGetName (dom), id);

  if (vm == NULL)
    {
      if (event != VIR_DOMAIN_EVENT_UNDEFINED && event != VIR_DOMAIN_EVENT_STOPPED)
        refresh_domain (self, dom, FALSE);
      return;
    }

  switch (event)
    {
    case VIR_DOMAIN_EVENT_DEFINED:
      _hangar_vm_set_persistent (vm, TRUE);
      /* Added, updated (`virsh define`, `edit`, another manager), renamed:
       * the list and any open details read it again. */
      refresh_domain (self, dom, TRUE);
      break;
    case VIR_DOMAIN_EVENT_UNDEFINED:
      /* A rename undefines the old name and defines the new one under the
       * same UUID: keep the machine, DEFINED refreshes its name. */
      if (detail == VIR_DOMAIN_EVENT_UNDEFINED_RENAMED)
        break;
      if (hangar_vm_is_active (vm))
        _hangar_vm_set_persistent (vm, FALSE);
      else
        _hangar_connection_remove_vm (self, vm);
      break;
    case VIR_DOMAIN_EVENT_STARTED:
      _hangar_vm_set_has_managed_save (vm, FALSE);
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_RUNNING, id);
      break;
    case VIR_DOMAIN_EVENT_SUSPENDED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_PAUSED, id);
      break;
    case VIR_DOMAIN_EVENT_RESUMED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_RUNNING, id);
      break;
    case VIR_DOMAIN_EVENT_STOPPED:
      if (!hangar_vm_get_persistent (vm))
        {
          _hangar_connection_remove_vm (self, vm);
          break;
        }
      if (detail == VIR_DOMAIN_EVENT_STOPPED_SAVED)
        _hangar_vm_set_has_managed_save (vm, TRUE);
      _hangar_vm_set_state (vm, detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED
                                ? HANGAR_VM_STATE_CRASHED : HANGAR_VM_STATE_SHUTOFF, -1);
      break;
    case VIR_DOMAIN_EVENT_PMSUSPENDED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_PMSUSPENDED, id);
      break;
    case VIR_DOMAIN_EVENT_CRASHED:
      _hangar_vm_set_state (vm, HANGAR_VM_STATE_CRASHED, id);
      break;
    case VIR_DOMAIN_EVENT_SHUTDOWN:
    default:
      /* The guest is on its way down; STOPPED follows. */
      break;
    }

}

/* --- the connection closing ---------------------------------------------------- */

/**
 * _hangar_connection_closed:
 * @reason: a virConnectCloseReason
 *
 * On the main thread: the daemon went away, or the network or keepalive
 * ended the connection. Drops what it had and, when the user wants it
 * up, tries again later.
 */
void
_hangar_connection_closed (HangarConnection *self,
                           int               reason)
{
  const char *message;

  _hangar_connection_assert_main_thread (self);

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
  _hangar_connection_teardown (self, HANGAR_CONNECTION_STATE_DISCONNECTED, message);
  if (self->was_connected && self->wanted)
    _hangar_connection_schedule_reconnect (self);
}

typedef struct
{
  EventContext *ctx;
  int           reason;
} CloseEvent;

static void
close_event_free (gpointer data)
{
  CloseEvent *event = data;

  _hangar_event_context_free (event->ctx);
  g_free (event);
}

static gboolean
close_on_main_thread (gpointer data)
{
  CloseEvent *event = data;
  /* Gone, or closed and opened again since: that handle is not ours now. */
  g_autoptr(HangarConnection) self = _hangar_event_context_get (event->ctx);

  if (self != NULL)
    _hangar_connection_closed (self, event->reason);
  return G_SOURCE_REMOVE;
}

/* libvirt calls this on whichever thread notices the socket closed: the
 * main loop's, or a worker in the middle of an RPC (the statistics poll,
 * a machine operation) that holds the socket at that moment. So it only
 * records what happened and queues it for the main thread. Not
 * g_main_context_invoke(): when no thread owns the main context at that
 * instant, it would run the handler right here, in the worker. */
void
_hangar_connection_on_close (virConnectPtr conn,
                             int           reason,
                             void         *opaque)
{
  CloseEvent *event;
  GSource *source;

  if (reason == VIR_CONNECT_CLOSE_REASON_CLIENT)
    return;

  event = g_new0 (CloseEvent, 1);
  event->ctx = _hangar_event_context_ref (opaque);
  event->reason = reason;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, close_on_main_thread, event, close_event_free);
  g_source_set_static_name (source, "[hangar] connection closed");
  g_source_attach (source, NULL);
  g_source_unref (source);
}
