/* hangar-details-view.c — a machine's settings: a sidebar of sections, each a form.
 *
 * The forms show a HangarVmConfig read in a worker. Each section compares
 * its form with the config to decide whether Apply and Revert are enabled;
 * Apply hands the form's values to the matching HangarVmConfig call, then
 * reads the definition again. A reload refills only the sections without
 * unapplied edits, so a state change never eats what the user typed.
 *
 * The overview, CPU, memory, boot and XML forms are in the template and
 * hangar-details-view-forms.c; each disk, interface and other device is a
 * widget of its own (HangarDiskForm, HangarNicForm, HangarDeviceSection)
 * that fills itself from the config and says when it was edited. The
 * device actions are in hangar-details-view-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "hangar-accessible.h"
#include "hangar-combo-row.h"
#include "hangar-console-switch.h"
#include "hangar-connection.h"
#include "hangar-details-rows.h"
#include "hangar-details-view-private.h"
#include "hangar-device-section.h"
#include "hangar-disk-form.h"
#include "hangar-nic-form.h"
#include "hangar-performance-view.h"
#include "hangar-plain-text.h"
#include "hangar-snapshots-view.h"
#include "hangar-vm.h"

enum {
  PROP_0,
  PROP_VM,
  N_PROPS
};

enum {
  LOADED,
  APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarDetailsView, hangar_details_view, ADW_TYPE_BIN)

static void update_actions   (HangarDetailsView *self);

static void
section_free (Section *section)
{
  g_free (section->id);
  g_free (section->key);
  g_free (section->title);
  g_free (section);
}

Section *
_hangar_details_find_section (HangarDetailsView *self,
                              const char        *id)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (g_strcmp0 (section->id, id) == 0)
        return section;
    }
  return NULL;
}

static Section *
current_section (HangarDetailsView *self)
{
  return _hangar_details_find_section (self, gtk_stack_get_visible_child_name (self->stack));
}

void
_hangar_details_move_boot (GtkButton         *button,
                           HangarDetailsView *self);

/* --- status and actions -------------------------------------------------------- */

void
_hangar_details_set_status (HangarDetailsView *self,
                            const char        *text,
                            gboolean           is_error)
{
  g_free (self->status);
  self->status = g_strdup (text);
  self->status_is_error = is_error;
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_actions (HangarDetailsView *self)
{
  Section *section = current_section (self);
  gboolean dirty = section != NULL && _hangar_details_section_dirty (self, section);
  gboolean has_form = section != NULL && section->kind != SECTION_SNAPSHOTS
                      && section->kind != SECTION_PERFORMANCE;
  /* What the wizard refuses cannot be applied here either. */
  gboolean valid = _hangar_details_check_memory (self) || section == NULL
                   || section->kind != SECTION_MEMORY;

  gtk_widget_set_visible (GTK_WIDGET (self->action_bar), has_form);
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *s = g_ptr_array_index (self->sections, i);

      if (s->edited != NULL)
        gtk_widget_set_visible (s->edited,
                                s == section ? dirty : _hangar_details_section_dirty (self, s));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.apply",
                                 dirty && valid && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.revert", dirty && !self->busy);
}

void
_hangar_details_on_form_changed (HangarDetailsView *self)
{
  if (self->filling > 0)
    return;
  update_actions (self);
}

/* --- sections ------------------------------------------------------------------ */

static GtkWidget *
sidebar_row_new (Section *section)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (section->title);
  g_autofree char *name = g_strdup_printf ("edited-%s", section->id);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (section->icon));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Wrapped, not cut: "Controlador VirtIO Serial 0" in a narrow window. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  /* Shows which sections hold edits not applied yet. */
  section->edited = gtk_label_new ("•");
  gtk_widget_set_name (section->edited, name);
  gtk_widget_add_css_class (section->edited, "accent");
  gtk_widget_set_tooltip_text (section->edited, _("Changes not applied"));
  gtk_widget_set_visible (section->edited, FALSE);
  gtk_box_append (GTK_BOX (box), section->edited);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* GTK 4.8 names a list box row after nothing inside it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  section->title, -1);
  g_object_set_data_full (G_OBJECT (row), "hangar-section", g_strdup (section->id), g_free);
  return row;
}

void
_hangar_details_rebuild_sidebar (HangarDetailsView *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);
  g_autofree char *keep = g_strdup (visible);
  GtkWidget *row;

  for (guint i = 0; i < self->sections->len; i++)
    ((Section *) g_ptr_array_index (self->sections, i))->edited = NULL;
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL)
    gtk_list_box_remove (self->sidebar, row);

  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      row = sidebar_row_new (section);
      gtk_list_box_append (self->sidebar, row);
      if (g_strcmp0 (section->id, keep) == 0)
        gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
    }
  if (gtk_list_box_get_selected_row (self->sidebar) == NULL)
    gtk_list_box_select_row (self->sidebar, gtk_list_box_get_row_at_index (self->sidebar, 0));
  /* The sections' forms were just (re)built. */
  hangar_accessible_name_row_controls (GTK_WIDGET (self));
}

static void
on_sidebar_row_selected (HangarDetailsView *self,
                         GtkListBoxRow     *row)
{
  const char *id;

  if (row == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), "hangar-section");
  if (g_strcmp0 (id, gtk_stack_get_visible_child_name (self->stack)) != 0)
    {
      gtk_stack_set_visible_child_name (self->stack, id);
      _hangar_details_set_status (self, NULL, FALSE);
    }
  update_actions (self);
}

Section *
_hangar_details_add_section (HangarDetailsView *self,
                             SectionKind        kind,
                             const char        *id,
                             const char        *key,
                             const char        *title,
                             const char        *icon,
                             GtkWidget         *page)
{
  Section *section = g_new0 (Section, 1);

  section->kind = kind;
  section->id = g_strdup (id);
  section->key = g_strdup (key);
  section->title = g_strdup (title);
  section->icon = icon;
  section->page = page;
  g_ptr_array_add (self->sections, section);
  return section;
}

/* --- device sections ------------------------------------------------------------ */

static void
add_device_page (HangarDetailsView *self,
                 SectionKind        kind,
                 const char        *id,
                 const char        *key,
                 const char        *title,
                 const char        *icon,
                 GtkWidget         *page)
{
  Section *section;

  g_signal_connect_object (page, "changed", G_CALLBACK (_hangar_details_on_form_changed), self,
                           G_CONNECT_SWAPPED);
  section = _hangar_details_add_section (self, kind, id, key, title, icon, page);
  gtk_stack_add_named (self->stack, page, id);
  _hangar_details_fill_section (self, section);
}

static void
add_disk_section (HangarDetailsView        *self,
                  const HangarDiskSettings *disk)
{
  HangarConnection *connection = self->vm ? hangar_vm_get_connection (self->vm) : NULL;
  HangarDiskForm *form = hangar_disk_form_new (disk, connection != NULL
                                                     && hangar_connection_is_local (connection));

  add_device_page (self, SECTION_DISK, hangar_disk_form_get_id (form), disk->target,
                   hangar_disk_form_get_title (form), hangar_disk_form_get_icon (form),
                   GTK_WIDGET (form));
}

static void
add_nic_section (HangarDetailsView       *self,
                 const HangarNicSettings *nic)
{
  HangarNicForm *form = hangar_nic_form_new (nic);

  add_device_page (self, SECTION_NIC, hangar_nic_form_get_id (form), nic->mac,
                   hangar_nic_form_get_title (form), "network-wired-symbolic", GTK_WIDGET (form));
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

static void
add_device_section (HangarDetailsView          *self,
                    const HangarDeviceSettings *device)
{
  HangarDeviceSection *page = hangar_device_section_new (device);

  if (device->kind == HANGAR_DEVICE_GRAPHICS)
    add_console_switch (self, ADW_PREFERENCES_PAGE (page), device);
  add_device_page (self, SECTION_DEVICE, hangar_device_section_get_id (page), device->key,
                   hangar_device_section_get_title (page), hangar_device_section_get_icon (page),
                   GTK_WIDGET (page));
}

gboolean
_hangar_details_is_device_section (const Section *section)
{
  return section->kind == SECTION_DISK || section->kind == SECTION_NIC
         || section->kind == SECTION_DEVICE;
}

/* Device sections follow the definition: rebuilt when its devices change,
 * kept (with their edits) otherwise. A device is named by its place among
 * its kind, so its title is compared too: another device in the same place
 * is another section. */
static void
sync_device_sections (HangarDetailsView *self)
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
      else if (_hangar_details_is_device_section (section))
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

      if (_hangar_details_is_device_section (section))
        {
          gtk_stack_remove (self->stack, section->page);
          g_ptr_array_remove_index (self->sections, i - 1);
        }
      else if (section->kind == SECTION_XML || section->kind == SECTION_SNAPSHOTS)
        g_ptr_array_remove_index (self->sections, i - 1);
    }

  for (guint i = 0; i < disks->len; i++)
    add_disk_section (self, g_ptr_array_index (disks, i));
  for (guint i = 0; i < nics->len; i++)
    add_nic_section (self, g_ptr_array_index (nics, i));
  for (guint i = 0; i < devices->len; i++)
    add_device_section (self, g_ptr_array_index (devices, i));
  _hangar_details_add_section (self, SECTION_XML, "xml", NULL, _("XML"), "text-x-generic-symbolic",
               gtk_stack_get_child_by_name (self->stack, "xml"));
  _hangar_details_add_section (self, SECTION_SNAPSHOTS, "snapshots", NULL, _("Snapshots"),
               "camera-photo-symbolic", self->snapshots_view);

  _hangar_details_rebuild_sidebar (self);
}

/* --- loading and applying ---------------------------------------------------- */

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarDetailsView) self = user_data;
  g_autoptr(HangarVmConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *refill = g_steal_pointer (&self->refill);

  config = hangar_vm_config_load_finish (HANGAR_VM (object), result, &error);
  self->busy = FALSE;
  if (config == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          _hangar_details_set_status (self, error->message, TRUE);
          update_actions (self);
        }
      return;
    }

  /* Which sections the user has edited, judged against the old config. */
  {
    g_autoptr(GPtrArray) keep = g_ptr_array_new ();

    for (guint i = 0; self->config != NULL && i < self->sections->len; i++)
      {
        Section *section = g_ptr_array_index (self->sections, i);

        if (g_strcmp0 (section->id, refill) != 0 && _hangar_details_section_dirty (self, section))
          g_ptr_array_add (keep, section);
      }

    /* Changed outside Hangar under the user's edits: the edits stay, and
     * the status says Revert shows what is there now. */
    if (keep->len > 0 && refill == NULL && self->config != NULL
        && g_strcmp0 (hangar_vm_config_get_xml (self->config),
                      hangar_vm_config_get_xml (config)) != 0)
      _hangar_details_set_status (self, _("The definition changed outside Hangar. Your changes "
                                          "are kept; Revert shows the new values."), FALSE);

    g_set_object (&self->config, config);
    sync_device_sections (self);
    for (guint i = 0; i < self->sections->len; i++)
      {
        Section *section = g_ptr_array_index (self->sections, i);

        if (!g_ptr_array_find (keep, section, NULL))
          _hangar_details_fill_section (self, section);
      }
  }

  update_actions (self);
  g_signal_emit (self, signals[LOADED], 0);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      _hangar_details_load (self);
    }
}

void
_hangar_details_load (HangarDetailsView *self)
{
  if (self->vm == NULL)
    return;
  if (self->busy)
    {
      self->reload_again = TRUE;
      return;
    }
  self->busy = TRUE;
  update_actions (self);
  hangar_vm_config_load_async (self->vm, self->cancellable, load_done, g_object_ref (self));
}

void
_hangar_details_apply_done (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(HangarDetailsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *text = NULL;
  HangarApplyFlags flags = HANGAR_APPLY_NONE;

  self->busy = FALSE;
  if (!hangar_vm_config_apply_finish (HANGAR_VM (object), result, &flags, &note, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      _hangar_details_set_status (self, error->message, TRUE);
      update_actions (self);
      if (g_error_matches (error, HANGAR_VM_CONFIG_ERROR, HANGAR_VM_CONFIG_ERROR_CHANGED))
        _hangar_details_ask_xml_changed (self);
      g_signal_emit (self, signals[APPLIED], 0, FALSE);
      return;
    }

  if (flags & HANGAR_APPLY_NEEDS_RESTART)
    text = g_strdup_printf ("%s%s%s", _("Saved. The change applies after the machine restarts."),
                            note ? "\n" : "", note ? note : "");
  else if (flags & HANGAR_APPLY_LIVE)
    text = g_strdup (_("Saved, and applied to the running machine."));
  else if (flags & HANGAR_APPLY_CONFIG)
    text = g_strdup (_("Saved."));
  else
    text = g_strdup (_("Nothing needed changing."));
  _hangar_details_set_status (self, text, FALSE);

  /* The form refills from what libvirt now has. */
  g_free (self->refill);
  self->refill = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  _hangar_details_load (self);
  g_signal_emit (self, signals[APPLIED], 0, TRUE);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  Section *section = current_section (self);

  if (section == NULL || self->busy || self->config == NULL || !_hangar_details_section_dirty (self, section))
    return;
  if (section->kind == SECTION_MEMORY && !_hangar_details_check_memory (self))
    return;

  self->busy = TRUE;
  _hangar_details_set_status (self, _("Applying…"), FALSE);
  update_actions (self);

  switch (section->kind)
    {
    case SECTION_OVERVIEW:
      {
        g_auto(HangarOverviewSettings) s = { 0 };

        _hangar_details_form_overview (self, &s);
        hangar_vm_config_set_overview_async (self->vm, &s, self->cancellable,
                                             _hangar_details_apply_done,
                                             g_object_ref (self));
      }
      break;
    case SECTION_CPU:
      {
        g_auto(HangarCpuSettings) s = { 0 };

        _hangar_details_form_cpu (self, &s);
        hangar_vm_config_set_cpu_async (self->vm, &s, self->cancellable, _hangar_details_apply_done,
                                        g_object_ref (self));
      }
      break;
    case SECTION_MEMORY:
      {
        HangarMemorySettings s;

        _hangar_details_form_memory (self, &s);
        hangar_vm_config_set_memory_async (self->vm, &s, self->cancellable,
                                           _hangar_details_apply_done,
                                           g_object_ref (self));
      }
      break;
    case SECTION_BOOT:
      {
        g_auto(HangarBootSettings) s = { 0 };

        _hangar_details_form_boot (self, &s);
        hangar_vm_config_set_boot_async (self->vm, &s, self->cancellable,
                                         _hangar_details_apply_done,
                                         g_object_ref (self));
      }
      break;
    case SECTION_DISK:
      {
        g_autoptr(HangarDiskSettings) s = hangar_disk_form_read (HANGAR_DISK_FORM (section->page));

        hangar_vm_config_set_disk_async (self->vm, s, self->cancellable, _hangar_details_apply_done,
                                         g_object_ref (self));
      }
      break;
    case SECTION_NIC:
      {
        g_autoptr(HangarNicSettings) s = hangar_nic_form_read (HANGAR_NIC_FORM (section->page));

        hangar_vm_config_set_nic_async (self->vm, s, self->cancellable, _hangar_details_apply_done,
                                        g_object_ref (self));
      }
      break;
    case SECTION_DEVICE:
      {
        g_autoptr(HangarDeviceSettings) s =
          hangar_device_section_read (HANGAR_DEVICE_SECTION (section->page));

        hangar_vm_config_set_device_async (self->vm, s, self->cancellable,
                                           _hangar_details_apply_done, g_object_ref (self));
      }
      break;
    case SECTION_XML:
      _hangar_details_apply_xml (self, FALSE);
      break;
    case SECTION_SNAPSHOTS:
    default:
      self->busy = FALSE;
      break;
    }
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  Section *section = current_section (self);

  if (section == NULL)
    return;
  _hangar_details_fill_section (self, section);
  _hangar_details_set_status (self, NULL, FALSE);
  update_actions (self);
}

static void
on_vm_state (HangarDetailsView *self)
{
  if (self->config != NULL)
    hangar_details_set_fact (self->state_label, hangar_vm_get_state_label (self->vm));
  /* Running or not changes what can be edited and what is live. */
  _hangar_details_load (self);
}

/* libvirt said the definition changed (DEFINED): read it again. Sections
 * with unapplied edits keep them (see load_done). */
static void
on_vm_definition_changed (HangarDetailsView *self)
{
  _hangar_details_load (self);
}

/* QEMU's `virsh setmem --config` and `setmaxmem --config` change the
 * definition without any event. A person who did that in a terminal comes
 * back to this window: read the definition, and the list's facts, again
 * then. One read per return, not a poll. */
static void
on_window_active (HangarDetailsView *self)
{
  HangarConnection *connection;

  if (self->window == NULL || !gtk_window_is_active (self->window)
      || self->config == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  _hangar_details_load (self);
  connection = hangar_vm_get_connection (self->vm);
  if (connection != NULL)
    hangar_connection_refresh_vm (connection, self->vm);
}

static void
hangar_details_view_root (GtkWidget *widget)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (hangar_details_view_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      g_set_weak_pointer (&self->window, GTK_WINDOW (root));
      self->active_handler = g_signal_connect_swapped (root, "notify::is-active",
                                                       G_CALLBACK (on_window_active), self);
    }
}

static void
hangar_details_view_unroot (GtkWidget *widget)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);

  if (self->window != NULL)
    g_clear_signal_handler (&self->active_handler, self->window);
  g_clear_weak_pointer (&self->window);

  GTK_WIDGET_CLASS (hangar_details_view_parent_class)->unroot (widget);
}

/* --- the object --------------------------------------------------------------- */

static void
hangar_details_view_constructed (GObject *object)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  G_OBJECT_CLASS (hangar_details_view_parent_class)->constructed (object);

  self->snapshots_view = GTK_WIDGET (hangar_snapshots_view_new (self->vm));
  gtk_stack_add_named (self->stack, self->snapshots_view, "snapshots");
  self->performance_view = hangar_performance_view_new (self->vm);
  gtk_stack_add_named (self->stack, self->performance_view, "performance");

  _hangar_details_add_section (self, SECTION_OVERVIEW, "overview", NULL, _("Overview"),
                               "computer-symbolic",
               gtk_stack_get_child_by_name (self->stack, "overview"));
  _hangar_details_add_section (self, SECTION_PERFORMANCE, "performance", NULL, _("Performance"),
               "power-profile-performance-symbolic", self->performance_view);
  _hangar_details_add_section (self, SECTION_CPU, "cpu", NULL, _("CPUs"), "system-run-symbolic",
               gtk_stack_get_child_by_name (self->stack, "cpu"));
  _hangar_details_add_section (self, SECTION_MEMORY, "memory", NULL, _("Memory"),
                               "drive-harddisk-solidstate-symbolic",
               gtk_stack_get_child_by_name (self->stack, "memory"));
  _hangar_details_add_section (self, SECTION_BOOT, "boot", NULL, _("Boot Options"),
                               "system-reboot-symbolic",
               gtk_stack_get_child_by_name (self->stack, "boot"));
  _hangar_details_add_section (self, SECTION_XML, "xml", NULL, _("XML"), "text-x-generic-symbolic",
               gtk_stack_get_child_by_name (self->stack, "xml"));
  _hangar_details_add_section (self, SECTION_SNAPSHOTS, "snapshots", NULL, _("Snapshots"),
               "camera-photo-symbolic", self->snapshots_view);
  _hangar_details_rebuild_sidebar (self);

  if (self->vm != NULL)
    {
      self->state_handler = g_signal_connect_swapped (self->vm, "notify::state",
                                                      G_CALLBACK (on_vm_state), self);
      self->defined_handler = g_signal_connect_swapped (self->vm, "definition-changed",
                                                        G_CALLBACK (on_vm_definition_changed),
                                                        self);
      hangar_details_set_fact (self->state_label, hangar_vm_get_state_label (self->vm));
    }
  _hangar_details_load (self);
}

static void
hangar_details_view_dispose (GObject *object)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->vm != NULL)
    {
      g_clear_signal_handler (&self->state_handler, self->vm);
      g_clear_signal_handler (&self->defined_handler, self->vm);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_DETAILS_VIEW);
  g_clear_object (&self->vm);
  g_clear_object (&self->config);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->boot_enabled, g_hash_table_unref);

  G_OBJECT_CLASS (hangar_details_view_parent_class)->dispose (object);
}

static void
hangar_details_view_finalize (GObject *object)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_strfreev (self->boot_order);
  g_free (self->status);
  g_free (self->refill);
  g_free (self->xml_base);
  g_free (self->os_id);

  G_OBJECT_CLASS (hangar_details_view_parent_class)->finalize (object);
}

static void
hangar_details_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  switch (prop_id)
    {
    case PROP_VM:
      g_value_set_object (value, self->vm);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_details_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  switch (prop_id)
    {
    case PROP_VM:
      self->vm = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_details_view_class_init (HangarDetailsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hangar_details_view_constructed;
  object_class->dispose = hangar_details_view_dispose;
  object_class->finalize = hangar_details_view_finalize;
  object_class->get_property = hangar_details_view_get_property;
  object_class->set_property = hangar_details_view_set_property;
  widget_class->root = hangar_details_view_root;
  widget_class->unroot = hangar_details_view_unroot;

  properties[PROP_VM] =
    g_param_spec_object ("vm", NULL, NULL, HANGAR_TYPE_VM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarDetailsView::loaded:
   *
   * The forms were (re)filled from a fresh read of the definition.
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * HangarDetailsView::applied:
   * @ok: whether libvirt took the change
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-details-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, stack);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, action_bar);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, status_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, name_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, title_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, description_view);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, facts_group);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cpu_current_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cpu_max_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cpu_max_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, topology_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, sockets_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cores_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cpu_mode_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cpu_model_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, memory_current_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, memory_max_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, host_memory_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, memory_error);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, boot_list);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, boot_menu_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, kernel_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, initrd_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cmdline_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, xml_view);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, os_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, os_button);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, os_popover);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, os_search);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, os_list);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_popover_show",
                                                G_CALLBACK (_hangar_details_on_os_popover_show));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_search_changed",
                                                G_CALLBACK (_hangar_details_on_os_search_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_search_activate",
                                                G_CALLBACK (_hangar_details_on_os_search_activate));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_row_activated",
                                                G_CALLBACK (_hangar_details_on_os_row_activated));

  gtk_widget_class_install_action (widget_class, "details.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "details.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "details.add-hardware", NULL,
                                   _hangar_details_add_hardware_action);
  gtk_widget_class_install_action (widget_class, "details.remove-hardware", "s",
                                   _hangar_details_remove_hardware_action);
  gtk_widget_class_install_action (widget_class, "details.pick-network", "(ss)",
                                   _hangar_details_pick_network_action);
}

static void
hangar_details_view_init (HangarDetailsView *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  g_autoptr(GtkSourceBuffer) buffer = NULL;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  self->boot_order = g_strdupv ((char **) boot_kinds);

  buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages,
                                                                                          "xml"));
  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes,
                                                                                  dark ? "Adwaita-dark"
                                                                                       : "Adwaita"));
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->xml_view), GTK_TEXT_BUFFER (buffer));

  /* The OS's name comes from the definition's id: text, not markup. */
  hangar_row_plain (self->os_row);
  /* "Copy the host CPU (host-passthrough)" is longer than libadwaita shows. */
  hangar_combo_row_show_whole (self->cpu_mode_row);
  self->uuid_label = hangar_details_add_fact_row (self->facts_group, _("UUID"));
  self->state_label = hangar_details_add_fact_row (self->facts_group, _("State"));
  self->hypervisor_label = hangar_details_add_fact_row (self->facts_group, _("Hypervisor"));
  self->arch_label = hangar_details_add_fact_row (self->facts_group, _("Architecture"));
  self->emulator_label = hangar_details_add_fact_row (self->facts_group, _("Emulator"));
  self->machine_label = hangar_details_add_fact_row (self->facts_group, _("Machine type"));
  self->firmware_label = hangar_details_add_fact_row (self->facts_group, _("Firmware"));

  /* Every form change re-decides Apply and Revert. */
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (_hangar_details_on_form_changed),
                            self);
  g_signal_connect_swapped (self->title_row, "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->autostart_switch, "notify::active",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->cpu_current_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->cpu_max_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_cpu_max_changed), self);
  g_signal_connect_swapped (self->topology_row, "notify::enable-expansion",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->sockets_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->cores_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->threads_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->cpu_mode_row, "notify::selected",
                            G_CALLBACK (_hangar_details_on_cpu_mode_changed), self);
  g_signal_connect_swapped (self->cpu_model_row, "notify::selected",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->memory_current_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->memory_max_spin, "value-changed",
                            G_CALLBACK (_hangar_details_on_memory_max_changed), self);
  g_signal_connect_swapped (self->boot_menu_switch, "notify::active",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->kernel_row, "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->initrd_row, "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (self->cmdline_row, "changed",
                            G_CALLBACK (_hangar_details_on_form_changed), self);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (_hangar_details_on_form_changed), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.apply", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.revert", FALSE);
}

/**
 * hangar_details_view_new:
 * @vm: the machine
 *
 * A view of @vm's settings. It reads the definition at once, and again
 * when the machine starts or stops, when libvirt says its definition
 * changed, and when its window becomes active again.
 *
 * Returns: (transfer floating): the view
 */
GtkWidget *
hangar_details_view_new (HangarVm *vm)
{
  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);
  return g_object_new (HANGAR_TYPE_DETAILS_VIEW, "vm", vm, NULL);
}

HangarVm *
hangar_details_view_get_vm (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);
  return self->vm;
}

/* Returns: (transfer none) (nullable): what the forms were filled from */
HangarVmConfig *
hangar_details_view_get_config (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);
  return self->config;
}

/* Reads the definition again; sections with unapplied edits keep them. */
void
hangar_details_view_reload (HangarDetailsView *self)
{
  g_return_if_fail (HANGAR_IS_DETAILS_VIEW (self));
  _hangar_details_load (self);
  hangar_snapshots_view_reload (HANGAR_SNAPSHOTS_VIEW (self->snapshots_view));
}

/* Whether a read or an apply is under way. */
gboolean
hangar_details_view_is_busy (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), FALSE);
  return self->busy;
}

/* The visible section: "overview", "cpu", "memory", "boot", "disk-TARGET",
 * "nic-MAC", "xml" or "snapshots". */
const char *
hangar_details_view_get_section (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
hangar_details_view_select_section (HangarDetailsView *self,
                                    const char        *id)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "hangar-section"), id) == 0)
      {
        gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
        return TRUE;
      }
  return FALSE;
}

/* Returns: (transfer full): the sections' ids, in sidebar order */
char **
hangar_details_view_list_sections (HangarDetailsView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);
  for (guint i = 0; i < self->sections->len; i++)
    g_strv_builder_add (builder, ((Section *) g_ptr_array_index (self->sections, i))->id);
  return g_strv_builder_end (builder);
}

/* Whether any section has edits not applied: ask before closing. */
gboolean
hangar_details_view_has_unapplied_changes (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), FALSE);

  for (guint i = 0; i < self->sections->len; i++)
    if (_hangar_details_section_dirty (self, g_ptr_array_index (self->sections, i)))
      return TRUE;
  return FALSE;
}

/* The line under the form: what the last apply did, or why it failed. */
const char *
hangar_details_view_get_status (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), NULL);
  return self->status;
}

gboolean
hangar_details_view_get_status_is_error (HangarDetailsView *self)
{
  g_return_val_if_fail (HANGAR_IS_DETAILS_VIEW (self), FALSE);
  return self->status_is_error;
}
