/* hangar-connection-dialog.c — Add Connection: a libvirt URI built from a few choices.
 *
 * The URI is shown live as the user picks a hypervisor and a remote
 * method, and can be edited directly for anything the form does not offer.
 * It is checked before use, with one message per kind of mistake; a
 * connection that passes is saved in GSettings and opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection-dialog.h"
#include "hangar-uri.h"

struct _HangarConnectionDialog
{
  AdwWindow          parent_instance;

  AdwComboRow       *hypervisor_row;
  AdwExpanderRow    *remote_row;
  AdwComboRow       *method_row;
  AdwEntryRow       *user_row;
  AdwEntryRow       *host_row;
  GtkSwitch         *autoconnect_switch;
  AdwEntryRow       *uri_row;
  GtkLabel          *error_label;

  HangarApplication *application;
  gboolean           updating;
  /* What is wrong with the form, until the user types a URI instead. */
  char              *form_error;
  AdwEntryRow       *form_error_row;
};

G_DEFINE_FINAL_TYPE (HangarConnectionDialog, hangar_connection_dialog, ADW_TYPE_WINDOW)

/* Marks @row as the one in error (red, and "invalid" for screen readers)
 * and every other field as fine. */
static void
mark_field (HangarConnectionDialog *self,
            AdwEntryRow            *row)
{
  AdwEntryRow *fields[] = { self->user_row, self->host_row, self->uri_row };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkWidget *field = GTK_WIDGET (fields[i]);
      GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (field));

      if (fields[i] == row)
        gtk_widget_add_css_class (field, "error");
      else
        gtk_widget_remove_css_class (field, "error");
      if (text != NULL)
        gtk_accessible_update_state (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_STATE_INVALID,
                                     fields[i] == row ? GTK_ACCESSIBLE_INVALID_TRUE
                                                      : GTK_ACCESSIBLE_INVALID_FALSE,
                                     -1);
    }
}

/* @row: the field the error is about; %NULL when there is none */
static void
show_error (HangarConnectionDialog *self,
            const char             *message,
            AdwEntryRow            *row)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  mark_field (self, message != NULL ? row : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.connect", message == NULL);
}

/* The field a URI builder error is about: the user name or the host. */
static AdwEntryRow *
form_field (HangarConnectionDialog *self,
            const GError           *error)
{
  if (g_error_matches (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_BAD_USER))
    return self->user_row;
  return self->host_row;
}

static void
validate (HangarConnectionDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *uri = gtk_editable_get_text (GTK_EDITABLE (self->uri_row));

  if (!hangar_uri_validate (uri, &error))
    show_error (self, error->message, self->uri_row);
  else
    show_error (self, NULL, NULL);
}

static void
update_uri (HangarConnectionDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  gboolean remote = adw_expander_row_get_enable_expansion (self->remote_row);
  HangarTransport transport = adw_combo_row_get_selected (self->method_row);

  /* A username means something to ssh only. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), transport == HANGAR_TRANSPORT_SSH);

  uri = hangar_uri_build (adw_combo_row_get_selected (self->hypervisor_row), remote, transport,
                          gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->host_row)), &error);
  self->updating = TRUE;
  if (uri != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->uri_row), uri);
  self->updating = FALSE;

  /* While the form cannot make a URI, the URI row keeps the last one it
   * made and the error points at the field that is wrong. */
  g_free (self->form_error);
  self->form_error = error ? g_strdup (error->message) : NULL;
  self->form_error_row = error ? form_field (self, error) : NULL;
  if (error != NULL)
    show_error (self, error->message, self->form_error_row);
  else
    validate (self);
}

static void
on_uri_edited (HangarConnectionDialog *self)
{
  if (self->updating)
    return;
  g_clear_pointer (&self->form_error, g_free);
  self->form_error_row = NULL;
  validate (self);
}

static void
strv_add_unique (GSettings  *settings,
                 const char *key,
                 const char *value)
{
  g_auto(GStrv) values = g_settings_get_strv (settings, key);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  if (g_strv_contains ((const char * const *) values, value))
    return;
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) values);
  g_strv_builder_add (builder, value);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, key, (const char * const *) updated);
}

/**
 * hangar_connection_dialog_connect:
 *
 * Saves and opens the connection the dialog describes, as the Connect
 * button does.
 *
 * Returns: whether the URI was valid and the connection was added
 */
gboolean
hangar_connection_dialog_connect (HangarConnectionDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char *implicit;
  GSettings *settings;
  HangarConnection *connection;

  g_return_val_if_fail (HANGAR_IS_CONNECTION_DIALOG (self), FALSE);

  if (self->form_error != NULL)
    {
      show_error (self, self->form_error, self->form_error_row);
      return FALSE;
    }
  uri = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uri_row))));
  if (!hangar_uri_validate (uri, &error))
    {
      show_error (self, error->message, self->uri_row);
      return FALSE;
    }

  settings = hangar_application_get_settings (self->application);
  implicit = hangar_application_get_implicit_uri (self->application);
  /* The local default is listed only while nothing is saved: saving the
   * first connection alone would make the local machines disappear at the
   * next start (and if that host failed, leave nothing). Keep it as the
   * user saw it, as virt-manager does; Remove Connection still forgets it. */
  if (implicit != NULL
      && hangar_connection_manager_find (hangar_application_get_connections (self->application),
                                         implicit) != NULL)
    {
      g_auto(GStrv) saved = g_settings_get_strv (settings, "connections");

      if (saved[0] == NULL)
        {
          strv_add_unique (settings, "connections", implicit);
          strv_add_unique (settings, "autoconnect", implicit);
        }
    }
  strv_add_unique (settings, "connections", uri);
  if (gtk_switch_get_active (self->autoconnect_switch))
    strv_add_unique (settings, "autoconnect", uri);

  connection =
    hangar_connection_manager_add (hangar_application_get_connections (self->application), uri);
  hangar_connection_open (connection);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
connect_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  hangar_connection_dialog_connect (HANGAR_CONNECTION_DIALOG (widget));
}

static void
hangar_connection_dialog_dispose (GObject *object)
{
  g_clear_pointer (&HANGAR_CONNECTION_DIALOG (object)->form_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), HANGAR_TYPE_CONNECTION_DIALOG);

  G_OBJECT_CLASS (hangar_connection_dialog_parent_class)->dispose (object);
}

static void
hangar_connection_dialog_class_init (HangarConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_connection_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, hypervisor_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, remote_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, autoconnect_switch);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, uri_row);
  gtk_widget_class_bind_template_child (widget_class, HangarConnectionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, update_uri);
  gtk_widget_class_bind_template_callback (widget_class, on_uri_edited);

  gtk_widget_class_install_action (widget_class, "dialog.connect", NULL, connect_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_connection_dialog_init (HangarConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_uri (self);
}

GtkWidget *
hangar_connection_dialog_new (HangarApplication *application,
                              GtkWindow         *parent)
{
  HangarConnectionDialog *self;

  g_return_val_if_fail (HANGAR_IS_APPLICATION (application), NULL);

  self = g_object_new (HANGAR_TYPE_CONNECTION_DIALOG,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  self->application = application;
  return GTK_WIDGET (self);
}

const char *
hangar_connection_dialog_get_uri (HangarConnectionDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CONNECTION_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->uri_row));
}

/**
 * hangar_connection_dialog_set_remote:
 * @transport: a #HangarTransport
 *
 * Fills the remote part of the form, as a user would.
 */
void
hangar_connection_dialog_set_remote (HangarConnectionDialog *self,
                                     int                     transport,
                                     const char             *user,
                                     const char             *host)
{
  g_return_if_fail (HANGAR_IS_CONNECTION_DIALOG (self));

  adw_expander_row_set_enable_expansion (self->remote_row, TRUE);
  adw_combo_row_set_selected (self->method_row, transport);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user ? user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host ? host : "");
}
