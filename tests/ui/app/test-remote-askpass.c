/* test-remote-askpass.c — ssh's questions answered in Hangar's dialogs, against a real sshd.
 *
 * The test starts its own sshd on 127.0.0.1 (a configuration in its
 * temporary directory, not tools/start-sshd's) that lets root in with a
 * passphrase-protected key only. Hangar connects to
 * qemu+ssh://root@127.0.0.1:PORT/system?keyfile=KEY&command=WRAPPER, where
 * WRAPPER runs ssh with a known_hosts file of the test's own, empty at
 * first (ssh reads the user's real ~/.ssh otherwise, whatever HOME says).
 *
 * Played as a user would, in one run of the app:
 *   1. the unknown host key is shown with the fingerprint of the sshd's
 *      key; Refuse → the connection fails with ssh's message, and
 *      known_hosts stays empty;
 *   2. connect again: the key is shown again; Trust → the passphrase is
 *      asked; a wrong one → asked again, saying it was not accepted; the
 *      right one → connected, the machines virsh lists are listed, and the
 *      key is in known_hosts;
 *   3. connect again: no host key question now; Cancel on the passphrase →
 *      the connection fails with a clear message, no hang.
 *
 * Before all that, a client of the askpass socket sends a "question" of
 * 10 MiB: it is cut off after 64 KiB, shows no dialog, and the askpass
 * goes on answering ssh as above. Then one "ssh" asks 40 questions at
 * once: 16 wait (one on screen), 24 are refused at once, and Cancel on
 * the dialog refuses the 15 others with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "hangar-askpass-server.h"
#include "hangar-connection.h"
#include "hangar-connection-manager.h"
#include "hangar-host-key-dialog.h"
#include "hangar-test-app.h"

#define PASSPHRASE "hangar-key-passphrase"

static char *tmpdir;
static char *uri;
static char *known_hosts;
static char *password_uri;
static char *host_key_pub;    /* "ssh-ed25519 AAAA…" */
static char *host_key_line;   /* as known_hosts holds it */
static gboolean have_user;

#define SSH_USER     "hangarssh"
#define SSH_PASSWORD "hangar-ssh-password"
static char *host_fingerprint;
static GPid sshd_pid;

typedef struct
{
  HangarConnection *connection;
  GtkWindow        *answered;    /* the last dialog we answered */
  guint             host_key_dialogs;
  guint             secret_dialogs;
} Flow;

static gboolean
run (const char *command,
     char      **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *discarded = NULL;
  int status = -1;

  /* Captured either way: the test's stdout is TAP. */
  if (!g_spawn_command_line_sync (command, out ? out : &discarded, NULL, &status, &error))
    g_error ("%s: %s", command, error->message);
  return g_spawn_check_wait_status (status, NULL);
}

static Flow *
flow_of (HangarTestRun *test_run)
{
  return test_run->data;
}

/* The question on screen, once mapped, if we have not answered it yet. */
static GtkWindow *
new_dialog (HangarTestRun *test_run)
{
  HangarAskpass *askpass = hangar_askpass_get_default ();
  GtkWindow *dialog;

  g_assert_nonnull (askpass);
  dialog = hangar_askpass_get_dialog (askpass);
  if (dialog == NULL || dialog == flow_of (test_run)->answered
      || !gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return NULL;
  return dialog;
}

static void
respond (HangarTestRun *test_run,
         GtkWindow     *dialog,
         const char    *response)
{
  flow_of (test_run)->answered = dialog;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
}

static char *
known_hosts_text (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (known_hosts, &text, NULL, NULL))
    return g_strdup ("");
  return g_steal_pointer (&text);
}

static void
fail_if_failed (HangarConnection *connection)
{
  if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_FAILED)
    g_error ("failed: %s", hangar_connection_get_error_message (connection));
}

/* --- a client that does not stop talking ---------------------------------------- */

#define FLOOD_SIZE (10 * 1024 * 1024)

typedef struct
{
  char          *socket_path;
  gsize          written;
  GString       *reply;
  gint           done;
} Flood;

static Flood flood;

/* In a thread of its own: the main loop must run for the askpass to read. */
static gpointer
flood_thread (gpointer data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (flood.socket_path);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *chunk = g_malloc (64 * 1024);
  GOutputStream *out;
  GInputStream *in;
  char buf[256];
  gssize n;

  flood.reply = g_string_new (NULL);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL);
  g_assert_nonnull (connection);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  /* A well-formed header, then a question that goes on and on. */
  memset (chunk, 'x', 64 * 1024);
  if (g_output_stream_write_all (out, "hangar-askpass 1\n\n1\n", 20, NULL, NULL, NULL))
    while (flood.written < FLOOD_SIZE
           && g_output_stream_write_all (out, chunk, 64 * 1024, NULL, NULL, NULL))
      flood.written += 64 * 1024;
  g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (flood.reply, buf, n);
  g_atomic_int_set (&flood.done, 1);
  return NULL;
}

static gboolean
step_flood (HangarTestRun *test_run)
{
  HangarWindow *window = hangar_test_run_window (test_run);
  HangarAskpass *askpass = hangar_askpass_get_default ();

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return FALSE;
  /* Started by the application's startup, on what main() prepared. */
  g_assert_nonnull (askpass);
  flood.socket_path = g_strdup (hangar_askpass_get_socket_path (askpass));
  g_thread_unref (g_thread_new ("flood", flood_thread, NULL));
  return TRUE;
}

static gboolean
step_flood_refused (HangarTestRun *test_run)
{
  HangarAskpass *askpass = hangar_askpass_get_default ();

  if (!g_atomic_int_get (&flood.done))
    return FALSE;
  g_test_message ("flood: %" G_GSIZE_FORMAT " bytes taken, reply “%s”", flood.written,
                  flood.reply->str);
  /* Cut off long before the end, with no answer and no dialog. */
  g_assert_cmpuint (flood.written, <, FLOOD_SIZE);
  g_assert_false (g_str_has_prefix (flood.reply->str, "OK"));
  g_assert_null (hangar_askpass_get_dialog (askpass));
  g_assert_cmpuint (hangar_askpass_get_n_asked (askpass), ==, 0);
  g_string_free (flood.reply, TRUE);
  g_clear_pointer (&flood.socket_path, g_free);
  return TRUE;
}

/* --- a client that asks in a loop ------------------------------------------------ */

#define CROWD_SIZE  40
#define CROWD_QUEUE 16     /* what the askpass keeps waiting, at most */

typedef struct
{
  char *socket_path;
  gint  replied;           /* answers received so far */
  gint  cancelled;         /* answers that were refusals */
  gint  done;
} Crowd;

static Crowd crowd;

/* Forty secret questions from one "ssh" (pid 4242), none answered by the
 * client's side: what the askpass refuses at once, and later, is read as
 * it comes. */
static gpointer
crowd_thread (gpointer data)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (crowd.socket_path);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gboolean replied[CROWD_SIZE] = { FALSE };
  gint64 deadline = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;

  for (guint i = 0; i < CROWD_SIZE; i++)
    {
      static const char question[] = "hangar-askpass 1\n\n4242\nPassword for crowd@example: ";
      g_autoptr(GError) error = NULL;
      GSocketConnection *connection;

      /* The listen backlog is short: wait for the main loop to accept. */
      while ((connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address),
                                                    NULL, &error)) == NULL
             && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
             && g_get_monotonic_time () < deadline)
        {
          g_clear_error (&error);
          g_usleep (10 * 1000);
        }
      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                                question, strlen (question), NULL, NULL, NULL));
      g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
      g_ptr_array_add (connections, connection);
    }

  while (g_atomic_int_get (&crowd.replied) < CROWD_SIZE && g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < CROWD_SIZE; i++)
        {
          GSocket *socket = g_socket_connection_get_socket (g_ptr_array_index (connections, i));
          char buf[64] = "";

          if (replied[i] || !(g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) & (G_IO_IN | G_IO_HUP)))
            continue;
          replied[i] = TRUE;
          if (g_socket_receive (socket, buf, sizeof buf - 1, NULL, NULL) > 0
              && g_str_has_prefix (buf, "CANCEL"))
            g_atomic_int_inc (&crowd.cancelled);
          g_atomic_int_inc (&crowd.replied);
        }
      g_usleep (10 * 1000);
    }
  g_atomic_int_set (&crowd.done, 1);
  return NULL;
}

static gboolean
step_crowd (HangarTestRun *test_run)
{
  crowd.socket_path = g_strdup (hangar_askpass_get_socket_path (hangar_askpass_get_default ()));
  g_thread_unref (g_thread_new ("crowd", crowd_thread, NULL));
  return TRUE;
}

/* Review finding L8: the askpass keeps sixteen questions waiting, one of
 * them on screen, and refuses the rest at once. */
static gboolean
step_crowd_capped (HangarTestRun *test_run)
{
  HangarAskpass *askpass = hangar_askpass_get_default ();

  if (hangar_askpass_get_dialog (askpass) == NULL
      || g_atomic_int_get (&crowd.replied) < CROWD_SIZE - CROWD_QUEUE)
    return FALSE;
  /* A moment more: no more than those come back before an answer. */
  g_usleep (300 * 1000);
  g_assert_cmpint (g_atomic_int_get (&crowd.replied), ==, CROWD_SIZE - CROWD_QUEUE);
  g_assert_cmpint (g_atomic_int_get (&crowd.cancelled), ==, CROWD_SIZE - CROWD_QUEUE);
  /* Cancel on the one dialog … */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (hangar_askpass_get_dialog (askpass)), "cancel");
  return TRUE;
}

/* … refuses that ssh's other waiting questions with it: no dialog after. */
static gboolean
step_crowd_refused (HangarTestRun *test_run)
{
  if (!g_atomic_int_get (&crowd.done))
    return FALSE;
  g_assert_cmpint (g_atomic_int_get (&crowd.replied), ==, CROWD_SIZE);
  g_assert_cmpint (g_atomic_int_get (&crowd.cancelled), ==, CROWD_SIZE);
  g_assert_null (hangar_askpass_get_dialog (hangar_askpass_get_default ()));
  g_clear_pointer (&crowd.socket_path, g_free);
  return TRUE;
}

/* --- the steps ------------------------------------------------------------------ */

static gboolean
step_start (HangarTestRun *test_run)
{
  HangarWindow *window = hangar_test_run_window (test_run);
  HangarConnectionManager *manager;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return FALSE;

  /* What startup will do; twice gives the same object. */
  g_assert_nonnull (hangar_askpass_start (GTK_APPLICATION (test_run->app)));
  g_assert_true (hangar_askpass_start (GTK_APPLICATION (test_run->app))
                 == hangar_askpass_get_default ());
  g_assert_cmpstr (g_getenv ("SSH_ASKPASS"), ==,
                   hangar_askpass_get_program (hangar_askpass_get_default ()));
  g_assert_nonnull (g_getenv ("DISPLAY"));

  manager = hangar_application_get_connections (test_run->app);
  flow_of (test_run)->connection = g_object_ref (hangar_connection_manager_add (manager, uri));
  hangar_connection_open (flow_of (test_run)->connection);
  return TRUE;
}

static gboolean
step_refuse_host_key (HangarTestRun *test_run)
{
  GtkWindow *dialog = new_dialog (test_run);
  HangarHostKeyDialog *host_key;
  g_autofree char *shot = NULL;

  fail_if_failed (flow_of (test_run)->connection);
  if (dialog == NULL)
    return FALSE;
  g_assert_true (HANGAR_IS_HOST_KEY_DIALOG (dialog));
  host_key = HANGAR_HOST_KEY_DIALOG (dialog);
  g_test_message ("host key dialog: %s %s %s", hangar_host_key_dialog_get_host (host_key),
                  hangar_host_key_dialog_get_key_type (host_key),
                  hangar_host_key_dialog_get_fingerprint (host_key));
  g_assert_cmpstr (hangar_host_key_dialog_get_fingerprint (host_key), ==, host_fingerprint);
  g_assert_cmpstr (hangar_host_key_dialog_get_key_type (host_key), ==, "ED25519");
  g_assert_nonnull (strstr (hangar_host_key_dialog_get_host (host_key), "127.0.0.1"));
  /* Never answered for the user: the default is to refuse. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   HANGAR_HOST_KEY_REFUSE);
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   HANGAR_HOST_KEY_REFUSE);
  g_assert_cmpint (hangar_connection_get_state (flow_of (test_run)->connection), ==,
                   HANGAR_CONNECTION_STATE_CONNECTING);
  shot = hangar_test_screenshot (GTK_WIDGET (dialog), "askpass-host-key.png");
  flow_of (test_run)->host_key_dialogs++;
  respond (test_run, dialog, HANGAR_HOST_KEY_REFUSE);
  return TRUE;
}

static gboolean
step_refused (HangarTestRun *test_run)
{
  HangarConnection *connection = flow_of (test_run)->connection;
  g_autofree char *hosts = NULL;
  const char *message;

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_FAILED)
    return FALSE;
  message = hangar_connection_get_error_message (connection);
  g_test_message ("refused: %s", message);
  g_assert_nonnull (strstr (message, "Host key verification failed"));
  hosts = known_hosts_text ();
  g_assert_cmpstr (hosts, ==, "");

  hangar_connection_open (connection);
  return TRUE;
}

static gboolean
step_accept_host_key (HangarTestRun *test_run)
{
  GtkWindow *dialog = new_dialog (test_run);

  fail_if_failed (flow_of (test_run)->connection);
  if (dialog == NULL)
    return FALSE;
  g_assert_true (HANGAR_IS_HOST_KEY_DIALOG (dialog));
  g_assert_cmpstr (hangar_host_key_dialog_get_fingerprint (HANGAR_HOST_KEY_DIALOG (dialog)), ==,
                   host_fingerprint);
  flow_of (test_run)->host_key_dialogs++;
  respond (test_run, dialog, HANGAR_HOST_KEY_ACCEPT);
  return TRUE;
}

/* A passphrase dialog: checks it and types @passphrase into its entry. */
static gboolean
type_passphrase (HangarTestRun *test_run,
                 const char    *passphrase,
                 gboolean       expect_retry,
                 const char    *screenshot)
{
  GtkWindow *dialog = new_dialog (test_run);
  const char *body;
  GtkWidget *entry;

  fail_if_failed (flow_of (test_run)->connection);
  if (dialog == NULL)
    return FALSE;
  g_assert_false (HANGAR_IS_HOST_KEY_DIALOG (dialog));
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_test_message ("asked: %s / %s", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                  body);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Passphrase Needed");
  /* ssh's own words name the key. */
  g_assert_nonnull (strstr (body, "passphrase"));
  g_assert_nonnull (strstr (body, "/key"));
  if (expect_retry)
    g_assert_nonnull (strstr (body, "not accepted"));
  else
    g_assert_null (strstr (body, "not accepted"));
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (entry)));
  if (screenshot != NULL)
    g_free (hangar_test_screenshot (GTK_WIDGET (dialog), screenshot));
  flow_of (test_run)->secret_dialogs++;
  if (passphrase == NULL)
    {
      respond (test_run, dialog, "cancel");
      return TRUE;
    }
  /* Typed, and Enter pressed, as a person would. */
  gtk_editable_set_text (GTK_EDITABLE (entry), passphrase);
  flow_of (test_run)->answered = dialog;
  g_signal_emit_by_name (entry, "activate");
  return TRUE;
}

static gboolean
step_wrong_passphrase (HangarTestRun *test_run)
{
  return type_passphrase (test_run, "not-the-passphrase", FALSE, "askpass-passphrase.png");
}

static gboolean
step_right_passphrase (HangarTestRun *test_run)
{
  return type_passphrase (test_run, PASSPHRASE, TRUE, "askpass-passphrase-retry.png");
}

static guint
virsh_count (void)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (run ("virsh -c qemu:///system list --all --name", &out));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      n++;
  return n;
}

static gboolean
step_connected (HangarTestRun *test_run)
{
  HangarConnection *connection = flow_of (test_run)->connection;
  g_autofree char *hosts = NULL;
  guint listed;

  fail_if_failed (connection);
  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  listed = g_list_model_get_n_items (G_LIST_MODEL (connection));
  /* Other tests may define or remove machines meanwhile: the list follows
   * by events, so wait for it to agree. */
  if (listed != virsh_count ())
    return FALSE;
  g_test_message ("connected over ssh: %u machines, as virsh lists", listed);
  hosts = known_hosts_text ();
  g_test_message ("known_hosts: %s", hosts);
  g_assert_nonnull (strstr (hosts, "127.0.0.1"));
  g_assert_nonnull (strstr (hosts, "ssh-ed25519"));

  hangar_connection_close (connection);
  hangar_connection_open (connection);
  return TRUE;
}

static gboolean
step_cancel_passphrase (HangarTestRun *test_run)
{
  return type_passphrase (test_run, NULL, FALSE, NULL);
}

static gboolean
step_cancelled (HangarTestRun *test_run)
{
  HangarConnection *connection = flow_of (test_run)->connection;
  const char *message;

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_FAILED)
    return FALSE;
  message = hangar_connection_get_error_message (connection);
  g_test_message ("cancelled: %s", message);
  g_assert_nonnull (strstr (message, "Permission denied"));
  return TRUE;
}

static gboolean
step_close (HangarTestRun *test_run)
{
  hangar_connection_close (flow_of (test_run)->connection);
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (test_run)));
  return TRUE;
}

static void
test_askpass (void)
{
  static const HangarTestStep steps[] = {
    step_flood,
    step_flood_refused,
    step_crowd,
    step_crowd_capped,
    step_crowd_refused,
    step_start,
    step_refuse_host_key,
    step_refused,
    step_accept_host_key,
    step_wrong_passphrase,
    step_right_passphrase,
    step_connected,
    step_cancel_passphrase,
    step_cancelled,
    step_close,
    NULL
  };
  const char *argv[] = { "hangar", NULL };
  HangarTestRun test_run = { 0 };
  Flow flow = { 0 };

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under Xvfb)");
      return;
    }
  if (sshd_pid == 0)
    {
      g_test_skip ("needs root and openssh-server for a private sshd");
      return;
    }
  test_run.data = &flow;
  hangar_test_run_app (&test_run, argv, steps, 60000);
  g_assert_cmpuint (flow.host_key_dialogs, ==, 2);
  g_assert_cmpuint (flow.secret_dialogs, ==, 3);
  /* Gone with the app, and its directory with it. */
  g_assert_null (hangar_askpass_get_default ());
  g_clear_object (&flow.connection);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* --- a password ------------------------------------------------------------------ */

/* A password dialog: checks it and types @password (NULL: Cancel). */
static gboolean
type_password (HangarTestRun *test_run,
               const char    *password,
               gboolean       expect_retry)
{
  GtkWindow *dialog = new_dialog (test_run);
  const char *body;
  GtkWidget *entry;

  if (dialog == NULL)
    return FALSE;
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_test_message ("asked: %s / %s", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                  body);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Password Needed");
  g_assert_nonnull (strstr (body, SSH_USER "@127.0.0.1's password"));
  g_assert_true ((strstr (body, "not accepted") != NULL) == expect_retry);
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  flow_of (test_run)->secret_dialogs++;
  if (password == NULL)
    {
      respond (test_run, dialog, "cancel");
      return TRUE;
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  flow_of (test_run)->answered = dialog;
  g_signal_emit_by_name (entry, "activate");
  return TRUE;
}

static gboolean
pstep_start (HangarTestRun *test_run)
{
  HangarWindow *window = hangar_test_run_window (test_run);
  HangarConnectionManager *manager;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return FALSE;
  g_assert_nonnull (hangar_askpass_start (GTK_APPLICATION (test_run->app)));
  /* The host is known: only the password is asked. */
  g_assert_true (g_file_set_contents (known_hosts, host_key_line, -1, NULL));
  manager = hangar_application_get_connections (test_run->app);
  flow_of (test_run)->connection = g_object_ref (hangar_connection_manager_add (manager,
                                                                                password_uri));
  hangar_connection_open (flow_of (test_run)->connection);
  return TRUE;
}

static gboolean
pstep_wrong (HangarTestRun *test_run)
{
  fail_if_failed (flow_of (test_run)->connection);
  return type_password (test_run, "not-the-password", FALSE);
}

static gboolean
pstep_right (HangarTestRun *test_run)
{
  fail_if_failed (flow_of (test_run)->connection);
  return type_password (test_run, SSH_PASSWORD, TRUE);
}

/* ssh let the user in. The user is not allowed to manage the system's
 * machines (no polkit here), so libvirt refuses next — with its own
 * words, not ssh's "Permission denied". */
static gboolean
pstep_logged_in (HangarTestRun *test_run)
{
  HangarConnection *connection = flow_of (test_run)->connection;
  const char *message;

  if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_CONNECTING)
    return FALSE;
  message = hangar_connection_get_error_message (connection);
  g_test_message ("after the right password: %s", message ? message : "connected");
  g_assert_true (message == NULL || strstr (message, "Permission denied") == NULL);
  g_assert_null (new_dialog (test_run));
  hangar_connection_close (connection);
  hangar_connection_open (connection);
  return TRUE;
}

static gboolean
pstep_wrong_again (HangarTestRun *test_run)
{
  fail_if_failed (flow_of (test_run)->connection);
  return type_password (test_run, "still-not-the-password", FALSE);
}

static gboolean
pstep_cancel (HangarTestRun *test_run)
{
  fail_if_failed (flow_of (test_run)->connection);
  return type_password (test_run, NULL, TRUE);
}

static void
password_body (void)
{
  static const HangarTestStep steps[] = {
    pstep_start,
    pstep_wrong,
    pstep_right,
    pstep_logged_in,
    pstep_wrong_again,
    pstep_cancel,
    step_cancelled,
    step_close,
    NULL
  };
  const char *argv[] = { "hangar", NULL };
  HangarTestRun test_run = { 0 };
  Flow flow = { 0 };

  test_run.data = &flow;
  hangar_test_run_app (&test_run, argv, steps, 60000);
  g_assert_cmpuint (flow.secret_dialogs, ==, 4);
  g_assert_cmpuint (flow.host_key_dialogs, ==, 0);
  g_clear_object (&flow.connection);
}

/* A local user with a password, made here and removed however the body
 * ends (it runs in a child). */
static void
test_password (void)
{
  if (g_test_subprocess ())
    {
      password_body ();
      return;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under Xvfb)");
      return;
    }
  if (sshd_pid == 0 || !g_find_program_in_path ("chpasswd"))
    {
      g_test_skip ("needs root, openssh-server and passwd for a private sshd and a user");
      return;
    }
  if (!run ("id " SSH_USER, NULL))
    g_assert_true (run ("useradd -M -d /nonexistent -s /bin/sh -c 'Hangar askpass test' "
                        SSH_USER, NULL));
  have_user = TRUE;
  g_assert_true (run ("sh -c \"echo " SSH_USER ":" SSH_PASSWORD " | chpasswd\"", NULL));
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  run ("userdel " SSH_USER, NULL);
  have_user = FALSE;
  g_test_trap_assert_passed ();
}

/* --- the sshd --------------------------------------------------------------------- */

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static void
write_file (const char *name,
            const char *text,
            int         mode)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static gboolean
start_sshd (void)
{
  const char *sshd = "/usr/sbin/sshd";
  guint16 port = free_port ();
  g_autofree char *command = NULL;
  g_autofree char *config = NULL;
  g_autofree char *wrapper = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *pid_file = g_build_filename (tmpdir, "sshd.pid", NULL);

  if (geteuid () != 0 || !g_file_test (sshd, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  /* sshd's privilege separation directory: a fresh test host's /run has
   * it only once tools/start-sshd has run, and this test may run first. */
  g_mkdir_with_parents ("/run/sshd", 0755);

  command = g_strdup_printf ("ssh-keygen -q -t ed25519 -N '' -C hangar-askpass-host -f %s/host_key",
                             tmpdir);
  g_assert_true (run (command, NULL));
  g_free (command);
  command = g_strdup_printf ("ssh-keygen -q -t ed25519 -N %s -C hangar-askpass-client -f %s/key",
                             PASSPHRASE, tmpdir);
  g_assert_true (run (command, NULL));
  g_free (command);
  command = g_strdup_printf ("cp %s/key.pub %s/authorized_keys", tmpdir, tmpdir);
  g_assert_true (run (command, NULL));
  g_free (command);
  /* "256 SHA256:… comment (ED25519)" */
  {
    g_autofree char *pub_path = g_build_filename (tmpdir, "host_key.pub", NULL);
    g_autofree char *pub = NULL;
    g_auto(GStrv) pub_fields = NULL;

    g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
    pub_fields = g_strsplit (pub, " ", 3);
    host_key_pub = g_strdup_printf ("%s %s", pub_fields[0], pub_fields[1]);
  }
  command = g_strdup_printf ("ssh-keygen -l -E sha256 -f %s/host_key.pub", tmpdir);
  g_assert_true (run (command, &out));
  fields = g_strsplit (out, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);
  host_fingerprint = g_strdup (fields[1]);

  config = g_strdup_printf ("# Written by tests/ui/app/test-remote-askpass.\n"
                            "Port %u\n"
                            "ListenAddress 127.0.0.1\n"
                            "HostKey %s/host_key\n"
                            "PidFile %s\n"
                            "AuthorizedKeysFile %s/authorized_keys\n"
                            "PermitRootLogin prohibit-password\n"
                            "PubkeyAuthentication yes\n"
                            "PasswordAuthentication no\n"
                            "KbdInteractiveAuthentication no\n"
                            "UsePAM no\n"
                            "StrictModes no\n"
                            "LogLevel VERBOSE\n"
                            "Match User " SSH_USER "\n"
                            "  PasswordAuthentication yes\n",
                            port, tmpdir, pid_file, tmpdir);
  write_file ("sshd_config", config, 0600);

  /* ssh reads ~/.ssh of the user's passwd entry, not $HOME: the test's
   * own known_hosts goes on the command line, through libvirt's command=. */
  known_hosts = g_build_filename (tmpdir, "known_hosts", NULL);
  write_file ("known_hosts", "", 0600);
  wrapper = g_strdup_printf ("#!/bin/sh\n"
                             "exec ssh -F /dev/null -o UserKnownHostsFile=%s "
                             "-o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes \"$@\"\n",
                             known_hosts);
  write_file ("ssh", wrapper, 0755);

  {
    g_autofree char *config_path = g_build_filename (tmpdir, "sshd_config", NULL);
    g_autofree char *log_path = g_build_filename (tmpdir, "sshd.log", NULL);
    const char *sshd_argv[] = { sshd, "-D", "-f", config_path, "-E", log_path, NULL };
    g_autoptr(GError) error = NULL;

    /* In the foreground, as our child: it ends with the test however the test ends. */
    if (!g_spawn_async (NULL, (char **) sshd_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                        die_with_parent, NULL, &sshd_pid, &error))
      g_error ("sshd: %s", error->message);
  }
  for (guint i = 0; i < 100 && !port_answers (port); i++)
    g_usleep (50000);
  g_assert_true (port_answers (port));

  uri = g_strdup_printf ("qemu+ssh://root@127.0.0.1:%u/system?keyfile=%s/key&command=%s/ssh",
                         port, tmpdir, tmpdir);
  password_uri = g_strdup_printf ("qemu+ssh://" SSH_USER "@127.0.0.1:%u/system?command=%s/ssh",
                                  port, tmpdir);
  host_key_line = g_strdup_printf ("[127.0.0.1]:%u %s\n", port, host_key_pub);
  {
    g_autofree char *port_text = g_strdup_printf ("%u", port);

    /* For the password case's child. */
    g_setenv ("HANGAR_ASKPASS_TEST_DIR", tmpdir, TRUE);
    g_setenv ("HANGAR_ASKPASS_TEST_PORT", port_text, TRUE);
    g_setenv ("HANGAR_ASKPASS_TEST_HOST_KEY", host_key_line, TRUE);
  }
  g_test_message ("sshd (pid %d) on port %u: %s", sshd_pid, port, uri);
  return TRUE;
}

static void
stop_sshd (void)
{
  if (sshd_pid <= 0)
    return;
  kill (sshd_pid, SIGTERM);
  waitpid (sshd_pid, NULL, 0);
  g_spawn_close_pid (sshd_pid);
  sshd_pid = 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  /* An agent would answer for the key and the passphrase never be asked. */
  g_unsetenv ("SSH_AUTH_SOCK");
  /* The password case's child (g_test_trap_subprocess) works in the
   * parent's directory, with the parent's sshd. */
  if (g_strv_contains ((const char * const *) argv, "--GTestSubprocess"))
    tmpdir = g_strdup (g_getenv ("HANGAR_ASKPASS_TEST_DIR"));
  else
    tmpdir = g_dir_make_tmp ("hangar-askpass-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_nonnull (tmpdir);
  /* The user's runtime directory may not exist for root in a container. */
  {
    g_autofree char *runtime = g_build_filename (tmpdir, "run", NULL);

    g_mkdir_with_parents (runtime, 0700);
    g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  }

  /* What main() does, before any thread: the app's startup listens on it. */
  g_assert_true (hangar_askpass_prepare (NULL));
  g_assert_nonnull (g_getenv ("SSH_ASKPASS"));

  gtk_test_init (&argc, &argv, NULL);
  if (g_test_subprocess ())
    {
      const char *port = g_getenv ("HANGAR_ASKPASS_TEST_PORT");

      known_hosts = g_build_filename (tmpdir, "known_hosts", NULL);
      password_uri = g_strdup_printf ("qemu+ssh://" SSH_USER "@127.0.0.1:%s/system?command=%s/ssh",
                                      port, tmpdir);
      host_key_line = g_strdup (g_getenv ("HANGAR_ASKPASS_TEST_HOST_KEY"));
    }
  else
    start_sshd ();

  g_test_add_func ("/hangar/remote/askpass/host-key-and-passphrase", test_askpass);
  g_test_add_func ("/hangar/remote/askpass/password", test_password);
  status = g_test_run ();

  if (g_test_subprocess ())
    return status;
  stop_sshd ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmpdir);
    run (command, NULL);
  }
  return status;
}
