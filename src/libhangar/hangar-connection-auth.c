/* hangar-connection-auth.c — credentials libvirt asks for while opening a connection.
 *
 * libvirt calls the callback from the open thread (SASL user name and
 * password, ssh passphrases, any prompt). Each call becomes a
 * #HangarCredentialRequest handed to the main thread, where the connection
 * emits #HangarConnection::authenticate; a handler (the credentials dialog)
 * answers it later with hangar_credential_request_reply() or _cancel().
 * The open thread waits for that answer — the main thread never waits —
 * and closing the connection cancels the wait.
 *
 * With no handler connected (tests, the command line) the callback refuses
 * at once, so a host that needs a password fails with libvirt's message
 * instead of waiting for an answer nobody can give.
 *
 * The keyring lives with the handler (src/ui/app/hangar-credentials.c): this
 * library does not link libsecret, and the lookup is asynchronous there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "hangar-connection-private.h"
#include "hangar-credential-request.h"
#include "hangar-secret.h"

static int credential_types[] = {
  VIR_CRED_AUTHNAME, VIR_CRED_USERNAME, VIR_CRED_PASSPHRASE,
  VIR_CRED_NOECHOPROMPT, VIR_CRED_ECHOPROMPT,
};

static guint authenticate_signal;

/* What one attempt did, shared by the open thread (which writes it) and the
 * connection (which reads it when the attempt's outcome is known). */
typedef struct
{
  int answered;   /* atomic: someone gave credentials */
  int refused;    /* atomic: the user said Cancel, or nobody could be asked */
  int unasked;    /* atomic: nobody could be asked */
} Attempt;

/* Per connection, main thread only: kept as object data. */
typedef struct
{
  Attempt  *attempt;           /* the latest */
  gboolean  answered_failed;   /* the latest answered attempt failed */
} AuthMemory;

typedef struct
{
  virConnectAuth  auth;   /* first: libvirt gets a pointer to this */
  GWeakRef        connection;
  char           *uri;
  char           *display_name;
  char           *previous_error;
  GCancellable   *cancellable;
  Attempt        *attempt;
} AuthData;

static const char memory_key[] = "hangar-connection-auth";

static Attempt *
attempt_ref (Attempt *attempt)
{
  return g_atomic_rc_box_acquire (attempt);
}

static void
attempt_unref (Attempt *attempt)
{
  g_atomic_rc_box_release (attempt);
}

static void
auth_memory_free (gpointer data)
{
  AuthMemory *memory = data;

  g_clear_pointer (&memory->attempt, attempt_unref);
  g_free (memory);
}

/* --- the open thread ------------------------------------------------------- */

typedef struct
{
  GWeakRef                 connection;
  HangarCredentialRequest *request;
} Emission;

static gboolean
emit_authenticate (gpointer user_data)
{
  Emission *emission = user_data;
  g_autoptr(HangarConnection) self = g_weak_ref_get (&emission->connection);
  gboolean handled = FALSE;

  if (self != NULL && !hangar_credential_request_is_finished (emission->request))
    {
      /* The open's watchdog waits while the user is asked. */
      g_set_object (&self->asking, emission->request);
      g_signal_emit (self, authenticate_signal, 0, emission->request, &handled);
    }
  if (!handled)
    hangar_credential_request_cancel (emission->request);

  g_weak_ref_clear (&emission->connection);
  g_object_unref (emission->request);
  g_free (emission);
  return G_SOURCE_REMOVE;
}

static void
clear_results (virConnectCredentialPtr cred,
               unsigned int            ncred)
{
  for (unsigned int i = 0; i < ncred; i++)
    {
      hangar_secret_clear (&cred[i].result);
      cred[i].resultlen = 0;
    }
}

static int
ask_for_credentials (virConnectCredentialPtr cred,
                     unsigned int            ncred,
                     void                   *cbdata)
{
  AuthData *data = cbdata;
  g_autoptr(HangarConnection) self = g_weak_ref_get (&data->connection);
  g_autoptr(HangarCredentialRequest) request = NULL;
  Emission *emission;
  HangarCredentialWait outcome;

  /* The open task holds the connection until this thread ends, so this
   * reference is never the last one. */
  if (self == NULL || g_cancellable_is_cancelled (data->cancellable))
    return -1;

  if (!g_signal_has_handler_pending (self, authenticate_signal, 0, FALSE))
    {
      g_debug ("%s: credentials asked for, but nobody can answer", data->uri);
      g_atomic_int_set (&data->attempt->unasked, TRUE);
      g_atomic_int_set (&data->attempt->refused, TRUE);
      return -1;
    }

  request = _hangar_credential_request_new (data->uri, data->display_name,
                                            data->previous_error);
  for (unsigned int i = 0; i < ncred; i++)
    _hangar_credential_request_add_field (request, cred[i].type, cred[i].prompt,
                                          cred[i].challenge, cred[i].defresult);

  emission = g_new0 (Emission, 1);
  g_weak_ref_init (&emission->connection, self);
  emission->request = g_object_ref (request);
  /* Queued, not g_main_context_invoke(): that runs the handler in this
   * thread whenever nobody owns the main context at this instant. */
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_authenticate, emission, NULL);

  outcome = _hangar_credential_request_wait (request, data->cancellable);
  if (outcome != HANGAR_CREDENTIAL_WAIT_ANSWERED)
    {
      g_debug ("%s: no credentials (%s)", data->uri,
               outcome == HANGAR_CREDENTIAL_WAIT_CANCELLED ? "closed" : "refused");
      if (outcome == HANGAR_CREDENTIAL_WAIT_REFUSED)
        g_atomic_int_set (&data->attempt->refused, TRUE);
      return -1;
    }

  clear_results (cred, ncred);
  for (unsigned int i = 0; i < ncred; i++)
    {
      const char *value = _hangar_credential_request_get_value (request, i);

      /* An empty answer takes the default, as libvirt's own prompts do. */
      if ((value == NULL || *value == '\0') && cred[i].defresult != NULL)
        value = cred[i].defresult;
      cred[i].result = g_strdup (value ? value : "");
      cred[i].resultlen = strlen (cred[i].result);
    }
  g_atomic_int_set (&data->attempt->answered, TRUE);
  return 0;
}

/* --- the connection's side ------------------------------------------------- */

static void
on_state_changed (HangarConnection *self,
                  GParamSpec       *pspec,
                  AuthMemory       *memory)
{
  switch (hangar_connection_get_state (self))
    {
    case HANGAR_CONNECTION_STATE_FAILED:
      if (memory->attempt != NULL && g_atomic_int_get (&memory->attempt->answered))
        memory->answered_failed = TRUE;
      break;
    case HANGAR_CONNECTION_STATE_CONNECTED:
    case HANGAR_CONNECTION_STATE_DISCONNECTED:
      memory->answered_failed = FALSE;
      break;
    case HANGAR_CONNECTION_STATE_CONNECTING:
    default:
      break;
    }
}

static AuthMemory *
get_memory (HangarConnection *self)
{
  AuthMemory *memory = g_object_get_data (G_OBJECT (self), memory_key);

  if (memory == NULL)
    {
      memory = g_new0 (AuthMemory, 1);
      g_object_set_data_full (G_OBJECT (self), memory_key, memory, auth_memory_free);
      g_signal_connect (self, "notify::state", G_CALLBACK (on_state_changed), memory);
    }
  return memory;
}

void
_hangar_connection_auth_class_init (GObjectClass *object_class)
{
  /**
   * HangarConnection::authenticate:
   * @request: a #HangarCredentialRequest
   *
   * The host asks for credentials while the connection opens. A handler
   * that will answer @request (now or later, on the main thread) returns
   * %TRUE; when no handler takes it, the request is refused.
   *
   * Returns: whether the request was taken
   */
  authenticate_signal =
    g_signal_new ("authenticate", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, HANGAR_TYPE_CREDENTIAL_REQUEST);
}

virConnectAuthPtr
_hangar_connection_auth_new (HangarConnection *self)
{
  AuthData *data = g_new0 (AuthData, 1);
  AuthMemory *memory = get_memory (self);

  /* The previous attempt was answered and failed: say why when asking
   * again, so a mistyped password reads as one. */
  if (memory->answered_failed && self->state == HANGAR_CONNECTION_STATE_FAILED)
    data->previous_error = g_strdup (self->error_message);

  g_clear_pointer (&memory->attempt, attempt_unref);
  memory->attempt = g_atomic_rc_box_new0 (Attempt);

  data->auth.credtype = credential_types;
  data->auth.ncredtype = G_N_ELEMENTS (credential_types);
  data->auth.cb = ask_for_credentials;
  data->auth.cbdata = data;
  g_weak_ref_init (&data->connection, self);
  data->uri = g_strdup (self->uri);
  data->display_name = g_strdup (self->display_name);
  data->cancellable = self->cancellable ? g_object_ref (self->cancellable) : NULL;
  data->attempt = attempt_ref (memory->attempt);
  return &data->auth;
}

/* May run on either thread: whichever drops the open task last. */
void
_hangar_connection_auth_free (virConnectAuthPtr auth)
{
  AuthData *data = (AuthData *) auth;

  if (data == NULL)
    return;
  g_weak_ref_clear (&data->connection);
  g_free (data->uri);
  g_free (data->display_name);
  g_free (data->previous_error);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->attempt, attempt_unref);
  g_free (data);
}

GError *_hangar_connection_auth_error (virConnectAuthPtr auth);

/**
 * _hangar_connection_auth_error:
 * @auth: the attempt's, after virConnectOpenAuth() failed, in the open thread
 *
 * A failed open that was about credentials, said plainly: refused by the
 * user, nobody to ask, or credentials given and not accepted. Consumes
 * libvirt's last error when it returns one.
 *
 * Returns: (transfer full) (nullable): the error, or %NULL when the
 *   failure was not about credentials (use libvirt's message then)
 */
GError *
_hangar_connection_auth_error (virConnectAuthPtr auth)
{
  AuthData *data = (AuthData *) auth;
  virErrorPtr err = virGetLastError ();
  const char *detail = err && err->message ? err->message : "";
  GError *error = NULL;

  if (data == NULL)
    return NULL;

  if (g_atomic_int_get (&data->attempt->unasked))
    error = g_error_new (HANGAR_LIBVIRT_ERROR, VIR_ERR_AUTH_UNAVAILABLE,
                         _("Authentication required: %s asks for credentials and "
                           "none were given (%s)"), data->display_name, detail);
  else if (g_atomic_int_get (&data->attempt->refused))
    error = g_error_new (HANGAR_LIBVIRT_ERROR, VIR_ERR_AUTH_CANCELLED,
                         _("Not connected: no credentials were given for %s"),
                         data->display_name);
  else if (err != NULL
           && (err->code == VIR_ERR_AUTH_FAILED || err->code == VIR_ERR_AUTH_CANCELLED))
    error = g_error_new (HANGAR_LIBVIRT_ERROR, err->code,
                         g_atomic_int_get (&data->attempt->answered)
                         ? _("Authentication failed: %s did not accept the user name or "
                             "password (%s)")
                         : _("Authentication failed on %s (%s)"),
                         data->display_name, detail);
  if (error != NULL)
    virResetLastError ();
  return error;
}
