/* hangar-machine-window-actions.c — the console.* actions of a machine's window.
 *
 * Send key, scaling, guest resize, sound and microphone (SPICE), screenshot,
 * fullscreen (with the header bar sliding in at the top edge), reconnect
 * and the choice between the graphical and the serial console.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-machine-window-private.h"
#include "hangar-plain-text.h"
#include "hangar-spice-session.h"

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

/* The console menu's choices are the user's for every console: kept in
 * GSettings, read by each machine window as it opens. */
static void
remember_choice (const char *key,
                 GVariant   *value)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GVariant) old = g_settings_get_value (settings, key);

  if (!g_variant_equal (old, value))
    g_settings_set_value (settings, key, value);
}

static void
scaling_changed (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  const char *scaling = g_variant_get_string (value, NULL);

  if (!g_str_equal (scaling, "fit") && !g_str_equal (scaling, "one-to-one"))
    return;
  apply_scaling (user_data, scaling);
  g_simple_action_set_state (action, value);
  remember_choice ("console-scaling", value);
}

static void
resize_guest_changed (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  HangarMachineWindow *self = user_data;

  hangar_display_set_resize_guest (self->display, g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
  remember_choice ("console-resize-guest", value);
}

static gboolean
action_state_on (HangarMachineWindow *self,
                 const char          *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->console_actions),
                                                               name);

  return state != NULL && g_variant_get_boolean (state);
}

/**
 * _hangar_machine_window_update_sound:
 *
 * Gives a SPICE session the user's sound choices, and offers them in the
 * menu only while the guest has sound (VNC has none).
 */
void
_hangar_machine_window_update_sound (HangarMachineWindow *self)
{
  GActionMap *map = G_ACTION_MAP (self->console_actions);
  gboolean playing = FALSE;

  if (self->session != NULL && HANGAR_IS_SPICE_SESSION (self->session))
    {
      g_object_set (self->session,
                    "muted", action_state_on (self, "mute"),
                    "microphone", action_state_on (self, "microphone"),
                    NULL);
      g_object_get (self->session, "playing", &playing, NULL);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "mute")), playing);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "microphone")),
                               playing);
}

static void
mute_changed (GSimpleAction *action,
              GVariant      *value,
              gpointer       user_data)
{
  g_simple_action_set_state (action, value);
  remember_choice ("console-mute", value);
  _hangar_machine_window_update_sound (user_data);
}

/* Not remembered: the microphone is the user's to allow each time. */
static void
microphone_changed (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  g_simple_action_set_state (action, value);
  _hangar_machine_window_update_sound (user_data);
}

/* Sets the console actions' states to what the user chose last time. */
void
_hangar_machine_window_restore_console_choices (HangarMachineWindow *self)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GActionGroup *group = G_ACTION_GROUP (self->console_actions);

  g_action_group_change_action_state (group, "scaling",
                                      g_settings_get_value (settings, "console-scaling"));
  g_action_group_change_action_state (group, "resize-guest",
                                      g_settings_get_value (settings, "console-resize-guest"));
  g_action_group_change_action_state (group, "mute", g_settings_get_value (settings, "console-mute"));
}

static void
share_clipboard_changed (GSimpleAction *action,
                         GVariant      *value,
                         gpointer       user_data)
{
  HangarMachineWindow *self = user_data;

  _hangar_machine_window_set_share_clipboard (self, g_variant_get_boolean (value));
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

  if (self->vm_gone)
    _hangar_machine_window_reconnect_host (self);
  else if (self->serial_view)
    {
      hangar_serial_console_close (self->serial);
      _hangar_machine_window_open_serial (self);
    }
  else
    _hangar_machine_window_connect_console (self);
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
  if (self->vm_gone || !hangar_vm_is_active (self->vm))
    return;
  if (serial)
    _hangar_machine_window_open_serial (self);
  else if (self->session != NULL)
    gtk_stack_set_visible_child_name (self->stack, "console");
  else
    _hangar_machine_window_connect_console (self);
}

static void
serial_take_over_activated (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  HangarMachineWindow *self = user_data;

  if (self->vm_gone || !self->serial_view
      || !hangar_serial_console_get_held_elsewhere (self->serial))
    return;
  hangar_serial_console_take_over (self->serial);
  gtk_widget_grab_focus (GTK_WIDGET (self->serial));
}

const GActionEntry _hangar_machine_window_console_entries[] = {
  { "send-key", send_key_activated, "s" },
  { "scaling", NULL, "s", "'fit'", scaling_changed },
  { "resize-guest", NULL, NULL, "false", resize_guest_changed },
  { "share-clipboard", NULL, NULL, "false", share_clipboard_changed },
  { "mute", NULL, NULL, "false", mute_changed },
  { "microphone", NULL, NULL, "false", microphone_changed },
  { "screenshot", screenshot_activated },
  { "fullscreen", fullscreen_activated },
  { "reconnect", reconnect_activated },
  { "serial-take-over", serial_take_over_activated },
  { "view", NULL, "s", "'graphics'", view_changed },
};

/* In fullscreen the header bar hides, and comes back when the pointer
 * touches the top edge. */
void
_hangar_machine_window_on_fullscreened (HangarMachineWindow *self)
{
  gtk_revealer_set_reveal_child (self->header_revealer,
                                 !gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

void
_hangar_machine_window_on_motion (GtkEventControllerMotion *controller,
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

void
_hangar_machine_window_on_grabbed (HangarMachineWindow *self)
{
  gtk_revealer_set_reveal_child (self->grab_revealer, hangar_display_get_grabbed (self->display));
}

void
_hangar_machine_window_on_vm_error (HangarMachineWindow *self,
             const char          *title,
             const GError        *error)
{
  /* The title fits a toast; libvirt's message, long and what people search
   * for, goes behind its Details button, as in the main window. */
  hangar_error_toast (self->toast_overlay, GTK_WINDOW (self), title, error);
}

void
_hangar_machine_window_on_vm_message (HangarMachineWindow *self,
               const char          *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, hangar_toast_new_plain (message));
}


const guint _hangar_machine_window_n_console_entries = G_N_ELEMENTS (_hangar_machine_window_console_entries);
