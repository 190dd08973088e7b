/* hangar-details-view-actions.c — the details view's device actions: Add
 * Hardware, Remove Hardware and picking a host network for an interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-add-hardware-dialog.h"
#include "hangar-details-view-private.h"
#include "hangar-device-section.h"
#include "hangar-nic-form.h"
#include "hangar-vm-hardware.h"
#include "hangar-vm.h"

/* (section id, network name): connect that interface to that network. */
void
_hangar_details_pick_network_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  const char *id, *network;
  Section *section;

  g_variant_get (parameter, "(&s&s)", &id, &network);
  section = _hangar_details_find_section (self, id);
  if (section == NULL || section->kind != SECTION_NIC)
    return;
  hangar_nic_form_pick_network (HANGAR_NIC_FORM (section->page), network);
}

/* --- Add Hardware and Remove Hardware ------------------------------------------ */

static void
on_hardware_added (HangarDetailsView *self,
                   const char        *note)
{
  _hangar_details_set_status (self, note ? note : _("The device was added."), FALSE);
  _hangar_details_load (self);
}

void
_hangar_details_add_hardware_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->vm == NULL)
    return;
  dialog = hangar_add_hardware_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               self->vm);
  g_signal_connect_object (dialog, "added", G_CALLBACK (on_hardware_added), self,
                           G_CONNECT_SWAPPED);
}

static void
on_remove_response (AdwMessageDialog  *dialog,
                    const char        *response,
                    HangarDetailsView *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "hangar-section");
  Section *section = _hangar_details_find_section (self, id);
  g_autofree char *xpath = NULL;
  g_autofree char *xml = NULL;

  if (g_strcmp0 (response, "remove") != 0 || section == NULL || self->config == NULL)
    return;

  if (section->kind == SECTION_DEVICE)
    {
      g_autoptr(HangarDeviceSettings) device =
        hangar_device_section_get_device (HANGAR_DEVICE_SECTION (section->page));

      if (device != NULL && hangar_device_is_builtin (device))
        return;
      xml = device ? g_strdup (device->xml) : NULL;
    }
  else
    {
      if (section->kind == SECTION_DISK)
        xpath = g_strdup_printf ("/domain/devices/disk[target/@dev='%s']", section->key);
      else
        xpath = g_strdup_printf ("/domain/devices/interface[mac/@address='%s']", section->key);
      xml = hangar_vm_config_get_device_xml (self->config, xpath);
    }
  if (xml == NULL)
    {
      _hangar_details_set_status (self, _("The device is no longer in the machine’s definition."),
                                  TRUE);
      return;
    }
  self->busy = TRUE;
  _hangar_details_set_status (self, _("Removing the device…"), FALSE);
  hangar_vm_remove_hardware_async (self->vm, xml, self->cancellable, _hangar_details_apply_done,
                                   g_object_ref (self));
}

/* (section id): asks, then removes that device. */
void
_hangar_details_remove_hardware_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  Section *section = _hangar_details_find_section (self, id);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (section == NULL || !_hangar_details_is_device_section (section))
    return;

  /* Translators: %s is a device, like “Disk vda” or “NIC 52:54:00:12:34:56” */
  heading = g_strdup_printf (_("Remove %s?"), section->title);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   section->kind == SECTION_DISK
                                   ? _("The disk leaves the machine’s definition. Its image file "
                                       "is kept.")
                                   : section->kind == SECTION_NIC
                                   ? _("The network interface leaves the machine’s definition.")
                                   : _("The device leaves the machine’s definition."));
  gtk_widget_set_name (dialog, "details-remove-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hangar-section", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
