/* hangar-machine-window-usb.c — the USB Devices popover of a SPICE console.
 *
 * The header bar's USB button (SPICE consoles only) opens a popover that
 * lists this computer's USB devices, each with a switch that redirects it
 * into the guest or gives it back, and under its name why it cannot go
 * (no free channel, another machine has it...). It counts the guest's free
 * redirection channels, can put a CD image into the guest as a USB drive,
 * and holds the setting that sends newly plugged devices to the guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-machine-window-private.h"

static HangarSpiceSession *
usb_session (HangarMachineWindow *self)
{
  if (self->session != NULL && HANGAR_IS_SPICE_SESSION (self->session))
    return HANGAR_SPICE_SESSION (self->session);
  return NULL;
}

static void
update_row (HangarUsbDevice *device,
            GParamSpec      *pspec,
            AdwActionRow    *row)
{
  GtkSwitch *toggle = g_object_get_data (G_OBJECT (row), "switch");
  gboolean redirected = hangar_usb_device_get_redirected (device);
  gboolean busy = hangar_usb_device_get_busy (device);
  const char *problem = hangar_usb_device_get_problem (device);
  const char *used_by = hangar_usb_device_get_used_by (device);
  g_autofree char *subtitle = NULL;

  if (busy)
    subtitle = g_strdup (redirected ? _("Giving back…") : _("Connecting…"));
  else if (redirected)
    subtitle = g_strdup (_("In this machine"));
  else if (used_by != NULL)
    /* Translators: %s is another machine's name */
    subtitle = g_strdup_printf (_("In use by %s"), used_by);
  else if (problem != NULL)
    subtitle = g_strdup (problem);
  adw_action_row_set_subtitle (row, subtitle ? subtitle : "");

  gtk_switch_set_state (toggle, redirected);
  gtk_switch_set_active (toggle, redirected);
  gtk_widget_set_sensitive (GTK_WIDGET (toggle),
                            !busy && (redirected || (problem == NULL && used_by == NULL)));
}

static gboolean
on_switch_state_set (GtkSwitch           *toggle,
                     gboolean             state,
                     HangarMachineWindow *self)
{
  HangarUsbDevice *device = g_object_get_data (G_OBJECT (toggle), "device");
  HangarSpiceSession *session = usb_session (self);

  if (session != NULL && state != hangar_usb_device_get_redirected (device))
    hangar_spice_session_set_usb_redirected (session, device, state);
  /* The switch follows the device, once it went or came back. */
  return TRUE;
}

static GtkWidget *
create_device_row (HangarMachineWindow *self,
                   HangarUsbDevice     *device)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  g_autofree char *label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hangar_usb_device_get_name (device));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  /* Translators: a switch's name for screen readers; %s is a USB device */
  label = g_strdup_printf (_("Redirect %s"), hangar_usb_device_get_name (device));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (toggle), "device", g_object_ref (device), g_object_unref);
  g_signal_connect (toggle, "state-set", G_CALLBACK (on_switch_state_set), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_object_set_data (G_OBJECT (row), "switch", toggle);

  update_row (device, NULL, ADW_ACTION_ROW (row));
  g_signal_connect_object (device, "notify", G_CALLBACK (update_row), row, 0);
  return row;
}

/* The channels counted, and whether an image can go in. */
static void
update_caption (HangarMachineWindow *self)
{
  HangarSpiceSession *session = self->usb_session;
  guint channels = 0, free_channels = 0;
  g_autofree char *caption = NULL;

  if (session != NULL)
    g_object_get (session, "usb-channels", &channels, "usb-free-channels", &free_channels, NULL);

  if (channels == 0)
    caption = g_strdup (_("This machine has no USB redirection channels: its devices need a <redirdev bus='usb' type='spicevmc'/> each."));
  else
    caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u of %u redirection channel free",
                                            "%u of %u redirection channels free", channels),
                               free_channels, channels);
  gtk_label_set_label (self->usb_caption, caption);
  gtk_widget_set_sensitive (self->usb_share_button, free_channels > 0);
}

/* Builds the rows again when devices come or go (rarely, a handful at
 * most); each row follows its device's state by itself. */
static void
update_rows (HangarMachineWindow *self)
{
  HangarSpiceSession *session = self->usb_session;
  GListModel *devices = session ? hangar_spice_session_get_usb_devices (session) : NULL;
  guint n = devices ? g_list_model_get_n_items (devices) : 0;
  GtkListBoxRow *row;

  /* The rows only: the placeholder is a child of the list too. */
  while ((row = gtk_list_box_get_row_at_index (self->usb_list, 0)) != NULL)
    gtk_list_box_remove (self->usb_list, GTK_WIDGET (row));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarUsbDevice) device = g_list_model_get_item (devices, i);

      gtk_list_box_append (self->usb_list, create_device_row (self, device));
    }
}

static void
on_usb_error (HangarSpiceSession  *session,
              HangarUsbDevice     *device,
              const GError        *error,
              HangarMachineWindow *self)
{
  /* Translators: %s is a USB device */
  g_autofree char *title = g_strdup_printf (_("Could not redirect %s"), hangar_usb_device_get_name (device));

  hangar_error_toast (self->toast_overlay, GTK_WINDOW (self), title, error);
}

/**
 * _hangar_machine_window_update_usb:
 *
 * Follows the window's session: the USB button shows for SPICE consoles,
 * and its popover shows that session's devices and channels.
 */
void
_hangar_machine_window_update_usb (HangarMachineWindow *self)
{
  HangarSpiceSession *session = usb_session (self);

  if (self->usb_list == NULL)  /* disposed */
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->usb_button), session != NULL);
  if (session == self->usb_session)
    return;

  if (self->usb_session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->usb_session, self);
      g_signal_handlers_disconnect_by_data (hangar_spice_session_get_usb_devices (self->usb_session), self);
    }
  g_set_object (&self->usb_session, session);
  if (session != NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

      g_object_set (session,
                    "machine-name", hangar_vm_get_name (self->vm),
                    "usb-auto-redirect", g_settings_get_boolean (settings, "console-usb-auto-redirect"),
                    NULL);
      g_signal_connect_object (hangar_spice_session_get_usb_devices (session), "items-changed",
                               G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::usb-free-channels",
                               G_CALLBACK (update_caption), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::usb-channels",
                               G_CALLBACK (update_caption), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "usb-error", G_CALLBACK (on_usb_error), self, 0);
    }
  update_caption (self);
  update_rows (self);
}

static void
on_image_chosen (GtkNativeDialog     *chooser,
                 int                  response,
                 HangarMachineWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      HangarSpiceSession *session = usb_session (self);

      if (session == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                             _("The console is not connected to the guest."));
      else if (path == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("Only an image on this computer’s own disks can be shared."));
      else
        hangar_spice_session_share_cd (session, path, &error);
      if (error != NULL)
        hangar_error_toast (self->toast_overlay, GTK_WINDOW (self),
                            _("Could not put the image into the machine"), error);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_share_clicked (GtkButton           *button,
                  HangarMachineWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_popover_popdown (gtk_menu_button_get_popover (self->usb_button));
  chooser = gtk_file_chooser_native_new (_("Share a CD Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Share"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CD and DVD images"));
  gtk_file_filter_add_mime_type (filter, "application/x-cd-image");
  gtk_file_filter_add_suffix (filter, "iso");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_image_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
auto_redirect_changed (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  HangarMachineWindow *self = user_data;
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  g_simple_action_set_state (action, value);
  if (g_settings_get_boolean (settings, "console-usb-auto-redirect") != g_variant_get_boolean (value))
    g_settings_set_boolean (settings, "console-usb-auto-redirect", g_variant_get_boolean (value));
  if (usb_session (self) != NULL)
    g_object_set (usb_session (self), "usb-auto-redirect", g_variant_get_boolean (value), NULL);
}

const GActionEntry _hangar_machine_window_usb_entries[] = {
  { "usb-auto-redirect", NULL, NULL, "false", auto_redirect_changed },
};
const guint _hangar_machine_window_n_usb_entries = G_N_ELEMENTS (_hangar_machine_window_usb_entries);

/* Builds the popover of the header bar's USB button. */
void
_hangar_machine_window_init_usb (HangarMachineWindow *self)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWidget *popover, *box, *title, *empty, *scroller, *check;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_size_request (box, 360, -1);

  title = gtk_label_new (_("USB Devices"));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  self->usb_caption = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->usb_caption, 0);
  gtk_label_set_wrap (self->usb_caption, TRUE);
  gtk_label_set_max_width_chars (self->usb_caption, 40);
  gtk_widget_add_css_class (GTK_WIDGET (self->usb_caption), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->usb_caption));

  self->usb_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->usb_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->usb_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->usb_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("USB devices of this computer"), -1);
  empty = gtk_label_new (_("No USB devices are plugged into this computer."));
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_widget_set_margin_top (empty, 12);
  gtk_widget_set_margin_bottom (empty, 12);
  gtk_widget_set_margin_start (empty, 12);
  gtk_widget_set_margin_end (empty, 12);
  gtk_list_box_set_placeholder (self->usb_list, empty);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->usb_list));
  gtk_box_append (GTK_BOX (box), scroller);

  self->usb_share_button = gtk_button_new_with_mnemonic (_("Share a _CD Image…"));
  g_signal_connect (self->usb_share_button, "clicked", G_CALLBACK (on_share_clicked), self);
  gtk_box_append (GTK_BOX (box), self->usb_share_button);

  check = gtk_check_button_new_with_mnemonic (_("_Redirect newly plugged devices"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (check), "console.usb-auto-redirect");
  gtk_box_append (GTK_BOX (box), check);

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (self->usb_button, popover);

  g_action_group_change_action_state (G_ACTION_GROUP (self->console_actions), "usb-auto-redirect",
                                      g_settings_get_value (settings, "console-usb-auto-redirect"));
  _hangar_machine_window_update_usb (self);
}
