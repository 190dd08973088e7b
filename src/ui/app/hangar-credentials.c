/* hangar-credentials.c — answers hosts that ask for credentials: keyring first, then the user.
 *
 * Every connection the manager holds gets a handler for
 * HangarConnection::authenticate. A request for a user name and a password
 * is answered from the keyring when it has an entry for the connection's
 * URI (looked up asynchronously: the main thread never waits); otherwise,
 * or when the keyring's password just failed, the credentials dialog asks.
 *
 * "Remember in the keyring" is kept until the connection succeeds: only a
 * password the host accepted is saved. One the host refused makes the
 * connection try again at once, which asks again and says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "hangar-credential-request.h"
#include "hangar-credentials.h"
#include "hangar-credentials-dialog.h"
#include "hangar-window.h"

/* Connection passwords in the keyring, one per URI and user name. */
static const SecretSchema connection_schema = {
  "org.hangar.Hangar.Connection", SECRET_SCHEMA_NONE,
  {
    { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const char credentials_key[] = "hangar-credentials";

/* Per connection, as object data; main thread only. */
typedef struct
{
  HangarApplication   *application;   /* not owned: it owns the connections */
  gboolean             skip_keyring;  /* its password failed: ask instead */
  gboolean             from_keyring;  /* this attempt was answered from the keyring */
  gboolean             from_user;     /* this attempt was answered in the dialog */
  gboolean             remember;
  char                *username;
  char                *password;
  char                *last_username;   /* typed last time: prefilled next time */
  HangarKeyringStatus  status;
  guint                keyring_answers;
  guint                retry_source;
} Credentials;

static void
forget_password (Credentials *credentials)
{
  if (credentials->password != NULL)
    memset (credentials->password, 0, strlen (credentials->password));
  g_clear_pointer (&credentials->password, g_free);
  g_clear_pointer (&credentials->username, g_free);
  credentials->remember = FALSE;
}

static void
credentials_free (gpointer data)
{
  Credentials *credentials = data;

  forget_password (credentials);
  g_free (credentials->last_username);
  g_clear_handle_id (&credentials->retry_source, g_source_remove);
  g_free (credentials);
}

static Credentials *
get_credentials (HangarConnection *connection)
{
  return g_object_get_data (G_OBJECT (connection), credentials_key);
}

static char *
uri_user (const char *uri)
{
  g_autofree char *userinfo = NULL;

  if (!g_uri_split (uri, G_URI_FLAGS_NONE, NULL, &userinfo, NULL, NULL, NULL, NULL, NULL, NULL))
    return NULL;
  if (userinfo == NULL || *userinfo == '\0')
    return NULL;
  return g_uri_unescape_string (userinfo, NULL);
}

static GtkWindow *
parent_window (Credentials *credentials)
{
  return GTK_WINDOW (hangar_application_get_main_window (credentials->application));
}

/* --- asking the user ------------------------------------------------------- */

static void
on_dialog_submitted (HangarCredentialsDialog *dialog,
                     HangarConnection        *connection)
{
  Credentials *credentials = get_credentials (connection);
  GtkEditable *username_row = hangar_credentials_dialog_get_username_row (dialog);
  GtkEditable *password_row = hangar_credentials_dialog_get_password_row (dialog);

  if (credentials == NULL)
    return;
  forget_password (credentials);
  credentials->from_user = TRUE;
  if (username_row != NULL)
    {
      g_free (credentials->last_username);
      credentials->last_username = g_strdup (gtk_editable_get_text (username_row));
    }
  credentials->remember = hangar_credentials_dialog_get_remember (dialog)
                          && username_row != NULL && password_row != NULL;
  if (credentials->remember)
    {
      credentials->username = g_strdup (gtk_editable_get_text (username_row));
      credentials->password = g_strdup (gtk_editable_get_text (password_row));
      credentials->status = HANGAR_KEYRING_WAITING;
    }
}

static void
ask_user (HangarConnection        *connection,
          HangarCredentialRequest *request)
{
  Credentials *credentials = get_credentials (connection);
  GtkWidget *dialog = hangar_credentials_dialog_new (parent_window (credentials), request);
  GtkEditable *username_row =
    hangar_credentials_dialog_get_username_row (HANGAR_CREDENTIALS_DIALOG (dialog));
  g_autofree char *user = uri_user (hangar_credential_request_get_uri (request));

  /* An empty default gives way to the name typed last time, else the
   * URI's (ssh://USER@host); the focus then goes to the password. */
  if (username_row != NULL && *gtk_editable_get_text (username_row) == '\0')
    {
      const char *name = credentials->last_username ? credentials->last_username : user;

      if (name != NULL)
        {
          gtk_editable_set_text (username_row, name);
          if (hangar_credentials_dialog_get_password_row (HANGAR_CREDENTIALS_DIALOG (dialog)))
            gtk_widget_grab_focus (GTK_WIDGET (hangar_credentials_dialog_get_password_row (
                                     HANGAR_CREDENTIALS_DIALOG (dialog))));
        }
    }

  g_signal_connect_object (dialog, "submitted", G_CALLBACK (on_dialog_submitted), connection, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the keyring ----------------------------------------------------------- */

/* The keyring holds a user name and a password: nothing else can be
 * answered from it. */
static gboolean
keyring_can_answer (HangarCredentialRequest *request)
{
  guint n = hangar_credential_request_get_n_fields (request);
  guint passwords = 0;

  for (guint i = 0; i < n; i++)
    switch (hangar_credential_request_get_kind (request, i))
      {
      case HANGAR_CREDENTIAL_USERNAME:
        break;
      case HANGAR_CREDENTIAL_PASSWORD:
        passwords++;
        break;
      case HANGAR_CREDENTIAL_TEXT:
      case HANGAR_CREDENTIAL_SECRET_TEXT:
      default:
        return FALSE;
      }
  return passwords == 1;
}

typedef struct
{
  GWeakRef                 connection;
  HangarCredentialRequest *request;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_weak_ref_clear (&lookup->connection);
  g_clear_object (&lookup->request);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static gboolean
answer_from_item (HangarCredentialRequest *request,
                  SecretItem              *item)
{
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);
  g_autoptr(SecretValue) value = secret_item_get_secret (item);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) values = NULL;
  const char *username = g_hash_table_lookup (attributes, "username");
  const char *password;
  guint n = hangar_credential_request_get_n_fields (request);

  if (value == NULL || username == NULL)
    return FALSE;  /* locked, or not ours */
  password = secret_value_get_text (value);
  if (password == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder,
                        hangar_credential_request_get_kind (request, i) == HANGAR_CREDENTIAL_PASSWORD
                        ? password : username);
  values = g_strv_builder_end (builder);
  hangar_credential_request_reply (request, (const char * const *) values);
  return TRUE;
}

static void
keyring_searched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(HangarConnection) connection = g_weak_ref_get (&lookup->connection);
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  Credentials *credentials;
  gboolean answered = FALSE;

  if (error != NULL)
    g_debug ("keyring search: %s", error->message);

  if (connection == NULL || hangar_credential_request_is_finished (lookup->request)
      || (credentials = get_credentials (connection)) == NULL)
    {
      g_list_free_full (items, g_object_unref);
      return;
    }

  for (GList *l = items; l != NULL && !answered; l = l->next)
    if (SECRET_IS_ITEM (l->data))
      answered = answer_from_item (lookup->request, SECRET_ITEM (l->data));
  g_list_free_full (items, g_object_unref);

  if (answered)
    {
      g_debug ("%s: answered from the keyring", hangar_connection_get_uri (connection));
      credentials->from_keyring = TRUE;
      credentials->keyring_answers++;
      return;
    }
  ask_user (connection, lookup->request);
}

static void
search_keyring (HangarConnection        *connection,
                HangarCredentialRequest *request)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *user = uri_user (hangar_credential_request_get_uri (request));
  Lookup *lookup = g_new0 (Lookup, 1);

  g_weak_ref_init (&lookup->connection, connection);
  lookup->request = g_object_ref (request);
  g_hash_table_insert (attributes, (char *) "uri",
                       g_strdup (hangar_credential_request_get_uri (request)));
  if (user != NULL)
    g_hash_table_insert (attributes, (char *) "username", g_steal_pointer (&user));
  /* No UNLOCK: a locked keyring means asking, not a prompt of its own. */
  secret_password_searchv (&connection_schema, attributes, SECRET_SEARCH_LOAD_SECRETS, NULL,
                           keyring_searched, lookup);
}

typedef struct
{
  GWeakRef           connection;
  HangarApplication *application;
} Store;

static void
keyring_stored (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Store *store = user_data;
  g_autoptr(HangarConnection) connection = g_weak_ref_get (&store->connection);
  g_autoptr(GError) error = NULL;
  gboolean saved = secret_password_store_finish (result, &error);
  Credentials *credentials = connection ? get_credentials (connection) : NULL;

  if (credentials != NULL)
    credentials->status = saved ? HANGAR_KEYRING_SAVED : HANGAR_KEYRING_NOT_SAVED;

  if (!saved)
    {
      HangarWindow *window = hangar_application_get_main_window (store->application);
      g_autofree char *title =
        g_strdup_printf (_("The password for %s was not saved in the keyring"),
                         connection ? hangar_connection_get_display_name (connection) : "");

      if (window != NULL)
        hangar_window_show_error (window, title, error);
      else
        g_message ("%s: %s", title, error->message);
    }

  g_weak_ref_clear (&store->connection);
  g_object_unref (store->application);
  g_free (store);
}

static void
save_password (HangarConnection *connection,
               Credentials      *credentials)
{
  g_autofree char *label = g_strdup_printf (_("Hangar: %s on %s"), credentials->username,
                                            hangar_connection_get_display_name (connection));
  Store *store = g_new0 (Store, 1);

  g_weak_ref_init (&store->connection, connection);
  store->application = g_object_ref (credentials->application);
  credentials->status = HANGAR_KEYRING_SAVING;
  secret_password_store (&connection_schema, SECRET_COLLECTION_DEFAULT, label,
                         credentials->password, NULL, keyring_stored, store,
                         "uri", hangar_connection_get_uri (connection),
                         "username", credentials->username,
                         NULL);
}

/* --- the connection's side ------------------------------------------------- */

static gboolean
on_authenticate (HangarConnection        *connection,
                 HangarCredentialRequest *request,
                 gpointer                 user_data)
{
  Credentials *credentials = get_credentials (connection);

  credentials->from_keyring = FALSE;
  credentials->from_user = FALSE;

  if (!credentials->skip_keyring && keyring_can_answer (request))
    search_keyring (connection, request);
  else
    ask_user (connection, request);
  return TRUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  HangarConnection *connection = user_data;
  Credentials *credentials = get_credentials (connection);

  credentials->retry_source = 0;
  if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_FAILED)
    hangar_connection_open (connection);
  return G_SOURCE_REMOVE;
}

static gboolean
is_authentication_error (const char *message)
{
  g_autofree char *folded = g_utf8_casefold (message ? message : "", -1);

  return strstr (folded, "authentication") != NULL;
}

static void
on_state_changed (HangarConnection *connection,
                  GParamSpec       *pspec,
                  gpointer          user_data)
{
  Credentials *credentials = get_credentials (connection);
  gboolean answered = credentials->from_keyring || credentials->from_user;

  switch (hangar_connection_get_state (connection))
    {
    case HANGAR_CONNECTION_STATE_CONNECTED:
      credentials->skip_keyring = FALSE;
      if (credentials->from_user && credentials->remember && credentials->password != NULL)
        save_password (connection, credentials);
      forget_password (credentials);
      credentials->from_keyring = credentials->from_user = FALSE;
      break;

    case HANGAR_CONNECTION_STATE_FAILED:
      /* A saved password that fails is asked for next time. */
      if (credentials->from_keyring)
        credentials->skip_keyring = TRUE;
      if (credentials->status == HANGAR_KEYRING_WAITING)
        credentials->status = HANGAR_KEYRING_NONE;
      forget_password (credentials);
      credentials->from_keyring = credentials->from_user = FALSE;
      /* Refused credentials: ask again at once, showing why (not from
       * inside this notification, which others are still receiving). */
      if (answered && credentials->retry_source == 0
          && is_authentication_error (hangar_connection_get_error_message (connection)))
        credentials->retry_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, retry_cb,
                                                     g_object_ref (connection), g_object_unref);
      break;

    case HANGAR_CONNECTION_STATE_DISCONNECTED:
      g_clear_handle_id (&credentials->retry_source, g_source_remove);
      if (credentials->status == HANGAR_KEYRING_WAITING)
        credentials->status = HANGAR_KEYRING_NONE;
      forget_password (credentials);
      credentials->from_keyring = credentials->from_user = FALSE;
      break;

    case HANGAR_CONNECTION_STATE_CONNECTING:
    default:
      break;
    }
}

static void
attach_connection (HangarApplication *application,
                   HangarConnection  *connection)
{
  Credentials *credentials;

  if (get_credentials (connection) != NULL)
    return;  /* attached already */

  credentials = g_new0 (Credentials, 1);
  credentials->application = application;
  g_object_set_data_full (G_OBJECT (connection), credentials_key, credentials, credentials_free);
  g_signal_connect (connection, "authenticate", G_CALLBACK (on_authenticate), NULL);
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state_changed), NULL);
}

static void
on_connections_changed (GListModel        *model,
                        guint              position,
                        guint              removed,
                        guint              added,
                        HangarApplication *application)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HangarConnection) connection = g_list_model_get_item (model, i);

      attach_connection (application, connection);
    }
}

/**
 * hangar_credentials_attach:
 * @application: the application, for the windows to show dialogs on
 * @manager: the connections; those added later are attached too
 *
 * Makes every connection of @manager ask for credentials when its host
 * wants them: from the keyring, else with a dialog. Call once at startup,
 * before the first connection opens; calling again does nothing more.
 */
void
hangar_credentials_attach (HangarApplication       *application,
                           HangarConnectionManager *manager)
{
  GListModel *model = G_LIST_MODEL (manager);

  g_return_if_fail (HANGAR_IS_APPLICATION (application));
  g_return_if_fail (HANGAR_IS_CONNECTION_MANAGER (manager));

  if (g_object_get_data (G_OBJECT (manager), credentials_key) != NULL)
    return;
  g_object_set_data (G_OBJECT (manager), credentials_key, GINT_TO_POINTER (TRUE));

  on_connections_changed (model, 0, 0, g_list_model_get_n_items (model), application);
  g_signal_connect_object (manager, "items-changed", G_CALLBACK (on_connections_changed),
                           application, 0);
}

/**
 * hangar_credentials_get_keyring_status:
 *
 * Returns: where the connection's last "remember in the keyring" stands
 */
HangarKeyringStatus
hangar_credentials_get_keyring_status (HangarConnection *connection)
{
  Credentials *credentials;

  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), HANGAR_KEYRING_NONE);

  credentials = get_credentials (connection);
  return credentials ? credentials->status : HANGAR_KEYRING_NONE;
}

/**
 * hangar_credentials_get_keyring_answers:
 *
 * Returns: how many requests of the connection the keyring has answered
 */
guint
hangar_credentials_get_keyring_answers (HangarConnection *connection)
{
  Credentials *credentials;

  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), 0);

  credentials = get_credentials (connection);
  return credentials ? credentials->keyring_answers : 0;
}
