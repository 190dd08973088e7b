/* hangar-details-view-hardware.c — sections for the devices other than disks and interfaces.
 *
 * Displays, video, sound and watchdogs get a small form; every other kind
 * shows what it is. Each can be removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-console-switch.h"
#include "hangar-details-view-private.h"
#include "hangar-plain-text.h"

static const char * const video_models[] = { "virtio", "qxl", "vga", "bochs", "cirrus", "ramfb",
                                             "none", NULL };
static const char * const sound_models[] = { "ich9", "ich6", "ac97", "es1370", "sb16", "usb", NULL };
static const char * const watchdog_models[] = { "i6300esb", "ib700", "itco", NULL };
static const char * const watchdog_actions[] = { "reset", "shutdown", "poweroff", "pause", "none",
                                                 "dump", "inject-nmi", NULL };

static const char *
kind_icon (const HangarDeviceSettings *device)
{
  switch (device->kind)
    {
    case HANGAR_DEVICE_GRAPHICS:
    case HANGAR_DEVICE_VIDEO:
      return "video-display-symbolic";
    case HANGAR_DEVICE_SOUND:
      return "audio-speakers-symbolic";
    case HANGAR_DEVICE_INPUT:
      if (strstr (device->xml, "\"keyboard\"") != NULL)
        return "input-keyboard-symbolic";
      if (strstr (device->xml, "\"mouse\"") != NULL)
        return "input-mouse-symbolic";
      return "input-tablet-symbolic";
    case HANGAR_DEVICE_SERIAL:
    case HANGAR_DEVICE_CONSOLE:
    case HANGAR_DEVICE_CHANNEL:
      return "utilities-terminal-symbolic";
    case HANGAR_DEVICE_HOSTDEV:
    case HANGAR_DEVICE_REDIRDEV:
      return "media-removable-symbolic";
    case HANGAR_DEVICE_FILESYSTEM:
      return "folder-symbolic";
    case HANGAR_DEVICE_TPM:
      return "channel-secure-symbolic";
    case HANGAR_DEVICE_RNG:
      return "media-playlist-shuffle-symbolic";
    case HANGAR_DEVICE_WATCHDOG:
      return "alarm-symbolic";
    case HANGAR_DEVICE_CONTROLLER:
    default:
      return "applications-system-symbolic";
    }
}

/* The PS/2 mouse and keyboard of an x86 machine are part of its chipset:
 * libvirt adds them back to every definition, so removing them would
 * seem to work and change nothing. */
gboolean
_hangar_details_device_is_builtin (const HangarDeviceSettings *device)
{
  return device->kind == HANGAR_DEVICE_INPUT && device->xml != NULL
         && strstr (device->xml, "bus=\"ps2\"") != NULL;
}

HangarDeviceSettings *
_hangar_details_config_device (HangarDetailsView *self,
                               const char        *key)
{
  g_autoptr(GPtrArray) devices = hangar_vm_config_get_devices (self->config);

  for (guint i = 0; i < devices->len; i++)
    {
      HangarDeviceSettings *device = g_ptr_array_index (devices, i);

      if (g_strcmp0 (device->key, key) == 0)
        return g_ptr_array_steal_index (devices, i);
    }
  return NULL;
}

void
_hangar_details_fill_device (HangarDetailsView *self,
                             Section           *section)
{
  g_autoptr(HangarDeviceSettings) device = _hangar_details_config_device (self, section->key);

  if (device == NULL)
    return;
  if (section->device_model_row != NULL)
    _hangar_details_combo_set (section->device_model_row, device->model);
  if (section->action_row != NULL)
    _hangar_details_combo_set (section->action_row, device->action);
  if (section->listen_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (section->listen_row), device->listen);
  if (section->port_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (section->port_row), device->port);
  if (section->password_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (section->password_row), device->password);
}

/* The device as read, with the form's values: what Apply sends. */
HangarDeviceSettings *
_hangar_details_form_device (HangarDetailsView *self,
                             Section           *section)
{
  HangarDeviceSettings *device = _hangar_details_config_device (self, section->key);

  if (device == NULL)
    return NULL;
  if (section->device_model_row != NULL)
    {
      g_free (device->model);
      device->model = g_strdup (_hangar_details_combo_get (section->device_model_row));
    }
  if (section->action_row != NULL)
    {
      g_free (device->action);
      device->action = g_strdup (_hangar_details_combo_get (section->action_row));
    }
  if (section->listen_row != NULL)
    {
      g_free (device->listen);
      device->listen = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->listen_row)));
    }
  if (section->port_row != NULL)
    {
      g_free (device->port);
      device->port = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->port_row)));
    }
  if (section->password_row != NULL)
    {
      g_free (device->password);
      device->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->password_row)));
    }
  return device;
}

static AdwComboRow *
add_combo (HangarDetailsView   *self,
           AdwPreferencesGroup *group,
           const char          *id,
           const char          *field,
           const char          *title,
           const char * const  *values)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", id, field);
  AdwComboRow *row = _hangar_details_add_combo_row (group, title, values, "", name);

  g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (_hangar_details_on_form_changed),
                            self);
  return row;
}

static AdwEntryRow *
add_entry (HangarDetailsView   *self,
           AdwPreferencesGroup *group,
           const char          *id,
           const char          *field,
           const char          *title,
           gboolean             secret)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", id, field);
  GtkWidget *row = secret ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  adw_preferences_group_add (group, row);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (_hangar_details_on_form_changed), self);
  return ADW_ENTRY_ROW (row);
}

static void
add_form (HangarDetailsView          *self,
          Section                    *section,
          AdwPreferencesGroup        *group,
          const HangarDeviceSettings *device)
{
  switch (device->kind)
    {
    case HANGAR_DEVICE_GRAPHICS:
      section->listen_row = add_entry (self, group, section->id, "listen", _("Listen address"),
                                       FALSE);
      section->port_row = add_entry (self, group, section->id, "port",
                                     _("Port (empty: chosen automatically)"), FALSE);
      section->password_row = add_entry (self, group, section->id, "password",
                                         _("Password (empty: none)"), TRUE);
      adw_preferences_group_set_description (group,
                                             _("127.0.0.1 lets only this host connect, 0.0.0.0 "
                                               "every network. Changes apply when the machine "
                                               "next starts."));
      break;
    case HANGAR_DEVICE_VIDEO:
      section->device_model_row = add_combo (self, group, section->id, "model", _("Model"),
                                             video_models);
      adw_preferences_group_set_description (group,
                                             _("virtio suits Linux guests, qxl Windows guests "
                                               "with the SPICE drivers. Changes apply when the "
                                               "machine next starts."));
      break;
    case HANGAR_DEVICE_SOUND:
      section->device_model_row = add_combo (self, group, section->id, "model", _("Model"),
                                             sound_models);
      adw_preferences_group_set_description (group, _("Changes apply when the machine next "
                                                      "starts."));
      break;
    case HANGAR_DEVICE_WATCHDOG:
      section->device_model_row = add_combo (self, group, section->id, "model", _("Model"),
                                             watchdog_models);
      section->action_row = add_combo (self, group, section->id, "action",
                                       _("When the guest stops answering"), watchdog_actions);
      adw_preferences_group_set_description (group, _("Changes apply when the machine next "
                                                      "starts."));
      break;
    default:
      break;
    }
}

/* --- the display's protocol (hangar-console-switch.c) --- */

static void
on_console_switched (HangarDetailsView *self,
                     const char        *note)
{
  _hangar_details_set_status (self, note ? note : _("The display was switched."), FALSE);
  _hangar_details_load (self);
}

static void
on_console_switch_failed (HangarDetailsView *self,
                          const char        *message)
{
  _hangar_details_set_status (self, message, TRUE);
}

/* On the first display's page, when it is VNC or SPICE. */
static void
add_console_switch (HangarDetailsView          *self,
                    AdwPreferencesPage         *page,
                    const HangarDeviceSettings *device)
{
  g_autofree char *type = NULL;
  GtkWidget *group;

  if (self->vm == NULL || g_strcmp0 (device->key, "graphics-0") != 0)
    return;
  type = hangar_vm_config_query (self->config, FALSE, "string(/domain/devices/graphics[1]/@type)");
  if (g_strcmp0 (type, "vnc") != 0 && g_strcmp0 (type, "spice") != 0)
    return;
  group = hangar_console_switch_new (self->vm, type);
  g_signal_connect_object (group, "switched", G_CALLBACK (on_console_switched), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (group, "failed", G_CALLBACK (on_console_switch_failed), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
}

static Section *
add_device_section (HangarDetailsView          *self,
                    const HangarDeviceSettings *device)
{
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autofree char *id = g_strdup_printf ("dev-%s", device->key);
  Section *section;

  section = _hangar_details_add_section (self, SECTION_DEVICE, id, device->key, device->title,
                                         kind_icon (device), page);
  hangar_group_set_plain_title (group, device->title);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  add_form (self, section, group, device);
  if (device->kind == HANGAR_DEVICE_GRAPHICS)
    add_console_switch (self, ADW_PREFERENCES_PAGE (page), device);

  if (device->facts != NULL && device->facts[0] != NULL)
    {
      AdwPreferencesGroup *facts = group;

      if (hangar_device_kind_editable (device->kind))
        {
          facts = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), facts);
        }
      for (guint i = 0; device->facts[i] && device->facts[i + 1]; i += 2)
        _hangar_details_set_fact (_hangar_details_add_fact_row (self, facts, device->facts[i]),
                                  device->facts[i + 1]);
    }
  if (_hangar_details_device_is_builtin (device))
    adw_preferences_group_set_description (group, _("Built into the machine’s chipset: it "
                                                    "cannot be removed."));
  else
    _hangar_details_add_remove_button (ADW_PREFERENCES_PAGE (page), id);

  gtk_stack_add_named (self->stack, page, id);
  return section;
}

/* The ids of the sections the definition's other devices want. */
void
_hangar_details_device_section_ids (HangarDetailsView *self,
                                    GPtrArray         *ids)
{
  g_autoptr(GPtrArray) devices = hangar_vm_config_get_devices (self->config);

  for (guint i = 0; i < devices->len; i++)
    g_ptr_array_add (ids, g_strdup_printf ("dev-%s",
                     ((HangarDeviceSettings *) g_ptr_array_index (devices, i))->key));
}

void
_hangar_details_add_device_sections (HangarDetailsView *self)
{
  g_autoptr(GPtrArray) devices = hangar_vm_config_get_devices (self->config);

  for (guint i = 0; i < devices->len; i++)
    _hangar_details_fill_section (self, add_device_section (self, g_ptr_array_index (devices, i)));
}
