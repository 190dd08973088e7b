/* hangar-console-switch.c — a machine's display protocol, VNC or SPICE,
 * switched for its next boot.
 *
 * A group of its own on the display's page: the protocol to use and a
 * Switch button. The service (hangar_vm_config_set_console_async())
 * replaces the display and the devices each protocol needs; this group
 * only asks and reports, through its "switched" and "failed" signals,
 * which the Details view shows and reloads on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-console-switch.h"
#include "hangar-combo-row.h"
#include "hangar-vm-config.h"

/* The order of the combo row's items. */
static const char * const protocols[] = { "vnc", "spice", NULL };

struct _HangarConsoleSwitch
{
  AdwPreferencesGroup  parent_instance;

  AdwComboRow         *protocol_row;
  GtkButton           *switch_button;
  HangarVm            *vm;
  char                *current;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (HangarConsoleSwitch, hangar_console_switch, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  SWITCHED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
selected (HangarConsoleSwitch *self)
{
  guint i = adw_combo_row_get_selected (self->protocol_row);

  return i < G_N_ELEMENTS (protocols) - 1 ? protocols[i] : NULL;
}

static void
update (HangarConsoleSwitch *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->switch_button),
                            self->cancellable == NULL
                            && g_strcmp0 (selected (self), self->current) != 0);
}

static void
switch_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HangarConsoleSwitch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  if (!hangar_vm_config_apply_finish (HANGAR_VM (object), result, NULL, &note, &error))
    {
      g_clear_object (&self->cancellable);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          update (self);
          g_signal_emit (self, signals[FAILED], 0, error->message);
        }
      return;
    }
  g_clear_object (&self->cancellable);
  g_free (self->current);
  self->current = g_strdup (selected (self));
  update (self);
  g_signal_emit (self, signals[SWITCHED], 0, note);
}

static void
on_switch_clicked (HangarConsoleSwitch *self)
{
  const char *protocol = selected (self);

  if (protocol == NULL || self->vm == NULL || self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  update (self);
  hangar_vm_config_set_console_async (self->vm, protocol, self->cancellable, switch_done,
                                      g_object_ref (self));
}

static void
hangar_console_switch_dispose (GObject *object)
{
  HangarConsoleSwitch *self = HANGAR_CONSOLE_SWITCH (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->vm);
  g_clear_pointer (&self->current, g_free);
  G_OBJECT_CLASS (hangar_console_switch_parent_class)->dispose (object);
}

static void
hangar_console_switch_class_init (HangarConsoleSwitchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_console_switch_dispose;

  /**
   * HangarConsoleSwitch::switched:
   * @note: (nullable): what the user should know, e.g. that it takes effect
   *   at the next boot
   */
  signals[SWITCHED] = g_signal_new ("switched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * HangarConsoleSwitch::failed:
   * @message: why nothing was switched
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hangar_console_switch_init (HangarConsoleSwitch *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Display protocol"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("SPICE brings sound, USB devices and the guest "
                                           "agent; VNC shares the clipboard through QEMU. "
                                           "Switching replaces the display and the channels "
                                           "each needs, at the machine’s next boot."));

  gtk_string_list_append (labels, _("VNC"));
  gtk_string_list_append (labels, _("SPICE"));
  self->protocol_row = ADW_COMBO_ROW (adw_combo_row_new ());
  /* The definition's, which the machine boots with next: the facts
   * below say what a running machine has now. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->protocol_row),
                                 _("Protocol at next boot"));
  adw_combo_row_set_model (self->protocol_row, G_LIST_MODEL (labels));
  gtk_widget_set_name (GTK_WIDGET (self->protocol_row), "console-protocol");
  hangar_combo_row_show_whole (self->protocol_row);

  self->switch_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Switch")));
  gtk_widget_set_valign (GTK_WIDGET (self->switch_button), GTK_ALIGN_CENTER);
  gtk_widget_set_name (GTK_WIDGET (self->switch_button), "console-protocol-switch");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->switch_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Switch the display protocol"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->protocol_row), GTK_WIDGET (self->switch_button));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->protocol_row));

  g_signal_connect_swapped (self->protocol_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->switch_button, "clicked", G_CALLBACK (on_switch_clicked), self);
}

/**
 * hangar_console_switch_new:
 * @vm: the machine
 * @protocol: its display's protocol now, "vnc" or "spice"
 */
GtkWidget *
hangar_console_switch_new (HangarVm   *vm,
                           const char *protocol)
{
  HangarConsoleSwitch *self;

  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  self = g_object_new (HANGAR_TYPE_CONSOLE_SWITCH, NULL);
  self->vm = g_object_ref (vm);
  self->current = g_strdup (protocol);
  hangar_console_switch_select (self, protocol);
  return GTK_WIDGET (self);
}

/* Chooses @protocol in the row, as a user would. */
void
hangar_console_switch_select (HangarConsoleSwitch *self,
                              const char          *protocol)
{
  g_return_if_fail (HANGAR_IS_CONSOLE_SWITCH (self));

  for (guint i = 0; protocols[i] != NULL; i++)
    if (g_strcmp0 (protocols[i], protocol) == 0)
      adw_combo_row_set_selected (self->protocol_row, i);
  update (self);
}
