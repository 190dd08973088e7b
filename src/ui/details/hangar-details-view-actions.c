/* hangar-details-view-devices.c — the details view's sections for disks and network interfaces.
 *
 * One section per disk and per interface, rebuilt when the definition's
 * devices change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-add-hardware-dialog.h"
#include "hangar-details-view-private.h"
#include "hangar-vm-hardware.h"
#include "hangar-vm.h"
#include "hangar-plain-text.h"

HangarDiskSettings *
_hangar_details_config_disk (HangarDetailsView *self,
                             const char        *target)
{
  g_autoptr(GPtrArray) disks = hangar_vm_config_get_disks (self->config, FALSE);

  for (guint i = 0; i < disks->len; i++)
    {
      HangarDiskSettings *disk = g_ptr_array_index (disks, i);

      if (g_strcmp0 (disk->target, target) == 0)
        return g_ptr_array_steal_index (disks, i);
    }
  return NULL;
}

HangarNicSettings *
_hangar_details_config_nic (HangarDetailsView *self,
                            const char        *mac)
{
  g_autoptr(GPtrArray) nics = hangar_vm_config_get_nics (self->config, FALSE);

  for (guint i = 0; i < nics->len; i++)
    {
      HangarNicSettings *nic = g_ptr_array_index (nics, i);

      if (g_strcmp0 (nic->mac, mac) == 0)
        return g_ptr_array_steal_index (nics, i);
    }
  return NULL;
}

/* What libvirt measured when the definition was read; the rows hide for
 * a disk it could not measure (an empty CD drive, a missing file). */
static void
fill_disk_size (HangarDetailsView *self,
                Section           *section)
{
  guint64 capacity = 0, allocation = 0;
  gboolean known = hangar_vm_config_get_disk_size (self->config, section->key,
                                                   &capacity, &allocation);

  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (section->size_label),
                                                   ADW_TYPE_ACTION_ROW), known);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (section->used_label),
                                                   ADW_TYPE_ACTION_ROW), known);
  if (known)
    {
      g_autofree char *size = g_format_size_full (capacity, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *used = g_format_size_full (allocation, G_FORMAT_SIZE_IEC_UNITS);

      _hangar_details_set_fact (section->size_label, size);
      _hangar_details_set_fact (section->used_label, used);
    }
}

void
_hangar_details_fill_disk (HangarDetailsView *self,
                           Section           *section)
{
  g_autoptr(HangarDiskSettings) disk = _hangar_details_config_disk (self, section->key);

  if (disk == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (section->path_row), disk->path ? disk->path : "");
  _hangar_details_combo_set (section->bus_row, disk->bus);
  _hangar_details_combo_set (section->cache_row, disk->cache);
  gtk_switch_set_active (section->readonly_switch, disk->readonly);
  gtk_switch_set_active (section->shareable_switch, disk->shareable);
  fill_disk_size (self, section);
}

void
_hangar_details_fill_nic (HangarDetailsView *self,
                          Section           *section)
{
  g_autoptr(HangarNicSettings) nic = _hangar_details_config_nic (self, section->key);
  GtkWidget *pick = g_object_get_data (G_OBJECT (section->source_row), "hangar-networks");
  const char * const *networks = hangar_vm_config_get_networks (self->config);
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; networks[i]; i++)
    {
      g_autofree char *action = NULL;
      GVariant *target = g_variant_new ("(ss)", section->id, networks[i]);

      action = g_action_print_detailed_name ("details.pick-network", target);
      g_menu_append (menu, networks[i], action);
      g_variant_unref (g_variant_ref_sink (target));
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (pick), G_MENU_MODEL (menu));
  gtk_widget_set_visible (pick, networks[0] != NULL);

  if (nic == NULL)
    return;
  _hangar_details_combo_set (section->nic_type_row, nic->type);
  gtk_editable_set_text (GTK_EDITABLE (section->source_row), nic->source ? nic->source : "");
  _hangar_details_combo_set (section->model_row, nic->model);
  gtk_switch_set_active (section->link_switch, nic->link_up);
}

HangarDiskSettings *
_hangar_details_form_disk (HangarDetailsView *self,
                           Section           *section)
{
  HangarDiskSettings *disk = _hangar_details_config_disk (self, section->key);

  if (disk == NULL)
    return NULL;
  g_free (disk->path);
  disk->path = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->path_row)));
  g_free (disk->bus);
  disk->bus = g_strdup (_hangar_details_combo_get (section->bus_row));
  g_free (disk->cache);
  disk->cache = g_strdup (_hangar_details_combo_get (section->cache_row));
  disk->readonly = gtk_switch_get_active (section->readonly_switch);
  disk->shareable = gtk_switch_get_active (section->shareable_switch);
  return disk;
}

HangarNicSettings *
_hangar_details_form_nic (HangarDetailsView *self,
                          Section           *section)
{
  HangarNicSettings *nic = _hangar_details_config_nic (self, section->key);

  if (nic == NULL)
    return NULL;
  g_free (nic->type);
  nic->type = g_strdup (_hangar_details_combo_get (section->nic_type_row));
  g_free (nic->source);
  nic->source = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->source_row)));
  g_free (nic->model);
  nic->model = g_strdup (_hangar_details_combo_get (section->model_row));
  nic->link_up = gtk_switch_get_active (section->link_switch);
  return nic;
}

static void
on_eject_clicked (GtkButton *button,
                  Section   *section)
{
  gtk_editable_set_text (GTK_EDITABLE (section->path_row), "");
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     GtkEditable     *path_row)
{
  /* The row is held: the section may have been rebuilt meanwhile. */
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (path_row, path);
    }
  g_object_unref (path_row);
  g_object_unref (chooser);
}

/* Only offered for a local connection: the path is on this computer. */
static void
on_browse_clicked (GtkButton *button,
                   Section   *section)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  GtkFileChooserNative *chooser;
  const char *current = gtk_editable_get_text (GTK_EDITABLE (section->path_row));

  chooser = gtk_file_chooser_native_new (_("Choose a Disk Image"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  if (current != NULL && *current == '/')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);
      g_autoptr(GFile) parent = g_file_get_parent (file);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response),
                    g_object_ref (section->path_row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_hangar_details_add_remove_button (AdwPreferencesPage *page,
                   const char         *id)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Remove Hardware…"));
  g_autofree char *name = g_strdup_printf ("%s-remove", id);

  gtk_widget_set_name (button, name);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "details.remove-hardware");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  adw_preferences_group_add (group, button);
  adw_preferences_page_add (page, group);
}

static Section *
add_disk_section (HangarDetailsView        *self,
                  const HangarDiskSettings *disk)
{
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *info = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gboolean removable = g_strcmp0 (disk->device, "cdrom") == 0
                       || g_strcmp0 (disk->device, "floppy") == 0;
  g_autofree char *id = g_strdup_printf ("disk-%s", disk->target);
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  Section *section;
  GtkLabel *label;

  if (g_strcmp0 (disk->device, "cdrom") == 0)
    title = g_strdup_printf (_("CD/DVD %s"), disk->target);
  else if (g_strcmp0 (disk->device, "floppy") == 0)
    title = g_strdup_printf (_("Floppy %s"), disk->target);
  else
    title = g_strdup_printf (_("Disk %s"), disk->target);

  section = _hangar_details_add_section (self, SECTION_DISK, id, disk->target, title,
                         removable ? "media-optical-symbolic" : "drive-harddisk-symbolic", page);
  hangar_group_set_plain_title (group, title);
  if (removable)
    adw_preferences_group_set_description (group, _("The medium changes live on a running "
                                                    "machine; leave the path empty to eject"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  section->path_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (section->path_row),
                                 removable ? _("Medium") : _("Path"));
  name = g_strdup_printf ("%s-path", id);
  gtk_widget_set_name (GTK_WIDGET (section->path_row), name);
  adw_preferences_group_add (group, GTK_WIDGET (section->path_row));
  g_signal_connect_swapped (section->path_row, "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  if (self->vm != NULL && hangar_vm_get_connection (self->vm) != NULL
      && hangar_connection_is_local (hangar_vm_get_connection (self->vm)))
    {
      GtkWidget *browse = gtk_button_new_from_icon_name ("document-open-symbolic");

      g_free (name);
      name = g_strdup_printf ("%s-browse", id);
      gtk_widget_set_name (browse, name);
      gtk_widget_set_valign (browse, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (browse, "flat");
      gtk_widget_set_tooltip_text (browse, _("Choose a file"));
      g_signal_connect (browse, "clicked", G_CALLBACK (on_browse_clicked), section);
      adw_entry_row_add_suffix (section->path_row, browse);
    }
  if (removable)
    {
      GtkWidget *eject = gtk_button_new_from_icon_name ("media-eject-symbolic");

      g_free (name);
      name = g_strdup_printf ("%s-eject", id);
      gtk_widget_set_name (eject, name);
      gtk_widget_set_valign (eject, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (eject, "flat");
      gtk_widget_set_tooltip_text (eject, _("Eject"));
      g_signal_connect (eject, "clicked", G_CALLBACK (on_eject_clicked), section);
      adw_entry_row_add_suffix (section->path_row, eject);
    }

  g_free (name);
  name = g_strdup_printf ("%s-bus", id);
  section->bus_row = _hangar_details_add_combo_row (group, _("Bus"), disk_buses, "", name);
  g_free (name);
  name = g_strdup_printf ("%s-cache", id);
  section->cache_row = _hangar_details_add_combo_row (group, _("Cache"), disk_caches,
                                                      _("Hypervisor default"), name);
  g_free (name);
  name = g_strdup_printf ("%s-readonly", id);
  section->readonly_switch = _hangar_details_add_switch_row (group, _("Read-only"), NULL, name);
  g_free (name);
  name = g_strdup_printf ("%s-shareable", id);
  section->shareable_switch = _hangar_details_add_switch_row (group, _("Shareable"),
                                              _("Other machines may use it at the same time"), name);
  g_signal_connect_swapped (section->bus_row, "notify::selected",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (section->cache_row, "notify::selected",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (section->readonly_switch, "notify::active",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (section->shareable_switch, "notify::active",
                            G_CALLBACK (_hangar_details_on_form_changed), self);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), info);
  section->size_label = _hangar_details_add_fact_row (self, info, _("Size"));
  section->used_label = _hangar_details_add_fact_row (self, info, _("Space used on the host"));
  label = _hangar_details_add_fact_row (self, info, _("Format"));
  _hangar_details_set_fact (label, disk->format);
  label = _hangar_details_add_fact_row (self, info, _("Target"));
  _hangar_details_set_fact (label, disk->target);
  _hangar_details_add_remove_button (ADW_PREFERENCES_PAGE (page), id);

  gtk_stack_add_named (self->stack, page, id);
  return section;
}

static Section *
add_nic_section (HangarDetailsView       *self,
                 const HangarNicSettings *nic,
                 guint                    index)
{
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *info = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autofree char *id = g_strdup_printf ("nic-%s", nic->mac);
  g_autofree char *title = g_strdup_printf (_("NIC %s"),
                                            nic->mac + MAX ((int) strlen (nic->mac) - 8, 0));
  g_autofree char *name = NULL;
  Section *section;
  GtkLabel *label;

  section = _hangar_details_add_section (self, SECTION_NIC, id, nic->mac, title,
                                         "network-wired-symbolic", page);
  adw_preferences_group_set_title (group, _("Network Interface"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  name = g_strdup_printf ("%s-type", id);
  section->nic_type_row = _hangar_details_add_combo_row (group, _("Connected to"), nic_types, "",
                                                         name);
  {
    /* Say what the values mean; keep libvirt's words as the values. */
    GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (section->nic_type_row));
    const char *labels[] = { _("Virtual network"), _("Bridge"), NULL };

    gtk_string_list_splice (list, 0, 2, labels);
  }
  section->source_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (section->source_row),
                                 _("Network or bridge name"));
  g_free (name);
  name = g_strdup_printf ("%s-source", id);
  gtk_widget_set_name (GTK_WIDGET (section->source_row), name);
  adw_preferences_group_add (group, GTK_WIDGET (section->source_row));
  {
    /* The host's networks, a click away; bridges are typed. */
    GtkWidget *pick = gtk_menu_button_new ();

    g_free (name);
    name = g_strdup_printf ("%s-networks", id);
    gtk_widget_set_name (pick, name);
    gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (pick), "view-more-symbolic");
    gtk_widget_set_valign (pick, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (pick, "flat");
    gtk_widget_set_tooltip_text (pick, _("The host’s virtual networks"));
    g_object_set_data (G_OBJECT (section->source_row), "hangar-networks", pick);
    adw_entry_row_add_suffix (section->source_row, pick);
  }
  g_free (name);
  name = g_strdup_printf ("%s-model", id);
  section->model_row = _hangar_details_add_combo_row (group, _("Device model"), nic_models, "",
                                                      name);
  g_free (name);
  name = g_strdup_printf ("%s-link", id);
  section->link_switch = _hangar_details_add_switch_row (group, _("Link up"),
                                         _("Changes live on a running machine: like pulling the "
                                           "cable"), name);
  g_signal_connect_swapped (section->nic_type_row, "notify::selected",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (section->source_row, "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (section->model_row, "notify::selected",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (section->link_switch, "notify::active",
                            G_CALLBACK (_hangar_details_on_form_changed), self);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), info);
  label = _hangar_details_add_fact_row (self, info, _("MAC address"));
  _hangar_details_set_fact (label, nic->mac);
  _hangar_details_add_remove_button (ADW_PREFERENCES_PAGE (page), id);

  gtk_stack_add_named (self->stack, page, id);
  (void) index;
  return section;
}

static gboolean
is_device_section (const Section *section)
{
  return section->kind == SECTION_DISK || section->kind == SECTION_NIC
         || section->kind == SECTION_DEVICE;
}

/* Device sections follow the definition: rebuilt when its devices change,
 * kept (with their edits) otherwise. A device is named by its place among
 * its kind, so its title is compared too: another device in the same place
 * is another section. */
void
_hangar_details_sync_device_sections (HangarDetailsView *self)
{
  g_autoptr(GPtrArray) disks = hangar_vm_config_get_disks (self->config, FALSE);
  g_autoptr(GPtrArray) nics = hangar_vm_config_get_nics (self->config, FALSE);
  g_autoptr(GPtrArray) devices = hangar_vm_config_get_devices (self->config);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) have = g_ptr_array_new_with_free_func (g_free);
  gboolean same;

  for (guint i = 0; i < disks->len; i++)
    g_ptr_array_add (wanted, g_strdup_printf ("disk-%s",
                     ((HangarDiskSettings *) g_ptr_array_index (disks, i))->target));
  for (guint i = 0; i < nics->len; i++)
    g_ptr_array_add (wanted, g_strdup_printf ("nic-%s",
                     ((HangarNicSettings *) g_ptr_array_index (nics, i))->mac));
  for (guint i = 0; i < devices->len; i++)
    {
      HangarDeviceSettings *device = g_ptr_array_index (devices, i);

      g_ptr_array_add (wanted, g_strdup_printf ("dev-%s\n%s", device->key, device->title));
    }
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (section->kind == SECTION_DEVICE)
        g_ptr_array_add (have, g_strdup_printf ("%s\n%s", section->id, section->title));
      else if (is_device_section (section))
        g_ptr_array_add (have, g_strdup (section->id));
    }

  same = wanted->len == have->len;
  for (guint i = 0; same && i < wanted->len; i++)
    same = g_str_equal (g_ptr_array_index (wanted, i), g_ptr_array_index (have, i));
  if (same && self->sections->len > 0)
    return;

  /* Drop the device sections, and the trailing XML and snapshot entries. */
  for (guint i = self->sections->len; i > 0; i--)
    {
      Section *section = g_ptr_array_index (self->sections, i - 1);

      if (is_device_section (section))
        {
          gtk_stack_remove (self->stack, section->page);
          g_ptr_array_remove_index (self->sections, i - 1);
        }
      else if (section->kind == SECTION_XML || section->kind == SECTION_SNAPSHOTS)
        g_ptr_array_remove_index (self->sections, i - 1);
    }

  for (guint i = 0; i < disks->len; i++)
    _hangar_details_fill_section (self, add_disk_section (self, g_ptr_array_index (disks, i)));
  for (guint i = 0; i < nics->len; i++)
    _hangar_details_fill_section (self, add_nic_section (self, g_ptr_array_index (nics, i), i));
  _hangar_details_add_device_sections (self);
  _hangar_details_add_section (self, SECTION_XML, "xml", NULL, _("XML"), "text-x-generic-symbolic",
               gtk_stack_get_child_by_name (self->stack, "xml"));
  _hangar_details_add_section (self, SECTION_SNAPSHOTS, "snapshots", NULL, _("Snapshots"),
               "camera-photo-symbolic", self->snapshots_view);

  _hangar_details_rebuild_sidebar (self);
}

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
  _hangar_details_combo_set (section->nic_type_row, "network");
  gtk_editable_set_text (GTK_EDITABLE (section->source_row), network);
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
      g_autoptr(HangarDeviceSettings) device = _hangar_details_config_device (self, section->key);

      if (device != NULL && _hangar_details_device_is_builtin (device))
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

  if (section == NULL || !is_device_section (section))
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
