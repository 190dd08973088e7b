/* test-auth-dialog.c — the credentials dialog for a real SASL request, under X.
 *
 * Hangar runs as a user would; a host (the system libvirtd over TCP with
 * SASL, from tools/start-sasl-libvirtd) asks for credentials. The dialog is
 * filled through its widgets: a wrong password fails and the dialog comes
 * back saying why, the right one connects.
 *
 * The keyring: the test runs its own session bus without service
 * activation, so there is no Secret Service at first ("remember" must end
 * in "not saved", without a crash). When gnome-keyring-daemon is
 * installed, it is then started on that bus, unlocked, with its files in a
 * temporary directory, and the remember path is checked for real: saved
 * after success, used without asking next time, and a saved password that
 * fails is asked for again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "hangar-connection.h"
#include "hangar-connection-manager.h"
#include "hangar-credential-request.h"
#include "hangar-credentials.h"
#include "hangar-credentials-dialog.h"
#include "hangar-test-app.h"

#define URI        "qemu+tcp://127.0.0.1/system"
#define USER       "hangartest"
#define PASSWORD   "hangar-test-password"
#define KEYRING_PW "hangar-keyring-test"

/* The same schema as src/ui/app/hangar-credentials.c: a test that it is kept. */
static const SecretSchema connection_schema = {
  "org.hangar.Hangar.Connection", SECRET_SCHEMA_NONE,
  {
    { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static gboolean daemon_ready;
static char *tmpdir;
static GPid bus_pid;
static GPid keyring_pid;

typedef struct
{
  HangarConnection        *connection;
  HangarCredentialRequest *last_request;   /* the dialog's request we answered last */
  guint                    dialogs;
  gboolean                 keyring;
} Flow;

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

/* The host must list a machine for step_connected to see the list arrive:
 * one of the test's own, whatever else the host has. */
static char machine_name[64];

static void
define_machine (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "machine.xml", NULL);
  g_autofree char *xml = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;

  g_snprintf (machine_name, sizeof machine_name, "hangar-auth-dialog-%d", (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
                         "<os><type arch='x86_64'>hvm</type></os></domain>", machine_name);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  command = g_strdup_printf ("virsh -q -c qemu:///system define %s", path);
  if (!run (command, NULL))
    g_error ("%s failed", command);
}

static HangarConnection *
flow_connection (HangarTestRun *test_run)
{
  return ((Flow *) test_run->data)->connection;
}

/* A credentials dialog for a request we have not answered yet. */
static HangarCredentialsDialog *
new_dialog (HangarTestRun *test_run)
{
  Flow *flow = test_run->data;
  GtkWidget *dialog = hangar_test_find_toplevel (HANGAR_TYPE_CREDENTIALS_DIALOG);

  if (dialog == NULL)
    return NULL;
  if (!gtk_widget_get_mapped (dialog))
    {
      g_test_message ("dialog shown, not mapped yet");
      return NULL;
    }
  if (hangar_credentials_dialog_get_request (HANGAR_CREDENTIALS_DIALOG (dialog))
      == flow->last_request)
    return NULL;
  return HANGAR_CREDENTIALS_DIALOG (dialog);
}

static void
answer (HangarTestRun           *test_run,
        HangarCredentialsDialog *dialog,
        const char              *password,
        gboolean                 remember)
{
  Flow *flow = test_run->data;
  GtkEditable *username = hangar_credentials_dialog_get_username_row (dialog);
  GtkEditable *password_row = hangar_credentials_dialog_get_password_row (dialog);

  g_assert_nonnull (username);
  g_assert_nonnull (password_row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (username)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (password_row)));
  /* Typed, as a person would. */
  gtk_editable_set_text (username, USER);
  gtk_editable_set_text (password_row, password);
  hangar_credentials_dialog_set_remember (dialog, remember);

  flow->dialogs++;
  g_set_object (&flow->last_request, hangar_credentials_dialog_get_request (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "credentials.connect", NULL));
  g_assert_true (hangar_credential_request_is_finished (flow->last_request));
}

static gboolean
step_window_shown (HangarTestRun *test_run)
{
  HangarWindow *window = hangar_test_run_window (test_run);
  Flow *flow = test_run->data;
  HangarConnectionManager *manager;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return FALSE;

  /* What hangar-application.c's startup does; twice is harmless. */
  manager = hangar_application_get_connections (test_run->app);
  hangar_credentials_attach (test_run->app, manager);
  hangar_credentials_attach (test_run->app, manager);
  flow->connection = g_object_ref (hangar_connection_manager_add (manager, URI));
  hangar_connection_open (flow->connection);
  return TRUE;
}

/* The first question: nothing in the keyring yet. */
static gboolean
step_wrong_password (HangarTestRun *test_run)
{
  HangarCredentialsDialog *dialog = new_dialog (test_run);
  g_autofree char *shot = NULL;

  if (dialog == NULL)
    return FALSE;
  g_assert_null (hangar_credentials_dialog_get_error_text (dialog));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == GTK_WINDOW (hangar_test_run_window (test_run)));
  g_test_message ("dialog mapped");
  shot = hangar_test_screenshot (GTK_WIDGET (dialog), "credentials-dialog.png");
  answer (test_run, dialog, "not-the-password", TRUE);
  return TRUE;
}

/* Refused: the dialog comes back by itself and says why. */
static gboolean
step_right_password (HangarTestRun *test_run)
{
  HangarCredentialsDialog *dialog = new_dialog (test_run);
  g_autofree char *folded = NULL;
  g_autofree char *shot = NULL;
  const char *error_text;

  if (dialog == NULL)
    return FALSE;
  error_text = hangar_credentials_dialog_get_error_text (dialog);
  g_test_message ("asked again: %s", error_text);
  g_assert_nonnull (error_text);
  folded = g_utf8_casefold (error_text, -1);
  g_assert_nonnull (strstr (folded, "authentication"));
  /* The user name typed before is kept; the password is not. */
  g_assert_cmpstr (gtk_editable_get_text (hangar_credentials_dialog_get_username_row (dialog)),
                   ==, USER);
  g_assert_cmpstr (gtk_editable_get_text (hangar_credentials_dialog_get_password_row (dialog)),
                   ==, "");
  g_assert_cmpint (hangar_connection_get_state (flow_connection (test_run)), ==,
                   HANGAR_CONNECTION_STATE_CONNECTING);
  /* Nothing was saved for the refused password. */
  g_assert_cmpint (hangar_credentials_get_keyring_status (flow_connection (test_run)), ==,
                   HANGAR_KEYRING_NONE);
  shot = hangar_test_screenshot (GTK_WIDGET (dialog), "credentials-dialog-retry.png");
  answer (test_run, dialog, PASSWORD, TRUE);
  return TRUE;
}

static gboolean
step_connected (HangarTestRun *test_run)
{
  HangarConnection *connection = flow_connection (test_run);
  HangarWindow *window = hangar_test_run_window (test_run);

  if (hangar_connection_get_state (connection) == HANGAR_CONNECTION_STATE_FAILED)
    g_error ("failed: %s", hangar_connection_get_error_message (connection));
  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED)
    return FALSE;
  /* Its machines are in the window (the default connection's too). */
  return g_list_model_get_n_items (G_LIST_MODEL (connection)) > 0
         && hangar_test_count_machine_rows (window) >= g_list_model_get_n_items (G_LIST_MODEL (connection));
}

/* Without a Secret Service, "remember" ends in "not saved" (a toast). */
static gboolean
step_not_saved (HangarTestRun *test_run)
{
  HangarKeyringStatus status = hangar_credentials_get_keyring_status (flow_connection (test_run));
  g_autofree char *shot = NULL;

  if (status == HANGAR_KEYRING_SAVING || status == HANGAR_KEYRING_WAITING)
    return FALSE;
  g_assert_cmpint (status, ==, HANGAR_KEYRING_NOT_SAVED);
  g_assert_cmpint (hangar_connection_get_state (flow_connection (test_run)), ==,
                   HANGAR_CONNECTION_STATE_CONNECTED);
  shot = hangar_test_screenshot (GTK_WIDGET (hangar_test_run_window (test_run)),
                                 "credentials-not-saved.png");
  return TRUE;
}

static gboolean
step_close (HangarTestRun *test_run)
{
  Flow *flow = test_run->data;

  hangar_connection_close (flow->connection);
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (test_run)));
  return TRUE;
}

static void
flow_clear (Flow *flow)
{
  g_clear_object (&flow->connection);
  g_clear_object (&flow->last_request);
}

static gboolean
skip_without_display (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("no display (run under Xvfb)");
      return TRUE;
    }
  if (!daemon_ready)
    {
      g_test_skip ("libvirtd with SASL on 127.0.0.1 is not available (needs root)");
      return TRUE;
    }
  return FALSE;
}

static void
test_no_keyring (void)
{
  static const HangarTestStep steps[] = {
    step_window_shown,
    step_wrong_password,
    step_right_password,
    step_connected,
    step_not_saved,
    step_close,
    NULL
  };
  const char *argv[] = { "hangar", NULL };
  HangarTestRun test_run = { 0 };
  Flow flow = { 0 };

  if (skip_without_display ())
    return;
  test_run.data = &flow;
  hangar_test_run_app (&test_run, argv, steps, 30000);
  g_assert_cmpuint (flow.dialogs, ==, 2);
  flow_clear (&flow);
}

/* --- with a keyring ---------------------------------------------------------- */

static char *
keyring_password (void)
{
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_sync (&connection_schema, NULL, &error,
                                                 "uri", URI, "username", USER, NULL);

  g_assert_no_error (error);
  return password;
}

static gboolean
step_saved (HangarTestRun *test_run)
{
  HangarKeyringStatus status = hangar_credentials_get_keyring_status (flow_connection (test_run));
  g_autofree char *password = NULL;

  if (status == HANGAR_KEYRING_SAVING || status == HANGAR_KEYRING_WAITING)
    return FALSE;
  g_assert_cmpint (status, ==, HANGAR_KEYRING_SAVED);
  password = keyring_password ();
  g_assert_cmpstr (password, ==, PASSWORD);
  return TRUE;
}

static gboolean
step_reopen (HangarTestRun *test_run)
{
  HangarConnection *connection = flow_connection (test_run);

  hangar_connection_close (connection);
  hangar_connection_open (connection);
  return TRUE;
}

/* The keyring answered: connected with no dialog. */
static gboolean
step_connected_from_keyring (HangarTestRun *test_run)
{
  Flow *flow = test_run->data;

  g_assert_null (new_dialog (test_run));
  if (!step_connected (test_run))
    return FALSE;
  g_assert_cmpuint (hangar_credentials_get_keyring_answers (flow->connection), ==, 1);
  g_assert_cmpuint (flow->dialogs, ==, 1);
  return TRUE;
}

/* The saved password goes stale (changed on the host). */
static gboolean
step_spoil_keyring (HangarTestRun *test_run)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (secret_password_store_sync (&connection_schema, SECRET_COLLECTION_DEFAULT,
                                             "stale", "a-stale-password", NULL, &error,
                                             "uri", URI, "username", USER, NULL));
  g_assert_no_error (error);
  return step_reopen (test_run);
}

/* The keyring answered wrong: the dialog asks, saying why. */
static gboolean
step_asked_after_stale (HangarTestRun *test_run)
{
  HangarCredentialsDialog *dialog = new_dialog (test_run);
  HangarConnection *connection = flow_connection (test_run);

  if (dialog == NULL)
    return FALSE;
  g_assert_cmpuint (hangar_credentials_get_keyring_answers (connection), ==, 2);
  g_assert_nonnull (hangar_credentials_dialog_get_error_text (dialog));
  answer (test_run, dialog, PASSWORD, TRUE);
  return TRUE;
}

/* The first question when the keyring has nothing: answered right. */
static gboolean
step_right_password_first (HangarTestRun *test_run)
{
  HangarCredentialsDialog *dialog = new_dialog (test_run);

  if (dialog == NULL)
    return FALSE;
  g_assert_null (hangar_credentials_dialog_get_error_text (dialog));
  answer (test_run, dialog, PASSWORD, TRUE);
  return TRUE;
}

static void
test_keyring (void)
{
  static const HangarTestStep steps[] = {
    step_window_shown,
    step_right_password_first,
    step_connected,
    step_saved,
    step_reopen,
    step_connected_from_keyring,
    step_spoil_keyring,
    step_asked_after_stale,
    step_connected,
    step_saved,
    step_close,
    NULL
  };
  const char *argv[] = { "hangar", NULL };
  HangarTestRun test_run = { 0 };
  Flow flow = { 0 };

  if (skip_without_display ())
    return;
  if (keyring_pid == 0)
    {
      g_test_skip ("gnome-keyring-daemon is not installed or did not start");
      return;
    }
  test_run.data = &flow;
  hangar_test_run_app (&test_run, argv, steps, 30000);
  g_assert_cmpuint (flow.dialogs, ==, 2);
  flow_clear (&flow);
}

/* --- a private session bus and keyring --------------------------------------- */

/* The helpers end with the test, however it ends (hence no intermediate
 * process: G_SPAWN_DO_NOT_REAP_CHILD, and stop_child() reaps). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
stop_child (GPid *pid)
{
  if (*pid == 0)
    return;
  kill (*pid, SIGTERM);
  waitpid (*pid, NULL, 0);
  g_spawn_close_pid (*pid);
  *pid = 0;
}

static const char bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>unix:tmpdir=/tmp</listen>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

/* A bus of our own, with no service activation: the Secret Service is there
 * only when this test starts one. */
static void
start_bus (void)
{
  g_autofree char *config = g_build_filename (tmpdir, "bus.conf", NULL);
  g_autofree char *config_arg = g_strdup_printf ("--config-file=%s", config);
  const char *argv[] = { "dbus-daemon", config_arg, "--print-address=1", "--nofork", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *address = NULL;
  int out = -1;

  g_assert_true (g_file_set_contents (config, bus_config, -1, &error));
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                                 | G_SPAWN_STDERR_TO_DEV_NULL,
                                 die_with_parent, NULL, &bus_pid, NULL, &out, NULL, &error))
    g_error ("dbus-daemon: %s", error->message);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  if (g_io_channel_read_line (channel, &address, NULL, NULL, &error) != G_IO_STATUS_NORMAL)
    g_error ("dbus-daemon gave no address: %s", error ? error->message : "end of file");
  g_strstrip (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
}

static gboolean
secrets_on_bus (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has);
  return has;
}

/* gnome-keyring on our bus, its files in our directory, unlocked. */
static void
start_keyring (void)
{
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *data = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *runtime = g_build_filename (tmpdir, "run", NULL);
  const char *argv[] = { program, "--foreground", "--unlock", "--components=secrets", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int in = -1;

  if (program == NULL)
    return;
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);
  envp = g_environ_setenv (envp, "HOME", tmpdir, TRUE);
  /* Our fatal warnings are not the daemon's: it warns when an item is
   * replaced, which it handles. */
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 die_with_parent, NULL, &keyring_pid, &in, NULL, NULL, &error))
    {
      g_test_message ("gnome-keyring-daemon: %s", error->message);
      keyring_pid = 0;
      return;
    }
  /* --unlock reads the login keyring's password from standard input. */
  g_assert_cmpint (write (in, KEYRING_PW, strlen (KEYRING_PW)), ==, strlen (KEYRING_PW));
  close (in);

  for (guint i = 0; i < 100 && !secrets_on_bus (); i++)
    g_usleep (100000);
  if (!secrets_on_bus ())
    {
      g_test_message ("gnome-keyring-daemon did not take org.freedesktop.secrets");
      stop_child (&keyring_pid);
    }
}

/* Between the two tests: the Secret Service comes up. */
static void
test_start_keyring (void)
{
  start_keyring ();
  if (keyring_pid == 0)
    g_test_skip ("gnome-keyring-daemon is not installed or did not start");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  /* Our bus has no accessibility bus to offer. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Screenshots of a dialog need no GL: cairo draws them at once, where a
   * first GL frame under Xvfb on a busy machine took tens of seconds. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LIBVIRT_AUTH_FILE");

  /* Before GTK starts threads: the bus address goes into the environment. */
  tmpdir = g_dir_make_tmp ("hangar-auth-XXXXXX", &error);
  g_assert_no_error (error);
  start_bus ();

  gtk_test_init (&argc, &argv, NULL);

  if (geteuid () == 0)
    {
      g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tools",
                                                  "start-sasl-libvirtd", NULL);
      g_autofree char *command = g_strdup_printf ("bash %s", script);

      daemon_ready = run (command, NULL);
      if (!daemon_ready)
        g_error ("%s failed", script);
      define_machine ();
    }

  g_test_add_func ("/hangar/auth/dialog/no-keyring", test_no_keyring);
  g_test_add_func ("/hangar/auth/dialog/start-keyring", test_start_keyring);
  g_test_add_func ("/hangar/auth/dialog/keyring", test_keyring);

  status = g_test_run ();

  if (daemon_ready)
    {
      g_autofree char *command = g_strdup_printf ("virsh -q -c qemu:///system undefine %s",
                                                  machine_name);
      run (command, NULL);
    }
  stop_child (&keyring_pid);
  stop_child (&bus_pid);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmpdir);
    run (command, NULL);
  }
  g_free (tmpdir);
  return status;
}
