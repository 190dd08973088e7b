/* hangar-disk-form.c — the details page of one disk, CD/DVD drive or floppy.
 *
 * The form shows the disk of its HangarVmConfig named by its target
 * (“vda”); setting the config fills it, hangar_disk_form_read() gives the
 * disk as the form has it, and "changed" says the user edited something.
 * Its rows are named “disk-<target>-<part>” for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-combo-row.h"
#include "hangar-details-rows.h"
#include "hangar-disk-form.h"
#include "hangar-plain-text.h"

static const char * const disk_buses[] = { "virtio", "sata", "scsi", "ide", "usb", "fdc", NULL };
static const char * const disk_caches[] = { "", "none", "writeback", "writethrough",
                                            "directsync", "unsafe", NULL };

struct _HangarDiskForm
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *group;
  AdwEntryRow         *path_row;
  AdwComboRow         *bus_row;
  AdwComboRow         *cache_row;
  GtkSwitch           *readonly_switch;
  GtkSwitch           *shareable_switch;
  AdwActionRow        *size_row;
  GtkLabel            *size_label;
  AdwActionRow        *used_row;
  GtkLabel            *used_label;
  GtkLabel            *format_label;
  GtkLabel            *target_label;
  GtkWidget           *remove_button;

  HangarVmConfig      *config;
  char                *id;
  char                *target;
  char                *title;
  guint                filling;
  gboolean             removable;
};

G_DEFINE_FINAL_TYPE (HangarDiskForm, hangar_disk_form, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONFIG,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_changed (HangarDiskForm *self)
{
  if (self->filling > 0)
    return;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_eject_clicked (HangarDiskForm *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->path_row), "");
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
on_browse_clicked (HangarDiskForm *self,
                   GtkButton      *button)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  GtkFileChooserNative *chooser;
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->path_row));

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
                    g_object_ref (self->path_row));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
path_button (HangarDiskForm *self,
             const char     *icon_name,
             const char     *part,
             const char     *tooltip,
             GCallback       clicked)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  hangar_details_name_widget (button, self->id, part);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_swapped (button, "clicked", clicked, self);
  adw_entry_row_add_suffix (self->path_row, button);
  return button;
}

static HangarDiskSettings *
config_disk (HangarDiskForm *self)
{
  g_autoptr(GPtrArray) disks = NULL;

  if (self->config == NULL)
    return NULL;
  disks = hangar_vm_config_get_disks (self->config, FALSE);
  for (guint i = 0; i < disks->len; i++)
    {
      HangarDiskSettings *disk = g_ptr_array_index (disks, i);

      if (g_strcmp0 (disk->target, self->target) == 0)
        return g_ptr_array_steal_index (disks, i);
    }
  return NULL;
}

/* What libvirt measured when the definition was read; the rows hide for
 * a disk it could not measure (an empty CD drive, a missing file). */
static void
fill_size (HangarDiskForm *self)
{
  guint64 capacity = 0, allocation = 0;
  gboolean known = hangar_vm_config_get_disk_size (self->config, self->target,
                                                   &capacity, &allocation);

  gtk_widget_set_visible (GTK_WIDGET (self->size_row), known);
  gtk_widget_set_visible (GTK_WIDGET (self->used_row), known);
  if (known)
    {
      g_autofree char *size = g_format_size_full (capacity, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *used = g_format_size_full (allocation, G_FORMAT_SIZE_IEC_UNITS);

      hangar_details_set_fact (self->size_label, size);
      hangar_details_set_fact (self->used_label, used);
    }
}

static void
fill (HangarDiskForm *self)
{
  g_autoptr(HangarDiskSettings) disk = config_disk (self);

  if (disk == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->path_row), disk->path ? disk->path : "");
  hangar_details_combo_set (self->bus_row, disk->bus);
  hangar_details_combo_set (self->cache_row, disk->cache);
  gtk_switch_set_active (self->readonly_switch, disk->readonly);
  gtk_switch_set_active (self->shareable_switch, disk->shareable);
  fill_size (self);
}

static void
hangar_disk_form_dispose (GObject *object)
{
  HangarDiskForm *self = HANGAR_DISK_FORM (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_DISK_FORM);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (hangar_disk_form_parent_class)->dispose (object);
}

static void
hangar_disk_form_finalize (GObject *object)
{
  HangarDiskForm *self = HANGAR_DISK_FORM (object);

  g_free (self->id);
  g_free (self->target);
  g_free (self->title);
  G_OBJECT_CLASS (hangar_disk_form_parent_class)->finalize (object);
}

static void
hangar_disk_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HangarDiskForm *self = HANGAR_DISK_FORM (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_disk_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HangarDiskForm *self = HANGAR_DISK_FORM (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      hangar_disk_form_set_config (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_disk_form_class_init (HangarDiskFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_disk_form_dispose;
  object_class->finalize = hangar_disk_form_finalize;
  object_class->get_property = hangar_disk_form_get_property;
  object_class->set_property = hangar_disk_form_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, HANGAR_TYPE_VM_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarDiskForm::changed:
   *
   * The user changed a value in the form (filling it does not count).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-disk-form.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, group);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, path_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, bus_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, cache_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, readonly_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, shareable_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, size_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, size_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, used_row);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, used_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, format_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, target_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDiskForm, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
hangar_disk_form_init (HangarDiskForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  hangar_details_combo_setup (self->bus_row, disk_buses, "");
  hangar_combo_row_show_whole (self->bus_row);
  hangar_details_combo_setup (self->cache_row, disk_caches, _("Hypervisor default"));
  hangar_combo_row_show_whole (self->cache_row);
}

/**
 * hangar_disk_form_new:
 * @disk: the disk the form is for: its target names it in the config
 * @local: whether the machine's host is this computer, so that a file
 *   chooser can pick the image
 */
HangarDiskForm *
hangar_disk_form_new (const HangarDiskSettings *disk,
                      gboolean                  local)
{
  HangarDiskForm *self;

  g_return_val_if_fail (disk != NULL && disk->target != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_DISK_FORM, NULL);
  self->target = g_strdup (disk->target);
  self->id = g_strdup_printf ("disk-%s", disk->target);
  self->removable = g_strcmp0 (disk->device, "cdrom") == 0
                    || g_strcmp0 (disk->device, "floppy") == 0;
  if (g_strcmp0 (disk->device, "cdrom") == 0)
    self->title = g_strdup_printf (_("CD/DVD %s"), disk->target);
  else if (g_strcmp0 (disk->device, "floppy") == 0)
    self->title = g_strdup_printf (_("Floppy %s"), disk->target);
  else
    self->title = g_strdup_printf (_("Disk %s"), disk->target);

  hangar_group_set_plain_title (self->group, self->title);
  if (self->removable)
    adw_preferences_group_set_description (self->group,
                                           _("The medium changes live on a running machine; "
                                             "leave the path empty to eject"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->path_row),
                                 self->removable ? _("Medium") : _("Path"));
  hangar_details_name_widget (GTK_WIDGET (self->path_row), self->id, "path");
  if (local)
    path_button (self, "document-open-symbolic", "browse", _("Choose a file"),
                 G_CALLBACK (on_browse_clicked));
  if (self->removable)
    path_button (self, "media-eject-symbolic", "eject", _("Eject"),
                 G_CALLBACK (on_eject_clicked));
  hangar_details_name_widget (GTK_WIDGET (self->bus_row), self->id, "bus");
  hangar_details_name_widget (GTK_WIDGET (self->cache_row), self->id, "cache");
  hangar_details_name_widget (GTK_WIDGET (self->readonly_switch), self->id, "readonly");
  hangar_details_name_widget (GTK_WIDGET (self->shareable_switch), self->id, "shareable");
  hangar_details_set_fact (self->format_label, disk->format);
  hangar_details_set_fact (self->target_label, disk->target);
  hangar_details_remove_button_setup (self->remove_button, self->id);
  return self;
}

/* The section id, “disk-vda”. */
const char *
hangar_disk_form_get_id (HangarDiskForm *self)
{
  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), NULL);

  return self->id;
}

const char *
hangar_disk_form_get_target (HangarDiskForm *self)
{
  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), NULL);

  return self->target;
}

const char *
hangar_disk_form_get_title (HangarDiskForm *self)
{
  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), NULL);

  return self->title;
}

const char *
hangar_disk_form_get_icon (HangarDiskForm *self)
{
  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), NULL);

  return self->removable ? "media-optical-symbolic" : "drive-harddisk-symbolic";
}

HangarVmConfig *
hangar_disk_form_get_config (HangarDiskForm *self)
{
  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), NULL);

  return self->config;
}

/* Shows @config's disk; "changed" is not emitted while filling. */
void
hangar_disk_form_set_config (HangarDiskForm *self,
                             HangarVmConfig *config)
{
  g_return_if_fail (HANGAR_IS_DISK_FORM (self));
  g_return_if_fail (config == NULL || HANGAR_IS_VM_CONFIG (config));

  if (g_set_object (&self->config, config))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  if (self->config == NULL)
    return;
  self->filling++;
  fill (self);
  self->filling--;
}

/**
 * hangar_disk_form_read:
 *
 * Returns: (transfer full) (nullable): the config's disk with the form's
 *   values, what Apply sends; %NULL when the config has no such disk
 */
HangarDiskSettings *
hangar_disk_form_read (HangarDiskForm *self)
{
  HangarDiskSettings *disk;

  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), NULL);

  disk = config_disk (self);
  if (disk == NULL)
    return NULL;
  g_free (disk->path);
  disk->path = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->path_row)));
  g_free (disk->bus);
  disk->bus = g_strdup (hangar_details_combo_get (self->bus_row));
  g_free (disk->cache);
  disk->cache = g_strdup (hangar_details_combo_get (self->cache_row));
  disk->readonly = gtk_switch_get_active (self->readonly_switch);
  disk->shareable = gtk_switch_get_active (self->shareable_switch);
  return disk;
}

/* Whether the form holds values the config does not. */
gboolean
hangar_disk_form_is_dirty (HangarDiskForm *self)
{
  g_autoptr(HangarDiskSettings) now = NULL;
  g_autoptr(HangarDiskSettings) form = NULL;

  g_return_val_if_fail (HANGAR_IS_DISK_FORM (self), FALSE);

  now = config_disk (self);
  form = hangar_disk_form_read (self);
  return now != NULL && form != NULL && !hangar_disk_settings_equal (now, form);
}
