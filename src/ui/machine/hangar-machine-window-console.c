/* hangar-machine-window-console.c — reaching a machine's display.
 *
 * Local connections get sockets from libvirt (virDomainOpenGraphicsFD, no
 * open port needed), qemu+ssh ones go through ssh -W tunnels sharing one
 * login per host, others connect over TCP: SPICE over TLS when it has a
 * TLS port, else in plain text with a warning, no saved password unasked,
 * and a question first when the listen address is not the host's
 * (hangar_console_plan_new() in libhangar decides; review finding M7). Also here: display passwords
 * and the keyring, the serial text console, and the clipboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <libsecret/secret.h>
#include <unistd.h>

#include "hangar-connection-job.h"
#include "hangar-connection.h"
#include "hangar-machine-window-private.h"
#include "hangar-spice-session.h"
#include "hangar-ssh-tunnel.h"
#include "hangar-vm-console.h"
#include "hangar-vnc-session.h"
#include "hangar-plain-text.h"
#include "hangar-secret.h"

/* SPICE opens a socket per channel: main, display, inputs, cursor,
 * playback, record, two USB redirection ports and the agent on a machine
 * the wizard makes. Open that many ahead, off the main thread, so a channel
 * never waits on libvirt; running short made channels fail and spice-glib
 * trip over its own teardown. Unused ones are closed on disconnect. */
#define SPICE_SPARE_FDS 12
/* VNC: the console's connection, and one for the side channel that
 * brings QEMU's clipboard (hangar-vnc-clipboard.c). */
#define VNC_FDS 2

/* Console passwords in the keyring, one per machine and host. */
static const SecretSchema console_schema = {
  "org.hangar.Hangar.Console", SECRET_SCHEMA_NONE,
  {
    { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* --- the console session ----------------------------------------------------- */

static void
close_spare_fds (HangarMachineWindow *self)
{
  for (guint i = 0; self->spare_fds && i < self->spare_fds->len; i++)
    close (g_array_index (self->spare_fds, int, i));
  if (self->spare_fds)
    g_array_set_size (self->spare_fds, 0);
}

void
_hangar_machine_window_disconnect_console (HangarMachineWindow *self)
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
  _hangar_machine_window_update_sound (self);
  _hangar_machine_window_update_files (self);
  _hangar_machine_window_update_usb (self);
}

void
_hangar_machine_window_show_message (HangarMachineWindow *self,
              const char          *icon,
              const char          *title,
              const char          *description,
              gboolean             can_retry)
{
  adw_status_page_set_icon_name (self->message_page, icon);
  adw_status_page_set_title (self->message_page, title);
  /* Often libvirt's, ssh's or the display server's own words. */
  hangar_status_page_set_plain_description (self->message_page, description);
  gtk_widget_set_visible (self->message_button, can_retry);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
show_failure (HangarMachineWindow *self,
              const GError        *error)
{
  /* A caller that failed without saying why still gets a message. */
  const char *why = error ? error->message : _("The connection to the display failed.");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_message ("console of %s: %s", hangar_vm_get_name (self->vm), why);
  self->connecting = FALSE;
  _hangar_machine_window_show_message (self, "dialog-warning-symbolic", _("Could Not Connect to the Display"),
                why, TRUE);
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
  /* Review finding M7: on a plaintext route the password crosses the
   * network as it is (VNC's challenge is crackable, SPICE's ticket is
   * encrypted to a key nobody checked); say so, and send a saved one only
   * when the user says, once. */
  if (self->console_plaintext)
    {
      g_autofree char *plain = g_strdup_printf ("%s\n%s", description,
                                                _("This connection is not encrypted: the "
                                                  "password can be read on the network. The "
                                                  "saved password is not sent unless you ask."));

      g_free (description);
      description = g_steal_pointer (&plain);
    }
  gtk_widget_set_visible (self->send_saved_button,
                          self->console_plaintext && self->saved_password != NULL);
  hangar_status_page_set_plain_description (self->password_page, description);
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
  if (self->console_plaintext)
    {
      /* Held back: the user decides whether it crosses in clear. */
      hangar_secret_free (self->saved_password);
      self->saved_password = g_strdup (password);
      secret_password_free (password);
      show_password_page (self, FALSE);
      return;
    }
  hangar_secret_free (self->password);
  self->password = g_strdup (password);
  self->password_typed = FALSE;
  secret_password_free (password);
  _hangar_machine_window_connect_console (self);
}

static const char *
connection_uri (HangarMachineWindow *self)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);

  return connection ? hangar_connection_get_uri (connection) : "";
}

void
_hangar_machine_window_on_session_error (HangarMachineWindow *self,
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

void
_hangar_machine_window_on_password_entered (HangarMachineWindow *self)
{
  const char *text = gtk_editable_get_text (self->password_row);

  if (*text == '\0')
    return;
  hangar_secret_free (self->password);
  self->password = g_strdup (text);
  self->password_typed = TRUE;
  self->remember = gtk_check_button_get_active (self->remember_check);
  _hangar_machine_window_connect_console (self);
}

/* The user agreed to send the saved password over a plaintext route: this
 * connection only; the next one asks again. */
void
_hangar_machine_window_on_send_saved_password (HangarMachineWindow *self)
{
  if (self->saved_password == NULL)
    return;
  hangar_secret_free (self->password_once);
  self->password_once = g_strdup (self->saved_password);
  self->remember = FALSE;
  _hangar_machine_window_connect_console (self);
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
      adw_toast_overlay_add_toast (self->toast_overlay, hangar_toast_new_plain (text));
    }
}

/* --- the serial text console ------------------------------------------------------ */

void
_hangar_machine_window_open_serial (HangarMachineWindow *self)
{
  HangarConnection *connection = hangar_vm_get_connection (self->vm);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;

  gtk_stack_set_visible_child_name (self->stack, "serial");
  if (hangar_serial_console_get_state (self->serial) != HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED)
    return;
  conn = connection ? hangar_connection_dup_handle (connection, &error) : NULL;
  if (conn == NULL)
    {
      _hangar_machine_window_show_message (self, "network-offline-symbolic", _("Not Connected"),
                    error ? error->message : NULL, FALSE);
      return;
    }
  /* The widget takes its own reference. */
  hangar_serial_console_open (self->serial, conn, hangar_vm_get_uuid (self->vm), NULL);
  hangar_connection_release_handle (conn);
  gtk_widget_grab_focus (GTK_WIDGET (self->serial));
}

/* Someone else's session has the console: the terminal says so, and the
 * toast offers to take it, which disconnects them; nothing is forced
 * without the user's word. */
void
_hangar_machine_window_on_serial_held (HangarMachineWindow *self)
{
  AdwToast *toast;

  if (!hangar_serial_console_get_held_elsewhere (self->serial))
    return;
  toast = adw_toast_new (_("Another session is using the serial console"));
  adw_toast_set_button_label (toast, _("_Take Over"));
  adw_toast_set_action_name (toast, "console.serial-take-over");
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_hangar_machine_window_set_serial_view (HangarMachineWindow *self,
                 gboolean             serial)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->console_actions), "view");

  self->serial_view = serial;
  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_string (serial ? "serial" : "graphics"));
}

void
_hangar_machine_window_update_paused (HangarMachineWindow *self)
{
  gboolean paused = hangar_vm_get_state (self->vm) == HANGAR_VM_STATE_PAUSED;

  gtk_widget_set_visible (self->paused_label, paused);
  if (paused)
    gtk_widget_add_css_class (GTK_WIDGET (self->display), "hangar-paused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->display), "hangar-paused");
}

void
_hangar_machine_window_on_session_connected (HangarMachineWindow *self)
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
  _hangar_machine_window_update_paused (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->display));
}

void
_hangar_machine_window_on_session_disconnected (HangarMachineWindow *self,
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
    _hangar_machine_window_show_message (self, "dialog-warning-symbolic", _("Display Disconnected"),
                  reason, TRUE);
}


/* --- clipboard ---------------------------------------------------------------------- */

/* Review finding M6: a guest must not read what is copied on this desktop
 * while the user works elsewhere (a password manager's password), nor
 * swap the desktop's clipboard under a paste in another program. So text
 * crosses only while this window is the active one and only for machines
 * that share their clipboard: by the user's choice per machine, else
 * those running on this computer and not those on a remote host. */

gboolean
_hangar_machine_window_get_share_clipboard (HangarMachineWindow *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) choices = NULL;
  HangarConnection *connection;
  gboolean share;

  if (self->vm == NULL)
    return FALSE;
  settings = g_settings_new (BASE_ID);
  choices = g_settings_get_value (settings, "share-clipboard");
  if (g_variant_lookup (choices, hangar_vm_get_uuid (self->vm), "b", &share))
    return share;
  connection = hangar_vm_get_connection (self->vm);
  return connection != NULL && hangar_connection_is_local (connection);
}

static void
forget_away (HangarMachineWindow *self)
{
  g_clear_pointer (&self->pending_guest_text, g_free);
  self->desktop_copied_away = FALSE;
}

static void
set_desktop_clipboard (HangarMachineWindow *self,
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
  /* The user may have left, or stopped sharing, while it was read. */
  if (!gtk_window_is_active (GTK_WINDOW (self)) || !_hangar_machine_window_get_share_clipboard (self))
    return;
  g_free (self->last_cut_text);
  self->last_cut_text = g_strdup (text);
  hangar_console_session_send_cut_text (self->session, text);
}

static void
send_desktop_clipboard (HangarMachineWindow *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (self->session == NULL || gdk_clipboard_is_local (clipboard))
    return;
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read, g_object_ref (self));
}

/* Text copied in the guest replaces this desktop's clipboard, at once if
 * the user is in this window, else when they come back to it. */
void
_hangar_machine_window_on_session_cut_text (HangarMachineWindow *self,
                                            const char          *text)
{
  if (!_hangar_machine_window_get_share_clipboard (self))
    return;
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    {
      g_free (self->pending_guest_text);
      self->pending_guest_text = g_strdup (text);
      self->desktop_copied_away = FALSE;
      return;
    }
  set_desktop_clipboard (self, text);
}

/* Text copied on this desktop goes to the guest (SPICE agent or VNC cut
 * text); only text, only while the console is connected, and from
 * elsewhere only once the user comes back to this window. */
void
_hangar_machine_window_on_local_clipboard_changed (HangarMachineWindow *self,
                                                   GdkClipboard        *clipboard)
{
  if (self->session == NULL || gdk_clipboard_is_local (clipboard)
      || !_hangar_machine_window_get_share_clipboard (self))
    return;
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    {
      /* The desktop's copy is newer than what the guest copied. */
      g_clear_pointer (&self->pending_guest_text, g_free);
      self->desktop_copied_away = TRUE;
      return;
    }
  send_desktop_clipboard (self);
}

/* The user came back: whichever side copied last while they were away
 * gives its text to the other. */
void
_hangar_machine_window_on_active_changed (HangarMachineWindow *self)
{
  g_autofree char *guest_text = NULL;
  gboolean desktop_copied;

  if (!gtk_window_is_active (GTK_WINDOW (self)))
    return;
  guest_text = g_steal_pointer (&self->pending_guest_text);
  desktop_copied = self->desktop_copied_away;
  forget_away (self);
  if (!_hangar_machine_window_get_share_clipboard (self))
    return;
  if (guest_text != NULL)
    set_desktop_clipboard (self, guest_text);
  else if (desktop_copied)
    send_desktop_clipboard (self);
}

/* The user's choice for this machine, remembered by its UUID. */
void
_hangar_machine_window_set_share_clipboard (HangarMachineWindow *self,
                                            gboolean             share)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) choices = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sb}"));
  const char *uuid;
  const char *key;
  GVariantIter iter;
  gboolean value;

  if (self->vm == NULL)
    return;
  uuid = hangar_vm_get_uuid (self->vm);
  settings = g_settings_new (BASE_ID);
  choices = g_settings_get_value (settings, "share-clipboard");
  g_variant_iter_init (&iter, choices);
  while (g_variant_iter_next (&iter, "{&sb}", &key, &value))
    if (g_strcmp0 (key, uuid) != 0)
      g_variant_builder_add (&builder, "{sb}", key, value);
  g_variant_builder_add (&builder, "{sb}", uuid, share);
  g_settings_set_value (settings, "share-clipboard", g_variant_builder_end (&builder));
  forget_away (self);
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
  _hangar_machine_window_update_sound (self);
  _hangar_machine_window_update_files (self);
  _hangar_machine_window_update_usb (self);

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
  hangar_secret_free (ctx->password);
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

      /* Out of descriptors (EMFILE) is a real failure to show, not a
       * -1 to hand on to the session. */
      if (fd < 0)
        {
          int saved = errno;

          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not keep the display’s connection: %s"), g_strerror (saved));
          show_failure (ctx->self, error);
        }
      else
        {
          g_array_append_val (fds, fd);
          start_session (ctx->self, ctx->type, ctx->password, fds);
        }
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
  guint n = info->type == HANGAR_GRAPHICS_SPICE ? SPICE_SPARE_FDS : VNC_FDS;

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

/* --- the route to the display (review finding M7) ------------------------------- */

typedef struct
{
  HangarMachineWindow *self;
  HangarGraphicsInfo  *info;
  HangarConsolePlan   *plan;
  gboolean             force_tcp;
} PlanContext;

static void plan_route (PlanContext        *pctx,
                        const char * const *addresses);

static void
plan_context_free (PlanContext *pctx)
{
  g_object_unref (pctx->self);
  hangar_graphics_info_free (pctx->info);
  hangar_console_plan_free (pctx->plan);
  g_free (pctx);
}

static void
tcp_connect (HangarMachineWindow     *self,
             const HangarConsolePlan *plan,
             ConnectContext          *ctx)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_timeout (client, 15);
  g_socket_client_connect_to_host_async (client, plan->host, plan->port, self->cancellable,
                                         tcp_connected, ctx);
}

/* SPICE over TLS: spice-client-glib opens and secures every channel. */
static void
tls_connect (HangarMachineWindow     *self,
             const HangarConsolePlan *plan,
             const char              *password)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_test (plan->ca_file, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text =
        g_strdup_printf (_("The display offers a secure connection, but there is no "
                           "certificate authority to check it with: %s does not exist. "
                           "Install the CA certificate libvirt uses for this host there."),
                         plan->ca_file);

      self->connecting = FALSE;
      _hangar_machine_window_show_message (self, "dialog-warning-symbolic",
                                           _("Could Not Connect to the Display"), text, TRUE);
      return;
    }
  self->session = hangar_spice_session_new ();
  if (password != NULL)
    hangar_console_session_set_password (self->session, password);
  g_signal_group_set_target (self->session_signals, self->session);
  hangar_display_set_session (self->display, self->session);
  _hangar_machine_window_update_sound (self);
  _hangar_machine_window_update_files (self);
  _hangar_machine_window_update_usb (self);
  g_debug ("console of %s: SPICE over TLS to %s:%d, CA %s", hangar_vm_get_name (self->vm),
           plan->host, plan->tls_port, plan->ca_file);
  if (!hangar_spice_session_connect_tls (HANGAR_SPICE_SESSION (self->session), plan->host,
                                         plan->tls_port, plan->ca_file, &error))
    show_failure (self, error);
}

static void
follow_plan (PlanContext *pctx)
{
  HangarMachineWindow *self = pctx->self;
  HangarGraphicsInfo *info = pctx->info;
  HangarConsolePlan *plan = pctx->plan;
  g_autoptr(GError) error = NULL;
  ConnectContext *ctx;
  const char *xml_password = pctx->force_tcp ? NULL : info->password;

  self->console_plaintext = plan->route == HANGAR_CONSOLE_ROUTE_TCP && !plan->encrypted;
  _hangar_machine_window_update_subtitle (self);

  if (plan->route == HANGAR_CONSOLE_ROUTE_NONE)
    {
      self->connecting = FALSE;
      _hangar_machine_window_show_message (self, "dialog-warning-symbolic",
                                           _("Could Not Connect to the Display"), plan->reason, TRUE);
      return;
    }

  ctx = g_new0 (ConnectContext, 1);
  ctx->self = g_object_ref (self);
  ctx->type = info->type;
  if (self->password_once != NULL)
    ctx->password = g_steal_pointer (&self->password_once);
  else if (plan->send_saved_password)
    ctx->password = g_strdup (xml_password != NULL ? xml_password : self->password);
  else
    {
      /* Only what the user typed in this window goes unasked; the XML's
       * password waits, as the keyring's does, for the user's word. */
      if (xml_password != NULL)
        {
          hangar_secret_free (self->saved_password);
          self->saved_password = g_strdup (xml_password);
        }
      ctx->password = self->password_typed ? g_strdup (self->password) : NULL;
    }

  switch (plan->route)
    {
    case HANGAR_CONSOLE_ROUTE_LIBVIRT:
      hangar_vm_open_graphics_fds_async (self->vm,
                                         info->type == HANGAR_GRAPHICS_SPICE
                                         ? SPICE_SPARE_FDS : VNC_FDS,
                                         self->cancellable, fds_opened, ctx);
      return;
    case HANGAR_CONSOLE_ROUTE_SSH:
      if (!open_tunnels (self, info, ctx, &error))
        {
          connect_context_free (ctx);
          show_failure (self, error);
        }
      return;
    case HANGAR_CONSOLE_ROUTE_TCP:
      if (plan->tls)
        {
          tls_connect (self, plan, ctx->password);
          connect_context_free (ctx);
        }
      else
        tcp_connect (self, plan, ctx);
      return;
    case HANGAR_CONSOLE_ROUTE_NONE:
    default:
      connect_context_free (ctx);
      return;
    }
}

static void
listen_confirmed (AdwMessageDialog *dialog,
                  const char       *response,
                  PlanContext      *pctx)
{
  HangarMachineWindow *self = pctx->self;

  if (g_strcmp0 (response, "connect") == 0 && self->connecting)
    {
      g_free (self->confirmed_listen);
      self->confirmed_listen = g_strdup (pctx->plan->listen);
      follow_plan (pctx);
    }
  else if (self->connecting)
    {
      self->connecting = FALSE;
      _hangar_machine_window_show_message (self, "dialog-warning-symbolic", _("Not Connected"),
                                           _("The display listens on an address that is not "
                                             "the host’s, and you chose not to connect to it."),
                                           TRUE);
    }
  plan_context_free (pctx);
}

/* Review finding M7: the XML's listen address may name any machine, and
 * the screen, the keys and maybe a password would go there. */
static void
confirm_listen (PlanContext *pctx)
{
  HangarMachineWindow *self = pctx->self;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  /* Translators: the first %s is an address such as 192.0.2.1, the
   * second the connection's host name */
  body = g_strdup_printf (_("The display of “%s” listens on %s, which is not the address of "
                            "its host %s. Connecting sends what you see and type, and maybe its "
                            "password, to %s."),
                          hangar_vm_get_name (self->vm), pctx->plan->listen,
                          pctx->plan->uri_host != NULL ? pctx->plan->uri_host : "localhost",
                          pctx->plan->listen);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Connect to a Different Address?"),
                                                       NULL));
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "connect", _("C_onnect Anyway"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (listen_confirmed), pctx);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
plan_ready (PlanContext *pctx)
{
  if (!pctx->self->connecting)
    {
      plan_context_free (pctx);
      return;
    }
  if (pctx->plan->route == HANGAR_CONSOLE_ROUTE_TCP && pctx->plan->confirm_listen
      && g_strcmp0 (pctx->self->confirmed_listen, pctx->plan->listen) != 0)
    {
      confirm_listen (pctx);
      return;
    }
  follow_plan (pctx);
  plan_context_free (pctx);
}

static void
host_resolved (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PlanContext *pctx = user_data;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, NULL);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  for (GList *l = addresses; l != NULL; l = l->next)
    g_ptr_array_add (strings, g_inet_address_to_string (l->data));
  g_ptr_array_add (strings, NULL);
  g_resolver_free_addresses (addresses);
  plan_route (pctx, (const char * const *) strings->pdata);
}

/* The plan from the graphics and the URI; when the listen address is not
 * the host's name, the host's addresses are looked up first (off the
 * main thread) and the plan made again with them. */
static void
plan_route (PlanContext        *pctx,
            const char * const *addresses)
{
  HangarMachineWindow *self = pctx->self;
  HangarConnection *connection = hangar_vm_get_connection (self->vm);
  const char *uri = connection != NULL ? hangar_connection_get_uri (connection) : NULL;
  gboolean local = connection != NULL && hangar_connection_is_local (connection)
                   && !pctx->force_tcp;

  hangar_console_plan_free (pctx->plan);
  pctx->plan = hangar_console_plan_new (pctx->info, uri, local, addresses);
  g_debug ("console of %s: route %d to %s port %d tls %d (%d), encrypted %d, confirm %d",
           hangar_vm_get_name (self->vm), pctx->plan->route, pctx->plan->host,
           pctx->plan->port, pctx->plan->tls, pctx->plan->tls_port, pctx->plan->encrypted,
           pctx->plan->confirm_listen);
  if (addresses == NULL && pctx->plan->confirm_listen && pctx->plan->uri_host != NULL
      && !g_hostname_is_ip_address (pctx->plan->uri_host))
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, pctx->plan->uri_host, self->cancellable,
                                       host_resolved, pctx);
      return;
    }
  plan_ready (pctx);
}

static void
graphics_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HangarMachineWindow) self = user_data;
  g_autoptr(HangarGraphicsInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  PlanContext *pctx;
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
          _hangar_machine_window_set_serial_view (self, TRUE);
          _hangar_machine_window_open_serial (self);
          return;
        }
      _hangar_machine_window_show_message (self, "utilities-terminal-symbolic", _("No Console"),
                    _("This machine has neither a display nor a serial console."), FALSE);
      return;
    }
  if (info->type == HANGAR_GRAPHICS_OTHER)
    {
      self->connecting = FALSE;
      _hangar_machine_window_show_message (self, "dialog-warning-symbolic", _("Unsupported Display"),
                    _("Hangar shows VNC and SPICE displays only."), FALSE);
      return;
    }

  /* HANGAR_CONSOLE_FORCE_TCP (for tests) takes the path a remote host
   * takes: TCP, and no password from the XML. */
#if HANGAR_TEST_HOOKS
  force_tcp = g_getenv ("HANGAR_CONSOLE_FORCE_TCP") != NULL;
#else
  force_tcp = FALSE;
#endif

  pctx = g_new0 (PlanContext, 1);
  pctx->self = g_object_ref (self);
  pctx->info = g_steal_pointer (&info);
  pctx->force_tcp = force_tcp;
  plan_route (pctx, NULL);
}

void
_hangar_machine_window_connect_console (HangarMachineWindow *self)
{
  _hangar_machine_window_disconnect_console (self);
  /* A machine that left the list waits for its connection to come back. */
  if (self->vm_gone || !hangar_vm_is_active (self->vm))
    return;

  self->connecting = TRUE;
  self->auth_pending = FALSE;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (self->disconnected_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "connecting");
  hangar_vm_get_graphics_async (self->vm, self->cancellable, graphics_read, g_object_ref (self));
}
