/* hangar-add-hardware-dialog.c — picks a kind of device and its options, and adds it.
 *
 * One form whose rows follow the kind chosen. What the host offers (pools,
 * networks, USB devices, whether swtpm is there) is read in a worker when
 * the dialog opens; kinds the host cannot give say why instead of failing
 * on Add.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-add-hardware-dialog.h"
#include "hangar-combo-row.h"
#include "hangar-vm.h"

typedef struct
{
  HangarHardwareKind  kind;
  const char         *label;
  const char * const *buses;
  const char * const *types;
  const char * const *models;
} Kind;

static const char * const disk_buses[] = { "virtio", "sata", "scsi", "usb", NULL };
static const char * const cd_buses[] = { "sata", "scsi", "usb", "ide", NULL };
static const char * const nic_types[] = { "network", "bridge", NULL };
static const char * const input_types[] = { "tablet", "keyboard", "mouse", NULL };
static const char * const graphics_types[] = { "vnc", "spice", NULL };
static const char * const channel_types[] = { "qemu-ga", "spice-vdagent", NULL };
static const char * const vnc_clipboard_types[] = { "qemu-vdagent", NULL };
static const char * const nic_models[] = { "virtio", "e1000e", "e1000", "rtl8139", NULL };
static const char * const sound_models[] = { "ich9", "ich6", "ac97", NULL };
static const char * const video_models[] = { "virtio", "qxl", "vga", "bochs", NULL };
static const char * const watchdog_models[] = { "i6300esb", "ib700", NULL };
static const char * const filesystem_types[] = { "virtiofs", "9p", NULL };

static const Kind kinds[] = {
  { HANGAR_HW_DISK_NEW, N_("New disk"), disk_buses, NULL, NULL },
  { HANGAR_HW_DISK_EXISTING, N_("Existing disk image"), disk_buses, NULL, NULL },
  { HANGAR_HW_CDROM, N_("CD/DVD drive"), cd_buses, NULL, NULL },
  { HANGAR_HW_NIC, N_("Network interface"), NULL, nic_types, nic_models },
  { HANGAR_HW_INPUT, N_("Input device"), NULL, input_types, NULL },
  { HANGAR_HW_GRAPHICS, N_("Graphics (VNC or SPICE)"), NULL, graphics_types, NULL },
  { HANGAR_HW_SOUND, N_("Sound card"), NULL, NULL, sound_models },
  { HANGAR_HW_SERIAL, N_("Serial console"), NULL, NULL, NULL },
  { HANGAR_HW_CHANNEL, N_("Channel (guest agent, SPICE agent)"), NULL, channel_types, NULL },
  /* A channel too: QEMU's own agent, the clipboard of a VNC console. */
  { HANGAR_HW_CHANNEL, N_("Clipboard channel (VNC)"), NULL, vnc_clipboard_types, NULL },
  { HANGAR_HW_VIDEO, N_("Video"), NULL, NULL, video_models },
  { HANGAR_HW_WATCHDOG, N_("Watchdog"), NULL, NULL, watchdog_models },
  { HANGAR_HW_RNG, N_("Random number generator"), NULL, NULL, NULL },
  { HANGAR_HW_TPM, N_("TPM (emulated)"), NULL, NULL, NULL },
  { HANGAR_HW_USB_HOST, N_("USB host device"), NULL, NULL, NULL },
  { HANGAR_HW_PCI_HOST, N_("PCI host device"), NULL, NULL, NULL },
  { HANGAR_HW_FILESYSTEM, N_("Shared folder (filesystem)"), NULL, filesystem_types, NULL },
};

struct _HangarAddHardwareDialog
{
  AdwWindow           parent_instance;

  /* Template */
  AdwComboRow        *kind_row;
  AdwComboRow        *pool_row;
  AdwActionRow       *size_row;
  GtkSpinButton      *size_spin;
  AdwEntryRow        *path_row;
  AdwComboRow        *bus_row;
  AdwComboRow        *type_row;
  AdwEntryRow        *source_row;
  AdwComboRow        *model_row;
  AdwComboRow        *usb_row;
  GtkLabel           *status_label;

  HangarVm           *vm;
  HangarHardwareHost *host;
  GtkStringList      *usb_list;
  GtkStringList      *pci_list;
  GCancellable       *cancellable;
  guint               busy : 1;
};

enum {
  ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarAddHardwareDialog, hangar_add_hardware_dialog, ADW_TYPE_WINDOW)

static const Kind *
current_kind (HangarAddHardwareDialog *self)
{
  guint i = adw_combo_row_get_selected (self->kind_row);

  return &kinds[MIN (i, G_N_ELEMENTS (kinds) - 1)];
}

static void
set_choices (AdwComboRow        *row,
             const char * const *choices)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) choices);

  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  gtk_widget_set_visible (GTK_WIDGET (row), choices != NULL);
}

static char *
combo_value (AdwComboRow *row)
{
  GObject *item;

  if (!gtk_widget_get_visible (GTK_WIDGET (row)))
    return NULL;
  item = adw_combo_row_get_selected_item (row);
  return item ? g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item))) : NULL;
}

static void
set_status (HangarAddHardwareDialog *self,
            const char              *text,
            gboolean                 is_error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* Why the chosen kind cannot be added, or NULL. */
static const char *
refusal (HangarAddHardwareDialog *self)
{
  HangarHardwareKind kind = current_kind (self)->kind;

  if (self->host == NULL)
    return NULL;
  if (kind == HANGAR_HW_TPM && !self->host->tpm_emulator)
    return _("An emulated TPM needs swtpm on the host, and it is not installed.");
  if (kind == HANGAR_HW_USB_HOST && self->host->usb_devices->len == 0)
    return _("The host has no USB devices to pass through.");
  if (kind == HANGAR_HW_PCI_HOST && self->host->pci_devices->len == 0)
    return _("The host has no PCI devices to pass through.");
  if (kind == HANGAR_HW_DISK_NEW && g_strv_length (self->host->pools) == 0)
    return _("The host has no active storage pool to create the disk in.");
  if (kind == HANGAR_HW_FILESYSTEM && !self->host->virtiofs)
    {
      g_autofree char *type = combo_value (self->type_row);

      if (g_strcmp0 (type, "virtiofs") == 0)
        return _("virtiofs is not available on this host (virtiofsd is missing): choose 9p.");
    }
  return NULL;
}

static void
update (HangarAddHardwareDialog *self)
{
  const char *why = refusal (self);

  if (!self->busy)
    set_status (self, why, why != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hardware.add",
                                 self->host != NULL && why == NULL && !self->busy);
}

static void
on_kind_changed (HangarAddHardwareDialog *self)
{
  const Kind *kind = current_kind (self);
  gboolean disk = kind->kind == HANGAR_HW_DISK_NEW || kind->kind == HANGAR_HW_DISK_EXISTING
                  || kind->kind == HANGAR_HW_CDROM;
  gboolean share = kind->kind == HANGAR_HW_FILESYSTEM;
  gboolean pci = kind->kind == HANGAR_HW_PCI_HOST;

  set_choices (self->bus_row, kind->buses);
  set_choices (self->type_row, kind->types);
  set_choices (self->model_row, kind->models);
  gtk_widget_set_visible (GTK_WIDGET (self->pool_row), kind->kind == HANGAR_HW_DISK_NEW);
  gtk_widget_set_visible (GTK_WIDGET (self->size_row), kind->kind == HANGAR_HW_DISK_NEW);
  gtk_widget_set_visible (GTK_WIDGET (self->path_row),
                          (disk && kind->kind != HANGAR_HW_DISK_NEW) || share);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->path_row),
                                 kind->kind == HANGAR_HW_CDROM ? _("ISO image (empty for none)")
                                 : share ? _("Host folder")
                                 : _("Path"));
  gtk_widget_set_visible (GTK_WIDGET (self->source_row), kind->kind == HANGAR_HW_NIC || share);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row),
                                 share ? _("Tag the guest mounts it by") : _("Network or bridge"));
  if (self->host != NULL)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->source_row));
      gboolean is_network = g_strv_contains ((const char * const *) self->host->networks, text);

      /* Each kind its own default, never the other's. */
      if (share && (is_network || *text == '\0'))
        gtk_editable_set_text (GTK_EDITABLE (self->source_row), "hostshare");
      else if (kind->kind == HANGAR_HW_NIC && !is_network
               && self->host->networks != NULL && self->host->networks[0] != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->source_row),
                               g_strv_contains ((const char * const *) self->host->networks,
                                                "default")
                               ? "default" : self->host->networks[0]);
      if (share && !self->host->virtiofs)
        adw_combo_row_set_selected (self->type_row, 1);
    }
  /* One row lists the host's USB or PCI devices. */
  gtk_widget_set_visible (GTK_WIDGET (self->usb_row), kind->kind == HANGAR_HW_USB_HOST || pci);
  if (pci && self->pci_list != NULL)
    adw_combo_row_set_model (self->usb_row, G_LIST_MODEL (self->pci_list));
  else if (self->usb_list != NULL)
    adw_combo_row_set_model (self->usb_row, G_LIST_MODEL (self->usb_list));
  update (self);
}

static void
host_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarAddHardwareDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  HangarHardwareHost *host = hangar_vm_hardware_host_finish (HANGAR_VM (object), result, &error);

  if (host == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, TRUE);
      return;
    }
  self->host = host;
  set_choices (self->pool_row, (const char * const *) host->pools);
  self->usb_list = gtk_string_list_new (NULL);
  for (guint i = 0; i < host->usb_devices->len; i++)
    gtk_string_list_append (self->usb_list,
                            ((HangarUsbDevice *) g_ptr_array_index (host->usb_devices, i))->description);
  self->pci_list = gtk_string_list_new (NULL);
  for (guint i = 0; i < host->pci_devices->len; i++)
    gtk_string_list_append (self->pci_list,
                            ((HangarPciDevice *) g_ptr_array_index (host->pci_devices, i))->description);
  on_kind_changed (self);
}

static void
add_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HangarAddHardwareDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  HangarApplyFlags flags;

  self->busy = FALSE;
  if (!hangar_vm_config_apply_finish (HANGAR_VM (object), result, &flags, &note, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_status (self, error->message, TRUE);
          update (self);
        }
      return;
    }
  g_signal_emit (self, signals[ADDED], 0, note);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HangarAddHardwareDialog *self = HANGAR_ADD_HARDWARE_DIALOG (widget);
  g_auto(HangarHardwareSpec) spec = { 0 };
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->path_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;

  spec.kind = current_kind (self)->kind;
  spec.bus = combo_value (self->bus_row);
  spec.type = combo_value (self->type_row);
  spec.model = combo_value (self->model_row);
  spec.pool = combo_value (self->pool_row);
  spec.size_mib = (guint64) gtk_spin_button_get_value_as_int (self->size_spin) * 1024;
  spec.path = path[0] ? g_strdup (path) : NULL;
  spec.source = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_row)));
  if (spec.kind == HANGAR_HW_USB_HOST)
    {
      guint i = adw_combo_row_get_selected (self->usb_row);
      HangarUsbDevice *usb = i < self->host->usb_devices->len
                             ? g_ptr_array_index (self->host->usb_devices, i) : NULL;

      spec.vendor = usb ? g_strdup (usb->vendor) : NULL;
      spec.product = usb ? g_strdup (usb->product) : NULL;
    }
  if (spec.kind == HANGAR_HW_PCI_HOST)
    {
      guint i = adw_combo_row_get_selected (self->usb_row);

      g_free (spec.source);
      spec.source = i < self->host->pci_devices->len
                    ? g_strdup (((HangarPciDevice *) g_ptr_array_index (self->host->pci_devices,
                                                                        i))->address)
                    : NULL;
    }

  /* Bad input is said here, before the worker (the target is a stand-in). */
  if (spec.kind != HANGAR_HW_DISK_NEW
      && (check = hangar_hardware_device_xml (&spec, "vdz", &error)) == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }

  self->busy = TRUE;
  set_status (self, _("Adding the device…"), FALSE);
  update (self);
  hangar_vm_add_hardware_async (self->vm, &spec, self->cancellable, add_done, g_object_ref (self));
}

static void
hangar_add_hardware_dialog_dispose (GObject *object)
{
  HangarAddHardwareDialog *self = HANGAR_ADD_HARDWARE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_ADD_HARDWARE_DIALOG);
  g_clear_object (&self->vm);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->host, hangar_hardware_host_free);
  g_clear_object (&self->usb_list);
  g_clear_object (&self->pci_list);

  G_OBJECT_CLASS (hangar_add_hardware_dialog_parent_class)->dispose (object);
}

static void
hangar_add_hardware_dialog_class_init (HangarAddHardwareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_add_hardware_dialog_dispose;

  /**
   * HangarAddHardwareDialog::added:
   * @note: (nullable): what the user should know, e.g. “applies after the restart”
   */
  signals[ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-add-hardware-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, pool_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, size_spin);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, path_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, bus_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, usb_row);
  gtk_widget_class_bind_template_child (widget_class, HangarAddHardwareDialog, status_label);

  gtk_widget_class_install_action (widget_class, "hardware.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_add_hardware_dialog_init (HangarAddHardwareDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Our own words, whole; host devices' names (usb_row) can be any length. */
  hangar_combo_row_show_whole (self->kind_row);
  hangar_combo_row_show_whole (self->bus_row);
  hangar_combo_row_show_whole (self->type_row);
  hangar_combo_row_show_whole (self->model_row);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_string_list_append (labels, _(kinds[i].label));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (labels));
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (update), self);
  on_kind_changed (self);
}

/**
 * hangar_add_hardware_dialog_present:
 * @parent: (nullable): the window it belongs to
 * @vm: the machine to add to
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
hangar_add_hardware_dialog_present (GtkWindow *parent,
                                    HangarVm  *vm)
{
  HangarAddHardwareDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  self = g_object_new (HANGAR_TYPE_ADD_HARDWARE_DIALOG, NULL);
  self->vm = g_object_ref (vm);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  hangar_vm_hardware_host_async (vm, self->cancellable, host_done, g_object_ref (self));
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WIDGET (self);
}

/* What the host offers is read. */
gboolean
hangar_add_hardware_dialog_is_ready (HangarAddHardwareDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_ADD_HARDWARE_DIALOG (self), FALSE);

  return self->host != NULL && !self->busy;
}

void
hangar_add_hardware_dialog_set_kind (HangarAddHardwareDialog *self,
                                     HangarHardwareKind       kind)
{
  g_return_if_fail (HANGAR_IS_ADD_HARDWARE_DIALOG (self));

  /* The first of a kind's entries: the clipboard channel is a channel too. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      {
        adw_combo_row_set_selected (self->kind_row, i);
        break;
      }
}

const char *
hangar_add_hardware_dialog_get_status (HangarAddHardwareDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_ADD_HARDWARE_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}
