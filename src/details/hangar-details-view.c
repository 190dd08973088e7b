/* hangar-details-view.c — a machine's settings: a sidebar of sections, each a form.
 *
 * The forms show a HangarVmConfig read in a worker. Each section compares
 * its form with the config to decide whether Apply and Revert are enabled;
 * Apply hands the form's values to the matching HangarVmConfig call, then
 * reads the definition again. A reload refills only the sections without
 * unapplied edits, so a state change never eats what the user typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "hangar-connection.h"
#include "hangar-details-view.h"
#include "hangar-performance-view.h"
#include "hangar-snapshots-view.h"
#include "hangar-vm.h"

typedef enum
{
  SECTION_OVERVIEW,
  SECTION_PERFORMANCE,
  SECTION_CPU,
  SECTION_MEMORY,
  SECTION_BOOT,
  SECTION_DISK,
  SECTION_NIC,
  SECTION_XML,
  SECTION_SNAPSHOTS,
} SectionKind;

typedef struct
{
  SectionKind  kind;
  char        *id;
  char        *key;       /* disk target or MAC */
  char        *title;
  const char  *icon;
  GtkWidget   *page;      /* borrowed: the stack owns it */
  GtkWidget   *edited;    /* borrowed: the sidebar row's “unapplied” mark */

  /* Device forms */
  AdwEntryRow *path_row;
  AdwComboRow *bus_row;
  AdwComboRow *cache_row;
  GtkSwitch   *readonly_switch;
  GtkSwitch   *shareable_switch;
  AdwComboRow *nic_type_row;
  AdwEntryRow *source_row;
  AdwComboRow *model_row;
  GtkSwitch   *link_switch;
} Section;

struct _HangarDetailsView
{
  AdwBin           parent_instance;

  /* Template */
  GtkListBox      *sidebar;
  GtkStack        *stack;
  GtkWidget       *action_bar;
  GtkLabel        *status_label;
  AdwEntryRow     *name_row;
  AdwEntryRow     *title_row;
  GtkSwitch       *autostart_switch;
  GtkTextView     *description_view;
  AdwPreferencesGroup *facts_group;
  GtkSpinButton   *cpu_current_spin;
  GtkSpinButton   *cpu_max_spin;
  AdwActionRow    *cpu_max_row;
  AdwExpanderRow  *topology_row;
  GtkSpinButton   *sockets_spin;
  GtkSpinButton   *cores_spin;
  GtkSpinButton   *threads_spin;
  AdwComboRow     *cpu_mode_row;
  AdwComboRow     *cpu_model_row;
  GtkSpinButton   *memory_current_spin;
  GtkSpinButton   *memory_max_spin;
  AdwActionRow    *host_memory_row;
  GtkListBox      *boot_list;
  GtkSwitch       *boot_menu_switch;
  AdwEntryRow     *kernel_row;
  AdwEntryRow     *initrd_row;
  AdwEntryRow     *cmdline_row;
  GtkSourceView   *xml_view;

  /* Facts */
  GtkLabel        *uuid_label;
  GtkLabel        *state_label;
  GtkLabel        *hypervisor_label;
  GtkLabel        *arch_label;
  GtkLabel        *emulator_label;
  GtkLabel        *machine_label;
  GtkLabel        *firmware_label;
  GtkLabel        *os_label;

  HangarVm        *vm;
  HangarVmConfig  *config;
  GCancellable    *cancellable;
  GPtrArray       *sections;      /* Section */
  GtkWidget       *snapshots_view;
  GtkWidget       *performance_view;
  GStrv            boot_order;    /* the list's order, every kind */
  GHashTable      *boot_enabled;  /* kind → GtkCheckButton */
  char            *status;
  char            *refill;        /* a section to refill even when edited */
  gulong           state_handler;
  guint            filling;
  guint            busy : 1;
  guint            status_is_error : 1;
  guint            reload_again : 1;
};

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

static const char * const boot_kinds[] = { "hd", "cdrom", "network", "fd", NULL };
static const char * const disk_buses[] = { "virtio", "sata", "scsi", "ide", "usb", "fdc", NULL };
static const char * const disk_caches[] = { "", "none", "writeback", "writethrough",
                                            "directsync", "unsafe", NULL };
static const char * const nic_types[] = { "network", "bridge", NULL };
static const char * const nic_models[] = { "virtio", "e1000e", "e1000", "rtl8139", NULL };
static const char * const cpu_modes[] = { "", "host-passthrough", "host-model", "custom", NULL };

static void update_actions   (HangarDetailsView *self);
static void load             (HangarDetailsView *self);

static void
section_free (Section *section)
{
  g_free (section->id);
  g_free (section->key);
  g_free (section->title);
  g_free (section);
}

static Section *
find_section (HangarDetailsView *self,
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
  return find_section (self, gtk_stack_get_visible_child_name (self->stack));
}

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

/* Combo rows show values; an unknown value from the XML is added, not lost.
 * The empty string stands for “not set” and shows @empty_label. */
static void
combo_setup (AdwComboRow        *row,
             const char * const *values,
             const char         *empty_label)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; values[i]; i++)
    gtk_string_list_append (list, *values[i] ? values[i] : empty_label);
  g_object_set_data_full (G_OBJECT (row), "hangar-values",
                          g_strdupv ((char **) values), (GDestroyNotify) g_strfreev);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static void
combo_set (AdwComboRow *row,
           const char  *value)
{
  char **v = g_object_get_data (G_OBJECT (row), "hangar-values");
  guint i;

  if (value == NULL)
    value = "";
  for (i = 0; v && v[i]; i++)
    if (g_str_equal (v[i], value))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }

  /* Not one we offer: keep it. */
  {
    GStrvBuilder *builder = g_strv_builder_new ();
    char **grown;

    g_strv_builder_addv (builder, (const char **) v);
    g_strv_builder_add (builder, value);
    grown = g_strv_builder_end (builder);
    g_strv_builder_unref (builder);
    g_object_set_data_full (G_OBJECT (row), "hangar-values", grown, (GDestroyNotify) g_strfreev);
    gtk_string_list_append (GTK_STRING_LIST (adw_combo_row_get_model (row)), value);
    adw_combo_row_set_selected (row, i);
  }
}

static const char *
combo_get (AdwComboRow *row)
{
  char **v = g_object_get_data (G_OBJECT (row), "hangar-values");
  guint selected = adw_combo_row_get_selected (row);

  if (v == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (v))
    return NULL;
  return *v[selected] ? v[selected] : NULL;
}

static char *
description_text (HangarDetailsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
xml_text (HangarDetailsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->xml_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_fact (GtkLabel   *label,
          const char *value)
{
  gtk_label_set_text (label, value && *value ? value : _("—"));
}

static GtkLabel *
add_fact_row (HangarDetailsView   *self,
              AdwPreferencesGroup *group,
              const char          *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Not wrapped: GTK 4.8 mis-measures wrapping labels in a row's suffix. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  return GTK_LABEL (label);
}

/* --- forms: from the config ---------------------------------------------- */

static void
fill_overview (HangarDetailsView *self)
{
  g_auto(HangarOverviewSettings) s = { 0 };
  g_autofree char *os = NULL;
  const char *os_id = hangar_vm_config_get_os_id (self->config);
  const char *os_name = hangar_vm_config_get_os_name (self->config);
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

  set_fact (self->uuid_label, hangar_vm_config_get_uuid (self->config));
  set_fact (self->hypervisor_label, hangar_vm_config_get_hypervisor (self->config));
  set_fact (self->arch_label, hangar_vm_config_get_arch (self->config));
  set_fact (self->emulator_label, hangar_vm_config_get_emulator (self->config));
  set_fact (self->machine_label, hangar_vm_config_get_machine_type (self->config));
  set_fact (self->firmware_label, hangar_vm_config_get_firmware (self->config));
  if (os_id != NULL && os_name != NULL)
    os = g_strdup_printf ("%s (%s)", os_name, os_id);
  else if (os_id != NULL)
    os = g_strdup (os_id);
  set_fact (self->os_label, os ? os : _("Not recorded"));
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

  combo_setup (self->cpu_mode_row, cpu_modes, _("Hypervisor default"));
  {
    /* The mode list has its own words; the values stay libvirt's. */
    GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (self->cpu_mode_row));
    const char *labels[] = { _("Hypervisor default"), _("Copy the host CPU (host-passthrough)"),
                             _("Like the host CPU (host-model)"), _("Named model"), NULL };

    gtk_string_list_splice (list, 0, 4, labels);
  }
  combo_set (self->cpu_mode_row, s.mode);

  for (guint i = 0; known[i]; i++)
    g_strv_builder_add (values, known[i]);
  {
    g_auto(GStrv) v = g_strv_builder_end (values);

    combo_setup (self->cpu_model_row, (const char * const *) v, "");
  }
  if (s.model != NULL)
    combo_set (self->cpu_model_row, s.model);
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

static void on_form_changed (HangarDetailsView *self);

static void
move_boot (GtkButton         *button,
           HangarDetailsView *self);

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
      g_signal_connect_swapped (check, "notify::active", G_CALLBACK (on_form_changed), self);

      for (guint b = 0; b < 2; b++)
        {
          GtkWidget *button = b == 0 ? up : down;

          gtk_widget_set_name (button, b == 0 ? up_name : down_name);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "flat");
          gtk_widget_set_tooltip_text (button, b == 0 ? _("Move up") : _("Move down"));
          gtk_widget_set_sensitive (button, b == 0 ? i > 0 : self->boot_order[i + 1] != NULL);
          g_object_set_data_full (G_OBJECT (button), "hangar-kind", g_strdup (kind), g_free);
          g_object_set_data (G_OBJECT (button), "hangar-delta", GINT_TO_POINTER (b == 0 ? -1 : 1));
          g_signal_connect (button, "clicked", G_CALLBACK (move_boot), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), button);
        }

      g_hash_table_insert (self->boot_enabled, g_strdup (kind), check);
      gtk_list_box_append (self->boot_list, action_row);
    }
}

static void
move_boot (GtkButton         *button,
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
  on_form_changed (self);
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
}

static HangarDiskSettings *
config_disk (HangarDetailsView *self,
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

static HangarNicSettings *
config_nic (HangarDetailsView *self,
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

static void
fill_disk (HangarDetailsView *self,
           Section           *section)
{
  g_autoptr(HangarDiskSettings) disk = config_disk (self, section->key);

  if (disk == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (section->path_row), disk->path ? disk->path : "");
  combo_set (section->bus_row, disk->bus);
  combo_set (section->cache_row, disk->cache);
  gtk_switch_set_active (section->readonly_switch, disk->readonly);
  gtk_switch_set_active (section->shareable_switch, disk->shareable);
}

static void
fill_nic (HangarDetailsView *self,
          Section           *section)
{
  g_autoptr(HangarNicSettings) nic = config_nic (self, section->key);
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
  combo_set (section->nic_type_row, nic->type);
  gtk_editable_set_text (GTK_EDITABLE (section->source_row), nic->source ? nic->source : "");
  combo_set (section->model_row, nic->model);
  gtk_switch_set_active (section->link_switch, nic->link_up);
}

static void
fill_section (HangarDetailsView *self,
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
      fill_disk (self, section);
      break;
    case SECTION_NIC:
      fill_nic (self, section);
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

static void
form_overview (HangarDetailsView      *self,
               HangarOverviewSettings *s)
{
  s->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  s->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  s->description = description_text (self);
  s->autostart = gtk_switch_get_active (self->autostart_switch);
}

static void
form_cpu (HangarDetailsView *self,
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
  s->mode = g_strdup (combo_get (self->cpu_mode_row));
  if (g_strcmp0 (s->mode, "custom") == 0)
    s->model = g_strdup (combo_get (self->cpu_model_row));
}

static void
form_memory (HangarDetailsView    *self,
             HangarMemorySettings *s)
{
  s->current_kib = (guint64) gtk_spin_button_get_value_as_int (self->memory_current_spin) * 1024;
  s->maximum_kib = (guint64) gtk_spin_button_get_value_as_int (self->memory_max_spin) * 1024;
}

static void
form_boot (HangarDetailsView  *self,
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

static HangarDiskSettings *
form_disk (HangarDetailsView *self,
           Section           *section)
{
  HangarDiskSettings *disk = config_disk (self, section->key);

  if (disk == NULL)
    return NULL;
  g_free (disk->path);
  disk->path = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->path_row)));
  g_free (disk->bus);
  disk->bus = g_strdup (combo_get (section->bus_row));
  g_free (disk->cache);
  disk->cache = g_strdup (combo_get (section->cache_row));
  disk->readonly = gtk_switch_get_active (section->readonly_switch);
  disk->shareable = gtk_switch_get_active (section->shareable_switch);
  return disk;
}

static HangarNicSettings *
form_nic (HangarDetailsView *self,
          Section           *section)
{
  HangarNicSettings *nic = config_nic (self, section->key);

  if (nic == NULL)
    return NULL;
  g_free (nic->type);
  nic->type = g_strdup (combo_get (section->nic_type_row));
  g_free (nic->source);
  nic->source = g_strdup (gtk_editable_get_text (GTK_EDITABLE (section->source_row)));
  g_free (nic->model);
  nic->model = g_strdup (combo_get (section->model_row));
  nic->link_up = gtk_switch_get_active (section->link_switch);
  return nic;
}

static gboolean
section_dirty (HangarDetailsView *self,
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
        form_overview (self, &form);
        return !hangar_overview_settings_equal (&now, &form);
      }
    case SECTION_CPU:
      {
        g_auto(HangarCpuSettings) now = { 0 };
        g_auto(HangarCpuSettings) form = { 0 };

        hangar_vm_config_get_cpu (self->config, FALSE, &now);
        form_cpu (self, &form);
        return !hangar_cpu_settings_equal (&now, &form);
      }
    case SECTION_MEMORY:
      {
        HangarMemorySettings now, form;

        hangar_vm_config_get_memory (self->config, FALSE, &now);
        form_memory (self, &form);
        /* The form counts in MiB. */
        return now.current_kib / 1024 != form.current_kib / 1024
               || now.maximum_kib / 1024 != form.maximum_kib / 1024;
      }
    case SECTION_BOOT:
      {
        g_auto(HangarBootSettings) now = { 0 };
        g_auto(HangarBootSettings) form = { 0 };

        hangar_vm_config_get_boot (self->config, &now);
        form_boot (self, &form);
        return !hangar_boot_settings_equal (&now, &form);
      }
    case SECTION_DISK:
      {
        g_autoptr(HangarDiskSettings) now = config_disk (self, section->key);
        g_autoptr(HangarDiskSettings) form = form_disk (self, section);

        return now != NULL && form != NULL && !hangar_disk_settings_equal (now, form);
      }
    case SECTION_NIC:
      {
        g_autoptr(HangarNicSettings) now = config_nic (self, section->key);
        g_autoptr(HangarNicSettings) form = form_nic (self, section);

        return now != NULL && form != NULL && !hangar_nic_settings_equal (now, form);
      }
    case SECTION_XML:
      {
        g_autofree char *text = xml_text (self);

        return g_strcmp0 (text, hangar_vm_config_get_xml (self->config)) != 0;
      }
    case SECTION_PERFORMANCE:
    case SECTION_SNAPSHOTS:
    default:
      return FALSE;
    }
}

/* --- status and actions -------------------------------------------------------- */

static void
set_status (HangarDetailsView *self,
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
  gboolean dirty = section != NULL && section_dirty (self, section);
  gboolean has_form = section != NULL && section->kind != SECTION_SNAPSHOTS
                      && section->kind != SECTION_PERFORMANCE;

  gtk_widget_set_visible (GTK_WIDGET (self->action_bar), has_form);
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *s = g_ptr_array_index (self->sections, i);

      if (s->edited != NULL)
        gtk_widget_set_visible (s->edited, s == section ? dirty : section_dirty (self, s));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.apply", dirty && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.revert", dirty && !self->busy);
}

static void
on_form_changed (HangarDetailsView *self)
{
  if (self->filling > 0)
    return;
  update_actions (self);
}

static void
on_cpu_max_changed (HangarDetailsView *self)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->cpu_current_spin);

  gtk_adjustment_set_upper (adj, gtk_spin_button_get_value (self->cpu_max_spin));
  on_form_changed (self);
}

static void
on_memory_max_changed (HangarDetailsView *self)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->memory_current_spin);

  gtk_adjustment_set_upper (adj, gtk_spin_button_get_value (self->memory_max_spin));
  on_form_changed (self);
}

static void
on_cpu_mode_changed (HangarDetailsView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->cpu_model_row),
                          g_strcmp0 (combo_get (self->cpu_mode_row), "custom") == 0);
  on_form_changed (self);
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
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
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
  g_object_set_data_full (G_OBJECT (row), "hangar-section", g_strdup (section->id), g_free);
  return row;
}

static void
rebuild_sidebar (HangarDetailsView *self)
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
      set_status (self, NULL, FALSE);
    }
  update_actions (self);
}

static Section *
add_section (HangarDetailsView *self,
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

static GtkSwitch *
add_switch_row (AdwPreferencesGroup *group,
                const char          *title,
                const char          *subtitle,
                const char          *name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_name (sw, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (group, row);
  return GTK_SWITCH (sw);
}

static AdwComboRow *
add_combo_row (AdwPreferencesGroup *group,
               const char          *title,
               const char * const  *values,
               const char          *empty_label,
               const char          *name)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  combo_setup (ADW_COMBO_ROW (row), values, empty_label);
  adw_preferences_group_add (group, row);
  return ADW_COMBO_ROW (row);
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

  section = add_section (self, SECTION_DISK, id, disk->target, title,
                         removable ? "media-optical-symbolic" : "drive-harddisk-symbolic", page);
  adw_preferences_group_set_title (group, title);
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
  g_signal_connect_swapped (section->path_row, "changed", G_CALLBACK (on_form_changed), self);
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
  section->bus_row = add_combo_row (group, _("Bus"), disk_buses, "", name);
  g_free (name);
  name = g_strdup_printf ("%s-cache", id);
  section->cache_row = add_combo_row (group, _("Cache"), disk_caches, _("Hypervisor default"), name);
  g_free (name);
  name = g_strdup_printf ("%s-readonly", id);
  section->readonly_switch = add_switch_row (group, _("Read-only"), NULL, name);
  g_free (name);
  name = g_strdup_printf ("%s-shareable", id);
  section->shareable_switch = add_switch_row (group, _("Shareable"),
                                              _("Other machines may use it at the same time"), name);
  g_signal_connect_swapped (section->bus_row, "notify::selected", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (section->cache_row, "notify::selected", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (section->readonly_switch, "notify::active", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (section->shareable_switch, "notify::active", G_CALLBACK (on_form_changed), self);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), info);
  label = add_fact_row (self, info, _("Format"));
  set_fact (label, disk->format);
  label = add_fact_row (self, info, _("Target"));
  set_fact (label, disk->target);

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
  g_autofree char *title = g_strdup_printf (_("NIC %s"), nic->mac + MAX ((int) strlen (nic->mac) - 8, 0));
  g_autofree char *name = NULL;
  Section *section;
  GtkLabel *label;

  section = add_section (self, SECTION_NIC, id, nic->mac, title, "network-wired-symbolic", page);
  adw_preferences_group_set_title (group, _("Network Interface"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  name = g_strdup_printf ("%s-type", id);
  section->nic_type_row = add_combo_row (group, _("Connected to"), nic_types, "", name);
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
  section->model_row = add_combo_row (group, _("Device model"), nic_models, "", name);
  g_free (name);
  name = g_strdup_printf ("%s-link", id);
  section->link_switch = add_switch_row (group, _("Link up"),
                                         _("Changes live on a running machine: like pulling the "
                                           "cable"), name);
  g_signal_connect_swapped (section->nic_type_row, "notify::selected", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (section->source_row, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (section->model_row, "notify::selected", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (section->link_switch, "notify::active", G_CALLBACK (on_form_changed), self);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), info);
  label = add_fact_row (self, info, _("MAC address"));
  set_fact (label, nic->mac);

  gtk_stack_add_named (self->stack, page, id);
  (void) index;
  return section;
}

/* Device sections follow the definition: rebuilt when its disks or
 * interfaces change, kept (with their edits) otherwise. */
static void
sync_device_sections (HangarDetailsView *self)
{
  g_autoptr(GPtrArray) disks = hangar_vm_config_get_disks (self->config, FALSE);
  g_autoptr(GPtrArray) nics = hangar_vm_config_get_nics (self->config, FALSE);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) have = g_ptr_array_new ();
  gboolean same;

  for (guint i = 0; i < disks->len; i++)
    g_ptr_array_add (wanted, g_strdup_printf ("disk-%s",
                     ((HangarDiskSettings *) g_ptr_array_index (disks, i))->target));
  for (guint i = 0; i < nics->len; i++)
    g_ptr_array_add (wanted, g_strdup_printf ("nic-%s",
                     ((HangarNicSettings *) g_ptr_array_index (nics, i))->mac));
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (section->kind == SECTION_DISK || section->kind == SECTION_NIC)
        g_ptr_array_add (have, section->id);
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

      if (section->kind == SECTION_DISK || section->kind == SECTION_NIC)
        {
          gtk_stack_remove (self->stack, section->page);
          g_ptr_array_remove_index (self->sections, i - 1);
        }
      else if (section->kind == SECTION_XML || section->kind == SECTION_SNAPSHOTS)
        g_ptr_array_remove_index (self->sections, i - 1);
    }

  for (guint i = 0; i < disks->len; i++)
    fill_section (self, add_disk_section (self, g_ptr_array_index (disks, i)));
  for (guint i = 0; i < nics->len; i++)
    fill_section (self, add_nic_section (self, g_ptr_array_index (nics, i), i));
  add_section (self, SECTION_XML, "xml", NULL, _("XML"), "text-x-generic-symbolic",
               gtk_stack_get_child_by_name (self->stack, "xml"));
  add_section (self, SECTION_SNAPSHOTS, "snapshots", NULL, _("Snapshots"),
               "camera-photo-symbolic", self->snapshots_view);

  rebuild_sidebar (self);
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
          set_status (self, error->message, TRUE);
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

        if (g_strcmp0 (section->id, refill) != 0 && section_dirty (self, section))
          g_ptr_array_add (keep, section);
      }

    g_set_object (&self->config, config);
    sync_device_sections (self);
    for (guint i = 0; i < self->sections->len; i++)
      {
        Section *section = g_ptr_array_index (self->sections, i);

        if (!g_ptr_array_find (keep, section, NULL))
          fill_section (self, section);
      }
  }

  update_actions (self);
  g_signal_emit (self, signals[LOADED], 0);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      load (self);
    }
}

static void
load (HangarDetailsView *self)
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

static void
apply_done (GObject      *object,
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
      set_status (self, error->message, TRUE);
      update_actions (self);
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
  set_status (self, text, FALSE);

  /* The form refills from what libvirt now has. */
  g_free (self->refill);
  self->refill = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  load (self);
  g_signal_emit (self, signals[APPLIED], 0, TRUE);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  Section *section = current_section (self);

  if (section == NULL || self->busy || self->config == NULL || !section_dirty (self, section))
    return;

  self->busy = TRUE;
  set_status (self, _("Applying…"), FALSE);
  update_actions (self);

  switch (section->kind)
    {
    case SECTION_OVERVIEW:
      {
        g_auto(HangarOverviewSettings) s = { 0 };

        form_overview (self, &s);
        hangar_vm_config_set_overview_async (self->vm, &s, self->cancellable, apply_done,
                                             g_object_ref (self));
      }
      break;
    case SECTION_CPU:
      {
        g_auto(HangarCpuSettings) s = { 0 };

        form_cpu (self, &s);
        hangar_vm_config_set_cpu_async (self->vm, &s, self->cancellable, apply_done,
                                        g_object_ref (self));
      }
      break;
    case SECTION_MEMORY:
      {
        HangarMemorySettings s;

        form_memory (self, &s);
        hangar_vm_config_set_memory_async (self->vm, &s, self->cancellable, apply_done,
                                           g_object_ref (self));
      }
      break;
    case SECTION_BOOT:
      {
        g_auto(HangarBootSettings) s = { 0 };

        form_boot (self, &s);
        hangar_vm_config_set_boot_async (self->vm, &s, self->cancellable, apply_done,
                                         g_object_ref (self));
      }
      break;
    case SECTION_DISK:
      {
        g_autoptr(HangarDiskSettings) s = form_disk (self, section);

        hangar_vm_config_set_disk_async (self->vm, s, self->cancellable, apply_done,
                                         g_object_ref (self));
      }
      break;
    case SECTION_NIC:
      {
        g_autoptr(HangarNicSettings) s = form_nic (self, section);

        hangar_vm_config_set_nic_async (self->vm, s, self->cancellable, apply_done,
                                        g_object_ref (self));
      }
      break;
    case SECTION_XML:
      {
        g_autofree char *text = xml_text (self);

        hangar_vm_config_define_xml_async (self->vm, text, self->cancellable, apply_done,
                                           g_object_ref (self));
      }
      break;
    case SECTION_SNAPSHOTS:
    default:
      self->busy = FALSE;
      break;
    }
}

/* (section id, network name): connect that interface to that network. */
static void
pick_network_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (widget);
  const char *id, *network;
  Section *section;

  g_variant_get (parameter, "(&s&s)", &id, &network);
  section = find_section (self, id);
  if (section == NULL || section->kind != SECTION_NIC)
    return;
  combo_set (section->nic_type_row, "network");
  gtk_editable_set_text (GTK_EDITABLE (section->source_row), network);
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
  fill_section (self, section);
  set_status (self, NULL, FALSE);
  update_actions (self);
}

static void
on_vm_state (HangarDetailsView *self)
{
  if (self->config != NULL)
    set_fact (self->state_label, hangar_vm_get_state_label (self->vm));
  /* Running or not changes what can be edited and what is live. */
  load (self);
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

  add_section (self, SECTION_OVERVIEW, "overview", NULL, _("Overview"), "computer-symbolic",
               gtk_stack_get_child_by_name (self->stack, "overview"));
  add_section (self, SECTION_PERFORMANCE, "performance", NULL, _("Performance"),
               "power-profile-performance-symbolic", self->performance_view);
  add_section (self, SECTION_CPU, "cpu", NULL, _("CPUs"), "system-run-symbolic",
               gtk_stack_get_child_by_name (self->stack, "cpu"));
  add_section (self, SECTION_MEMORY, "memory", NULL, _("Memory"), "drive-harddisk-solidstate-symbolic",
               gtk_stack_get_child_by_name (self->stack, "memory"));
  add_section (self, SECTION_BOOT, "boot", NULL, _("Boot Options"), "system-reboot-symbolic",
               gtk_stack_get_child_by_name (self->stack, "boot"));
  add_section (self, SECTION_XML, "xml", NULL, _("XML"), "text-x-generic-symbolic",
               gtk_stack_get_child_by_name (self->stack, "xml"));
  add_section (self, SECTION_SNAPSHOTS, "snapshots", NULL, _("Snapshots"),
               "camera-photo-symbolic", self->snapshots_view);
  rebuild_sidebar (self);

  if (self->vm != NULL)
    {
      self->state_handler = g_signal_connect_swapped (self->vm, "notify::state",
                                                      G_CALLBACK (on_vm_state), self);
      set_fact (self->state_label, hangar_vm_get_state_label (self->vm));
    }
  load (self);
}

static void
hangar_details_view_dispose (GObject *object)
{
  HangarDetailsView *self = HANGAR_DETAILS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->vm != NULL)
    g_clear_signal_handler (&self->state_handler, self->vm);
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
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, boot_list);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, boot_menu_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, kernel_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, initrd_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, cmdline_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDetailsView, xml_view);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);

  gtk_widget_class_install_action (widget_class, "details.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "details.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "details.pick-network", "(ss)",
                                   pick_network_action);
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

  self->uuid_label = add_fact_row (self, self->facts_group, _("UUID"));
  self->state_label = add_fact_row (self, self->facts_group, _("State"));
  self->hypervisor_label = add_fact_row (self, self->facts_group, _("Hypervisor"));
  self->arch_label = add_fact_row (self, self->facts_group, _("Architecture"));
  self->emulator_label = add_fact_row (self, self->facts_group, _("Emulator"));
  self->machine_label = add_fact_row (self, self->facts_group, _("Machine type"));
  self->firmware_label = add_fact_row (self, self->facts_group, _("Firmware"));
  self->os_label = add_fact_row (self, self->facts_group, _("Operating system"));

  /* Every form change re-decides Apply and Revert. */
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->autostart_switch, "notify::active",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->cpu_current_spin, "value-changed",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->cpu_max_spin, "value-changed",
                            G_CALLBACK (on_cpu_max_changed), self);
  g_signal_connect_swapped (self->topology_row, "notify::enable-expansion",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->sockets_spin, "value-changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->cores_spin, "value-changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->threads_spin, "value-changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->cpu_mode_row, "notify::selected",
                            G_CALLBACK (on_cpu_mode_changed), self);
  g_signal_connect_swapped (self->cpu_model_row, "notify::selected",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->memory_current_spin, "value-changed",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->memory_max_spin, "value-changed",
                            G_CALLBACK (on_memory_max_changed), self);
  g_signal_connect_swapped (self->boot_menu_switch, "notify::active",
                            G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->kernel_row, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->initrd_row, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (self->cmdline_row, "changed", G_CALLBACK (on_form_changed), self);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (on_form_changed), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.apply", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.revert", FALSE);
}

/**
 * hangar_details_view_new:
 * @vm: the machine
 *
 * A view of @vm's settings. It reads the definition at once, and again
 * when the machine starts or stops.
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
  load (self);
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
    if (section_dirty (self, g_ptr_array_index (self->sections, i)))
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
