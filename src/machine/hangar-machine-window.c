/* hangar-machine-window.c — one machine's own window: its console, its power buttons.
 *
 * The window follows the machine's state: shut off shows a Start page,
 * running connects the console by itself, paused keeps the last frame
 * dimmed. The console is reached through libvirt on a local connection
 * (virDomainOpenGraphicsFD, no open port needed) and directly over TCP
 * otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <unistd.h>

#include "hangar-connection.h"
#include "hangar-details-view.h"
#include "hangar-display.h"
#include "hangar-connection-private.h"
#include "hangar-machine-window.h"
#include "hangar-serial-console.h"
#include "hangar-spice-session.h"
#include "hangar-ssh-tunnel.h"
#include "hangar-vm-actions.h"
#include "hangar-vm-console.h"
#include "hangar-vm.h"
#include "hangar-vnc-session.h"

/* SPICE opens a socket per channel (main, display, inputs, cursor, and
 * more): open that many ahead, off the main thread, so a channel never
 * waits on libvirt. */
#define SPICE_SPARE_FDS 6

/* Console passwords in the keyring, one per machine and host. */
static const SecretSchema console_schema = {
  "org.hangar.Hangar.Console", SECRET_SCHEMA_NONE,
  {
    { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

struct _HangarMachineWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *header_revealer;
  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  AdwBin               *details_bin;
  GtkStack             *stack;
  GtkScrolledWindow    *display_scroller;
  GtkWidget            *paused_label;
  GtkRevealer          *grab_revealer;
  GtkWidget            *disconnected_box;
  GtkLabel             *disconnected_reason;
  AdwStatusPage        *off_page;
  AdwStatusPage        *message_page;
  GtkWidget            *message_button;
  AdwStatusPage        *password_page;
  GtkEditable          *password_row;
  GtkCheckButton       *remember_check;

  HangarVm             *vm;
  GSignalGroup         *vm_signals;
  HangarVmActions      *vm_actions;
  GSimpleActionGroup   *console_actions;

  HangarDisplay        *display;
  HangarSerialConsole  *serial;
  gboolean              serial_view;  /* the text console is shown */
  HangarConsoleSession *session;
  GSignalGroup         *session_signals;
  GCancellable         *cancellable;
  GArray               *spare_fds;
  gboolean              connecting;

  /* A password the user typed or the keyring gave, for servers whose
   * password we cannot read from the domain's XML. */
  char                 *password;
  gboolean              keyring_tried;
  gboolean              remember;
  /* The server wants a password: its disconnect is not a failure. */
  gboolean              auth_pending;
  char                 *last_cut_text;
};

G_DEFINE_FINAL_TYPE (HangarMachineWindow, hangar_machine_window, ADW_TYPE_APPLICATION_WINDOW)

static void connect_console (HangarMachineWindow *self);

/* --- the console session ----------------------------------------------------- */

static void
close_spare_fds (HangarMachineWindow *self)
{
  for (guint i = 0; self->spare_fds && i < self->spare_fds->len; i++)
    close (g_array_index (self->spare_fds, int, i));
  if (self->spare_fds)
    g_array_set_size (self->spare_fds, 0);
}

static void
disconnect_console (HangarMachineWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->connecting = FALSE;
  close_spare_fds (self);
  if (self->session != NULL)
    {
      g_signal_group_set_target (self->session_signals, NULL);
      hangar_console_session_disconnect (self->session);
      hangar_display_set_session (self->display, NULL);
      g_clear_object (&self->session);
    }
}

static void
show_message (HangarMachineWindow *self,
              const char          *icon,
              const char          *title,
              const char          *description,
              gboolean             can_retry)
{
  adw_status_page_set_icon_name (self->message_page, icon);
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_widget_set_visible (self->message_button, can_retry);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
show_failure (HangarMachineWindow *self,
              const GError        *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_message ("console of %s: %s", hangar_vm_get_name (self->vm), error->message);
  self->connecting = FALSE;
  show_message (self, "dialog-warning-symbolic", _("Could Not Connect to the Display"),
                error->message, TRUE);
}

static int
take_spare_fd (HangarConsoleSession  *session,
               GError               **error,
               gpointer               user_data)
{
  HangarMachineWindow *self = user_data;
  int fd;

  if (self->spare_fds == NULL || self->spare_fds->len == 0)
    {
      g_set_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT,
                   _("The display asked for more connections than were opened."));
      return -1;
    }
  fd = g_array_index (self->spare_fds, int, self->spare_fds->len - 1);
  g_array_set_size (self->spare_fds, self->spare_fds->len - 1);
  return fd;
}

static void
show_password_page (HangarMachineWindow *self,
                    gboolean             rejected)
{
  g_autofree char *description = NULL;

  self->connecting = FALSE;
  if (rejected)
    description = g_strdup (_("That password was not accepted. Try again."));
  else
    description = g_strdup_printf (_("The display of “%s” asks for a password."),
                                   hangar_vm_get_name (self->vm));
  adw_status_page_set_description (self->password_page, description);
  gtk_editable_set_text (self->password_row, "");
  gtk_stack_set_visible_child_name (self->stack, "password");
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
keyring_looked_up (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarMachineWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_debug ("keyring lookup: %s", error->message);
  if (password == NULL)
    {
      show_password_page (self, FALSE);
      return;
    }
  g_free (self->password);
  self->password = g_strdup (password);
  secret_password_free (password);
  connect_console (self);
}

static const char *
connection_uri (HangarMachineWindow *self)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);

  return connection ? hangar_connection_get_uri (connection) : "";
}

static void
on_session_error (HangarMachineWindow *self,
                  const GError        *error)
{
  if (g_error_matches (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_REQUIRED)
      || g_error_matches (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_FAILED))
    self->auth_pending = TRUE;

  if (g_error_matches (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_REQUIRED)
      && !self->keyring_tried)
    {
      /* Asked once per window: a saved password that fails is asked for. */
      self->keyring_tried = TRUE;
      secret_password_lookup (&console_schema, NULL, keyring_looked_up, g_object_ref (self),
                              "uri", connection_uri (self),
                              "uuid", hangar_vm_get_uuid (self->vm),
                              NULL);
      return;
    }
  if (g_error_matches (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_REQUIRED)
      || g_error_matches (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_AUTH_FAILED))
    {
      show_password_page (self, self->password != NULL);
      return;
    }
  show_failure (self, error);
}

static void
on_password_entered (HangarMachineWindow *self)
{
  const char *text = gtk_editable_get_text (self->password_row);

  if (*text == '\0')
    return;
  g_free (self->password);
  self->password = g_strdup (text);
  self->remember = gtk_check_button_get_active (self->remember_check);
  connect_console (self);
}

static void
keyring_stored (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HangarMachineWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The password was not saved: %s"),
                                               error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
}

/* --- the serial text console ------------------------------------------------------ */

static void
open_serial (HangarMachineWindow *self)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;

  gtk_stack_set_visible_child_name (self->stack, "serial");
  if (hangar_serial_console_get_state (self->serial) != HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED)
    return;
  conn = connection ? _hangar_connection_dup_handle (connection, &error) : NULL;
  if (conn == NULL)
    {
      show_message (self, "network-offline-symbolic", _("Not Connected"),
                    error ? error->message : NULL, FALSE);
      return;
    }
  /* The widget takes its own reference. */
  hangar_serial_console_open (self->serial, conn, hangar_vm_get_uuid (self->vm), NULL);
  _hangar_handle_release (conn);
  gtk_widget_grab_focus (GTK_WIDGET (self->serial));
}

static void
set_serial_view (HangarMachineWindow *self,
                 gboolean             serial)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->console_actions), "view");

  self->serial_view = serial;
  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_string (serial ? "serial" : "graphics"));
}

static void
update_paused (HangarMachineWindow *self)
{
  gboolean paused = hangar_vm_get_state (self->vm) == HANGAR_VM_STATE_PAUSED;

  gtk_widget_set_visible (self->paused_label, paused);
  if (paused)
    gtk_widget_add_css_class (GTK_WIDGET (self->display), "hangar-paused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->display), "hangar-paused");
}

static void
on_session_connected (HangarMachineWindow *self)
{
  self->connecting = FALSE;
  if (self->remember && self->password != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Display password of %s"),
                                                hangar_vm_get_name (self->vm));

      self->remember = FALSE;
      secret_password_store (&console_schema, SECRET_COLLECTION_DEFAULT, label, self->password,
                             NULL, keyring_stored, g_object_ref (self),
                             "uri", connection_uri (self),
                             "uuid", hangar_vm_get_uuid (self->vm),
                             NULL);
    }
  gtk_widget_set_visible (self->disconnected_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "console");
  update_paused (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->display));
}

static void
on_session_disconnected (HangarMachineWindow *self,
                         const char          *reason)
{
  self->connecting = FALSE;
  if (!hangar_vm_is_active (self->vm) || self->auth_pending)
    return;  /* the Shut Off or the password page says it better */

  /* Keep the last frame visible under the overlay. */
  gtk_label_set_text (self->disconnected_reason,
                      reason && *reason ? reason : _("The connection to the display was lost."));
  gtk_widget_set_visible (self->disconnected_box, TRUE);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "console") != 0)
    show_message (self, "dialog-warning-symbolic", _("Display Disconnected"),
                  reason, TRUE);
}


/* --- clipboard ---------------------------------------------------------------------- */

static void
on_session_cut_text (HangarMachineWindow *self,
                     const char          *text)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  /* Remember what we set, so the change it causes is not sent back. */
  g_free (self->last_cut_text);
  self->last_cut_text = g_strdup (text);
  gdk_clipboard_set_text (clipboard, text);
}

static void
clipboard_read (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HangarMachineWindow) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (text == NULL || self->session == NULL || g_strcmp0 (text, self->last_cut_text) == 0)
    return;
  g_free (self->last_cut_text);
  self->last_cut_text = g_strdup (text);
  hangar_console_session_send_cut_text (self->session, text);
}

/* Text copied on this desktop goes to the guest (SPICE agent or VNC cut
 * text); only text, and only while the console is connected. */
static void
on_local_clipboard_changed (HangarMachineWindow *self,
                            GdkClipboard        *clipboard)
{
  if (self->session == NULL || gdk_clipboard_is_local (clipboard))
    return;
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read, g_object_ref (self));
}

static void
start_session (HangarMachineWindow *self,
               HangarGraphicsType   type,
               const char          *password,
               GArray              *fds)
{
  g_autoptr(GError) error = NULL;
  int fd;

  self->session = type == HANGAR_GRAPHICS_SPICE ? hangar_spice_session_new ()
                                                : hangar_vnc_session_new ();
  if (password != NULL)
    hangar_console_session_set_password (self->session, password);
  hangar_console_session_set_open_fd_func (self->session, take_spare_fd, self, NULL);
  g_signal_group_set_target (self->session_signals, self->session);
  hangar_display_set_session (self->display, self->session);

  fd = g_array_index (fds, int, 0);
  g_debug ("console of %s: %s session on fd %d, %u spare", hangar_vm_get_name (self->vm),
           type == HANGAR_GRAPHICS_SPICE ? "SPICE" : "VNC", fd, fds->len - 1);
  for (guint i = 1; i < fds->len; i++)
    g_array_append_val (self->spare_fds, g_array_index (fds, int, i));
  g_array_set_size (fds, 0);

  if (!hangar_console_session_connect_fd (self->session, fd, &error))
    show_failure (self, error);
}

typedef struct
{
  HangarMachineWindow *self;
  HangarGraphicsType   type;
  char                *password;
} ConnectContext;

static void
connect_context_free (ConnectContext *ctx)
{
  g_object_unref (ctx->self);
  g_free (ctx->password);
  g_free (ctx);
}

static void
free_fds (GArray *fds)
{
  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));
  g_array_unref (fds);
}

static void
fds_opened (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectContext *ctx = user_data;
  g_autoptr(GError) error = NULL;
  GArray *fds;

  fds = hangar_vm_open_graphics_fds_finish (HANGAR_VM (object), result, &error);
  if (fds == NULL)
    show_failure (ctx->self, error);
  else if (!ctx->self->connecting)
    free_fds (fds);
  else
    {
      start_session (ctx->self, ctx->type, NULL, fds);
      free_fds (fds);
    }
  connect_context_free (ctx);
}

static void
tcp_connected (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ConnectContext *ctx = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    show_failure (ctx->self, error);
  else if (ctx->self->connecting)
    {
      g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
      int fd = dup (g_socket_get_fd (g_socket_connection_get_socket (connection)));

      g_array_append_val (fds, fd);
      start_session (ctx->self, ctx->type, ctx->password, fds);
    }
  connect_context_free (ctx);
}

/* Over ssh every socket is a tunnel (ssh -W) through one shared login to
 * the host; SPICE gets its channels' tunnels ahead, like local fds. */
typedef struct
{
  ConnectContext *ctx;
  GArray         *fds;
  guint           pending;
  GError         *error;
} TunnelBatch;

static void
tunnel_opened (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TunnelBatch *batch = user_data;
  GError *error = NULL;
  int fd = hangar_ssh_tunnel_open_finish (result, &error);

  if (fd >= 0)
    g_array_append_val (batch->fds, fd);
  else if (batch->error == NULL)
    batch->error = error;
  else
    g_error_free (error);

  if (--batch->pending > 0)
    return;

  if (batch->error != NULL || batch->fds->len == 0)
    show_failure (batch->ctx->self, batch->error);
  else if (batch->ctx->self->connecting)
    start_session (batch->ctx->self, batch->ctx->type, batch->ctx->password, batch->fds);
  free_fds (batch->fds);
  g_clear_error (&batch->error);
  connect_context_free (batch->ctx);
  g_free (batch);
}

static gboolean
open_tunnels (HangarMachineWindow      *self,
              const HangarGraphicsInfo *info,
              ConnectContext           *ctx,
              GError                  **error)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);
  g_autoptr(HangarSshTarget) target = NULL;
  TunnelBatch *batch;
  guint n = info->type == HANGAR_GRAPHICS_SPICE ? SPICE_SPARE_FDS : 1;

  target = hangar_ssh_target_new_from_uri (hangar_connection_get_uri (connection), error);
  if (target == NULL)
    return FALSE;

  batch = g_new0 (TunnelBatch, 1);
  batch->ctx = ctx;
  batch->fds = g_array_new (FALSE, FALSE, sizeof (int));
  batch->pending = n;
  for (guint i = 0; i < n; i++)
    hangar_ssh_tunnel_open_async (target, info->listen, info->port, self->cancellable,
                                  tunnel_opened, batch);
  return TRUE;
}

static gboolean
uri_is_ssh (const char *uri)
{
  const char *scheme = g_uri_peek_scheme (uri);

  return scheme != NULL
         && (g_str_has_suffix (scheme, "+ssh") || g_str_has_suffix (scheme, "+libssh")
             || g_str_has_suffix (scheme, "+libssh2"));
}

static char *
display_host (HangarMachineWindow      *self,
              const HangarGraphicsInfo *info)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);
  g_autoptr(GUri) uri = g_uri_parse (hangar_connection_get_uri (connection),
                                     G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  const char *listen = info->listen;

  /* A server listening on every address is reached through the host's own. */
  if (listen == NULL || g_str_equal (listen, "0.0.0.0") || g_str_equal (listen, "::"))
    return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "127.0.0.1");
  return g_strdup (listen);
}

static void
graphics_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HangarMachineWindow) self = user_data;
  g_autoptr(HangarGraphicsInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  HangarConnection *connection;
  ConnectContext *ctx;
  gboolean force_tcp;

  info = hangar_vm_get_graphics_finish (HANGAR_VM (object), result, &error);
  if (info == NULL)
    {
      show_failure (self, error);
      return;
    }
  if (!self->connecting)
    return;

  g_debug ("console of %s: graphics type %d, listen %s, port %d", hangar_vm_get_name (self->vm),
           info->type, info->listen, info->port);
  if (info->type == HANGAR_GRAPHICS_NONE)
    {
      self->connecting = FALSE;
      /* No screen: the text console is the console. */
      if (info->has_serial)
        {
          set_serial_view (self, TRUE);
          open_serial (self);
          return;
        }
      show_message (self, "utilities-terminal-symbolic", _("No Console"),
                    _("This machine has neither a display nor a serial console."), FALSE);
      return;
    }
  if (info->type == HANGAR_GRAPHICS_OTHER)
    {
      self->connecting = FALSE;
      show_message (self, "dialog-warning-symbolic", _("Unsupported Display"),
                    _("Hangar shows VNC and SPICE displays only."), FALSE);
      return;
    }

  /* HANGAR_CONSOLE_FORCE_TCP (for tests) takes the path a remote host
   * takes: TCP, and no password from the XML. */
  force_tcp = g_getenv ("HANGAR_CONSOLE_FORCE_TCP") != NULL;

  ctx = g_new0 (ConnectContext, 1);
  ctx->self = g_object_ref (self);
  ctx->type = info->type;
  ctx->password = g_strdup (info->password && !force_tcp ? info->password : self->password);

  connection = hangar_vm_get_connection (self->vm);
  if (connection != NULL && hangar_connection_is_local (connection) && !force_tcp)
    {
      hangar_vm_open_graphics_fds_async (self->vm,
                                         info->type == HANGAR_GRAPHICS_SPICE
                                         ? SPICE_SPARE_FDS : 1,
                                         self->cancellable, fds_opened, ctx);
      return;
    }

  if (info->port <= 0)
    {
      connect_context_free (ctx);
      self->connecting = FALSE;
      show_message (self, "dialog-warning-symbolic", _("Could Not Connect to the Display"),
                    _("This machine’s display listens on no network port, so it can only be "
                      "shown on its own host. Give its display a listen address and an "
                      "automatic port to see it from here."), TRUE);
      return;
    }

  if (connection != NULL && uri_is_ssh (hangar_connection_get_uri (connection)))
    {
      if (!open_tunnels (self, info, ctx, &error))
        {
          connect_context_free (ctx);
          show_failure (self, error);
        }
      return;
    }

  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autofree char *host = display_host (self, info);

    g_socket_client_set_timeout (client, 15);
    g_socket_client_connect_to_host_async (client, host, info->port, self->cancellable,
                                           tcp_connected, ctx);
  }
}

static void
connect_console (HangarMachineWindow *self)
{
  disconnect_console (self);
  if (!hangar_vm_is_active (self->vm))
    return;

  self->connecting = TRUE;
  self->auth_pending = FALSE;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (self->disconnected_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "connecting");
  hangar_vm_get_graphics_async (self->vm, self->cancellable, graphics_read, g_object_ref (self));
}

/* --- following the machine ------------------------------------------------------ */

static void
update_for_state (HangarMachineWindow *self)
{
  g_autofree char *title = NULL;

  adw_view_switcher_title_set_title (self->window_title, hangar_vm_get_name (self->vm));
  gtk_window_set_title (GTK_WINDOW (self), hangar_vm_get_name (self->vm));

  if (!hangar_vm_is_active (self->vm))
    {
      const char *name = hangar_vm_get_name (self->vm);
      const char *description;

      disconnect_console (self);
      hangar_serial_console_close (self->serial);
      if (hangar_vm_get_state (self->vm) == HANGAR_VM_STATE_CRASHED)
        {
          title = g_strdup_printf (_("“%s” Crashed"), name);
          description = _("Start the machine again to see its screen here.");
        }
      else if (hangar_vm_get_has_managed_save (self->vm))
        {
          title = g_strdup_printf (_("“%s” Is Saved"), name);
          description = _("Start the machine to continue where it left off.");
        }
      else
        {
          title = g_strdup_printf (_("“%s” Is Shut Off"), name);
          description = _("Start the machine to see its screen here.");
        }
      adw_status_page_set_title (self->off_page, title);
      adw_status_page_set_description (self->off_page, description);
      gtk_stack_set_visible_child_name (self->stack, "off");
      return;
    }

  update_paused (self);
  if (self->serial_view)
    {
      open_serial (self);
      return;
    }
  /* Running again after a stop, or the first time: connect by itself. */
  if (self->session == NULL && !self->connecting)
    connect_console (self);
}

static void
on_vm_removed (HangarMachineWindow *self)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);

  disconnect_console (self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "vm", NULL);
  if (connection != NULL && hangar_connection_get_state (connection)
                            != HANGAR_CONNECTION_STATE_CONNECTED)
    show_message (self, "network-offline-symbolic", _("Connection Lost"),
                  hangar_connection_get_error_message (connection), FALSE);
  else
    show_message (self, "user-trash-symbolic", _("Machine Deleted"),
                  _("This machine no longer exists."), FALSE);
}

/* --- console actions -------------------------------------------------------------- */

typedef struct
{
  const char *name;
  guint16     qnums[4];
} KeyCombo;

/* XT/QEMU scancodes: Ctrl 0x1d, Alt 0x38, Del 0xd3 (e0 53), Backspace 0x0e,
 * F1–F10 0x3b–0x44, F11 0x57, F12 0x58, Print 0xb7 (e0 37), SysRq 0x54. */
static const KeyCombo combos[] = {
  { "ctrl-alt-del", { 0x1d, 0x38, 0xd3 } },
  { "ctrl-alt-backspace", { 0x1d, 0x38, 0x0e } },
  { "ctrl-alt-f1", { 0x1d, 0x38, 0x3b } },
  { "ctrl-alt-f2", { 0x1d, 0x38, 0x3c } },
  { "ctrl-alt-f3", { 0x1d, 0x38, 0x3d } },
  { "ctrl-alt-f4", { 0x1d, 0x38, 0x3e } },
  { "ctrl-alt-f5", { 0x1d, 0x38, 0x3f } },
  { "ctrl-alt-f6", { 0x1d, 0x38, 0x40 } },
  { "ctrl-alt-f7", { 0x1d, 0x38, 0x41 } },
  { "ctrl-alt-f8", { 0x1d, 0x38, 0x42 } },
  { "ctrl-alt-f9", { 0x1d, 0x38, 0x43 } },
  { "ctrl-alt-f10", { 0x1d, 0x38, 0x44 } },
  { "ctrl-alt-f11", { 0x1d, 0x38, 0x57 } },
  { "ctrl-alt-f12", { 0x1d, 0x38, 0x58 } },
  { "print", { 0xb7 } },
  { "sysrq", { 0x38, 0x54 } },
};

static void
send_key_activated (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  HangarMachineWindow *self = user_data;
  const char *name = g_variant_get_string (param, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    if (g_str_equal (combos[i].name, name))
      {
        guint n = 0;

        while (n < G_N_ELEMENTS (combos[i].qnums) && combos[i].qnums[n] != 0)
          n++;
        hangar_display_send_keys (self->display, combos[i].qnums, n);
        return;
      }
}

static void
apply_scaling (HangarMachineWindow *self,
               const char          *scaling)
{
  gboolean one_to_one = g_str_equal (scaling, "one-to-one");
  GtkPolicyType policy = one_to_one ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER;

  hangar_display_set_scaling (self->display, one_to_one ? HANGAR_DISPLAY_SCALING_ONE_TO_ONE
                                                        : HANGAR_DISPLAY_SCALING_FIT);
  gtk_scrolled_window_set_policy (self->display_scroller, policy, policy);
}

static void
scaling_changed (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  apply_scaling (user_data, g_variant_get_string (value, NULL));
  g_simple_action_set_state (action, value);
}

static void
resize_guest_changed (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  HangarMachineWindow *self = user_data;

  hangar_display_set_resize_guest (self->display, g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
}

static void
on_screenshot_response (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  g_autoptr(HangarMachineWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GdkTexture) texture = hangar_display_get_screenshot (self->display);
      g_autofree char *path = g_file_get_path (file);

      if (texture == NULL || path == NULL || !gdk_texture_save_to_png (texture, path))
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new (_("Could not save the screenshot")));
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Screenshot saved")));
    }
  g_object_unref (dialog);
}

static void
screenshot_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  HangarMachineWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H-%M-%S");
  g_autofree char *name = g_strdup_printf ("%s %s.png", hangar_vm_get_name (self->vm), stamp);

  chooser = gtk_file_chooser_native_new (_("Save Screenshot"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_screenshot_response),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
fullscreen_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  GtkWindow *window = user_data;

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
reconnect_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HangarMachineWindow *self = user_data;

  if (self->serial_view)
    {
      hangar_serial_console_close (self->serial);
      open_serial (self);
    }
  else
    connect_console (self);
}

static void
view_changed (GSimpleAction *action,
              GVariant      *value,
              gpointer       user_data)
{
  HangarMachineWindow *self = user_data;
  gboolean serial = g_str_equal (g_variant_get_string (value, NULL), "serial");

  g_simple_action_set_state (action, value);
  self->serial_view = serial;
  if (!hangar_vm_is_active (self->vm))
    return;
  if (serial)
    open_serial (self);
  else if (self->session != NULL)
    gtk_stack_set_visible_child_name (self->stack, "console");
  else
    connect_console (self);
}

static const GActionEntry console_entries[] = {
  { "send-key", send_key_activated, "s" },
  { "scaling", NULL, "s", "'fit'", scaling_changed },
  { "resize-guest", NULL, NULL, "false", resize_guest_changed },
  { "screenshot", screenshot_activated },
  { "fullscreen", fullscreen_activated },
  { "reconnect", reconnect_activated },
  { "view", NULL, "s", "'graphics'", view_changed },
};

/* In fullscreen the header bar hides, and comes back when the pointer
 * touches the top edge. */
static void
on_fullscreened (HangarMachineWindow *self)
{
  gtk_revealer_set_reveal_child (self->header_revealer,
                                 !gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HangarMachineWindow      *self)
{
  if (!gtk_window_is_fullscreen (GTK_WINDOW (self)) || hangar_display_get_grabbed (self->display))
    return;
  if (y < 4)
    gtk_revealer_set_reveal_child (self->header_revealer, TRUE);
  else if (y > 80)
    gtk_revealer_set_reveal_child (self->header_revealer, FALSE);
}

static void
on_grabbed (HangarMachineWindow *self)
{
  gtk_revealer_set_reveal_child (self->grab_revealer, hangar_display_get_grabbed (self->display));
}

static void
on_vm_error (HangarMachineWindow *self,
             const char          *title,
             const GError        *error)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", title, error->message);
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_vm_message (HangarMachineWindow *self,
               const char          *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* --- details ------------------------------------------------------------------------ */

/* The details read the machine's XML: only when the page is first shown. */
static void
on_view_changed (HangarMachineWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "details") == 0 && adw_bin_get_child (self->details_bin) == NULL)
    adw_bin_set_child (self->details_bin, hangar_details_view_new (self->vm));
}

static void
on_discard_response (AdwMessageDialog    *dialog,
                     const char          *response,
                     HangarMachineWindow *self)
{
  if (g_str_equal (response, "discard"))
    {
      /* Forget the edits, then close for real. */
      adw_bin_set_child (self->details_bin, NULL);
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
hangar_machine_window_close_request (GtkWindow *window)
{
  HangarMachineWindow *self = HANGAR_MACHINE_WINDOW (window);
  GtkWidget *details = adw_bin_get_child (self->details_bin);
  GtkWidget *dialog;

  if (details == NULL
      || !hangar_details_view_has_unapplied_changes (HANGAR_DETAILS_VIEW (details)))
    return GTK_WINDOW_CLASS (hangar_machine_window_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Discard Unapplied Changes?"),
                                   _("Some details of this machine were changed but not "
                                     "applied. Closing the window loses them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/**
 * hangar_machine_window_show_details:
 *
 * Switches the window to its Details page (--show-domain-editor).
 */
void
hangar_machine_window_show_details (HangarMachineWindow *self)
{
  g_return_if_fail (HANGAR_IS_MACHINE_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, "details");
}

/**
 * hangar_machine_window_get_details:
 *
 * Returns: (transfer none) (nullable): the details view, once shown
 */
GtkWidget *
hangar_machine_window_get_details (HangarMachineWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_WINDOW (self), NULL);
  return adw_bin_get_child (self->details_bin);
}

/* --- object ------------------------------------------------------------------------- */

static void
hangar_machine_window_dispose (GObject *object)
{
  HangarMachineWindow *self = (HangarMachineWindow *)object;

  disconnect_console (self);
  if (self->serial != NULL)
    hangar_serial_console_close (self->serial);
  g_clear_pointer (&self->spare_fds, g_array_unref);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->last_cut_text, g_free);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->vm_signals);
  g_clear_object (&self->vm_actions);
  g_clear_object (&self->console_actions);
  g_clear_object (&self->vm);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_MACHINE_WINDOW);

  G_OBJECT_CLASS (hangar_machine_window_parent_class)->dispose (object);
}

static void
hangar_machine_window_class_init (HangarMachineWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_machine_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = hangar_machine_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-machine-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, display_scroller);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, paused_label);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, grab_revealer);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, disconnected_box);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, disconnected_reason);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, off_page);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, message_page);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, message_button);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, password_page);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, remember_check);
  gtk_widget_class_bind_template_callback (widget_class, on_password_entered);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "console.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
hangar_machine_window_init (HangarMachineWindow *self)
{
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->spare_fds = g_array_new (FALSE, FALSE, sizeof (int));
  self->display = HANGAR_DISPLAY (hangar_display_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->display), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->display), TRUE);
  gtk_scrolled_window_set_child (self->display_scroller, GTK_WIDGET (self->display));
  g_signal_connect_object (self->display, "notify::grabbed", G_CALLBACK (on_grabbed), self,
                           G_CONNECT_SWAPPED);

  self->serial = HANGAR_SERIAL_CONSOLE (hangar_serial_console_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->serial), "serial");

  self->console_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->console_actions), console_entries,
                                   G_N_ELEMENTS (console_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "console",
                                  G_ACTION_GROUP (self->console_actions));

  self->session_signals = g_signal_group_new (HANGAR_TYPE_CONSOLE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "connected",
                                  G_CALLBACK (on_session_connected), self);
  g_signal_group_connect_swapped (self->session_signals, "disconnected",
                                  G_CALLBACK (on_session_disconnected), self);
  g_signal_group_connect_swapped (self->session_signals, "error",
                                  G_CALLBACK (on_session_error), self);
  g_signal_group_connect_swapped (self->session_signals, "cut-text",
                                  G_CALLBACK (on_session_cut_text), self);
  g_signal_connect_object (gtk_widget_get_clipboard (GTK_WIDGET (self)), "changed",
                           G_CALLBACK (on_local_clipboard_changed), self, G_CONNECT_SWAPPED);

  self->vm_signals = g_signal_group_new (HANGAR_TYPE_VM);
  g_signal_group_connect_swapped (self->vm_signals, "notify::state",
                                  G_CALLBACK (update_for_state), self);
  g_signal_group_connect_swapped (self->vm_signals, "notify::has-managed-save",
                                  G_CALLBACK (update_for_state), self);
  g_signal_group_connect_swapped (self->vm_signals, "removed", G_CALLBACK (on_vm_removed), self);

  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_view_changed), self, G_CONNECT_SWAPPED);
  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

HangarMachineWindow *
hangar_machine_window_new (GtkApplication *application,
                           HangarVm       *vm)
{
  HangarMachineWindow *self;
  HangarConnection *connection;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  self = g_object_new (HANGAR_TYPE_MACHINE_WINDOW, "application", application, NULL);
  self->vm = g_object_ref (vm);

  connection = hangar_vm_get_connection (vm);
  if (connection != NULL)
    adw_view_switcher_title_set_subtitle (self->window_title,
                                   hangar_connection_get_display_name (connection));

  self->vm_actions = hangar_vm_actions_new (GTK_WINDOW (self));
  hangar_vm_actions_set_vm (self->vm_actions, vm);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "vm", G_ACTION_GROUP (self->vm_actions));
  g_signal_connect_object (self->vm_actions, "error", G_CALLBACK (on_vm_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vm_actions, "message", G_CALLBACK (on_vm_message), self,
                           G_CONNECT_SWAPPED);

  g_signal_group_set_target (self->vm_signals, vm);
  update_for_state (self);
  return self;
}

/**
 * hangar_machine_window_present_for:
 *
 * Raises the machine's window, opening it first if needed: one window per
 * machine.
 *
 * Returns: (transfer none): the window
 */
HangarMachineWindow *
hangar_machine_window_present_for (GtkApplication *application,
                                   HangarVm       *vm)
{
  HangarMachineWindow *window;

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (HANGAR_IS_MACHINE_WINDOW (l->data) && HANGAR_MACHINE_WINDOW (l->data)->vm == vm)
      {
        gtk_window_present (l->data);
        return l->data;
      }
  window = hangar_machine_window_new (application, vm);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/**
 * hangar_machine_window_get_vm:
 *
 * Returns: (transfer none): the machine
 */
HangarVm *
hangar_machine_window_get_vm (HangarMachineWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_WINDOW (self), NULL);
  return self->vm;
}

/**
 * hangar_machine_window_get_display:
 *
 * Returns: (transfer none): the console widget
 */
GtkWidget *
hangar_machine_window_get_display (HangarMachineWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_WINDOW (self), NULL);
  return GTK_WIDGET (self->display);
}

/* The page shown: "connecting", "console", "serial", "password", "off" or "message". */
const char *
hangar_machine_window_get_page (HangarMachineWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
hangar_machine_window_is_console_connected (HangarMachineWindow *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_WINDOW (self), FALSE);
  return self->session != NULL
         && hangar_console_session_get_state (self->session) == HANGAR_CONSOLE_STATE_CONNECTED
         && !gtk_widget_get_visible (self->disconnected_box);
}
