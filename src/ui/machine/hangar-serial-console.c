/* hangar-serial-console.c — a machine's serial console in a terminal (VTE).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The guest's character device reaches us as a libvirt stream opened by
 * virDomainOpenConsole(). Opening it is an RPC, so it happens in a worker
 * thread; afterwards the stream is non-blocking and its events arrive on
 * the GLib main loop (the application registers libvirt-glib's event
 * implementation with gvir_event_register()). Guest output is fed to the
 * terminal as it arrives; what the user types (VTE's "commit") is sent
 * back, buffered while the stream would block. Finishing or aborting a
 * stream waits for the daemon, so streams are released in a worker too.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <string.h>

#include "hangar-serial-console.h"

/* Bytes read from the stream per readable event before the main loop gets
 * a turn; libvirt calls back again while data is queued. */
#define RECV_CHUNK  (16 * 1024)
#define RECV_ROUNDS 8
/* What may wait for a guest that does not read its console (review
 * finding L8): more typing or pasting rings the bell instead of growing
 * the queue without end. */
#define MAX_OUTGOING (64 * 1024)

#define BASE_EVENTS (VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR)

struct _HangarSerialConsole
{
  GtkWidget parent_instance;

  GtkWidget *scroller;
  VteTerminal *terminal;

  HangarSerialConsoleState state;
  char *dev_name;

  /* Set while virDomainOpenConsole() runs in a worker. */
  GCancellable *cancellable;

  /* Set while connected. */
  virStreamPtr stream;
  int stream_events;
  GByteArray *outgoing;

  /* The last open's machine, for a take-over. */
  virConnectPtr conn;
  char *uuid;
  /* The last open failed because another session has the console. */
  gboolean held_elsewhere;
};

G_DEFINE_FINAL_TYPE (HangarSerialConsole, hangar_serial_console, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (HangarSerialConsoleState, hangar_serial_console_state,
                    G_DEFINE_ENUM_VALUE (HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (HANGAR_SERIAL_CONSOLE_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (HANGAR_SERIAL_CONSOLE_STATE_CONNECTED, "connected"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_DEV_NAME,
  PROP_HELD_ELSEWHERE,
  N_PROPS
};

enum {
  DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* libvirt's message for the last failure on this thread. */
static char *
virt_error_message (void)
{
  virErrorPtr err = virGetLastError ();

  if (err != NULL && err->message != NULL)
    return g_strdup (err->message);

  return g_strdup (_("Unknown libvirt error"));
}

/* Stream release, off the main thread ------------------------------------ */

typedef struct
{
  virStreamPtr stream;
  gboolean finish;
} StreamRelease;

static void
release_stream_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  StreamRelease *release = task_data;

  /* A stream that ended cleanly is finished so the daemon sees a clean
   * end; one we drop is aborted. Either may fail on a stream the daemon
   * already closed, which changes nothing. */
  if (!release->finish || virStreamFinish (release->stream) < 0)
    virStreamAbort (release->stream);
  virResetLastError ();
  virStreamFree (release->stream);
}

static void
release_stream (virStreamPtr stream,
                gboolean     finish)
{
  g_autoptr(GTask) task = NULL;
  StreamRelease *release;

  if (stream == NULL)
    return;

  release = g_new0 (StreamRelease, 1);
  release->stream = stream;
  release->finish = finish;

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, release_stream);
  g_task_set_task_data (task, release, g_free);
  g_task_run_in_thread (task, release_stream_thread);
}

static void
abort_stream (gpointer stream)
{
  release_stream (stream, FALSE);
}

/* State -------------------------------------------------------------------- */

static void
set_state (HangarSerialConsole      *self,
           HangarSerialConsoleState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  /* Gone after dispose; close() may still be called then. */
  if (self->terminal != NULL)
    vte_terminal_set_input_enabled (self->terminal, state == HANGAR_SERIAL_CONSOLE_STATE_CONNECTED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_dev_name (HangarSerialConsole *self,
              const char          *dev_name)
{
  if (g_strcmp0 (self->dev_name, dev_name) == 0)
    return;

  g_free (self->dev_name);
  self->dev_name = g_strdup (dev_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEV_NAME]);
}

/* Drops the stream and any pending open without telling anyone. */
static void
teardown (HangarSerialConsole *self,
          gboolean             finish)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  if (self->stream != NULL)
    {
      virStreamPtr stream = g_steal_pointer (&self->stream);

      virStreamEventRemoveCallback (stream);
      virResetLastError ();
      release_stream (stream, finish);
    }

  self->stream_events = 0;
  if (self->outgoing != NULL)
    g_byte_array_set_size (self->outgoing, 0);
}

/* The connection ended without being asked to: say why, in the terminal
 * too, since its text stays on screen. */
static void
lost (HangarSerialConsole *self,
      const char          *reason,
      gboolean             finish)
{
  g_autofree char *notice = NULL;

  g_assert (reason != NULL);

  g_debug ("Serial console %s lost: %s", self->dev_name ? self->dev_name : "(default)", reason);

  teardown (self, finish);

  notice = g_strdup_printf ("\r\n\033[0;1m[%s]\033[0m\r\n", reason);
  vte_terminal_feed (self->terminal, notice, -1);

  g_object_ref (self);
  set_state (self, HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);
  g_signal_emit (self, signals[DISCONNECTED], 0, reason);
  g_object_unref (self);
}

/* Stream I/O on the main loop ---------------------------------------------- */

static void
update_events (HangarSerialConsole *self)
{
  int events = BASE_EVENTS;

  if (self->outgoing->len > 0)
    events |= VIR_STREAM_EVENT_WRITABLE;

  if (events != self->stream_events && self->stream != NULL)
    {
      virStreamEventUpdateCallback (self->stream, events);
      self->stream_events = events;
    }
}

/* Returns FALSE when the connection is gone. */
static gboolean
receive (HangarSerialConsole *self)
{
  g_autofree char *buffer = g_malloc (RECV_CHUNK);

  for (guint round = 0; round < RECV_ROUNDS; round++)
    {
      int n = virStreamRecv (self->stream, buffer, RECV_CHUNK);

      if (n > 0)
        {
          vte_terminal_feed (self->terminal, buffer, n);
        }
      else if (n == -2)
        {
          return TRUE;
        }
      else if (n == 0)
        {
          lost (self, _("The machine’s console was closed"), TRUE);
          return FALSE;
        }
      else
        {
          g_autofree char *message = virt_error_message ();
          g_autofree char *reason = g_strdup_printf (_("Lost the console: %s"), message);

          lost (self, reason, FALSE);
          return FALSE;
        }
    }

  return TRUE;
}

/* Returns FALSE when the connection is gone. */
static gboolean
flush (HangarSerialConsole *self)
{
  while (self->outgoing->len > 0)
    {
      int n = virStreamSend (self->stream, (const char *) self->outgoing->data,
                             self->outgoing->len);

      if (n == -2)
        break;

      if (n < 0)
        {
          g_autofree char *message = virt_error_message ();
          g_autofree char *reason = g_strdup_printf (_("Lost the console: %s"), message);

          lost (self, reason, FALSE);
          return FALSE;
        }

      g_byte_array_remove_range (self->outgoing, 0, n);
    }

  update_events (self);
  return TRUE;
}

static void
on_stream_event (virStreamPtr  stream,
                 int           events,
                 void         *opaque)
{
  HangarSerialConsole *self = opaque;

  /* Events for a stream we already dropped. */
  if (stream != self->stream)
    return;

  if ((events & VIR_STREAM_EVENT_READABLE) != 0 && !receive (self))
    return;

  if ((events & VIR_STREAM_EVENT_WRITABLE) != 0 && !flush (self))
    return;

  if ((events & VIR_STREAM_EVENT_ERROR) != 0)
    lost (self, _("The console connection failed"), FALSE);
  else if ((events & VIR_STREAM_EVENT_HANGUP) != 0)
    lost (self, _("The machine’s console was closed"), FALSE);
}

static void
on_terminal_commit (VteTerminal         *terminal,
                    const char          *text,
                    guint                size,
                    HangarSerialConsole *self)
{
  /* Typing into a disconnected console goes nowhere, as on a real one. */
  if (self->stream == NULL)
    return;

  /* All or nothing: half a paste, or half a UTF-8 character, would send
   * the guest something nobody typed. */
  if (size > MAX_OUTGOING || self->outgoing->len > MAX_OUTGOING - size)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  g_byte_array_append (self->outgoing, (const guint8 *) text, size);
  flush (self);
}

/* Opening --------------------------------------------------------------- */

static void open_console (HangarSerialConsole *self,
                          virConnectPtr        conn,
                          const char          *uuid,
                          const char          *dev_name,
                          gboolean             force);

static void
set_held_elsewhere (HangarSerialConsole *self,
                    gboolean             held)
{
  if (self->held_elsewhere == held)
    return;
  self->held_elsewhere = held;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD_ELSEWHERE]);
}

typedef struct
{
  virConnectPtr conn;
  char *uuid;
  char *dev_name;
  gboolean force;
} OpenRequest;

static void
open_request_free (gpointer data)
{
  OpenRequest *request = data;

  /* The worker dropped the connection already; this is for safety. */
  if (request->conn != NULL)
    virConnectClose (request->conn);
  g_free (request->uuid);
  g_free (request->dev_name);
  g_free (request);
}

static void
open_console_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OpenRequest *request = task_data;
  virDomainPtr domain = NULL;
  virStreamPtr stream = NULL;
  g_autofree char *message = NULL;
  gboolean busy = FALSE;

  domain = virDomainLookupByUUIDString (request->conn, request->uuid);
  if (domain == NULL)
    {
      message = virt_error_message ();
      goto out;
    }

  stream = virStreamNew (request->conn, VIR_STREAM_NONBLOCK);
  if (stream == NULL)
    {
      message = virt_error_message ();
      goto out;
    }

  /* FORCE would kick another administrator's `virsh console` off
   * without asking: only a take-over the user chose uses it. Without it,
   * libvirt refuses a console in use with OPERATION_FAILED. */
  if (virDomainOpenConsole (domain, request->dev_name, stream,
                            request->force ? VIR_DOMAIN_CONSOLE_FORCE : 0) < 0)
    {
      busy = !request->force && virGetLastErrorCode () == VIR_ERR_OPERATION_FAILED;
      message = virt_error_message ();
      virStreamFree (g_steal_pointer (&stream));
    }

out:
  if (domain != NULL)
    virDomainFree (domain);
  /* The stream holds its own reference; the last one may cost an RPC. */
  virConnectClose (g_steal_pointer (&request->conn));

  if (stream != NULL)
    g_task_return_pointer (task, stream, abort_stream);
  else if (busy)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                             _("Another session is using this console (%s). Take it over to use "
                               "it here; that session is then disconnected."), message);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("Could not open the console: %s"), message);
}

static void
open_console_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);
  g_autoptr(GError) error = NULL;
  virStreamPtr stream;

  stream = g_task_propagate_pointer (G_TASK (result), &error);

  /* Closed, reopened or disposed meanwhile: the task's own cancellable
   * was cancelled, and the stream (if any) released with the task. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        set_held_elsewhere (self, TRUE);
      lost (self, error->message, FALSE);
      return;
    }

  if (virStreamEventAddCallback (stream, BASE_EVENTS, on_stream_event, self, NULL) < 0)
    {
      g_autofree char *message = virt_error_message ();
      g_autofree char *reason = g_strdup_printf (_("Could not watch the console: %s"), message);

      release_stream (stream, FALSE);
      lost (self, reason, FALSE);
      return;
    }

  self->stream = stream;
  self->stream_events = BASE_EVENTS;
  set_state (self, HANGAR_SERIAL_CONSOLE_STATE_CONNECTED);
}

/**
 * hangar_serial_console_open:
 * @self: a #HangarSerialConsole
 * @conn: the connection the machine lives on; the console takes its own
 *   reference for as long as it needs one
 * @uuid: the machine's UUID
 * @dev_name: (nullable): the alias of the console or serial device
 *   ("serial0", "console1"), or %NULL for the machine's first console
 *
 * Connects to a running machine's text console, replacing any connection
 * the widget had. The widget's state goes to "connecting", then to
 * "connected", or back to "disconnected" with #HangarSerialConsole::disconnected
 * saying why. The terminal keeps what it showed before.
 */
void
hangar_serial_console_open (HangarSerialConsole *self,
                            virConnectPtr        conn,
                            const char          *uuid,
                            const char          *dev_name)
{
  g_return_if_fail (HANGAR_IS_SERIAL_CONSOLE (self));
  g_return_if_fail (conn != NULL);
  g_return_if_fail (uuid != NULL);

  open_console (self, conn, uuid, dev_name, FALSE);
}

/**
 * hangar_serial_console_take_over:
 * @self: a #HangarSerialConsole
 *
 * Opens the console of the last hangar_serial_console_open() again,
 * disconnecting whichever session holds it. For the user's answer to
 * #HangarSerialConsole:held-elsewhere.
 */
void
hangar_serial_console_take_over (HangarSerialConsole *self)
{
  g_autofree char *uuid = NULL;
  g_autofree char *dev_name = NULL;
  virConnectPtr conn;

  g_return_if_fail (HANGAR_IS_SERIAL_CONSOLE (self));
  g_return_if_fail (self->conn != NULL);

  /* open_console() replaces these: keep them alive through it. */
  conn = self->conn;
  virConnectRef (conn);
  uuid = g_strdup (self->uuid);
  dev_name = g_strdup (self->dev_name);
  open_console (self, conn, uuid, dev_name, TRUE);
  virConnectClose (conn);
}

/* Whether the last open failed because another session holds the console. */
gboolean
hangar_serial_console_get_held_elsewhere (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), FALSE);
  return self->held_elsewhere;
}

static void
open_console (HangarSerialConsole *self,
              virConnectPtr        conn,
              const char          *uuid,
              const char          *dev_name,
              gboolean             force)
{
  g_autoptr(GTask) task = NULL;
  OpenRequest *request;

  teardown (self, FALSE);
  set_held_elsewhere (self, FALSE);

  /* Kept for a take-over; the main thread's reference, apart from the
   * worker's. */
  virConnectRef (conn);
  if (self->conn != NULL)
    virConnectClose (self->conn);
  self->conn = conn;
  if (self->uuid != uuid)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (uuid);
    }

  request = g_new0 (OpenRequest, 1);
  virConnectRef (conn);
  request->conn = conn;
  request->uuid = g_strdup (uuid);
  request->dev_name = g_strdup (dev_name);
  request->force = force;

  set_dev_name (self, dev_name);
  set_state (self, HANGAR_SERIAL_CONSOLE_STATE_CONNECTING);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, open_console_cb, NULL);
  g_task_set_source_tag (task, hangar_serial_console_open);
  g_task_set_task_data (task, request, open_request_free);
  g_task_run_in_thread (task, open_console_thread);
}

/**
 * hangar_serial_console_close:
 * @self: a #HangarSerialConsole
 *
 * Drops the console connection, or the attempt to make one. Being asked,
 * this does not emit #HangarSerialConsole::disconnected; the state goes
 * to "disconnected".
 */
void
hangar_serial_console_close (HangarSerialConsole *self)
{
  g_return_if_fail (HANGAR_IS_SERIAL_CONSOLE (self));

  teardown (self, FALSE);
  set_state (self, HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);
}

HangarSerialConsoleState
hangar_serial_console_get_state (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);

  return self->state;
}

/**
 * hangar_serial_console_get_dev_name:
 * @self: a #HangarSerialConsole
 *
 * Returns: (nullable): the device alias given to the last
 *   hangar_serial_console_open(), %NULL for the first console
 */
const char *
hangar_serial_console_get_dev_name (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), NULL);

  return self->dev_name;
}

/**
 * hangar_serial_console_get_terminal:
 * @self: a #HangarSerialConsole
 *
 * Returns: (transfer none): the terminal showing the console, for
 *   fonts, copy and paste, and tests
 */
VteTerminal *
hangar_serial_console_get_terminal (HangarSerialConsole *self)
{
  g_return_val_if_fail (HANGAR_IS_SERIAL_CONSOLE (self), NULL);

  return self->terminal;
}

GtkWidget *
hangar_serial_console_new (void)
{
  return g_object_new (HANGAR_TYPE_SERIAL_CONSOLE, NULL);
}

/* Devices from the domain XML ------------------------------------------- */

typedef struct
{
  GPtrArray *aliases;
  int depth;
  int devices_depth;   /* depth of <domain><devices>, or 0 */
  int chardev_depth;   /* depth of a pty <serial>/<console> under it, or 0 */
} DeviceScan;

static void
scan_start_element (GMarkupParseContext  *context,
                    const char           *element_name,
                    const char          **attribute_names,
                    const char          **attribute_values,
                    gpointer              user_data,
                    GError              **error)
{
  DeviceScan *scan = user_data;

  scan->depth++;

  if (scan->depth == 2 && scan->devices_depth == 0 && g_str_equal (element_name, "devices"))
    {
      scan->devices_depth = scan->depth;
    }
  else if (scan->devices_depth != 0 && scan->depth == scan->devices_depth + 1 &&
           (g_str_equal (element_name, "serial") || g_str_equal (element_name, "console")))
    {
      const char *type = NULL;

      for (guint i = 0; attribute_names[i] != NULL; i++)
        if (g_str_equal (attribute_names[i], "type"))
          type = attribute_values[i];

      /* libvirt opens only pty-backed character devices as consoles. */
      if (g_strcmp0 (type, "pty") == 0)
        scan->chardev_depth = scan->depth;
    }
  else if (scan->chardev_depth != 0 && scan->depth == scan->chardev_depth + 1 &&
           g_str_equal (element_name, "alias"))
    {
      for (guint i = 0; attribute_names[i] != NULL; i++)
        {
          const char *name = attribute_values[i];

          /* The first <console> repeats the first <serial>, alias included. */
          if (g_str_equal (attribute_names[i], "name") && *name != '\0' &&
              !g_ptr_array_find_with_equal_func (scan->aliases, name, g_str_equal, NULL))
            g_ptr_array_add (scan->aliases, g_strdup (name));
        }
    }
}

static void
scan_end_element (GMarkupParseContext  *context,
                  const char           *element_name,
                  gpointer              user_data,
                  GError              **error)
{
  DeviceScan *scan = user_data;

  if (scan->depth == scan->chardev_depth)
    scan->chardev_depth = 0;
  scan->depth--;
}

/**
 * hangar_serial_console_list_devices:
 * @domain_xml: a running machine's XML (virDomainGetXMLDesc())
 * @error: where to say why the XML could not be read
 *
 * The aliases of the machine's serial and console devices that
 * hangar_serial_console_open() can attach to, in the XML's order, each
 * once. Only a running machine's XML carries aliases, so an inactive
 * definition gives none.
 *
 * Returns: (transfer full) (nullable): the aliases, %NULL on error
 */
char **
hangar_serial_console_list_devices (const char  *domain_xml,
                                    GError     **error)
{
  static const GMarkupParser parser = {
    .start_element = scan_start_element,
    .end_element = scan_end_element,
  };
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMarkupParseContext) context = NULL;
  DeviceScan scan = { .aliases = aliases };

  g_return_val_if_fail (domain_xml != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &scan, NULL);
  if (!g_markup_parse_context_parse (context, domain_xml, -1, error) ||
      !g_markup_parse_context_end_parse (context, error))
    return NULL;

  g_ptr_array_add (aliases, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&aliases), FALSE);
}

/* GObject --------------------------------------------------------------- */

static gboolean
hangar_serial_console_grab_focus (GtkWidget *widget)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->terminal));
}

static void
hangar_serial_console_dispose (GObject *object)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);

  teardown (self, FALSE);
  g_clear_pointer (&self->conn, virConnectClose);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  self->terminal = NULL;

  G_OBJECT_CLASS (hangar_serial_console_parent_class)->dispose (object);
}

static void
hangar_serial_console_finalize (GObject *object)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);

  g_clear_pointer (&self->outgoing, g_byte_array_unref);
  g_free (self->dev_name);
  g_free (self->uuid);

  G_OBJECT_CLASS (hangar_serial_console_parent_class)->finalize (object);
}

static void
hangar_serial_console_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HangarSerialConsole *self = HANGAR_SERIAL_CONSOLE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DEV_NAME:
      g_value_set_string (value, self->dev_name);
      break;

    case PROP_HELD_ELSEWHERE:
      g_value_set_boolean (value, self->held_elsewhere);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_serial_console_class_init (HangarSerialConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_serial_console_dispose;
  object_class->finalize = hangar_serial_console_finalize;
  object_class->get_property = hangar_serial_console_get_property;

  widget_class->grab_focus = hangar_serial_console_grab_focus;

  /**
   * HangarSerialConsole:state:
   *
   * Whether the terminal is attached to the machine's console.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       HANGAR_TYPE_SERIAL_CONSOLE_STATE,
                       HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarSerialConsole:dev-name:
   *
   * The console device asked for, %NULL for the machine's first console.
   */
  properties[PROP_DEV_NAME] =
    g_param_spec_string ("dev-name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HangarSerialConsole:held-elsewhere:
   *
   * The last open failed because another session (a `virsh console`,
   * another Hangar) holds the console; hangar_serial_console_take_over()
   * takes it.
   */
  properties[PROP_HELD_ELSEWHERE] =
    g_param_spec_boolean ("held-elsewhere", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarSerialConsole::disconnected:
   * @self: the console
   * @reason: why, in words for the user
   *
   * The connection failed to open or was lost (the machine stopped,
   * another client took the console over, the host went away). Not
   * emitted for hangar_serial_console_close().
   */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "serialconsole");
}

static void
hangar_serial_console_init (HangarSerialConsole *self)
{
  self->outgoing = g_byte_array_new ();

  self->terminal = VTE_TERMINAL (vte_terminal_new ());
  vte_terminal_set_scrollback_lines (self->terminal, 10000);
  vte_terminal_set_scroll_on_output (self->terminal, TRUE);
  vte_terminal_set_scroll_on_keystroke (self->terminal, TRUE);
  vte_terminal_set_input_enabled (self->terminal, FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->terminal), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->terminal), TRUE);
  g_signal_connect_object (self->terminal, "commit",
                           G_CALLBACK (on_terminal_commit), self, G_CONNECT_DEFAULT);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller),
                                 GTK_WIDGET (self->terminal));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}
