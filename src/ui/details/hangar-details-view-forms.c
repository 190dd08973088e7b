/* hangar-details-view-forms.c — the details view's forms: filled, read back, compared.
 *
 * Each section's fill_* puts the HangarVmConfig's values in its widgets;
 * form_* reads them back as settings; section_dirty compares the two, which
 * decides Apply and Revert.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-combo-row.h"
#include "hangar-connection.h"
#include "hangar-details-rows.h"
#include "hangar-details-view-private.h"
#include "hangar-device-section.h"
#include "hangar-disk-form.h"
#include "hangar-install-checks.h"
#include "hangar-os.h"
#include "hangar-nic-form.h"
#include "hangar-vm.h"
#include "hangar-plain-text.h"

/* --- small form helpers ----------------------------------------------------- */

static const char *
boot_kind_label (const char *kind)
{
  if (g_str_equal (kind, "hd"))
    return _("Hard disk");
  if (g_str_equal (kind, "cdrom"))
    return _("CD/DVD drive");
  if (g_str_equal (kind, "network"))
    return _("Network (PXE)");
  if (g_str_equal (kind, "fd"))
    return _("Floppy");
  return kind;
}

static char *
description_text (HangarDetailsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
_hangar_details_xml_text (HangarDetailsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->xml_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* --- the operating system ------------------------------------------------- */

/* The row says what the machine runs by name; the id is in the XML. */
static void
show_os (HangarDetailsView *self)
{
  g_autofree char *name = NULL;

  if (self->os_id != NULL && g_strcmp0 (self->os_id, hangar_vm_config_get_os_id (self->config)) == 0)
    name = g_strdup (hangar_vm_config_get_os_name (self->config));
  else
    name = hangar_os_name_for_id (hangar_vm_config_get_os_db (self->config), self->os_id);
  adw_action_row_set_subtitle (self->os_row, name ? name : _("Not recorded"));
}

static GtkWidget *
os_choice_row (const char *id,
               const char *title,
               const char *subtitle)
{
  /* Names from the osinfo database: text, not markup. */
  GtkWidget *row = hangar_row_plain (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data_full (G_OBJECT (row), "hangar-os-id", g_strdup (id), g_free);
  return row;
}

/* Like the wizard's OS step: what matches the search, newest first, and
 * the generic Linux that fits what the database does not know yet. */
static void
fill_os_list (HangarDetailsView *self)
{
  OsinfoDb *db = self->config ? hangar_vm_config_get_os_db (self->config) : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->os_search));
  g_autoptr(GPtrArray) matches = NULL;
  OsinfoOs *generic;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->os_list))) != NULL)
    gtk_list_box_remove (self->os_list, child);
  if (db == NULL)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none),
                                     _("The operating system database could not be read."));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (none), FALSE);
      gtk_list_box_append (self->os_list, none);
      return;
    }

  matches = hangar_os_search (db, text, 12);
  for (guint i = 0; i < matches->len; i++)
    {
      OsinfoProduct *os = g_ptr_array_index (matches, i);

      gtk_list_box_append (self->os_list,
                           os_choice_row (osinfo_entity_get_id (OSINFO_ENTITY (os)),
                                          osinfo_product_get_name (os),
                                          osinfo_product_get_short_id (os)));
    }
  if (*text != '\0' && matches->len == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none),
                                     _("Nothing matches: a generic system below fits most "
                                       "new releases."));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (none), FALSE);
      gtk_widget_add_css_class (none, "dim-label");
      gtk_list_box_append (self->os_list, none);
    }
  if ((generic = hangar_os_find_generic (db, "linux")) != NULL)
    gtk_list_box_append (self->os_list,
                         os_choice_row (osinfo_entity_get_id (OSINFO_ENTITY (generic)),
                                        _("Generic Linux"),
                                        osinfo_product_get_name (OSINFO_PRODUCT (generic))));
}

void
_hangar_details_on_os_popover_show (HangarDetailsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->os_search), "");
  fill_os_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->os_search));
}

void
_hangar_details_on_os_search_changed (HangarDetailsView *self)
{
  fill_os_list (self);
}

static void
choose_os (HangarDetailsView *self,
           const char        *id)
{
  if (id == NULL)
    return;
  g_free (self->os_id);
  self->os_id = g_strdup (id);
  show_os (self);
  gtk_popover_popdown (self->os_popover);
  _hangar_details_on_form_changed (self);
}

/* Return in the search takes the first match, as in a search field anywhere. */
void
_hangar_details_on_os_search_activate (HangarDetailsView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->os_list, 0);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->os_search)) == '\0')
    return;
  if (row != NULL && gtk_list_box_row_get_activatable (row))
    choose_os (self, g_object_get_data (G_OBJECT (row), "hangar-os-id"));
}

void
_hangar_details_on_os_row_activated (HangarDetailsView *self,
                                     GtkListBoxRow     *row)
{
  choose_os (self, g_object_get_data (G_OBJECT (row), "hangar-os-id"));
}

/* --- forms: from the config ---------------------------------------------- */

static void
fill_overview (HangarDetailsView *self)
{
  g_auto(HangarOverviewSettings) s = { 0 };
  gboolean active = hangar_vm_config_is_active (self->config);

  hangar_vm_config_get_overview (self->config, &s);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), s.name ? s.name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), s.title ? s.title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                            s.description ? s.description : "", -1);
  gtk_switch_set_active (self->autostart_switch, s.autostart);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !active);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row),
                               active ? _("Shut the machine down to rename it") : NULL);

  hangar_details_set_fact (self->uuid_label, hangar_vm_config_get_uuid (self->config));
  hangar_details_set_fact (self->hypervisor_label, hangar_vm_config_get_hypervisor (self->config));
  hangar_details_set_fact (self->arch_label, hangar_vm_config_get_arch (self->config));
  hangar_details_set_fact (self->emulator_label, hangar_vm_config_get_emulator (self->config));
  hangar_details_set_fact (self->machine_label, hangar_vm_config_get_machine_type (self->config));
  hangar_details_set_fact (self->firmware_label, hangar_vm_config_get_firmware (self->config));
  g_free (self->os_id);
  self->os_id = g_strdup (s.os_id);
  show_os (self);
}

static void
fill_cpu (HangarDetailsView *self)
{
  g_auto(HangarCpuSettings) s = { 0 };
  g_auto(HangarCpuSettings) live = { 0 };
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  const char * const *known = hangar_vm_config_get_cpu_models (self->config);
  g_autofree char *host = NULL;

  hangar_vm_config_get_cpu (self->config, FALSE, &s);
  hangar_vm_config_get_cpu (self->config, TRUE, &live);

  gtk_spin_button_set_value (self->cpu_max_spin, s.maximum);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->cpu_current_spin), s.maximum);
  gtk_spin_button_set_value (self->cpu_current_spin, s.current);
  host = g_strdup_printf (_("The host has %u CPUs. A running machine keeps the maximum it "
                            "started with (%u)."),
                          hangar_vm_config_get_host_cpus (self->config), live.maximum);
  adw_action_row_set_subtitle (self->cpu_max_row, host);

  adw_expander_row_set_enable_expansion (self->topology_row, s.sockets || s.cores || s.threads);
  gtk_spin_button_set_value (self->sockets_spin, MAX (s.sockets, 1));
  gtk_spin_button_set_value (self->cores_spin, MAX (s.cores, 1));
  gtk_spin_button_set_value (self->threads_spin, MAX (s.threads, 1));

  hangar_details_combo_setup (self->cpu_mode_row, cpu_modes, _("Hypervisor default"));
  {
    /* The mode list has its own words; the values stay libvirt's. */
    GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (self->cpu_mode_row));
    const char *labels[] = { _("Hypervisor default"), _("Copy the host CPU (host-passthrough)"),
                             _("Like the host CPU (host-model)"), _("Named model"), NULL };

    gtk_string_list_splice (list, 0, 4, labels);
  }
  hangar_details_combo_set (self->cpu_mode_row, s.mode);

  for (guint i = 0; known[i]; i++)
    g_strv_builder_add (values, known[i]);
  {
    g_auto(GStrv) v = g_strv_builder_end (values);

    hangar_details_combo_setup (self->cpu_model_row, (const char * const *) v, "");
  }
  if (s.model != NULL)
    hangar_details_combo_set (self->cpu_model_row, s.model);
  gtk_widget_set_visible (GTK_WIDGET (self->cpu_model_row), g_strcmp0 (s.mode, "custom") == 0);
}

static void
fill_memory (HangarDetailsView *self)
{
  HangarMemorySettings s;
  g_autofree char *host = NULL;
  g_autofree char *size = NULL;

  hangar_vm_config_get_memory (self->config, FALSE, &s);
  gtk_spin_button_set_value (self->memory_max_spin, (double) (s.maximum_kib / 1024));
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->memory_current_spin),
                            (double) (s.maximum_kib / 1024));
  gtk_spin_button_set_value (self->memory_current_spin, (double) (s.current_kib / 1024));

  size = g_format_size_full (hangar_vm_config_get_host_memory_kib (self->config) * 1024,
                             G_FORMAT_SIZE_IEC_UNITS);
  host = g_strdup_printf (_("%s in total"), size);
  adw_action_row_set_subtitle (self->host_memory_row, host);
}

static void
rebuild_boot_list (HangarDetailsView *self)
{
  GtkWidget *row;
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  if (self->boot_enabled != NULL)
    {
      g_hash_table_iter_init (&iter, self->boot_enabled);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (gtk_check_button_get_active (value))
          g_hash_table_add (checked, g_strdup (key));
    }
  g_clear_pointer (&self->boot_enabled, g_hash_table_unref);
  self->boot_enabled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->boot_list))) != NULL)
    gtk_list_box_remove (self->boot_list, row);

  for (guint i = 0; self->boot_order[i]; i++)
    {
      const char *kind = self->boot_order[i];
      GtkWidget *action_row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *up = gtk_button_new_from_icon_name ("go-up-symbolic");
      GtkWidget *down = gtk_button_new_from_icon_name ("go-down-symbolic");
      g_autofree char *name = g_strdup_printf ("boot-%s", kind);
      g_autofree char *up_name = g_strdup_printf ("boot-up-%s", kind);
      g_autofree char *down_name = g_strdup_printf ("boot-down-%s", kind);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), boot_kind_label (kind));
      gtk_widget_set_name (check, name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (checked, kind));
      adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (action_row), check);
      g_signal_connect_swapped (check, "notify::active",
                                G_CALLBACK (_hangar_details_on_form_changed), self);

      for (guint b = 0; b < 2; b++)
        {
          GtkWidget *button = b == 0 ? up : down;

          gtk_widget_set_name (button, b == 0 ? up_name : down_name);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "flat");
          gtk_widget_set_tooltip_text (button, b == 0 ? _("Move up") : _("Move down"));
          /* An icon alone: the tooltip is its only name, for screen readers too. */
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          b == 0 ? _("Move up") : _("Move down"), -1);
          gtk_widget_set_sensitive (button, b == 0 ? i > 0 : self->boot_order[i + 1] != NULL);
          g_object_set_data_full (G_OBJECT (button), "hangar-kind", g_strdup (kind), g_free);
          g_object_set_data (G_OBJECT (button), "hangar-delta", GINT_TO_POINTER (b == 0 ? -1 : 1));
          g_signal_connect (button, "clicked", G_CALLBACK (_hangar_details_move_boot), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), button);
        }

      g_hash_table_insert (self->boot_enabled, g_strdup (kind), check);
      gtk_list_box_append (self->boot_list, action_row);
    }
}

void
_hangar_details_move_boot (GtkButton         *button,
                           HangarDetailsView *self)
{
  const char *kind = g_object_get_data (G_OBJECT (button), "hangar-kind");
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "hangar-delta"));
  guint n = g_strv_length (self->boot_order);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (self->boot_order[i], kind))
      {
        int j = (int) i + delta;
        char *tmp;

        if (j < 0 || j >= (int) n)
          return;
        tmp = self->boot_order[i];
        self->boot_order[i] = self->boot_order[j];
        self->boot_order[j] = tmp;
        break;
      }
  rebuild_boot_list (self);
  _hangar_details_on_form_changed (self);
}

static void
fill_boot (HangarDetailsView *self)
{
  g_auto(HangarBootSettings) s = { 0 };
  g_autoptr(GStrvBuilder) order = g_strv_builder_new ();

  hangar_vm_config_get_boot (self->config, &s);

  /* The chosen devices first, in their order, then the others. */
  for (guint i = 0; s.order && s.order[i]; i++)
    if (g_strv_contains (boot_kinds, s.order[i]))
      g_strv_builder_add (order, s.order[i]);
  for (guint i = 0; boot_kinds[i]; i++)
    if (s.order == NULL || !g_strv_contains ((const char * const *) s.order, boot_kinds[i]))
      g_strv_builder_add (order, boot_kinds[i]);
  g_clear_pointer (&self->boot_order, g_strfreev);
  self->boot_order = g_strv_builder_end (order);

  g_clear_pointer (&self->boot_enabled, g_hash_table_unref);
  rebuild_boot_list (self);
  for (guint i = 0; s.order && s.order[i]; i++)
    {
      GtkCheckButton *check = g_hash_table_lookup (self->boot_enabled, s.order[i]);

      if (check != NULL)
        gtk_check_button_set_active (check, TRUE);
    }

  gtk_switch_set_active (self->boot_menu_switch, s.menu);
  gtk_editable_set_text (GTK_EDITABLE (self->kernel_row), s.kernel ? s.kernel : "");
  gtk_editable_set_text (GTK_EDITABLE (self->initrd_row), s.initrd ? s.initrd : "");
  gtk_editable_set_text (GTK_EDITABLE (self->cmdline_row), s.cmdline ? s.cmdline : "");
}

static void
fill_xml (HangarDetailsView *self)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->xml_view)),
                            hangar_vm_config_get_xml (self->config), -1);
  /* An edited buffer outlives reloads; applying it must not revert what
   * changed meanwhile, so the worker compares against this. */
  g_free (self->xml_base);
  self->xml_base = g_strdup (hangar_vm_config_get_xml (self->config));
}

/* Defines the editor's text; unless @overwrite, only over the definition
 * the editor was filled from. */
void
_hangar_details_apply_xml (HangarDetailsView *self,
                           gboolean           overwrite)
{
  g_autofree char *text = _hangar_details_xml_text (self);

  self->busy = TRUE;
  _hangar_details_set_status (self, _("Applying…"), FALSE);
  hangar_vm_config_define_xml_async (self->vm, text, overwrite ? NULL : self->xml_base,
                                     self->cancellable, _hangar_details_apply_done,
                                     g_object_ref (self));
}

static void
on_xml_changed_response (AdwMessageDialog  *dialog,
                         const char        *response,
                         HangarDetailsView *self)
{
  if (self->vm == NULL || self->busy)
    return;
  if (g_strcmp0 (response, "reload") == 0)
    {
      /* The edit goes; the editor shows what libvirt has now. */
      g_free (self->refill);
      self->refill = g_strdup ("xml");
      _hangar_details_set_status (self, NULL, FALSE);
      _hangar_details_load (self);
    }
  else if (g_strcmp0 (response, "overwrite") == 0)
    _hangar_details_apply_xml (self, TRUE);
}

/* The definition changed under the XML editor: the user picks which wins. */
void
_hangar_details_ask_xml_changed (HangarDetailsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("The Definition Changed"),
                                   _("The machine’s definition changed since you opened it in "
                                     "the XML editor, in Hangar or elsewhere. Reload discards "
                                     "your edit and shows the current definition; Overwrite "
                                     "saves your edit and undoes the other changes."));
  gtk_widget_set_name (dialog, "details-xml-changed-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reload", _("_Reload"),
                                    "overwrite", _("_Overwrite"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "overwrite",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reload");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_xml_changed_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_hangar_details_fill_section (HangarDetailsView *self,
                              Section           *section)
{
  if (self->config == NULL)
    return;

  self->filling++;
  switch (section->kind)
    {
    case SECTION_OVERVIEW:
      fill_overview (self);
      break;
    case SECTION_CPU:
      fill_cpu (self);
      break;
    case SECTION_MEMORY:
      fill_memory (self);
      break;
    case SECTION_BOOT:
      fill_boot (self);
      break;
    case SECTION_DISK:
      hangar_disk_form_set_config (HANGAR_DISK_FORM (section->page), self->config);
      break;
    case SECTION_NIC:
      hangar_nic_form_set_config (HANGAR_NIC_FORM (section->page), self->config);
      break;
    case SECTION_DEVICE:
      hangar_device_section_set_config (HANGAR_DEVICE_SECTION (section->page), self->config);
      break;
    case SECTION_XML:
      fill_xml (self);
      break;
    case SECTION_PERFORMANCE:
    case SECTION_SNAPSHOTS:
    default:
      break;
    }
  self->filling--;
}

/* --- forms: to settings ---------------------------------------------------- */

void
_hangar_details_form_overview (HangarDetailsView      *self,
                               HangarOverviewSettings *s)
{
  s->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  s->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  s->description = description_text (self);
  s->autostart = gtk_switch_get_active (self->autostart_switch);
  s->os_id = g_strdup (self->os_id);
}

void
_hangar_details_form_cpu (HangarDetailsView *self,
                          HangarCpuSettings *s)
{
  s->current = gtk_spin_button_get_value_as_int (self->cpu_current_spin);
  s->maximum = gtk_spin_button_get_value_as_int (self->cpu_max_spin);
  if (adw_expander_row_get_enable_expansion (self->topology_row))
    {
      s->sockets = gtk_spin_button_get_value_as_int (self->sockets_spin);
      s->cores = gtk_spin_button_get_value_as_int (self->cores_spin);
      s->threads = gtk_spin_button_get_value_as_int (self->threads_spin);
    }
  s->mode = g_strdup (hangar_details_combo_get (self->cpu_mode_row));
  if (g_strcmp0 (s->mode, "custom") == 0)
    s->model = g_strdup (hangar_details_combo_get (self->cpu_model_row));
}

void
_hangar_details_form_memory (HangarDetailsView    *self,
                             HangarMemorySettings *s)
{
  s->current_kib = (guint64) gtk_spin_button_get_value_as_int (self->memory_current_spin) * 1024;
  s->maximum_kib = (guint64) gtk_spin_button_get_value_as_int (self->memory_max_spin) * 1024;
}

void
_hangar_details_form_boot (HangarDetailsView  *self,
                           HangarBootSettings *s)
{
  g_autoptr(GStrvBuilder) order = g_strv_builder_new ();

  for (guint i = 0; self->boot_order && self->boot_order[i]; i++)
    {
      GtkCheckButton *check = g_hash_table_lookup (self->boot_enabled, self->boot_order[i]);

      if (check != NULL && gtk_check_button_get_active (check))
        g_strv_builder_add (order, self->boot_order[i]);
    }
  s->order = g_strv_builder_end (order);
  s->menu = gtk_switch_get_active (self->boot_menu_switch);
  s->kernel = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->kernel_row)));
  s->initrd = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->initrd_row)));
  s->cmdline = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->cmdline_row)));
}

gboolean
_hangar_details_section_dirty (HangarDetailsView *self,
                               Section           *section)
{
  if (self->config == NULL)
    return FALSE;

  switch (section->kind)
    {
    case SECTION_OVERVIEW:
      {
        g_auto(HangarOverviewSettings) now = { 0 };
        g_auto(HangarOverviewSettings) form = { 0 };

        hangar_vm_config_get_overview (self->config, &now);
        _hangar_details_form_overview (self, &form);
        return !hangar_overview_settings_equal (&now, &form);
      }
    case SECTION_CPU:
      {
        g_auto(HangarCpuSettings) now = { 0 };
        g_auto(HangarCpuSettings) form = { 0 };

        hangar_vm_config_get_cpu (self->config, FALSE, &now);
        _hangar_details_form_cpu (self, &form);
        return !hangar_cpu_settings_equal (&now, &form);
      }
    case SECTION_MEMORY:
      {
        HangarMemorySettings now, form;

        hangar_vm_config_get_memory (self->config, FALSE, &now);
        _hangar_details_form_memory (self, &form);
        /* The form counts in MiB. */
        return now.current_kib / 1024 != form.current_kib / 1024
               || now.maximum_kib / 1024 != form.maximum_kib / 1024;
      }
    case SECTION_BOOT:
      {
        g_auto(HangarBootSettings) now = { 0 };
        g_auto(HangarBootSettings) form = { 0 };

        hangar_vm_config_get_boot (self->config, &now);
        _hangar_details_form_boot (self, &form);
        return !hangar_boot_settings_equal (&now, &form);
      }
    case SECTION_DISK:
      return hangar_disk_form_is_dirty (HANGAR_DISK_FORM (section->page));
    case SECTION_NIC:
      return hangar_nic_form_is_dirty (HANGAR_NIC_FORM (section->page));
    case SECTION_DEVICE:
      return hangar_device_section_is_dirty (HANGAR_DEVICE_SECTION (section->page));
    case SECTION_XML:
      {
        g_autofree char *text = _hangar_details_xml_text (self);

        return g_strcmp0 (text, hangar_vm_config_get_xml (self->config)) != 0;
      }
    case SECTION_PERFORMANCE:
    case SECTION_SNAPSHOTS:
    default:
      return FALSE;
    }
}

void
_hangar_details_on_cpu_max_changed (HangarDetailsView *self)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->cpu_current_spin);

  gtk_adjustment_set_upper (adj, gtk_spin_button_get_value (self->cpu_max_spin));
  _hangar_details_on_form_changed (self);
}

void
_hangar_details_on_memory_max_changed (HangarDetailsView *self)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->memory_current_spin);
  double maximum = gtk_spin_button_get_value (self->memory_max_spin);

  /* A 0 on its way to another number is refused, not a reason to clamp
   * the current allocation to 0 behind the user's back. */
  if (maximum >= 1)
    gtk_adjustment_set_upper (adj, maximum);
  _hangar_details_on_form_changed (self);
}

static void
show_spin_error (GtkSpinButton *spin,
                 const char    *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (spin), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else if (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (spin), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_FALSE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      "", -1);
    }
}

/* Returns: whether the memory form holds values the new-machine wizard
 * would accept too; if not, the message shows under the form and the
 * field at fault is marked. */
gboolean
_hangar_details_check_memory (HangarDetailsView *self)
{
  g_autoptr(GError) error = NULL;
  HangarMemorySettings form;
  gboolean current_at_fault = FALSE;
  gboolean ok;

  if (self->config == NULL)
    return TRUE;

  _hangar_details_form_memory (self, &form);
  ok = hangar_check_memory_allocation (form.current_kib / 1024, form.maximum_kib / 1024,
                                       hangar_vm_config_get_host_memory_kib (self->config) / 1024,
                                       &current_at_fault, &error);
  gtk_label_set_text (self->memory_error, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->memory_error), !ok);
  show_spin_error (self->memory_max_spin, !ok && !current_at_fault ? error->message : NULL);
  show_spin_error (self->memory_current_spin, !ok && current_at_fault ? error->message : NULL);
  return ok;
}

void
_hangar_details_on_cpu_mode_changed (HangarDetailsView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->cpu_model_row),
                          g_strcmp0 (hangar_details_combo_get (self->cpu_mode_row),
                                     "custom") == 0);
  _hangar_details_on_form_changed (self);
}
