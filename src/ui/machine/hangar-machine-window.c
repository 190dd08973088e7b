/* hangar-machine-window.c — one machine's own window: its console, its power buttons.
 *
 * The window follows the machine's state: shut off shows a Start page,
 * running connects the console by itself, paused keeps the last frame
 * dimmed. The console is reached through libvirt on a local connection
 * (virDomainOpenGraphicsFD, no open port needed) and directly over TCP
 * otherwise.
 *
 * When the connection drops, every machine leaves its list; the window
 * keeps its machine, says why and follows the connection. When the host
 * is back and lists a machine with the same UUID (a new HangarVm), the
 * window moves everything over to it and reconnects its console by itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-stats-holder.h"
#include "hangar-accessible.h"
#include "hangar-connection.h"
#include "hangar-secret.h"
#include "hangar-details-view.h"
#include "hangar-machine-window-private.h"
#include "hangar-uri.h"

G_DEFINE_FINAL_TYPE (HangarMachineWindow, hangar_machine_window, ADW_TYPE_APPLICATION_WINDOW)

/* --- following the machine ------------------------------------------------------ */

void
_hangar_machine_window_update_for_state (HangarMachineWindow *self)
{
  g_autofree char *title = NULL;

  adw_view_switcher_title_set_title (self->window_title, hangar_vm_get_name (self->vm));
  gtk_label_set_label (self->name_label, hangar_vm_get_name (self->vm));
  gtk_window_set_title (GTK_WINDOW (self), hangar_vm_get_name (self->vm));

  if (!hangar_vm_is_active (self->vm))
    {
      const char *name = hangar_vm_get_name (self->vm);
      const char *description;

      _hangar_machine_window_disconnect_console (self);
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

  _hangar_machine_window_update_paused (self);
  if (self->serial_view)
    {
      _hangar_machine_window_open_serial (self);
      return;
    }
  /* Running again after a stop, or the first time: connect by itself. */
  if (self->session == NULL && !self->connecting)
    _hangar_machine_window_connect_console (self);
}

/* --- when the machine leaves its connection's list ------------------------------ */

/* A dropped connection takes every machine out of the list; the window
 * keeps the machine it had, says why and waits. */
static void
show_connection_lost (HangarMachineWindow *self,
                      HangarConnection    *connection)
{
  HangarConnectionState state = hangar_connection_get_state (connection);
  const char *error = hangar_connection_get_error_message (connection);
  g_autofree char *reason = NULL;
  g_autofree char *description = NULL;

  if (state == HANGAR_CONNECTION_STATE_DISCONNECTED && error == NULL)
    {
      /* Closed on the user's request: nothing reconnects by itself. */
      description = g_strdup_printf (_("%s was disconnected. Connect to it again "
                                       "to see this machine."),
                                     hangar_connection_get_display_name (connection));
      _hangar_machine_window_show_message (self, "network-offline-symbolic", _("Not Connected"),
                                           description, TRUE);
      return;
    }

  /* The drop's own reason, not the refusals of the attempts that follow. */
  if (state == HANGAR_CONNECTION_STATE_DISCONNECTED && error != NULL
      && g_strcmp0 (self->lost_reason, error) != 0)
    {
      g_free (self->lost_reason);
      self->lost_reason = g_strdup (error);
    }
  reason = g_strdup (self->lost_reason ? self->lost_reason
                     : _("The connection to the host was lost."));
  if (state == HANGAR_CONNECTION_STATE_FAILED && error != NULL)
    {
      /* Translators: the reason the connection dropped, then why the last
       * attempt to reconnect failed */
      description = g_strdup_printf (_("%s\n\nThe last attempt to reconnect failed: %s"),
                                     reason, error);
    }
  else
    description = g_steal_pointer (&reason);
  _hangar_machine_window_show_message (self, "network-offline-symbolic",
                                       _("Connection Lost — Reconnecting…"), description,
                                       state != HANGAR_CONNECTION_STATE_CONNECTING);
}

/* Recreated for the new machine, on the same section, unless that loses
 * the user's edits: then they stay, bound to the old object (whose
 * operations go by UUID and still reach the machine), and a toast says so. */
static void
rebind_details (HangarMachineWindow *self)
{
  GtkWidget *details = adw_bin_get_child (self->details_bin);
  g_autofree char *section = NULL;
  AdwToast *toast;

  if (details == NULL)
    return;
  /* Not is_busy(): a view still loading has nothing to lose, and one
   * applying has its edited sections still unapplied. */
  if (!hangar_details_view_has_unapplied_changes (HANGAR_DETAILS_VIEW (details)))
    {
      section = g_strdup (hangar_details_view_get_section (HANGAR_DETAILS_VIEW (details)));
      details = hangar_details_view_new (self->vm);
      adw_bin_set_child (self->details_bin, details);
      if (section != NULL)
        hangar_details_view_select_section (HANGAR_DETAILS_VIEW (details), section);
      return;
    }

  /* The button discards them and shows the machine as it is now. */
  toast = adw_toast_new (_("Reconnected. Your unapplied changes were kept."));
  adw_toast_set_button_label (toast, _("_Discard Changes"));
  adw_toast_set_action_name (toast, "machine.reload-details");
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
reload_details_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  HangarMachineWindow *self = HANGAR_MACHINE_WINDOW (widget);

  if (adw_bin_get_child (self->details_bin) == NULL)
    return;
  adw_bin_set_child (self->details_bin, hangar_details_view_new (self->vm));
}

/* The connection's name, and what whoever looks at the console should
 * know: no_verify=1 takes whatever key the host shows, for libvirt and for
 * the console alike; a plaintext console (review finding M7) can be read
 * and changed on the network. */
void
_hangar_machine_window_update_subtitle (HangarMachineWindow *self)
{
  HangarConnection *connection = self->vm ? hangar_vm_get_connection (self->vm) : NULL;
  g_autoptr(GString) subtitle = NULL;
  g_autoptr(GString) tooltip = NULL;

  if (connection == NULL)
    return;
  subtitle = g_string_new (hangar_connection_get_display_name (connection));
  tooltip = g_string_new (NULL);
  if (hangar_uri_skips_host_key_check (hangar_connection_get_uri (connection)))
    {
      /* Translators: %s is a connection such as “QEMU/KVM — root@server” */
      g_autofree char *text = g_strdup_printf (_("%s · host key not verified"), subtitle->str);

      g_string_assign (subtitle, text);
      g_string_append (tooltip, _("This connection does not check the host’s ssh key "
                                  "(no_verify=1): anyone between you and the host could "
                                  "pose as it."));
    }
  if (self->console_plaintext)
    {
      /* Translators: %s is the rest of the subtitle, such as “QEMU/KVM — server” */
      g_autofree char *text = g_strdup_printf (_("%s · Console not encrypted"), subtitle->str);

      g_string_assign (subtitle, text);
      if (tooltip->len > 0)
        g_string_append_c (tooltip, '\n');
      g_string_append (tooltip, _("The display is reached over the network without encryption: "
                                  "what you see and type can be read and changed on the way. "
                                  "Connect over SSH, or give the display a TLS port."));
    }
  adw_view_switcher_title_set_subtitle (self->window_title, subtitle->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title),
                               tooltip->len > 0 ? tooltip->str : NULL);
}

/* Everything that follows the machine, pointed at @vm. */
static void
set_vm (HangarMachineWindow *self,
        HangarVm            *vm)
{
  HangarConnection *connection = hangar_vm_get_connection (vm);

  g_set_object (&self->vm, vm);
  /* An open window's machine is polled for statistics while it shows. */
  hangar_widget_hold_stats (GTK_WIDGET (self), vm);
  self->vm_gone = FALSE;
  g_clear_pointer (&self->lost_reason, g_free);

  self->console_plaintext = FALSE;
  _hangar_machine_window_update_subtitle (self);
  g_signal_group_set_target (self->connection_signals, connection);

  /* This machine's own choice, or the default for where it runs. */
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->console_actions),
                                                                          "share-clipboard")),
                             g_variant_new_boolean (_hangar_machine_window_get_share_clipboard (self)));
  hangar_vm_actions_set_vm (self->vm_actions, vm);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "vm", G_ACTION_GROUP (self->vm_actions));
  g_signal_group_set_target (self->vm_signals, vm);
}

static void
rebind (HangarMachineWindow *self,
        HangarVm            *vm)
{
  g_debug ("machine window of %s: following its new object %p", hangar_vm_get_name (vm), vm);
  set_vm (self, vm);
  rebind_details (self);
  gtk_widget_set_visible (self->disconnected_box, FALSE);
  /* Connects the console (or the serial console, if that was the page)
   * the way a first open does. */
  _hangar_machine_window_update_for_state (self);
}

/* The connection's list or state changed while the machine was away:
 * back under the same UUID, still away, or deleted. */
static void
on_connection_changed (HangarMachineWindow *self)
{
  g_autoptr(HangarConnection) connection = NULL;
  HangarVm *vm;

  if (!self->vm_gone)
    return;
  connection = g_signal_group_dup_target (self->connection_signals);
  if (connection == NULL)
    return;

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    {
      show_connection_lost (self, connection);
      return;
    }
  vm = hangar_connection_lookup_vm (connection, hangar_vm_get_uuid (self->vm));
  if (vm != NULL && vm != self->vm)
    rebind (self, vm);
  else
    _hangar_machine_window_show_message (self, "user-trash-symbolic", _("Machine Deleted"),
                                         _("This machine no longer exists."), FALSE);
}

static void
on_vm_removed (HangarMachineWindow *self)
{
  self->vm_gone = TRUE;
  _hangar_machine_window_disconnect_console (self);
  hangar_serial_console_close (self->serial);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "vm", NULL);
  hangar_vm_actions_set_vm (self->vm_actions, NULL);
  g_signal_group_set_target (self->vm_signals, NULL);
  /* A connection that drops clears its list before it says it dropped:
   * this may read “deleted” a moment, until notify::state follows. */
  on_connection_changed (self);
}

/* The message page's button while the connection is down: try now rather
 * than at the next step of the back-off. */
void
_hangar_machine_window_reconnect_host (HangarMachineWindow *self)
{
  g_autoptr(HangarConnection) connection = g_signal_group_dup_target (self->connection_signals);

  if (connection != NULL)
    hangar_connection_open (connection);
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

  _hangar_machine_window_disconnect_console (self);
  if (self->serial != NULL)
    hangar_serial_console_close (self->serial);
  g_clear_pointer (&self->spare_fds, g_array_unref);
  hangar_secret_clear (&self->password);
  hangar_secret_clear (&self->saved_password);
  hangar_secret_clear (&self->password_once);
  g_clear_pointer (&self->confirmed_listen, g_free);
  g_clear_pointer (&self->last_cut_text, g_free);
  g_clear_pointer (&self->pending_guest_text, g_free);
  g_clear_pointer (&self->last_sent, g_free);
  g_clear_object (&self->usb_session);
  self->usb_list = NULL;
  g_clear_object (&self->session_signals);
  g_clear_object (&self->vm_signals);
  g_clear_object (&self->connection_signals);
  g_clear_pointer (&self->lost_reason, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, details_bin);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, console_overlay);
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, usb_button);
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
  gtk_widget_class_bind_template_child (widget_class, HangarMachineWindow, send_saved_button);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_send_saved_password",
                                                G_CALLBACK (_hangar_machine_window_on_send_saved_password));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_password_entered",
                                                G_CALLBACK (_hangar_machine_window_on_password_entered));

  gtk_widget_class_install_action (widget_class, "machine.reload-details", NULL,
                                   reload_details_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

/* F11 toggles fullscreen even while the console has the focus, where
 * every other key goes to the guest — as the tooltip and the shortcuts
 * window say. Only a grabbed keyboard hands it to the guest too. */
static gboolean
on_f11 (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  HangarMachineWindow *self = HANGAR_MACHINE_WINDOW (widget);

  if (hangar_display_get_grabbed (self->display))
    return FALSE;
  return gtk_widget_activate_action (widget, "console.fullscreen", NULL);
}

static void
add_fullscreen_key (HangarMachineWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F11, 0),
                                                          gtk_callback_action_new (on_f11, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
hangar_machine_window_init (HangarMachineWindow *self)
{
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));
  hangar_accessible_name_row_controls (GTK_WIDGET (self->password_row));
  g_object_bind_property (self->window_title, "title-visible", self->name_label, "visible",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  self->spare_fds = g_array_new (FALSE, FALSE, sizeof (int));
  self->display = HANGAR_DISPLAY (hangar_display_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->display), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->display), TRUE);
  gtk_scrolled_window_set_child (self->display_scroller, GTK_WIDGET (self->display));
  g_signal_connect_object (self->display, "notify::grabbed", G_CALLBACK (_hangar_machine_window_on_grabbed), self,
                           G_CONNECT_SWAPPED);

  self->serial = HANGAR_SERIAL_CONSOLE (hangar_serial_console_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->serial), "serial");
  g_signal_connect_object (self->serial, "notify::held-elsewhere",
                           G_CALLBACK (_hangar_machine_window_on_serial_held), self,
                           G_CONNECT_SWAPPED);

  self->console_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->console_actions), _hangar_machine_window_console_entries,
                                   _hangar_machine_window_n_console_entries, self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "console",
                                  G_ACTION_GROUP (self->console_actions));
  g_action_map_add_action_entries (G_ACTION_MAP (self->console_actions), _hangar_machine_window_files_entries,
                                   _hangar_machine_window_n_files_entries, self);
  g_action_map_add_action_entries (G_ACTION_MAP (self->console_actions), _hangar_machine_window_usb_entries,
                                   _hangar_machine_window_n_usb_entries, self);
  _hangar_machine_window_restore_console_choices (self);
  add_fullscreen_key (self);
  _hangar_machine_window_init_files (self);
  _hangar_machine_window_init_usb (self);

  self->session_signals = g_signal_group_new (HANGAR_TYPE_CONSOLE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "connected",
                                  G_CALLBACK (_hangar_machine_window_on_session_connected), self);
  g_signal_group_connect_swapped (self->session_signals, "disconnected",
                                  G_CALLBACK (_hangar_machine_window_on_session_disconnected), self);
  g_signal_group_connect_swapped (self->session_signals, "error",
                                  G_CALLBACK (_hangar_machine_window_on_session_error), self);
  g_signal_group_connect_swapped (self->session_signals, "cut-text",
                                  G_CALLBACK (_hangar_machine_window_on_session_cut_text), self);
  /* SPICE sessions only: a VNC one never emits it. */
  g_signal_group_connect_swapped (self->session_signals, "notify::playing",
                                  G_CALLBACK (_hangar_machine_window_update_sound), self);
  g_signal_connect_object (gtk_widget_get_clipboard (GTK_WIDGET (self)), "changed",
                           G_CALLBACK (_hangar_machine_window_on_local_clipboard_changed), self, G_CONNECT_SWAPPED);

  self->vm_signals = g_signal_group_new (HANGAR_TYPE_VM);
  g_signal_group_connect_swapped (self->vm_signals, "notify::state",
                                  G_CALLBACK (_hangar_machine_window_update_for_state), self);
  g_signal_group_connect_swapped (self->vm_signals, "notify::has-managed-save",
                                  G_CALLBACK (_hangar_machine_window_update_for_state), self);
  g_signal_group_connect_swapped (self->vm_signals, "removed", G_CALLBACK (on_vm_removed), self);

  self->connection_signals = g_signal_group_new (HANGAR_TYPE_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::state",
                                  G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::error-message",
                                  G_CALLBACK (on_connection_changed), self);
  g_signal_group_connect_swapped (self->connection_signals, "items-changed",
                                  G_CALLBACK (on_connection_changed), self);

  g_signal_connect (self, "notify::is-active", G_CALLBACK (_hangar_machine_window_on_active_changed), NULL);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (_hangar_machine_window_on_fullscreened), NULL);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_view_changed), self, G_CONNECT_SWAPPED);
  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (_hangar_machine_window_on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

HangarMachineWindow *
hangar_machine_window_new (GtkApplication *application,
                           HangarVm       *vm)
{
  HangarMachineWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  self = g_object_new (HANGAR_TYPE_MACHINE_WINDOW, "application", application, NULL);

  self->vm_actions = hangar_vm_actions_new (GTK_WINDOW (self));
  g_signal_connect_object (self->vm_actions, "error", G_CALLBACK (_hangar_machine_window_on_vm_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vm_actions, "message", G_CALLBACK (_hangar_machine_window_on_vm_message), self,
                           G_CONNECT_SWAPPED);

  set_vm (self, vm);
  _hangar_machine_window_update_for_state (self);
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

  /* By connection and UUID: after a reconnect the window follows a new
   * object for the same machine. */
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    {
      if (!HANGAR_IS_MACHINE_WINDOW (l->data))
        continue;
      window = l->data;
      if (window->vm != vm
          && (hangar_vm_get_connection (window->vm) != hangar_vm_get_connection (vm)
              || g_strcmp0 (hangar_vm_get_uuid (window->vm), hangar_vm_get_uuid (vm)) != 0))
        continue;
      if (window->vm != vm && window->vm_gone)
        rebind (window, vm);
      gtk_window_present (GTK_WINDOW (window));
      return window;
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
