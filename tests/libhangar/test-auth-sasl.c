/* test-auth-sasl.c — credentials asked for while connecting, against a real libvirtd.
 *
 * tools/start-sasl-libvirtd makes the system libvirtd also listen on
 * 127.0.0.1:16509 with SASL (DIGEST-MD5) and a test user. A handler on
 * HangarConnection::authenticate plays the user: a wrong password fails
 * with an authentication message in bounded time and the next attempt asks
 * again; the right one connects and lists what virsh lists; no handler
 * refuses at once; closing while the question is open ends the attempt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection.h"
#include "hangar-connection-auth-private.h"
#include "hangar-credential-request.h"
#include "hangar-vm.h"
#include "hangar-test-util.h"

#define URI        "qemu+tcp://127.0.0.1/system"
#define LOCAL_URI  "qemu:///system"
#define USER       "hangartest"
#define PASSWORD   "hangar-test-password"

static gboolean daemon_ready;

typedef enum
{
  ANSWER_WRONG,
  ANSWER_RIGHT,
  ANSWER_CANCEL,
  ANSWER_LATER,   /* keep the request, answer nothing */
} Answer;

typedef struct
{
  Answer                   answer;
  guint                    asked;
  HangarCredentialRequest *request;   /* the last one */
  char                    *previous_error;
  guint                    finished;
} Player;

static void
on_finished (HangarCredentialRequest *request,
             Player                  *player)
{
  player->finished++;
}

static gboolean
on_authenticate (HangarConnection        *connection,
                 HangarCredentialRequest *request,
                 Player                  *player)
{
  guint n = hangar_credential_request_get_n_fields (request);
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_assert_cmpstr (hangar_credential_request_get_uri (request), ==, URI);
  g_assert_nonnull (hangar_credential_request_get_display_name (request));

  player->asked++;
  g_set_object (&player->request, request);
  g_free (player->previous_error);
  player->previous_error = g_strdup (hangar_credential_request_get_previous_error (request));
  g_signal_connect (request, "finished", G_CALLBACK (on_finished), player);

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      HangarCredentialKind kind = hangar_credential_request_get_kind (request, i);

      g_test_message ("asked for %d (%s), default %s",
                      hangar_credential_request_get_libvirt_type (request, i),
                      hangar_credential_request_get_prompt (request, i),
                      hangar_credential_request_get_default (request, i));
      if (kind == HANGAR_CREDENTIAL_USERNAME)
        g_strv_builder_add (values, USER);
      else if (kind == HANGAR_CREDENTIAL_PASSWORD)
        g_strv_builder_add (values, player->answer == ANSWER_RIGHT ? PASSWORD : "not-the-password");
      else
        g_strv_builder_add (values, "");
    }
  strv = g_strv_builder_end (values);

  switch (player->answer)
    {
    case ANSWER_WRONG:
    case ANSWER_RIGHT:
      hangar_credential_request_reply (request, (const char * const *) strv);
      g_assert_true (hangar_credential_request_is_finished (request));
      break;
    case ANSWER_CANCEL:
      hangar_credential_request_cancel (request);
      break;
    case ANSWER_LATER:
    default:
      break;
    }
  return TRUE;
}

static void
player_clear (Player *player)
{
  if (player->request != NULL)
    g_signal_handlers_disconnect_by_data (player->request, player);
  g_clear_object (&player->request);
  g_clear_pointer (&player->previous_error, g_free);
}

static gboolean
in_state (gpointer data)
{
  HangarConnection *connection = ((gpointer *) data)[0];
  HangarConnectionState state = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return hangar_connection_get_state (connection) == state;
}

/* Waits for @state; returns how long it took in ms. */
static double
wait_state (HangarConnection      *connection,
            HangarConnectionState  state,
            guint                  timeout_ms)
{
  gpointer data[2] = { connection, GINT_TO_POINTER (state) };
  gint64 start = g_get_monotonic_time ();

  if (!hangar_test_wait (in_state, data, timeout_ms))
    g_error ("connection still in state %d, not %d after %u ms (error: %s)",
             hangar_connection_get_state (connection), state, timeout_ms,
             hangar_connection_get_error_message (connection));
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
run (const char *command,
     char      **out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_command_line_sync (command, out, NULL, &status, &error))
    g_error ("%s: %s", command, error->message);
  return g_spawn_check_wait_status (status, NULL);
}

static gboolean
lists_match (gpointer data)
{
  g_auto(GStrv) daemon = hangar_test_virsh_domain_names (LOCAL_URI);
  g_auto(GStrv) model = hangar_test_connection_vm_names (data);

  return g_strv_equal ((const char * const *) daemon, (const char * const *) model);
}

static gboolean
mentions_authentication (const char *message)
{
  g_autofree char *folded = g_utf8_casefold (message ? message : "", -1);

  return strstr (folded, "authentication") != NULL;
}

static gboolean
skip_without_daemon (void)
{
  if (!daemon_ready)
    g_test_skip ("libvirtd with SASL on 127.0.0.1 is not available (needs root)");
  return !daemon_ready;
}

/* Nobody to ask: fails at once, as before there was a dialog. */
static void
test_no_handler (void)
{
  g_autoptr(HangarConnection) connection = NULL;
  double ms;

  if (skip_without_daemon ())
    return;

  connection = hangar_connection_new (URI);
  hangar_connection_open (connection);
  ms = wait_state (connection, HANGAR_CONNECTION_STATE_FAILED, 5000);
  g_test_message ("refused after %.0f ms: %s", ms, hangar_connection_get_error_message (connection));
  g_assert_cmpfloat (ms, <, 5000);
  g_assert_true (mentions_authentication (hangar_connection_get_error_message (connection)));
}

/* A wrong password fails, says so, and the next attempt asks again and
 * tells why; the right one connects. */
static void
test_wrong_then_right (void)
{
  g_autoptr(HangarConnection) connection = NULL;
  g_auto(GStrv) daemon = NULL;
  g_auto(GStrv) model = NULL;
  Player player = { ANSWER_WRONG };
  const char *message;
  double ms;

  if (skip_without_daemon ())
    return;

  connection = hangar_connection_new (URI);
  g_signal_connect (connection, "authenticate", G_CALLBACK (on_authenticate), &player);

  hangar_connection_open (connection);
  ms = wait_state (connection, HANGAR_CONNECTION_STATE_FAILED, 15000);
  message = hangar_connection_get_error_message (connection);
  g_test_message ("wrong password: failed after %.0f ms: %s", ms, message);
  g_assert_cmpuint (player.asked, ==, 1);
  g_assert_null (player.previous_error);
  g_assert_cmpuint (player.finished, ==, 1);
  g_assert_true (mentions_authentication (message));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connection)), ==, 0);

  /* The retry (what activating the row does) asks again, saying why. */
  player.answer = ANSWER_RIGHT;
  hangar_connection_open (connection);
  ms = wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 30000);
  g_test_message ("right password: connected after %.0f ms", ms);
  g_assert_cmpuint (player.asked, ==, 2);
  g_assert_nonnull (player.previous_error);
  g_assert_true (mentions_authentication (player.previous_error));
  g_assert_null (hangar_connection_get_error_message (connection));

  if (!hangar_test_wait (lists_match, connection, 15000))
    {
      daemon = hangar_test_virsh_domain_names (LOCAL_URI);
      model = hangar_test_connection_vm_names (connection);
      for (guint i = 0; model[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) daemon, model[i]))
          g_test_message ("listed, but not by virsh: %s", model[i]);
      for (guint i = 0; daemon[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) model, daemon[i]))
          g_test_message ("listed by virsh only: %s", daemon[i]);
      g_assert_cmpstrv (model, daemon);
    }

  /* Connected once: the next failure is not blamed on the password. */
  hangar_connection_close (connection);
  player.answer = ANSWER_RIGHT;
  hangar_connection_open (connection);
  wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 30000);
  g_assert_cmpuint (player.asked, ==, 3);
  g_assert_null (player.previous_error);

  hangar_connection_close (connection);
  player_clear (&player);
}

/* The user says Cancel: the attempt ends at once. */
static void
test_user_cancels (void)
{
  g_autoptr(HangarConnection) connection = NULL;
  Player player = { ANSWER_CANCEL };
  double ms;

  if (skip_without_daemon ())
    return;

  connection = hangar_connection_new (URI);
  g_signal_connect (connection, "authenticate", G_CALLBACK (on_authenticate), &player);
  hangar_connection_open (connection);
  ms = wait_state (connection, HANGAR_CONNECTION_STATE_FAILED, 5000);
  g_test_message ("cancelled: failed after %.0f ms: %s", ms,
                  hangar_connection_get_error_message (connection));
  g_assert_cmpuint (player.asked, ==, 1);
  g_assert_cmpuint (player.finished, ==, 1);
  g_assert_nonnull (hangar_connection_get_error_message (connection));
  player_clear (&player);
}

static gboolean
is_true (gpointer data)
{
  return *(guint *) data != 0;
}

static gboolean
weak_ref_cleared (gpointer data)
{
  g_autoptr(GObject) object = g_weak_ref_get (data);

  return object == NULL;
}

/* Closing while the question is open: the request finishes (a dialog would
 * go away), the open thread stops waiting and the attempt ends. */
static void
test_close_while_asking (void)
{
  HangarConnection *connection;
  Player player = { ANSWER_LATER };
  GWeakRef weak;

  if (skip_without_daemon ())
    return;

  connection = hangar_connection_new (URI);
  g_signal_connect (connection, "authenticate", G_CALLBACK (on_authenticate), &player);
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (is_true, &player.asked, 10000));
  g_assert_false (hangar_credential_request_is_finished (player.request));
  g_assert_cmpint (hangar_connection_get_state (connection), ==,
                   HANGAR_CONNECTION_STATE_CONNECTING);

  hangar_connection_close (connection);
  g_assert_cmpint (hangar_connection_get_state (connection), ==,
                   HANGAR_CONNECTION_STATE_DISCONNECTED);
  g_assert_true (hangar_test_wait (is_true, &player.finished, 5000));
  g_assert_true (hangar_credential_request_is_finished (player.request));

  /* The open task holds the connection until its thread has returned:
   * the last reference going away proves the thread is done. */
  g_weak_ref_init (&weak, connection);
  g_signal_handlers_disconnect_by_data (connection, &player);
  g_object_unref (connection);
  g_assert_true (hangar_test_wait (weak_ref_cleared, &weak, 10000));
  g_weak_ref_clear (&weak);

  /* A late answer to a finished request changes nothing. */
  hangar_credential_request_cancel (player.request);
  player_clear (&player);
}

typedef struct
{
  virConnectAuthPtr  auth;
  GError            *error;
  gboolean           done;
} OpenJob;

static gpointer
open_job_thread (gpointer data)
{
  OpenJob *job = data;
  virConnectPtr conn = virConnectOpenAuth (URI, job->auth, 0);

  if (conn != NULL)
    virConnectClose (conn);
  else
    job->error = _hangar_connection_auth_error (job->auth);
  g_atomic_int_set (&job->done, TRUE);
  return NULL;
}

static gboolean
open_job_done (gpointer data)
{
  return g_atomic_int_get (&((OpenJob *) data)->done);
}

/* Opens @connection's URI as the open thread does, with its credentials
 * callback, and returns the error the connection would show. */
static GError *
open_like_the_connection (HangarConnection *connection)
{
  OpenJob job = { 0 };
  GThread *thread;

  job.auth = _hangar_connection_auth_new (connection);
  thread = g_thread_new ("open", open_job_thread, &job);
  g_assert_true (hangar_test_wait (open_job_done, &job, 15000));
  g_thread_join (thread);
  _hangar_connection_auth_free (job.auth);
  return job.error;
}

static void
assert_error_starts (GError     *error,
                     int         code,
                     const char *start)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, HANGAR_LIBVIRT_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, start));
}

/* Each way of not getting in has its own words. */
static void
test_messages (void)
{
  g_autoptr(HangarConnection) connection = NULL;
  g_autoptr(GError) unasked = NULL;
  g_autoptr(GError) wrong = NULL;
  g_autoptr(GError) cancelled = NULL;
  Player player = { ANSWER_WRONG };
  gulong handler;

  if (skip_without_daemon ())
    return;

  connection = hangar_connection_new (URI);
  unasked = open_like_the_connection (connection);
  assert_error_starts (unasked, VIR_ERR_AUTH_UNAVAILABLE, "Authentication required:");

  handler = g_signal_connect (connection, "authenticate", G_CALLBACK (on_authenticate), &player);
  wrong = open_like_the_connection (connection);
  assert_error_starts (wrong, VIR_ERR_AUTH_FAILED, "Authentication failed:");
  g_assert_nonnull (strstr (wrong->message, "did not accept"));

  player.answer = ANSWER_CANCEL;
  cancelled = open_like_the_connection (connection);
  assert_error_starts (cancelled, VIR_ERR_AUTH_CANCELLED, "Not connected:");

  /* Right: no error at all. */
  player.answer = ANSWER_RIGHT;
  g_assert_null (open_like_the_connection (connection));
  g_assert_cmpuint (player.asked, ==, 3);

  g_signal_handler_disconnect (connection, handler);
  player_clear (&player);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *script = NULL;
  g_autofree char *command = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  /* Credentials come from the handler, never from a user's auth.conf. */
  g_unsetenv ("LIBVIRT_AUTH_FILE");
  g_test_init (&argc, &argv, NULL);

  if (geteuid () == 0)
    {
      script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tools", "start-sasl-libvirtd",
                                 NULL);
      command = g_strdup_printf ("bash %s", script);
      /* As root the set-up must work: a failure here fails every test. */
      daemon_ready = run (command, NULL);
      if (!daemon_ready)
        g_error ("%s failed", script);
    }

  g_test_add_func ("/hangar/auth/sasl/no-handler", test_no_handler);
  g_test_add_func ("/hangar/auth/sasl/wrong-then-right", test_wrong_then_right);
  g_test_add_func ("/hangar/auth/sasl/user-cancels", test_user_cancels);
  g_test_add_func ("/hangar/auth/sasl/close-while-asking", test_close_while_asking);
  g_test_add_func ("/hangar/auth/sasl/messages", test_messages);

  return g_test_run ();
}
