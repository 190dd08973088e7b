/* hangar-credentials-dialog.c — asks for what a host wants before it lets us in.
 *
 * One row per field of a #HangarCredentialRequest: the user name prefilled
 * with libvirt's default, the password hidden, any other prompt with
 * libvirt's own words. When the previous attempt was answered and failed,
 * its error is shown on top, so a mistyped password reads as one. The
 * dialog answers the request (Connect) or refuses it (Cancel, Escape,
 * closing), and goes away by itself when the request ends elsewhere (the
 * connection was closed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>

#include "hangar-credentials-dialog.h"
#include "hangar-plain-text.h"

struct _HangarCredentialsDialog
{
  AdwWindow                parent_instance;

  /* Template widgets */
  AdwPreferencesGroup     *error_group;
  GtkLabel                *error_label;
  AdwPreferencesGroup     *fields_group;
  AdwPreferencesGroup     *options_group;
  GtkCheckButton          *remember_check;

  HangarCredentialRequest *request;
  /* One per field: the row that answers it (a hidden SASL authorization
   * name shares the user name's row). */
  GPtrArray               *rows;
  GtkWidget               *username_row;
  GtkWidget               *password_row;
};

G_DEFINE_FINAL_TYPE (HangarCredentialsDialog, hangar_credentials_dialog, ADW_TYPE_WINDOW)

enum {
  SUBMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_request_finished (HangarCredentialsDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_row_changed (GtkEditable *row)
{
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/**
 * hangar_credentials_dialog_submit:
 *
 * Answers the request with what the rows hold, as Connect does.
 *
 * Returns: whether the answer was given (a user name is required)
 */
gboolean
hangar_credentials_dialog_submit (HangarCredentialsDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) values = NULL;

  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), FALSE);

  if (self->username_row != NULL
      && *gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0')
    {
      gtk_widget_add_css_class (self->username_row, "error");
      gtk_widget_grab_focus (self->username_row);
      return FALSE;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->rows, i);

      g_strv_builder_add (builder, gtk_editable_get_text (row));
    }
  values = g_strv_builder_end (builder);

  /* Listeners read the rows and the remember choice before they go. */
  g_signal_emit (self, signals[SUBMITTED], 0);
  g_signal_handlers_disconnect_by_func (self->request, on_request_finished, self);
  hangar_credential_request_reply (self->request, (const char * const *) values);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

static void
connect_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  hangar_credentials_dialog_submit (HANGAR_CREDENTIALS_DIALOG (widget));
}

static gboolean
on_close_request (GtkWindow *window)
{
  HangarCredentialsDialog *self = HANGAR_CREDENTIALS_DIALOG (window);

  if (self->request != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->request, on_request_finished, self);
      hangar_credential_request_cancel (self->request);
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_entry_activated (HangarCredentialsDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "credentials.connect", NULL);
}

static gboolean
mentions_passphrase (const char *prompt)
{
  g_autofree char *folded = g_utf8_casefold (prompt ? prompt : "", -1);

  return strstr (folded, "passphrase") != NULL;
}

static GtkWidget *
add_row (HangarCredentialsDialog *self,
         gboolean                 hidden,
         const char              *title,
         gboolean                 mnemonic,
         const char              *text)
{
  /* The title is the server's prompt: shown as it is, no mnemonic. */
  GtkWidget *row = hangar_row_plain (hidden ? adw_password_entry_row_new ()
                                            : adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), mnemonic);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  g_signal_connect (row, "changed", G_CALLBACK (on_row_changed), NULL);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (on_entry_activated), self);
  adw_preferences_group_add (self->fields_group, row);
  return row;
}

static void
build_rows (HangarCredentialsDialog *self)
{
  HangarCredentialRequest *request = self->request;
  guint n = hangar_credential_request_get_n_fields (request);
  GtkWidget *authname_row = NULL;
  g_autoptr(GString) challenges = g_string_new (NULL);
  g_autofree char *title = NULL;
  const char *previous_error = hangar_credential_request_get_previous_error (request);

  /* SASL asks for the name to log in as (authentication) and the name to
   * act as (authorization); people know one user name, used for both. */
  for (guint i = 0; i < n; i++)
    if (hangar_credential_request_get_libvirt_type (request, i) == VIR_CRED_AUTHNAME)
      {
        authname_row = add_row (self, FALSE, _("_User Name"), TRUE,
                                hangar_credential_request_get_default (request, i));
        self->username_row = authname_row;
        break;
      }

  for (guint i = 0; i < n; i++)
    {
      const char *prompt = hangar_credential_request_get_prompt (request, i);
      const char *challenge = hangar_credential_request_get_challenge (request, i);
      const char *defresult = hangar_credential_request_get_default (request, i);
      GtkWidget *row;

      switch (hangar_credential_request_get_kind (request, i))
        {
        case HANGAR_CREDENTIAL_USERNAME:
          if (authname_row != NULL)
            row = authname_row;
          else
            row = self->username_row = add_row (self, FALSE, _("_User Name"), TRUE, defresult);
          break;
        case HANGAR_CREDENTIAL_PASSWORD:
          row = add_row (self, TRUE,
                         mentions_passphrase (prompt) ? _("_Passphrase") : _("_Password"), TRUE,
                         NULL);
          if (self->password_row == NULL)
            self->password_row = row;
          break;
        case HANGAR_CREDENTIAL_SECRET_TEXT:
          row = add_row (self, TRUE, prompt ? prompt : _("Answer"), FALSE, defresult);
          break;
        case HANGAR_CREDENTIAL_TEXT:
        default:
          row = add_row (self, FALSE, prompt ? prompt : _("Answer"), FALSE, defresult);
          break;
        }
      g_ptr_array_add (self->rows, row);
      /* SASL's challenges only repeat the prompts (“Authorization Name”);
       * other prompts' (an ssh host key's fingerprint) matter. */
      if (challenge != NULL && *challenge != '\0'
          && hangar_credential_request_get_kind (request, i) != HANGAR_CREDENTIAL_USERNAME
          && hangar_credential_request_get_kind (request, i) != HANGAR_CREDENTIAL_PASSWORD)
        g_string_append_printf (challenges, "%s%s", challenges->len ? "\n" : "", challenge);
    }

  title = g_strdup_printf (_("Log In to %s"), hangar_credential_request_get_display_name (request));
  hangar_group_set_plain_title (self->fields_group, title);
  if (challenges->len > 0)
    hangar_group_set_plain_description (self->fields_group, challenges->str);
  else
    hangar_group_set_plain_description (self->fields_group,
                                           hangar_credential_request_get_uri (request));

  if (previous_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The last attempt failed: %s"), previous_error);

      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_group), TRUE);
    }

  /* Only a user name with a password makes a keyring entry. */
  hangar_credentials_dialog_set_can_remember (self, self->username_row != NULL
                                                    && self->password_row != NULL);

  /* Type where it is needed: the user name when empty, else the password. */
  if (self->username_row != NULL
      && *gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0')
    gtk_window_set_focus (GTK_WINDOW (self), self->username_row);
  else if (self->password_row != NULL)
    gtk_window_set_focus (GTK_WINDOW (self), self->password_row);
  else if (self->rows->len > 0)
    gtk_window_set_focus (GTK_WINDOW (self), g_ptr_array_index (self->rows, 0));
}

static void
hangar_credentials_dialog_dispose (GObject *object)
{
  HangarCredentialsDialog *self = (HangarCredentialsDialog *)object;

  if (self->request != NULL)
    g_signal_handlers_disconnect_by_func (self->request, on_request_finished, self);
  g_clear_object (&self->request);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_CREDENTIALS_DIALOG);

  G_OBJECT_CLASS (hangar_credentials_dialog_parent_class)->dispose (object);
}

static void
hangar_credentials_dialog_finalize (GObject *object)
{
  HangarCredentialsDialog *self = (HangarCredentialsDialog *)object;

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (hangar_credentials_dialog_parent_class)->finalize (object);
}

static void
hangar_credentials_dialog_class_init (HangarCredentialsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hangar_credentials_dialog_dispose;
  object_class->finalize = hangar_credentials_dialog_finalize;
  window_class->close_request = on_close_request;

  /**
   * HangarCredentialsDialog::submitted:
   *
   * The user pressed Connect; the request is answered right after.
   */
  signals[SUBMITTED] =
    g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hangar/Hangar/hangar-credentials-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HangarCredentialsDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, HangarCredentialsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, HangarCredentialsDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, HangarCredentialsDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, HangarCredentialsDialog, remember_check);

  gtk_widget_class_install_action (widget_class, "credentials.connect", NULL, connect_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hangar_credentials_dialog_init (HangarCredentialsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

/**
 * hangar_credentials_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @request: what to ask
 *
 * Returns: (transfer floating): a modal dialog; present it
 */
GtkWidget *
hangar_credentials_dialog_new (GtkWindow               *parent,
                               HangarCredentialRequest *request)
{
  HangarCredentialsDialog *self;

  g_return_val_if_fail (HANGAR_IS_CREDENTIAL_REQUEST (request), NULL);

  self = g_object_new (HANGAR_TYPE_CREDENTIALS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->request = g_object_ref (request);
  g_signal_connect_swapped (request, "finished", G_CALLBACK (on_request_finished), self);
  build_rows (self);
  return GTK_WIDGET (self);
}

HangarCredentialRequest *
hangar_credentials_dialog_get_request (HangarCredentialsDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), NULL);
  return self->request;
}

/**
 * hangar_credentials_dialog_get_username_row:
 *
 * Returns: (transfer none) (nullable): the user name's row, if asked for
 */
GtkEditable *
hangar_credentials_dialog_get_username_row (HangarCredentialsDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), NULL);
  return self->username_row ? GTK_EDITABLE (self->username_row) : NULL;
}

/**
 * hangar_credentials_dialog_get_password_row:
 *
 * Returns: (transfer none) (nullable): the (first) password's row, if asked for
 */
GtkEditable *
hangar_credentials_dialog_get_password_row (HangarCredentialsDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), NULL);
  return self->password_row ? GTK_EDITABLE (self->password_row) : NULL;
}

/**
 * hangar_credentials_dialog_get_row:
 * @field: the request's field
 *
 * Returns: (transfer none) (nullable): the row that answers @field
 */
GtkEditable *
hangar_credentials_dialog_get_row (HangarCredentialsDialog *self,
                                   guint                    field)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), NULL);
  if (field >= self->rows->len)
    return NULL;
  return g_ptr_array_index (self->rows, field);
}

gboolean
hangar_credentials_dialog_get_remember (HangarCredentialsDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->options_group))
         && gtk_check_button_get_active (self->remember_check);
}

void
hangar_credentials_dialog_set_remember (HangarCredentialsDialog *self,
                                        gboolean                 remember)
{
  g_return_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self));
  gtk_check_button_set_active (self->remember_check, remember);
}

/* Hides the keyring choice where nothing could be saved. */
void
hangar_credentials_dialog_set_can_remember (HangarCredentialsDialog *self,
                                            gboolean                 can)
{
  g_return_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self));
  gtk_widget_set_visible (GTK_WIDGET (self->options_group), can);
}

/**
 * hangar_credentials_dialog_get_error_text:
 *
 * Returns: (nullable): the previous attempt's failure as shown, or %NULL
 */
const char *
hangar_credentials_dialog_get_error_text (HangarCredentialsDialog *self)
{
  g_return_val_if_fail (HANGAR_IS_CREDENTIALS_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_group)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
