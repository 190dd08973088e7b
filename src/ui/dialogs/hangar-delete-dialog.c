/* hangar-delete-dialog.c — asks before deleting a machine, and which disks go with it.
 *
 * Writable disks are offered checked; read-only and shareable ones (install
 * media), disks another machine uses (found by the model, whatever their
 * <shareable/>) and block devices or logical volumes start unchecked, so
 * the default answer never destroys data that is not this machine's alone.
 * The model checks again when it deletes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-delete-dialog.h"

struct _HangarDeleteDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *storage_label;
  GtkListBox       *disk_list;

  HangarVm         *vm;
  GPtrArray        *checks;   /* GtkCheckButton, with "hangar-path" data */
};

G_DEFINE_FINAL_TYPE (HangarDeleteDialog, hangar_delete_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
hangar_delete_dialog_dispose (GObject *object)
{
  HangarDeleteDialog *self = (HangarDeleteDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_DELETE_DIALOG);
  g_clear_object (&self->vm);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (hangar_delete_dialog_parent_class)->dispose (object);
}

static void
hangar_delete_dialog_class_init (HangarDeleteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_delete_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-delete-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarDeleteDialog, storage_label);
  gtk_widget_class_bind_template_child (widget_class, HangarDeleteDialog, disk_list);
}

static void
hangar_delete_dialog_init (HangarDeleteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
}

static GtkWidget *
disk_row (HangarDeleteDialog   *self,
          const HangarDiskInfo *disk)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  gboolean keep = disk->readonly || disk->shareable || disk->block || disk->used_by != NULL;
  g_autofree char *subtitle = NULL;

  if (disk->used_by != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", disk->used_by);

      /* Translators: the first %s is a disk target such as vda, the second
       * the names of other machines */
      subtitle = g_strdup_printf (_("%s · Used by %s"), disk->target, names);
    }
  else if (disk->shareable)
    /* Translators: %s is a disk target such as vda */
    subtitle = g_strdup_printf (_("%s · shared with other machines"), disk->target);
  else if (disk->readonly)
    subtitle = g_strdup_printf (_("%s · read-only"), disk->target);
  else if (disk->block)
    subtitle = g_strdup_printf (_("%s · block device or logical volume"), disk->target);
  else
    subtitle = g_strdup (disk->target);

  /* Paths and machine names are anyone's text: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), disk->path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), !keep);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  disk->path, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  g_object_set_data_full (G_OBJECT (check), "hangar-path", g_strdup (disk->path), g_free);
  g_ptr_array_add (self->checks, g_object_ref (check));
  return row;
}

/**
 * hangar_delete_dialog_new:
 * @disks: (element-type HangarDiskInfo): the machine's disks
 */
GtkWidget *
hangar_delete_dialog_new (GtkWindow *parent,
                          HangarVm  *vm,
                          GPtrArray *disks)
{
  HangarDeleteDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  self = g_object_new (HANGAR_TYPE_DELETE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->vm = g_object_ref (vm);

  heading = g_strdup_printf (_("Delete “%s”?"), hangar_vm_get_name (vm));
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               hangar_vm_is_active (vm)
                               ? _("The machine is running. It will be forced off, and its "
                                   "definition, saved state and snapshot metadata removed. "
                                   "This cannot be undone.")
                               : _("Its definition, saved state and snapshot metadata will be "
                                   "removed. This cannot be undone."));

  for (guint i = 0; disks != NULL && i < disks->len; i++)
    gtk_list_box_append (self->disk_list, disk_row (self, g_ptr_array_index (disks, i)));
  gtk_label_set_text (GTK_LABEL (self->storage_label),
                      g_dngettext (GETTEXT_PACKAGE, "Also delete this disk:",
                                   "Also delete these disks:", self->checks->len));

  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->disk_list)),
                          self->checks->len > 0);
  return GTK_WIDGET (self);
}

/**
 * hangar_delete_dialog_get_vm:
 *
 * Returns: (transfer none): the machine the dialog is about
 */
HangarVm *
hangar_delete_dialog_get_vm (HangarDeleteDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_DELETE_DIALOG (self), NULL);
  return self->vm;
}

/**
 * hangar_delete_dialog_get_selected_paths:
 *
 * Returns: (transfer full): the disks the user chose to delete
 */
char **
hangar_delete_dialog_get_selected_paths (HangarDeleteDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HANGAR_IS_DELETE_DIALOG (self), NULL);

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "hangar-path"));
    }
  return g_strv_builder_end (builder);
}

void
hangar_delete_dialog_set_path_selected (HangarDeleteDialog *self,
                                        const char         *path,
                                        gboolean            selected)
{
  g_return_if_fail (HANGAR_IS_DELETE_DIALOG (self));

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "hangar-path"), path) == 0)
        gtk_check_button_set_active (check, selected);
    }
}
