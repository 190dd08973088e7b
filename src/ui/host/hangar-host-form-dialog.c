/* hangar-host-form-dialog.c — a small form for a new network, pool or volume,
 * with each field's error shown under it.
 *
 * The dialog only collects text and shows errors; its owner checks the
 * fields (with the pure checks) when "submit" is emitted, runs the change,
 * and closes the dialog when it worked. The dialog stays open on errors,
 * so nothing the user typed is lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-host-checks.h"
#include "hangar-host-form-dialog.h"

typedef struct
{
  char          *id;
  GtkWidget     *row;         /* AdwEntryRow, AdwComboRow, or AdwActionRow with a switch */
  GtkWidget     *toggle;      /* the switch of a switch row */
  GtkWidget     *error_row;
  GtkLabel      *error_label;
} Field;

struct _HangarHostFormDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkWidget            *accept_button;
  GtkWidget            *cancel_button;
  GtkSpinner           *spinner;
  AdwPreferencesGroup  *group;
  GtkLabel             *general_error;

  GPtrArray            *fields;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (HangarHostFormDialog, hangar_host_form_dialog, ADW_TYPE_WINDOW)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_free (Field *field)
{
  g_free (field->id);
  g_free (field);
}

static Field *
find_field (HangarHostFormDialog *self,
            const char           *id)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->id, id))
        return field;
    }
  return NULL;
}

static void
on_accept_clicked (HangarHostFormDialog *self)
{
  hangar_host_form_dialog_submit (self);
}

static void
hangar_host_form_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HANGAR_TYPE_HOST_FORM_DIALOG);
  G_OBJECT_CLASS (hangar_host_form_dialog_parent_class)->dispose (object);
}

static void
hangar_host_form_dialog_finalize (GObject *object)
{
  HangarHostFormDialog *self = HANGAR_HOST_FORM_DIALOG (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (hangar_host_form_dialog_parent_class)->finalize (object);
}

static void
hangar_host_form_dialog_class_init (HangarHostFormDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_host_form_dialog_dispose;
  object_class->finalize = hangar_host_form_dialog_finalize;

  /**
   * HangarHostFormDialog::submit:
   *
   * The user asked to create: check the fields and go on, or show errors.
   */
  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-host-form-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarHostFormDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, HangarHostFormDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, HangarHostFormDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HangarHostFormDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, HangarHostFormDialog, group);
  gtk_widget_class_bind_template_child (widget_class, HangarHostFormDialog, general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_accept_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_host_form_dialog_init (HangarHostFormDialog *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hangar_host_form_dialog_new:
 * @parent: the window the form belongs to
 * @title: “New Virtual Network”
 * @accept_label: the button's label, with a mnemonic: “_Create”
 */
HangarHostFormDialog *
hangar_host_form_dialog_new (GtkWindow  *parent,
                             const char *title,
                             const char *accept_label)
{
  HangarHostFormDialog *self = g_object_new (HANGAR_TYPE_HOST_FORM_DIALOG,
                                             "transient-for", parent,
                                             "title", title,
                                             NULL);

  adw_window_title_set_title (self->window_title, title);
  gtk_button_set_label (GTK_BUTTON (self->accept_button), accept_label);
  return self;
}

static Field *
add_field (HangarHostFormDialog *self,
           const char           *id,
           GtkWidget            *row)
{
  Field *field = g_new0 (Field, 1);

  g_return_val_if_fail (find_field (self, id) == NULL, NULL);

  field->id = g_strdup (id);
  field->row = row;
  field->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (field->error_label, TRUE);
  gtk_label_set_xalign (field->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (field->error_label), "error");
  gtk_widget_set_margin_start (GTK_WIDGET (field->error_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (field->error_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (field->error_label), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (field->error_label), 6);
  field->error_row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                   "activatable", FALSE,
                                   "selectable", FALSE,
                                   "visible", FALSE,
                                   "child", field->error_label,
                                   NULL);
  adw_preferences_group_add (self->group, row);
  adw_preferences_group_add (self->group, field->error_row);
  g_ptr_array_add (self->fields, field);
  return field;
}

void
hangar_host_form_dialog_add_entry (HangarHostFormDialog *self,
                                   const char           *id,
                                   const char           *title,
                                   const char           *text)
{
  GtkWidget *row;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  add_field (self, id, row);
}

void
hangar_host_form_dialog_add_choice (HangarHostFormDialog *self,
                                    const char           *id,
                                    const char           *title,
                                    const char * const   *labels,
                                    guint                 selected)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);
  GtkWidget *row;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  add_field (self, id, row);
}

/**
 * hangar_host_form_dialog_add_switch:
 * @subtitle: (nullable): what turning it on does
 */
void
hangar_host_form_dialog_add_switch (HangarHostFormDialog *self,
                                    const char           *id,
                                    const char           *title,
                                    const char           *subtitle,
                                    gboolean              active)
{
  GtkWidget *row;
  GtkWidget *toggle;
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  row = adw_action_row_new ();
  toggle = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  field = add_field (self, id, row);
  if (field != NULL)
    field->toggle = toggle;
}

/**
 * hangar_host_form_dialog_get_row:
 *
 * Returns: (transfer none): the field's row, to follow its changes
 */
GtkWidget *
hangar_host_form_dialog_get_row (HangarHostFormDialog *self,
                                 const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), NULL);

  field = find_field (self, id);
  g_return_val_if_fail (field != NULL, NULL);
  return field->row;
}

const char *
hangar_host_form_dialog_get_text (HangarHostFormDialog *self,
                                  const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), NULL);

  field = find_field (self, id);
  g_return_val_if_fail (field != NULL && ADW_IS_ENTRY_ROW (field->row), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (field->row));
}

void
hangar_host_form_dialog_set_text (HangarHostFormDialog *self,
                                  const char           *id,
                                  const char           *text)
{
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = find_field (self, id);
  g_return_if_fail (field != NULL && ADW_IS_ENTRY_ROW (field->row));
  gtk_editable_set_text (GTK_EDITABLE (field->row), text ? text : "");
}

guint
hangar_host_form_dialog_get_choice (HangarHostFormDialog *self,
                                    const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), 0);

  field = find_field (self, id);
  g_return_val_if_fail (field != NULL && ADW_IS_COMBO_ROW (field->row), 0);
  return adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));
}

void
hangar_host_form_dialog_set_choice (HangarHostFormDialog *self,
                                    const char           *id,
                                    guint                 selected)
{
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = find_field (self, id);
  g_return_if_fail (field != NULL && ADW_IS_COMBO_ROW (field->row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), selected);
}

gboolean
hangar_host_form_dialog_get_switch (HangarHostFormDialog *self,
                                    const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), FALSE);

  field = find_field (self, id);
  g_return_val_if_fail (field != NULL && field->toggle != NULL, FALSE);
  return gtk_switch_get_active (GTK_SWITCH (field->toggle));
}

void
hangar_host_form_dialog_set_switch (HangarHostFormDialog *self,
                                    const char           *id,
                                    gboolean              active)
{
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = find_field (self, id);
  g_return_if_fail (field != NULL && field->toggle != NULL);
  gtk_switch_set_active (GTK_SWITCH (field->toggle), active);
}

/**
 * hangar_host_form_dialog_set_choices:
 *
 * Gives a choice field other labels, as when another field changes what
 * can be chosen.
 */
void
hangar_host_form_dialog_set_choices (HangarHostFormDialog *self,
                                     const char           *id,
                                     const char * const   *labels,
                                     guint                 selected)
{
  g_autoptr(GtkStringList) model = NULL;
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = find_field (self, id);
  g_return_if_fail (field != NULL && ADW_IS_COMBO_ROW (field->row));
  model = gtk_string_list_new (labels);
  adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), selected);
}

/**
 * hangar_host_form_dialog_set_field_title:
 * @subtitle: (nullable): for switch and choice rows
 *
 * One form can serve several kinds of thing: a field's title follows the kind.
 */
void
hangar_host_form_dialog_set_field_title (HangarHostFormDialog *self,
                                         const char           *id,
                                         const char           *title,
                                         const char           *subtitle)
{
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = find_field (self, id);
  g_return_if_fail (field != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
  if (ADW_IS_ACTION_ROW (field->row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), subtitle ? subtitle : "");
}

const char *
hangar_host_form_dialog_get_field_title (HangarHostFormDialog *self,
                                         const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), NULL);

  field = find_field (self, id);
  g_return_val_if_fail (field != NULL, NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (field->row));
}

/**
 * hangar_host_form_dialog_set_field_visible:
 *
 * Hides a field the current kind of thing does not use, with its error.
 */
void
hangar_host_form_dialog_set_field_visible (HangarHostFormDialog *self,
                                           const char           *id,
                                           gboolean              visible)
{
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = find_field (self, id);
  g_return_if_fail (field != NULL);
  if (!visible)
    hangar_host_form_dialog_set_field_error (self, id, NULL);
  gtk_widget_set_visible (field->row, visible);
}

gboolean
hangar_host_form_dialog_get_field_visible (HangarHostFormDialog *self,
                                           const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), FALSE);

  field = find_field (self, id);
  g_return_val_if_fail (field != NULL, FALSE);
  return gtk_widget_get_visible (field->row);
}

/**
 * hangar_host_form_dialog_set_field_error:
 * @message: (nullable): what is wrong, or %NULL to clear
 *
 * Shows @message under the field; an unknown @id shows it under the form.
 */
void
hangar_host_form_dialog_set_field_error (HangarHostFormDialog *self,
                                         const char           *id,
                                         const char           *message)
{
  Field *field;

  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  field = id ? find_field (self, id) : NULL;
  /* An error about a hidden field would not be seen there. */
  if (field == NULL || (message != NULL && !gtk_widget_get_visible (field->row)))
    {
      gtk_label_set_text (self->general_error, message ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (self->general_error), message != NULL);
      return;
    }
  gtk_label_set_text (field->error_label, message ? message : "");
  gtk_widget_set_visible (field->error_row, message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (field->row, "error");
      gtk_widget_grab_focus (field->row);
    }
  else
    gtk_widget_remove_css_class (field->row, "error");
}

/**
 * hangar_host_form_dialog_get_field_error:
 * @id: (nullable): a field, or %NULL for the form's own error
 *
 * Returns: (nullable): the error shown, or %NULL
 */
const char *
hangar_host_form_dialog_get_field_error (HangarHostFormDialog *self,
                                         const char           *id)
{
  Field *field;

  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), NULL);

  if (id == NULL)
    return gtk_widget_get_visible (GTK_WIDGET (self->general_error))
           ? gtk_label_get_text (self->general_error) : NULL;
  field = find_field (self, id);
  g_return_val_if_fail (field != NULL, NULL);
  return gtk_widget_get_visible (field->error_row) ? gtk_label_get_text (field->error_label)
                                                   : NULL;
}

static const char *
field_for_error (const GError *error)
{
  if (error->domain != HANGAR_HOST_ERROR)
    return NULL;
  switch (error->code)
    {
    case HANGAR_HOST_ERROR_NAME:
      return "name";
    case HANGAR_HOST_ERROR_NETWORK:
      return "network";
    case HANGAR_HOST_ERROR_DHCP_START:
      return "dhcp-start";
    case HANGAR_HOST_ERROR_DHCP_END:
      return "dhcp-end";
    case HANGAR_HOST_ERROR_PATH:
      return "path";
    case HANGAR_HOST_ERROR_CAPACITY:
      return "capacity";
    case HANGAR_HOST_ERROR_SOURCE_HOST:
      return "source-host";
    case HANGAR_HOST_ERROR_SOURCE_PATH:
      return "source-path";
    case HANGAR_HOST_ERROR_SOURCE_DEVICE:
      return "source-device";
    case HANGAR_HOST_ERROR_SOURCE_NAME:
      return "source-name";
    case HANGAR_HOST_ERROR_IQN:
      return "iqn";
    case HANGAR_HOST_ERROR_FORMAT:
      return "format";
    default:
      return NULL;
    }
}

/**
 * hangar_host_form_dialog_show_error:
 *
 * Shows @error next to the field its code names (see #HangarHostError),
 * or under the form.
 */
void
hangar_host_form_dialog_show_error (HangarHostFormDialog *self,
                                    const GError         *error)
{
  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));
  g_return_if_fail (error != NULL);

  hangar_host_form_dialog_set_field_error (self, field_for_error (error), error->message);
}

void
hangar_host_form_dialog_clear_errors (HangarHostFormDialog *self)
{
  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      hangar_host_form_dialog_set_field_error (self, field->id, NULL);
    }
  hangar_host_form_dialog_set_field_error (self, NULL, NULL);
}

gboolean
hangar_host_form_dialog_has_errors (HangarHostFormDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), FALSE);

  if (gtk_widget_get_visible (GTK_WIDGET (self->general_error)))
    return TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    if (gtk_widget_get_visible (((Field *) g_ptr_array_index (self->fields, i))->error_row))
      return TRUE;
  return FALSE;
}

/* While the change runs the form cannot be sent again. The fields stay
 * sensitive: taking a focused entry's sensitivity away leaves GTK 4.8's
 * cursor blinking without focus (and warning about it). */
void
hangar_host_form_dialog_set_busy (HangarHostFormDialog *self,
                                  gboolean              busy)
{
  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  self->busy = !!busy;
  gtk_widget_set_sensitive (self->accept_button, !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

gboolean
hangar_host_form_dialog_get_busy (HangarHostFormDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self), FALSE);

  return self->busy;
}

/* What the Create button does. */
void
hangar_host_form_dialog_submit (HangarHostFormDialog *self)
{
  g_return_if_fail (HANGAR_IS_HOST_FORM_DIALOG (self));

  if (self->busy)
    return;
  hangar_host_form_dialog_clear_errors (self);
  g_signal_emit (self, signals[SUBMIT], 0);
}
