/* hangar-snapshots-view.c — a machine's snapshots: list, take, revert, delete.
 *
 * Reverting and deleting ask first. When the machine's disks cannot hold
 * internal snapshots the page says why and offers no Take button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "hangar-connection.h"
#include "hangar-snapshots-view.h"
#include "hangar-vm.h"
#include "hangar-plain-text.h"

struct _HangarSnapshotsView
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *create_group;
  AdwPreferencesGroup *list_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *description_row;
  GtkListBox          *list;
  GtkLabel            *status_label;

  HangarVm            *vm;
  HangarSnapshotList  *snapshots;
  GCancellable        *cancellable;
  char                *status;
  const char          *done_message;
  char                *reverting;    /* a revert not forced, for asking again */
  gulong               state_handler;
  guint                busy : 1;
  guint                reload_again : 1;
};

enum {
  PROP_0,
  PROP_VM,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarSnapshotsView, hangar_snapshots_view, ADW_TYPE_BIN)

static void load (HangarSnapshotsView *self);

static void
set_status (HangarSnapshotsView *self,
            const char          *text,
            gboolean             is_error)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_text (self->status_label, text ? text : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_actions (HangarSnapshotsView *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  gboolean supported = self->snapshots != NULL && self->snapshots->unsupported == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "snapshots.create",
                                 supported && !self->busy && *name != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_group), supported);
}

static void
on_name_changed (HangarSnapshotsView *self)
{
  update_actions (self);
}

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "paused") == 0)
    return _("Paused");
  if (g_strcmp0 (state, "shutoff") == 0)
    return _("Shut off");
  if (g_strcmp0 (state, "disk-snapshot") == 0)
    return _("Disks only");
  return state;
}

static void
on_revert_clicked (GtkButton           *button,
                   HangarSnapshotsView *self)
{
  hangar_snapshots_view_ask_revert (self, g_object_get_data (G_OBJECT (button), "hangar-name"));
}

static void
on_delete_clicked (GtkButton           *button,
                   HangarSnapshotsView *self)
{
  hangar_snapshots_view_ask_delete (self, g_object_get_data (G_OBJECT (button), "hangar-name"));
}

static GtkWidget *
row_button (HangarSnapshotsView *self,
            const char          *icon,
            const char          *tooltip,
            const char          *snapshot,
            const char          *name_prefix,
            GCallback            callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  g_autofree char *name = g_strdup_printf ("%s-%s", name_prefix, snapshot);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "hangar-name", g_strdup (snapshot), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
fill_list (HangarSnapshotsView *self)
{
  GtkWidget *row;
  GPtrArray *snapshots = self->snapshots->snapshots;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, row);

  if (self->snapshots->unsupported != NULL)
    hangar_group_set_plain_description (self->create_group, self->snapshots->unsupported);
  else
    adw_preferences_group_set_description (self->create_group,
                                           _("A running machine’s snapshot includes its memory: "
                                             "reverting resumes it where it was"));

  gtk_widget_set_visible (GTK_WIDGET (self->list), snapshots->len > 0);
  adw_preferences_group_set_description (self->list_group,
                                         snapshots->len == 0 ? _("No snapshots yet") : NULL);

  for (guint i = 0; i < snapshots->len; i++)
    {
      HangarSnapshotInfo *info = g_ptr_array_index (snapshots, i);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (info->creation_time);
      g_autofree char *date = when ? g_date_time_format (when, "%x %X") : g_strdup ("");
      g_autofree char *subtitle = NULL;
      g_autofree char *title = NULL;
      guint depth = 0;

      /* Children under their parents: indent by depth. */
      for (const char *parent = info->parent; parent != NULL && depth < 16; depth++)
        {
          const char *next = NULL;

          for (guint j = 0; j < snapshots->len; j++)
            {
              HangarSnapshotInfo *p = g_ptr_array_index (snapshots, j);

              if (g_strcmp0 (p->name, parent) == 0)
                next = p->parent;
            }
          parent = next;
        }

      subtitle = g_strdup_printf ("%s · %s%s%s%s", date, state_label (info->state),
                                  info->has_memory ? _(" · with memory") : "",
                                  info->description ? " · " : "",
                                  info->description ? info->description : "");
      title = info->current ? g_strdup_printf (_("%s (current)"), info->name)
                            : g_strdup (info->name);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_margin_start (gtk_widget_get_first_child (row), 24 * depth);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "edit-undo-symbolic", _("Revert to this snapshot"),
                                             info->name, "snapshot-revert",
                                             G_CALLBACK (on_revert_clicked)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "user-trash-symbolic", _("Delete this snapshot"),
                                             info->name, "snapshot-delete",
                                             G_CALLBACK (on_delete_clicked)));
      gtk_list_box_append (self->list, row);
    }
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HangarSnapshotsView) self = user_data;
  g_autoptr(GError) error = NULL;
  HangarSnapshotList *list;

  list = hangar_vm_snapshots_list_finish (HANGAR_VM (object), result, &error);
  self->busy = FALSE;
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, TRUE);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->snapshots, hangar_snapshot_list_free);
  self->snapshots = list;
  fill_list (self);
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      load (self);
    }
}

static void
load (HangarSnapshotsView *self)
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
  hangar_vm_snapshots_list_async (self->vm, self->cancellable, load_done, g_object_ref (self));
}

static void ask_force_revert (HangarSnapshotsView *self,
                              const char          *name,
                              const char          *why);

static void
op_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HangarSnapshotsView) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (!hangar_vm_snapshot_op_finish (HANGAR_VM (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_status (self, error->message, TRUE);
      /* Nothing changed, so no reload: the view stays ready for the
       * answer (a reload would make it busy and drop a quick one). */
      if (g_error_matches (error, HANGAR_LIBVIRT_ERROR, VIR_ERR_SNAPSHOT_REVERT_RISKY)
          && self->reverting != NULL)
        {
          update_actions (self);
          ask_force_revert (self, self->reverting, error->message);
          return;
        }
    }
  else
    set_status (self, self->done_message, FALSE);
  load (self);
}

static void
start_op (HangarSnapshotsView *self,
          const char          *doing,
          const char          *done)
{
  self->busy = TRUE;
  self->done_message = done;
  set_status (self, doing, FALSE);
  update_actions (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HangarSnapshotsView *self = HANGAR_SNAPSHOTS_VIEW (widget);
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autofree char *description = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));

  if (self->busy || *g_strstrip (name) == '\0')
    return;
  start_op (self, _("Taking the snapshot…"), _("Snapshot taken."));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), "");
  hangar_vm_snapshot_create_async (self->vm, name, description, self->cancellable, op_done,
                                   g_object_ref (self));
}

static void
on_revert_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    HangarSnapshotsView *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "hangar-name");
  gboolean force = g_strcmp0 (response, "force") == 0;

  if ((g_strcmp0 (response, "revert") != 0 && !force) || self->busy)
    return;
  g_free (self->reverting);
  self->reverting = force ? NULL : g_strdup (name);
  start_op (self, _("Reverting…"), _("Reverted to the snapshot."));
  if (force)
    hangar_vm_snapshot_force_revert_async (self->vm, name, self->cancellable, op_done,
                                           g_object_ref (self));
  else
    hangar_vm_snapshot_revert_async (self->vm, name, self->cancellable, op_done,
                                     g_object_ref (self));
}

static void
on_delete_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    HangarSnapshotsView *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "hangar-name");

  if ((g_strcmp0 (response, "delete") != 0 && g_strcmp0 (response, "delete-all") != 0)
      || self->busy)
    return;
  start_op (self, _("Deleting…"), _("Snapshot deleted."));
  hangar_vm_snapshot_delete_async (self->vm, name, g_str_equal (response, "delete-all"),
                                   self->cancellable, op_done, g_object_ref (self));
}

static gboolean
has_children (HangarSnapshotsView *self,
              const char          *name)
{
  for (guint i = 0; self->snapshots && i < self->snapshots->snapshots->len; i++)
    if (g_strcmp0 (((HangarSnapshotInfo *) g_ptr_array_index (self->snapshots->snapshots, i))->parent,
                   name) == 0)
      return TRUE;
  return FALSE;
}

static GtkWidget *
ask (HangarSnapshotsView *self,
     const char          *name,
     const char          *heading,
     const char          *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  g_object_set_data_full (G_OBJECT (dialog), "hangar-name", g_strdup (name), g_free);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return dialog;
}

/**
 * hangar_snapshots_view_ask_revert:
 *
 * Asks whether to revert to @name, and does it if the answer is yes.
 */
void
hangar_snapshots_view_ask_revert (HangarSnapshotsView *self,
                                  const char          *name)
{
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_return_if_fail (HANGAR_IS_SNAPSHOTS_VIEW (self));

  heading = g_strdup_printf (_("Revert to “%s”?"), name);
  dialog = ask (self, name, heading,
                _("The machine’s disks, and its state if the snapshot holds memory, go back to "
                  "that moment. Changes since then are lost unless another snapshot keeps them."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "revert", _("_Revert"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revert",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_revert_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* libvirt called the revert risky: the first answer did not know why,
 * so it is shown (libvirt's own words, as plain text) and asked again. */
static void
ask_force_revert (HangarSnapshotsView *self,
                  const char          *name,
                  const char          *why)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("libvirt warns that this revert is risky:\n\n%s\n\nForcing it may "
                            "leave the running machine in an inconsistent state, for example "
                            "when its devices differ from the snapshot’s."), why);
  dialog = ask (self, name, _("Revert Anyway?"), body);
  gtk_widget_set_name (dialog, "snapshot-revert-risky-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "force", _("_Force Revert"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "force",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_revert_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * hangar_snapshots_view_ask_delete:
 *
 * Asks whether to delete @name (and, when it has some, its children).
 */
void
hangar_snapshots_view_ask_delete (HangarSnapshotsView *self,
                                  const char          *name)
{
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_return_if_fail (HANGAR_IS_SNAPSHOTS_VIEW (self));

  heading = g_strdup_printf (_("Delete “%s”?"), name);
  dialog = ask (self, name, heading,
                has_children (self, name)
                ? _("Snapshots were taken after it. Delete only this one (they are kept), or it "
                    "and all of them.")
                : _("The machine stays as it is now; only the snapshot goes."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "delete", _("_Delete"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  if (has_children (self, name))
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "delete-all",
                                       _("Delete _All"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete-all",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_vm_state (HangarSnapshotsView *self)
{
  load (self);
}

static void
hangar_snapshots_view_constructed (GObject *object)
{
  HangarSnapshotsView *self = HANGAR_SNAPSHOTS_VIEW (object);

  G_OBJECT_CLASS (hangar_snapshots_view_parent_class)->constructed (object);

  if (self->vm != NULL)
    self->state_handler = g_signal_connect_swapped (self->vm, "notify::state",
                                                    G_CALLBACK (on_vm_state), self);
  load (self);
}

static void
hangar_snapshots_view_dispose (GObject *object)
{
  HangarSnapshotsView *self = HANGAR_SNAPSHOTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->vm != NULL)
    g_clear_signal_handler (&self->state_handler, self->vm);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_SNAPSHOTS_VIEW);
  g_clear_object (&self->vm);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->snapshots, hangar_snapshot_list_free);

  G_OBJECT_CLASS (hangar_snapshots_view_parent_class)->dispose (object);
}

static void
hangar_snapshots_view_finalize (GObject *object)
{
  HangarSnapshotsView *self = HANGAR_SNAPSHOTS_VIEW (object);

  g_free (self->reverting);
  g_free (self->status);

  G_OBJECT_CLASS (hangar_snapshots_view_parent_class)->finalize (object);
}

static void
hangar_snapshots_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HangarSnapshotsView *self = HANGAR_SNAPSHOTS_VIEW (object);

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
hangar_snapshots_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HangarSnapshotsView *self = HANGAR_SNAPSHOTS_VIEW (object);

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
hangar_snapshots_view_class_init (HangarSnapshotsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hangar_snapshots_view_constructed;
  object_class->dispose = hangar_snapshots_view_dispose;
  object_class->finalize = hangar_snapshots_view_finalize;
  object_class->get_property = hangar_snapshots_view_get_property;
  object_class->set_property = hangar_snapshots_view_set_property;

  properties[PROP_VM] =
    g_param_spec_object ("vm", NULL, NULL, HANGAR_TYPE_VM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarSnapshotsView::changed:
   *
   * The list was read again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-snapshots-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarSnapshotsView, create_group);
  gtk_widget_class_bind_template_child (widget_class, HangarSnapshotsView, list_group);
  gtk_widget_class_bind_template_child (widget_class, HangarSnapshotsView, name_row);
  gtk_widget_class_bind_template_child (widget_class, HangarSnapshotsView, description_row);
  gtk_widget_class_bind_template_child (widget_class, HangarSnapshotsView, list);
  gtk_widget_class_bind_template_child (widget_class, HangarSnapshotsView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);

  gtk_widget_class_install_action (widget_class, "snapshots.create", NULL, create_action);
}

static void
hangar_snapshots_view_init (HangarSnapshotsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "snapshots.create", FALSE);
}

/* Returns: (transfer floating): the view */
GtkWidget *
hangar_snapshots_view_new (HangarVm *vm)
{
  return g_object_new (HANGAR_TYPE_SNAPSHOTS_VIEW, "vm", vm, NULL);
}

void
hangar_snapshots_view_reload (HangarSnapshotsView *self)
{
  g_return_if_fail (HANGAR_IS_SNAPSHOTS_VIEW (self));
  load (self);
}

gboolean
hangar_snapshots_view_is_busy (HangarSnapshotsView *self)
{
  g_return_val_if_fail (HANGAR_IS_SNAPSHOTS_VIEW (self), FALSE);
  return self->busy;
}

/* Returns: (transfer none) (nullable): the last list read */
HangarSnapshotList *
hangar_snapshots_view_get_list (HangarSnapshotsView *self)
{
  g_return_val_if_fail (HANGAR_IS_SNAPSHOTS_VIEW (self), NULL);
  return self->snapshots;
}

const char *
hangar_snapshots_view_get_status (HangarSnapshotsView *self)
{
  g_return_val_if_fail (HANGAR_IS_SNAPSHOTS_VIEW (self), NULL);
  return self->status;
}
