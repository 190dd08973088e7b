/* hangar-clone-dialog.c — asks for a clone's name, shows the disks, copies with progress.
 *
 * The dialog reads the disk plan when it opens, so the user sees which
 * disks will be copied and which shared, and why a clone is refused,
 * before pressing Clone. Closing or Cancel during a copy cancels it: the
 * disk being copied finishes, then every copy is removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-clone-dialog.h"
#include "hangar-vm.h"
#include "hangar-vm-clone.h"

struct _HangarCloneDialog
{
  AdwWindow       parent_instance;

  /* Template */
  AdwEntryRow    *name_row;
  GtkLabel       *name_error;
  GtkListBox     *disk_list;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;

  HangarVm       *vm;
  GCancellable   *cancellable;
  char           *refusal;     /* why the plan cannot be cloned, or NULL */
  gulong          state_handler;
  guint           plan_loaded : 1;
  guint           busy : 1;
  guint           close_when_done : 1;
  guint           said_running : 1;   /* the status is the “is running” message */
};

enum {
  PROP_0,
  PROP_VM,
  N_PROPS
};

enum {
  CLONED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarCloneDialog, hangar_clone_dialog, ADW_TYPE_WINDOW)

static void
set_status (HangarCloneDialog *self,
            const char        *text,
            gboolean           is_error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* One function decides what can be pressed. */
static void
update (HangarCloneDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autoptr(GError) error = NULL;
  gboolean name_ok = hangar_vm_clone_validate_name (self->vm, name, &error);
  gboolean running = hangar_vm_is_active (self->vm);

  gtk_widget_set_visible (GTK_WIDGET (self->name_error), !name_ok);
  gtk_label_set_text (self->name_error, error ? error->message : "");
  if (name_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");

  if (!self->busy)
    {
      if (running)
        {
          g_autofree char *text = NULL;

          text = g_strdup_printf (_("“%s” is running. Shut it down before cloning it."),
                                  hangar_vm_get_name (self->vm));
          set_status (self, text, TRUE);
          self->said_running = TRUE;
        }
      else if (self->refusal != NULL)
        set_status (self, self->refusal, TRUE);
      else if (self->said_running)
        set_status (self, NULL, FALSE);
      if (!running)
        self->said_running = FALSE;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clone.start",
                                 name_ok && !running && !self->busy && self->plan_loaded
                                 && self->refusal == NULL);
}

static void
on_name_changed (HangarCloneDialog *self)
{
  update (self);
}

static GtkWidget *
disk_row_new (HangarCloneDisk *disk)
{
  GtkWidget *row = adw_action_row_new ();
  /* A refusal's whole reason is said once, below the list. */
  GtkWidget *label = gtk_label_new (disk->action == HANGAR_CLONE_DISK_REFUSE
                                    ? _("Cannot be copied") : disk->reason);
  g_autofree char *name = g_strdup_printf ("clone-disk-%s", disk->target);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), disk->target);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), disk->path ? disk->path : _("Empty"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label,
                            disk->action == HANGAR_CLONE_DISK_REFUSE ? "error" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
plan_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarCloneDialog) self = user_data;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = hangar_vm_clone_plan_finish (HANGAR_VM (object), result, &error);
  if (plan == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->refusal = g_strdup (error->message);
          update (self);
        }
      return;
    }

  for (guint i = 0; i < plan->len; i++)
    {
      HangarCloneDisk *disk = g_ptr_array_index (plan, i);

      gtk_list_box_append (self->disk_list, disk_row_new (disk));
      if (disk->action == HANGAR_CLONE_DISK_REFUSE && self->refusal == NULL)
        self->refusal = g_strdup (disk->reason);
    }
  if (plan->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This machine has no disks."));
      gtk_list_box_append (self->disk_list, row);
    }
  self->plan_loaded = TRUE;
  update (self);
}

static void
on_progress (const char *target,
             double      fraction,
             gpointer    user_data)
{
  HangarCloneDialog *self = user_data;
  g_autofree char *text = NULL;

  if (!self->busy)
    return;
  /* Translators: %s is a disk, like vda */
  text = g_strdup_printf (_("Copying disk %s"), target);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
clone_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HangarCloneDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = hangar_vm_clone_finish (HANGAR_VM (object), result, &error);

  self->busy = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (name != NULL)
    {
      g_signal_emit (self, signals[CLONED], 0, name);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (self->close_when_done || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  set_status (self, error->message, TRUE);
  update (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (widget);

  self->busy = TRUE;
  set_status (self, NULL, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Preparing the copy"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  update (self);
  hangar_vm_clone_async (self->vm, gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                         on_progress, g_object_ref (self), g_object_unref,
                         self->cancellable, clone_done, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (widget);

  if (!self->busy)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  self->close_when_done = TRUE;
  g_cancellable_cancel (self->cancellable);
  set_status (self, _("Cancelling: the disk being copied is finished, then every copy is removed."),
              FALSE);
  gtk_widget_action_set_enabled (widget, "clone.cancel", FALSE);
}

static gboolean
hangar_clone_dialog_close_request (GtkWindow *window)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (window);

  if (!self->busy)
    return FALSE;
  /* Stays until the copies are removed, then closes itself. */
  cancel_action (GTK_WIDGET (self), "clone.cancel", NULL);
  return TRUE;
}

static void
hangar_clone_dialog_constructed (GObject *object)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (object);
  g_autofree char *title = NULL;
  g_autofree char *suggestion = NULL;

  G_OBJECT_CLASS (hangar_clone_dialog_parent_class)->constructed (object);

  /* Translators: the clone dialog's title; %s is the machine's name */
  title = g_strdup_printf (_("Clone “%s”"), hangar_vm_get_name (self->vm));
  gtk_window_set_title (GTK_WINDOW (self), title);
  suggestion = hangar_vm_clone_suggest_name (self->vm);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), suggestion);
  self->state_handler = g_signal_connect_object (self->vm, "notify::state",
                                                 G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  hangar_vm_clone_plan_async (self->vm, self->cancellable, plan_done, g_object_ref (self));
  update (self);
}

static void
hangar_clone_dialog_dispose (GObject *object)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (object);

  /* A running copy holds a reference: this runs once it is back. */
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_CLONE_DIALOG);
  g_clear_object (&self->vm);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->refusal, g_free);

  G_OBJECT_CLASS (hangar_clone_dialog_parent_class)->dispose (object);
}

static void
hangar_clone_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (object);

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
hangar_clone_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HangarCloneDialog *self = HANGAR_CLONE_DIALOG (object);

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
hangar_clone_dialog_class_init (HangarCloneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = hangar_clone_dialog_constructed;
  object_class->dispose = hangar_clone_dialog_dispose;
  object_class->get_property = hangar_clone_dialog_get_property;
  object_class->set_property = hangar_clone_dialog_set_property;
  window_class->close_request = hangar_clone_dialog_close_request;

  properties[PROP_VM] =
    g_param_spec_object ("vm", NULL, NULL, HANGAR_TYPE_VM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarCloneDialog::cloned:
   * @name: the new machine's name
   *
   * The clone is defined; the dialog closes right after.
   */
  signals[CLONED] = g_signal_new ("cloned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-clone-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarCloneDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HangarCloneDialog, name_error);
  gtk_widget_class_bind_template_child (widget_class, HangarCloneDialog, disk_list);
  gtk_widget_class_bind_template_child (widget_class, HangarCloneDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HangarCloneDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);

  gtk_widget_class_install_action (widget_class, "clone.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "clone.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "clone.cancel", NULL);
}

static void
hangar_clone_dialog_init (HangarCloneDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clone.start", FALSE);
}

/**
 * hangar_clone_dialog_new:
 * @vm: the machine to copy
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
GtkWidget *
hangar_clone_dialog_new (HangarVm *vm)
{
  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  return g_object_new (HANGAR_TYPE_CLONE_DIALOG, "vm", vm, NULL);
}

/**
 * hangar_clone_dialog_present:
 * @parent: (nullable): the window it belongs to
 * @vm: the machine to copy
 *
 * Shows the Clone dialog for @vm, modal to @parent.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
hangar_clone_dialog_present (GtkWindow *parent,
                             HangarVm  *vm)
{
  GtkWidget *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HANGAR_IS_VM (vm), NULL);

  dialog = hangar_clone_dialog_new (vm);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

gboolean
hangar_clone_dialog_is_busy (HangarCloneDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CLONE_DIALOG (self), FALSE);

  return self->busy;
}

/* The disk plan is read, so the dialog shows what a clone would do. */
gboolean
hangar_clone_dialog_is_ready (HangarCloneDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CLONE_DIALOG (self), FALSE);

  return self->plan_loaded || self->refusal != NULL;
}

const char *
hangar_clone_dialog_get_status (HangarCloneDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CLONE_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}
