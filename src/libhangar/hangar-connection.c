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

#define RECONNECT_MAX_DELAY_S 60
#define KEEPALIVE_INTERVAL_S  5
#define KEEPALIVE_COUNT       3
/* How long libvirt may take to open a connection before Hangar gives up on
 * it (review finding L13): virConnectOpenAuth() has no timeout of its own,
 * and a host that takes the TCP connection but never answers would keep
 * the connection "Connecting" for ever. Listing the machines afterwards
 * is not bounded by it: a slow link with many machines may take longer. */
#define OPEN_TIMEOUT_S        30


enum {
  PROP_0,
  PROP_URI,
  PROP_DISPLAY_NAME,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_STATS_INTERVAL,
  PROP_STATS_ENABLED,
  PROP_STATS_PAUSED,
  PROP_STATS_EFFECTIVE_INTERVAL,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarConnection, hangar_connection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (hangar-libvirt-error-quark, hangar_libvirt_error)


static void
event_context_clear (EventContext *ctx)
{
  g_weak_ref_clear (&ctx->self);
}

/* libvirt may free a callback's data on any thread (when the handle it was
 * registered on closes): dropping a context never drops the connection. */
void
_hangar_event_context_free (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) event_context_clear);
}

EventContext *
_hangar_event_context_new (HangarConnection *self)
{
  EventContext *ctx = g_atomic_rc_box_new0 (EventContext);

  g_weak_ref_init (&ctx->self, self);
  ctx->generation = self->generation;
  return ctx;
}

/* From any thread. The context is shared, not copied: copying its weak
 * reference would take a strong one for a moment, and a worker must never
 * hold the last reference to the connection. */
EventContext *
_hangar_event_context_ref (EventContext *ctx)
{
  return g_atomic_rc_box_acquire (ctx);
}

/* On the main thread only: the reference it returns is dropped there. */
HangarConnection *
_hangar_event_context_get (EventContext *ctx)
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

void
_hangar_connection_add_vms (HangarConnection *self,
                            GPtrArray        *infos)
{
  guint before = self->vms->len;

  _hangar_connection_assert_main_thread (self);

  for (guint i = 0; i < infos->len; i++)
    {
      HangarVmInfo *info = g_ptr_array_index (infos, i);
      HangarVm *vm = g_hash_table_lookup (self->by_uuid, info->uuid);

      if (vm != NULL)
        {
          /* Listed again after an event already created it: events win. */
          _hangar_vm_apply_info (vm, info, FALSE);
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

void
_hangar_connection_remove_vm (HangarConnection *self,
                              HangarVm         *vm)
{
  guint position;

  _hangar_connection_assert_main_thread (self);

  if (!g_ptr_array_find (self->vms, vm, &position))
    return;
  g_object_ref (vm);
  _hangar_connection_stats_forget_names (self);
  _hangar_connection_stats_forget_vm (self, vm);
  g_hash_table_remove (self->by_uuid, hangar_vm_get_uuid (vm));
  g_ptr_array_remove_index (self->vms, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  _hangar_vm_emit_removed (vm);
  g_object_unref (vm);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
clear_vms (HangarConnection *self)
{
  guint n = self->vms->len;
  g_autoptr(GPtrArray) gone = NULL;

  _hangar_connection_stats_forget_names (self);
  g_hash_table_remove_all (self->stats_held);
  if (n == 0)
    return;
  g_hash_table_remove_all (self->by_uuid);
  gone = g_steal_pointer (&self->vms);
  self->vms = g_ptr_array_new_with_free_func (g_object_unref);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  for (guint i = 0; i < gone->len; i++)
    _hangar_vm_emit_removed (g_ptr_array_index (gone, i));
}

/* --- state ----------------------------------------------------------------- */

static void
set_state (HangarConnection      *self,
           HangarConnectionState  state,
           const char            *error_message)
{
  _hangar_connection_assert_main_thread (self);

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

typedef struct
{
  virConnectPtr conn;
  int           lifecycle_id;
  gboolean      owner;
} CloseJob;

static gpointer
close_thread (gpointer data)
{
  CloseJob *job = data;

  /* Only the handle's owner registered callbacks on it. A borrowed handle
   * is the same virConnectPtr: unregistering through it would take the
   * owner's close callback away, and the next daemon restart would go
   * unnoticed for good. */
  if (job->owner)
    {
      if (job->lifecycle_id >= 0)
        virConnectDomainEventDeregisterAny (job->conn, job->lifecycle_id);
      virConnectUnregisterCloseCallback (job->conn, _hangar_connection_on_close);
    }
  virConnectClose (job->conn);
  virResetLastError ();
  g_free (job);
  return NULL;
}

/* Deregistering and closing are RPCs: never on the main thread. */
static void
close_handle (virConnectPtr conn,
              int           lifecycle_id,
              gboolean      owner)
{
  CloseJob *job = g_new0 (CloseJob, 1);

  job->conn = conn;
  job->lifecycle_id = lifecycle_id;
  job->owner = owner;
  g_thread_unref (g_thread_new ("hangar-close", close_thread, job));
}

static void
release_handle (HangarConnection *self)
{
  virConnectPtr conn = g_steal_pointer (&self->conn);
  int lifecycle_id = self->lifecycle_id;

  self->lifecycle_id = -1;
  if (conn != NULL)
    close_handle (conn, lifecycle_id, TRUE);
}

/* Drops the handle, the machines and every request in flight. Widgets are
 * bound to the list and the state: this must run on the main thread,
 * however libvirt told us the connection closed (see
 * hangar-connection-events.c). */
void
_hangar_connection_teardown (HangarConnection      *self,
                             HangarConnectionState  state,
                             const char            *message)
{
  _hangar_connection_assert_main_thread (self);

  /* Its source holds the open's task, and so this object, until it runs. */
  g_clear_handle_id (&self->open_watchdog, g_source_remove);
  g_clear_handle_id (&self->adding_source, g_source_remove);
  g_clear_pointer (&self->adding, g_ptr_array_unref);
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _hangar_connection_stats_clear (self);
  _hangar_connection_details_cancel (self);
  _hangar_connection_drop_early_events (self);
  release_handle (self);
  _hangar_connection_caps_clear (self);
  clear_vms (self);
  set_state (self, state, message);
}

/* --- opening --------------------------------------------------------------- */

typedef struct
{
  virConnectAuthPtr auth; /* answers libvirt's credential questions */
  char         *uri;
  EventContext *ctx;    /* handed to libvirt on success */
  virConnectPtr conn;
  int           lifecycle_id;
  GPtrArray    *infos;
  gint64        started_us;
  int           opened;   /* atomic: virConnectOpenAuth() has returned */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->uri);
  g_clear_pointer (&data->auth, _hangar_connection_auth_free);
  g_clear_pointer (&data->ctx, _hangar_event_context_free);
  /* Opened, then closed by the user or the daemon before we took it. */
  if (data->conn != NULL)
    close_handle (g_steal_pointer (&data->conn), data->lifecycle_id, TRUE);
  g_clear_pointer (&data->infos, g_ptr_array_unref);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;

  data->conn = virConnectOpenAuth (data->uri, data->auth, 0);
  g_atomic_int_set (&data->opened, TRUE);
  if (data->conn == NULL)
    {
      /* A refused or missing password says so, not libvirt's generic words. */
      GError *auth_error = _hangar_connection_auth_error (data->auth);

      g_task_return_error (task, auth_error ? auth_error
                                            : _hangar_libvirt_error (_("Could not connect")));
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
                                      VIR_DOMAIN_EVENT_CALLBACK (_hangar_connection_on_lifecycle_event),
                                      _hangar_event_context_ref (data->ctx),
                                      _hangar_event_context_free);
  if (data->lifecycle_id < 0)
    virResetLastError ();

  if (virConnectRegisterCloseCallback (data->conn, _hangar_connection_on_close,
                                       _hangar_event_context_ref (data->ctx),
                                       _hangar_event_context_free) < 0)
    virResetLastError ();

  data->infos = _hangar_connection_read_all_domains (data->conn);
  if (data->infos == NULL)
    {
      g_task_return_error (task, _hangar_libvirt_error (_("Could not list the machines")));
      close_handle (g_steal_pointer (&data->conn), data->lifecycle_id, TRUE);
      return;
    }

  g_task_return_boolean (task, TRUE);
}


/* Listed machines go into the list ADD_CHUNK at a time, one chunk per
 * main-loop dispatch: each chunk goes through the window's filter, sort and
 * tree models at once, and 1,000 machines in one go held the main loop
 * for 20-40 ms. Returns whether machines are left to add. */
#define ADD_CHUNK 200

static gboolean
add_listed_chunk (HangarConnection *self)
{
  g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
  guint end = MIN (self->adding_pos + ADD_CHUNK, self->adding->len);
  gint64 started = g_get_monotonic_time ();

  for (guint i = self->adding_pos; i < end; i++)
    g_ptr_array_add (chunk, g_ptr_array_index (self->adding, i));
  self->adding_pos = end;
  _hangar_connection_add_vms (self, chunk);
  self->adding_longest_us = MAX (self->adding_longest_us, g_get_monotonic_time () - started);
  if (end < self->adding->len)
    return TRUE;

  g_clear_pointer (&self->adding, g_ptr_array_unref);
  /* Connected before replaying, so the replay handles events, not queues them. */
  set_state (self, HANGAR_CONNECTION_STATE_CONNECTED, NULL);
  _hangar_connection_replay_early_events (self);
  g_debug ("%s: listed %u machines in %.0f ms (adding a chunk of them to the list took "
           "%.1f ms at most)", self->uri, self->vms->len,
           (g_get_monotonic_time () - self->adding_started_us) / 1000.0,
           self->adding_longest_us / 1000.0);

  _hangar_connection_stats_start (self);
  _hangar_connection_fetch_details (self);
  return FALSE;
}

static gboolean
add_listed_idle (gpointer user_data)
{
  HangarConnection *self = user_data;

  if (add_listed_chunk (self))
    return G_SOURCE_CONTINUE;
  self->adding_source = 0;
  return G_SOURCE_REMOVE;
}

static void
open_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HangarConnection *self = HANGAR_CONNECTION (object);
  OpenData *data = g_task_get_task_data (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;

  if (generation == self->generation)
    g_clear_handle_id (&self->open_watchdog, g_source_remove);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (generation != self->generation)
        return;
      _hangar_connection_drop_early_events (self);
      g_debug ("%s: %s", self->uri, error->message);
      set_state (self, HANGAR_CONNECTION_STATE_FAILED, error->message);
      if (self->was_connected && self->wanted)
        _hangar_connection_schedule_reconnect (self);
      return;
    }

  if (generation != self->generation)
    return;  /* closed meanwhile: open_data_free() closes the handle */

  self->conn = g_steal_pointer (&data->conn);
  self->lifecycle_id = data->lifecycle_id;
  self->was_connected = TRUE;
  self->reconnect_attempt = 0;

  /* Still connecting until every machine is in: events meanwhile wait
   * with the early ones. */
  g_clear_handle_id (&self->adding_source, g_source_remove);
  g_clear_pointer (&self->adding, g_ptr_array_unref);
  self->adding = g_steal_pointer (&data->infos);
  self->adding_pos = 0;
  self->adding_started_us = data->started_us;
  self->adding_longest_us = 0;
  if (add_listed_chunk (self))
    /* Not an idle: a window redrawing without pause (a spinner on a
     * loaded machine) keeps its frame clock's source, of a higher
     * priority than any idle, always ready, and the idle never ran. A
     * 1 ms timeout of default priority still lets a due frame go first. */
    self->adding_source = g_timeout_add_full (G_PRIORITY_DEFAULT, 1, add_listed_idle, self, NULL);
}

static guint
open_timeout_ms (void)
{
#if HANGAR_TEST_HOOKS
  const char *ms = g_getenv ("HANGAR_TEST_OPEN_TIMEOUT_MS");

  if (ms != NULL && *ms != '\0')
    return (guint) g_ascii_strtoull (ms, NULL, 10);
#endif
  return OPEN_TIMEOUT_S * 1000;
}

/* ssh asks for passwords and host keys in dialogs of its own, which the
 * model does not see: a watchdog there could fire while the user types.
 * ssh gives up on an unreachable host by itself. */
static gboolean
uri_has_own_prompts (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme != NULL && (g_str_has_suffix (scheme, "+ssh") || g_str_has_suffix (scheme, "+libssh")
                            || g_str_has_suffix (scheme, "+libssh2"));
}

/* The open has taken too long: the attempt is given up (its thread, of
 * its own, not GLib's shared pool, returns whenever libvirt does, and its
 * handle is then closed). Not while the user is being asked for
 * credentials: their time does not count. */
static gboolean
open_watchdog (gpointer user_data)
{
  GTask *task = user_data;
  HangarConnection *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);
  g_autofree char *message = NULL;
  guint seconds;

  if (g_atomic_int_get (&data->opened) || self->state != HANGAR_CONNECTION_STATE_CONNECTING)
    {
      self->open_watchdog = 0;
      return G_SOURCE_REMOVE;
    }
  if (self->asking != NULL && !hangar_credential_request_is_finished (self->asking))
    return G_SOURCE_CONTINUE;

  self->open_watchdog = 0;
  g_debug ("%s: no answer in %u ms; giving up", self->uri, open_timeout_ms ());
  seconds = MAX (1u, open_timeout_ms () / 1000);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The host did not answer within %u second. Check that it "
                                          "is reachable and that libvirt runs there, then connect again.",
                                          "The host did not answer within %u seconds. Check that it "
                                          "is reachable and that libvirt runs there, then connect again.",
                                          seconds),
                             seconds);
  _hangar_connection_teardown (self, HANGAR_CONNECTION_STATE_FAILED, message);
  if (self->was_connected && self->wanted)
    _hangar_connection_schedule_reconnect (self);
  return G_SOURCE_REMOVE;
}

static gpointer
open_thread_main (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  open_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
               g_task_get_cancellable (task));
  return NULL;
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
  data->auth = _hangar_connection_auth_new (self);
  data->uri = g_strdup (self->uri);
  data->ctx = _hangar_event_context_new (self);
  data->lifecycle_id = -1;
  data->started_us = g_get_monotonic_time ();

  set_state (self, HANGAR_CONNECTION_STATE_CONNECTING, NULL);

  task = g_task_new (self, self->cancellable, open_done, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, hangar_connection_open);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  /* A result after close() must still close the handle: don't let
   * cancellation drop it. */
  g_task_set_return_on_cancel (task, FALSE);
  g_clear_handle_id (&self->open_watchdog, g_source_remove);
  if (!uri_has_own_prompts (self->uri))
    self->open_watchdog = g_timeout_add_full (G_PRIORITY_DEFAULT, open_timeout_ms (), open_watchdog,
                                              g_object_ref (task), g_object_unref);
  /* A thread of its own: an open that never returns must not hold one of
   * the shared pool's, which statistics and operations of every other
   * connection use. */
  g_thread_unref (g_thread_new ("hangar-open", open_thread_main, g_steal_pointer (&task)));
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
  _hangar_connection_teardown (self, HANGAR_CONNECTION_STATE_DISCONNECTED, NULL);
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

void
_hangar_connection_schedule_reconnect (HangarConnection *self)
{
  guint delay = MIN (1u << MIN (self->reconnect_attempt, 6u), RECONNECT_MAX_DELAY_S);

  self->reconnect_attempt++;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_source = g_timeout_add_seconds (delay, reconnect_cb, self);
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

  g_clear_handle_id (&self->open_watchdog, g_source_remove);
  g_clear_handle_id (&self->adding_source, g_source_remove);
  g_clear_pointer (&self->adding, g_ptr_array_unref);
  g_clear_object (&self->asking);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _hangar_connection_stats_clear (self);
  _hangar_connection_details_cancel (self);
  _hangar_connection_drop_early_events (self);
  release_handle (self);
  _hangar_connection_caps_clear (self);
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
  g_clear_pointer (&self->refresh_pending, g_hash_table_unref);
  g_mutex_clear (&self->refresh_lock);
  g_clear_pointer (&self->vms, g_ptr_array_unref);
  g_clear_pointer (&self->by_uuid, g_hash_table_unref);
  g_clear_pointer (&self->stats_names, g_hash_table_unref);
  g_clear_pointer (&self->stats_held, g_hash_table_unref);
  g_strfreev (self->stats_last_uuids);
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
    case PROP_STATS_PAUSED:
      g_value_set_boolean (value, self->stats_paused);
      break;
    case PROP_STATS_EFFECTIVE_INTERVAL:
      g_value_set_uint (value, MAX (self->stats_effective_interval, self->stats_interval));
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
    case PROP_STATS_PAUSED:
      hangar_connection_set_stats_paused (self, g_value_get_boolean (value));
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
    g_param_spec_uint ("stats-interval", NULL, NULL, 50, 3600000, 1000, rw);
  properties[PROP_STATS_ENABLED] = g_param_spec_boolean ("stats-enabled", NULL, NULL, TRUE, rw);
  properties[PROP_STATS_PAUSED] = g_param_spec_boolean ("stats-paused", NULL, NULL, FALSE, rw);
  properties[PROP_STATS_EFFECTIVE_INTERVAL] =
    g_param_spec_uint ("stats-effective-interval", NULL, NULL, 0, G_MAXUINT, 1000, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  _hangar_connection_auth_class_init (object_class);

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
  self->stats_effective_interval = 1000;
  self->stats_enabled = TRUE;
  self->stats_held = g_hash_table_new (NULL, NULL);
  self->main_thread = g_thread_self ();
  self->serial = g_thread_pool_new (_hangar_connection_serial_worker, self, 1, FALSE, NULL);
  g_mutex_init (&self->refresh_lock);
  self->refresh_pending = g_hash_table_new (g_str_hash, g_str_equal);
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

/* The last reference may close the connection, which is an RPC. A
 * borrower never touches the owner's callbacks. */
void
_hangar_handle_release (virConnectPtr conn)
{
  if (conn != NULL)
    close_handle (conn, -1, FALSE);
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

  interval_ms = MAX (interval_ms, 50);
  if (self->stats_interval == interval_ms)
    return;
  self->stats_interval = interval_ms;
  /* The slow-host figure is learnt again from the next round. */
  _hangar_connection_set_effective_interval (self, interval_ms);
  if (self->stats_source != 0)
    _hangar_connection_stats_start (self);
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
    _hangar_connection_stats_start (self);
  else
    _hangar_connection_stats_stop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_ENABLED]);
}

/**
 * hangar_connection_set_stats_paused:
 * @paused: whether no window shows anything
 *
 * Every Hangar window is hidden or minimised: no statistics rounds at all
 * until they show again.
 */
void
hangar_connection_set_stats_paused (HangarConnection *self,
                                    gboolean          paused)
{
  g_return_if_fail (HANGAR_IS_CONNECTION (self));

  if (self->stats_paused == !!paused)
    return;
  self->stats_paused = !!paused;
  if (paused)
    _hangar_connection_stats_stop (self);
  else
    _hangar_connection_stats_start (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_PAUSED]);
}

gboolean
hangar_connection_get_stats_paused (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), FALSE);
  return self->stats_paused;
}

/**
 * hangar_connection_get_stats_effective_interval:
 *
 * Returns: the time between statistics rounds, in milliseconds: the
 *   setting, or longer on a host that is slow to answer
 */
guint
hangar_connection_get_stats_effective_interval (HangarConnection *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION (self), 0);
  return MAX (self->stats_effective_interval, self->stats_interval);
}

void
_hangar_connection_set_effective_interval (HangarConnection *self,
                                           guint             interval_ms)
{
  if (self->stats_effective_interval == interval_ms)
    return;
  self->stats_effective_interval = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_EFFECTIVE_INTERVAL]);
}
