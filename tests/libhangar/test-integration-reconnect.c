/* test-integration-reconnect.c — a connection that was up comes back by itself.
 *
 * Kills the real system libvirtd under open connections and checks that
 * they say why they dropped, come back when the daemon does, and list
 * what virsh lists. The daemon is found by its pid file and started again
 * with the arguments it ran with (the test host's runs with --listen).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>

#include <glib/gstdio.h>

#include "hangar-connection-job.h"
#include "hangar-connection-testing.h"
#include "hangar-vm.h"
#include "hangar-test-util.h"

#define URI      "qemu:///system"
#define PID_FILE "/run/libvirtd.pid"

static GThread *main_thread;

/* --- the daemon ------------------------------------------------------------ */

typedef struct
{
  GPid  pid;
  GStrv argv;  /* how it was started, to start it again the same way */
} Daemon;

static void
daemon_clear (Daemon *daemon)
{
  g_clear_pointer (&daemon->argv, g_strfreev);
  daemon->pid = 0;
}

static gboolean
daemon_find (Daemon *daemon)
{
  g_autofree char *text = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *cmdline = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize len = 0;
  gint64 pid;

  daemon_clear (daemon);
  if (!g_file_get_contents (PID_FILE, &text, NULL, NULL)
      || !g_ascii_string_to_signed (g_strstrip (text), 10, 1, G_MAXINT, &pid, NULL))
    return FALSE;
  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  if (!g_file_get_contents (cmdline_path, &cmdline, &len, NULL) || len == 0)
    return FALSE;
  for (const char *arg = cmdline; arg < cmdline + len; arg += strlen (arg) + 1)
    g_strv_builder_add (builder, arg);
  daemon->pid = (GPid) pid;
  daemon->argv = g_strv_builder_end (builder);
  return TRUE;
}

/* Gone, or a zombie nobody has reaped yet: either way its pid file lock
 * and its sockets are released. */
static gboolean
daemon_gone (gpointer data)
{
  Daemon *daemon = data;
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", daemon->pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  end = strrchr (stat, ')');
  return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

static void
daemon_kill (Daemon *daemon)
{
  g_assert_cmpint (kill (daemon->pid, SIGKILL), ==, 0);
  /* The main loop keeps running meanwhile: the connections see the
   * socket close while we wait. */
  if (!hangar_test_wait (daemon_gone, daemon, 10000))
    g_error ("libvirtd (pid %d) did not die", daemon->pid);
}

static void
daemon_start (Daemon *daemon)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  /* libvirtd -d returns once the daemon has forked into the background. */
  if (!g_spawn_sync (NULL, daemon->argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, NULL, &status, &error))
    g_error ("%s: %s", daemon->argv[0], error->message);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* If this test dies with the daemon stopped or killed, a process of its
 * own brings it back, so the tests after it still have one. */
static void
guard_daemon (const Daemon *daemon)
{
  g_autofree char *args = g_strjoinv (" ", daemon->argv);
  g_autofree char *script = g_strdup_printf (
    "while kill -0 %d 2>/dev/null; do sleep 0.5; done; "
    "kill -CONT $(cat " PID_FILE ") 2>/dev/null; "
    "virsh -c " URI " version >/dev/null 2>&1 || %s",
    (int) getpid (), args);
  const char *argv[] = { "sh", "-c", script, NULL };

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                                | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, NULL, NULL));
}

/* --- the connections ----------------------------------------------------- */

static gboolean
in_state (gpointer data)
{
  HangarConnection *connection = ((gpointer *) data)[0];
  HangarConnectionState state = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return hangar_connection_get_state (connection) == state;
}

static void
wait_state (HangarConnection      *connection,
            HangarConnectionState  state,
            guint                  timeout_ms)
{
  gpointer data[2] = { connection, GINT_TO_POINTER (state) };

  if (!hangar_test_wait (in_state, data, timeout_ms))
    g_error ("%s still in state %d, not %d (error: %s)",
             hangar_connection_get_uri (connection),
             hangar_connection_get_state (connection), state,
             hangar_connection_get_error_message (connection));
}

static gboolean
lists_match (gpointer data)
{
  HangarConnection *connection = data;
  g_auto(GStrv) daemon = hangar_test_virsh_domain_names (hangar_connection_get_uri (connection));
  g_auto(GStrv) model = hangar_test_connection_vm_names (connection);

  return g_strv_equal ((const char * const *) daemon, (const char * const *) model);
}

/* The daemon may be busy with other users' machines: events reach us a
 * moment after virsh sees the change, so compare until both agree. */
static void
assert_lists_match (HangarConnection *connection)
{
  if (!hangar_test_wait (lists_match, connection, 15000))
    {
      g_auto(GStrv) daemon = hangar_test_virsh_domain_names (hangar_connection_get_uri (connection));
      g_auto(GStrv) model = hangar_test_connection_vm_names (connection);
      g_assert_cmpstrv (model, daemon);
    }
}

/* What the connection did, as its users (widgets bound to it) see it.
 * Widgets may only be touched from the main thread: every notification and
 * list change must come there, whichever thread libvirt used to tell us
 * the connection closed. */
typedef struct
{
  int                    off_thread;   /* atomic: emissions on another thread */
  GArray                *states;       /* HangarConnectionState, in order */
} Watch;

static void
watch_count_thread (Watch *watch)
{
  if (g_thread_self () != main_thread)
    g_atomic_int_inc (&watch->off_thread);
}

static void
on_state (HangarConnection *connection,
          GParamSpec       *pspec,
          Watch            *watch)
{
  HangarConnectionState state = hangar_connection_get_state (connection);

  watch_count_thread (watch);
  if (g_thread_self () == main_thread)
    g_array_append_val (watch->states, state);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  watch_count_thread (watch);
}

static void
on_n_items (HangarConnection *connection,
            GParamSpec       *pspec,
            Watch            *watch)
{
  watch_count_thread (watch);
}

static void
watch_connection (HangarConnection *connection,
                  Watch            *watch)
{
  watch->states = g_array_new (FALSE, FALSE, sizeof (HangarConnectionState));
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state), watch);
  g_signal_connect (connection, "notify::n-items", G_CALLBACK (on_n_items), watch);
  g_signal_connect (connection, "items-changed", G_CALLBACK (on_items_changed), watch);
}

static void
unwatch_connection (HangarConnection *connection,
                    Watch            *watch)
{
  g_signal_handlers_disconnect_by_data (connection, watch);
  g_clear_pointer (&watch->states, g_array_unref);
}

static gboolean
saw_state (Watch                 *watch,
           HangarConnectionState  state)
{
  for (guint i = 0; i < watch->states->len; i++)
    if (g_array_index (watch->states, HangarConnectionState, i) == state)
      return TRUE;
  return FALSE;
}

/* --- tests ----------------------------------------------------------------- */

static void
test_reconnect (void)
{
  g_autoptr(HangarConnection) connection = hangar_connection_new (URI);
  Daemon daemon = { 0 };
  gint64 down_at;

  if (!daemon_find (&daemon))
    {
      g_test_skip ("no libvirtd with a pid file in " PID_FILE);
      return;
    }

  hangar_connection_open (connection);
  wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 20000);
  assert_lists_match (connection);

  /* The daemon goes away under us and comes back a second later. */
  down_at = g_get_monotonic_time ();
  daemon_kill (&daemon);
  wait_state (connection, HANGAR_CONNECTION_STATE_DISCONNECTED, 30000);
  g_test_message ("dropped after %.0f ms: %s", (g_get_monotonic_time () - down_at) / 1000.0,
                  hangar_connection_get_error_message (connection));
  g_assert_nonnull (hangar_connection_get_error_message (connection));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connection)), ==, 0);
  daemon_start (&daemon);

  /* It comes back; so must we, without being asked. */
  wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 60000);
  g_test_message ("reconnected %.0f ms after the kill",
                  (g_get_monotonic_time () - down_at) / 1000.0);
  g_assert_null (hangar_connection_get_error_message (connection));

  assert_lists_match (connection);

  /* A user's disconnect is final: no reconnection follows. */
  hangar_connection_close (connection);
  g_usleep (3 * G_USEC_PER_SEC);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (hangar_connection_get_state (connection), ==,
                   HANGAR_CONNECTION_STATE_DISCONNECTED);
  daemon_clear (&daemon);
}

#define N_TEST_MACHINES 1000
#define N_RESTARTS      20

/* Statistics go only to running machines (issue 16): the test-driver
 * connection has hundreds, the system one may have none, so its call is
 * not waited for. */
static gboolean
stats_in_flight (gpointer data)
{
  HangarConnection **connections = data;

  return _hangar_connection_test_stats_in_flight (connections[0]);
}

static gboolean
all_listed (gpointer data)
{
  HangarConnection **connections = data;

  for (guint i = 0; connections[i] != NULL; i++)
    if (hangar_connection_get_state (connections[i]) != HANGAR_CONNECTION_STATE_CONNECTED)
      return FALSE;
  return g_list_model_get_n_items (G_LIST_MODEL (connections[0])) == N_TEST_MACHINES;
}

static gboolean
both_dropped (gpointer data)
{
  Watch *watches = data;

  return saw_state (&watches[0], HANGAR_CONNECTION_STATE_DISCONNECTED)
         && saw_state (&watches[1], HANGAR_CONNECTION_STATE_DISCONNECTED);
}

/* libvirt calls the close callback on whichever thread holds the socket:
 * with statistics always in flight, that is the statistics worker. The
 * daemon is stopped first, so the statistics calls of both connections
 * are surely waiting on it when it is killed. */
static void
test_restart_under_stats (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *test_uri = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarConnection) machines = NULL;
  g_autoptr(HangarConnection) system = NULL;
  HangarConnection *connections[3];
  Watch watches[2] = { { 0 } };
  Daemon daemon = { 0 };
  gint64 started = g_get_monotonic_time ();
  int status = -1;

  if (!daemon_find (&daemon))
    {
      g_test_skip ("no libvirtd with a pid file in " PID_FILE);
      return;
    }

  /* Many machines served by the daemon, so every statistics call takes a
   * while, and the system driver beside them. */
  dir = g_dir_make_tmp ("hangar-reconnect-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "machines.xml", NULL);
  command = g_strdup_printf ("%s/tests/data/gen-test-domains %d %s",
                             g_getenv ("HANGAR_SOURCE_DIR"), N_TEST_MACHINES, file);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  test_uri = g_strdup_printf ("test+unix://%s", file);

  connections[0] = machines = hangar_connection_new (test_uri);
  connections[1] = system = hangar_connection_new (URI);
  connections[2] = NULL;
  for (guint i = 0; i < 2; i++)
    {
      watch_connection (connections[i], &watches[i]);
      /* Every machine as if shown, so every round asks for all of them. */
      hangar_test_hold_all_stats (connections[i]);
      hangar_connection_set_stats_interval (connections[i], 50);
      g_assert_cmpuint (hangar_connection_get_stats_interval (connections[i]), ==, 50);
      hangar_connection_open (connections[i]);
    }
  if (!hangar_test_wait (all_listed, connections, 60000))
    g_error ("not connected: %s", hangar_connection_get_error_message (machines));

  for (guint round = 1; round <= N_RESTARTS; round++)
    {
      gint64 down_at;

      g_assert_true (daemon_find (&daemon));
      g_assert_cmpint (kill (daemon.pid, SIGSTOP), ==, 0);
      if (!hangar_test_wait (stats_in_flight, connections, 5000))
        {
          kill (daemon.pid, SIGCONT);
          g_error ("round %u: no statistics call in flight", round);
        }
      /* The workers are inside the call, waiting for an answer. */
      g_usleep (50 * 1000);

      down_at = g_get_monotonic_time ();
      daemon_kill (&daemon);
      daemon_start (&daemon);
      if (!hangar_test_wait (both_dropped, watches, 15000))
        g_error ("round %u: the connections did not notice the daemon was killed", round);
      if (!hangar_test_wait (all_listed, connections, 30000))
        g_error ("round %u: not back after 30 s: %s / %s", round,
                 hangar_connection_get_error_message (machines),
                 hangar_connection_get_error_message (system));
      g_test_message ("round %u: both back %.0f ms after the kill", round,
                      (g_get_monotonic_time () - down_at) / 1000.0);
      for (guint i = 0; i < 2; i++)
        {
          g_assert_cmpint (g_atomic_int_get (&watches[i].off_thread), ==, 0);
          g_array_set_size (watches[i].states, 0);
        }
    }

  assert_lists_match (machines);
  assert_lists_match (system);
  g_test_message ("%d restarts under statistics in %.1f s", N_RESTARTS,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  for (guint i = 0; i < 2; i++)
    {
      hangar_connection_close (connections[i]);
      unwatch_connection (connections[i], &watches[i]);
    }
  g_unlink (file);
  g_rmdir (dir);
  daemon_clear (&daemon);
}

/* The New Machine wizard, host details and the consoles borrow the
 * connection's handle and give it back. Giving it back must not take the
 * connection's own close callback with it (issue 11): the next daemon
 * restart would go unnoticed for good. */
typedef struct
{
  int      alive;
  gboolean done;
} Borrow;

static void
borrow_job (GTask         *task,
            virConnectPtr  conn,
            gpointer       task_data,
            GCancellable  *cancellable)
{
  g_task_return_int (task, virConnectIsAlive (conn));
}

static void
on_borrow_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Borrow *borrow = user_data;
  g_autoptr(GError) error = NULL;

  borrow->alive = g_task_propagate_int (G_TASK (result), &error);
  g_assert_no_error (error);
  borrow->done = TRUE;
}

static gboolean
borrow_done (gpointer data)
{
  return ((Borrow *) data)->done;
}

static void
test_borrowed_handle (void)
{
  g_autoptr(HangarConnection) connection = hangar_connection_new (URI);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("hangar-reconnect-%d", (int) getpid ());
  g_autofree char *xml_path = NULL;
  g_autofree char *xml = NULL;
  Watch watch = { 0 };
  Daemon daemon = { 0 };
  Borrow borrow = { 0 };
  GTask *task;
  virConnectPtr borrowed;

  if (!daemon_find (&daemon))
    {
      g_test_skip ("no libvirtd with a pid file in " PID_FILE);
      return;
    }

  watch_connection (connection, &watch);
  /* Only the close callback may notice the daemon went away here, not a
   * failing statistics call. */
  hangar_connection_set_stats_enabled (connection, FALSE);
  hangar_connection_open (connection);
  wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 20000);

  /* A job borrows the handle, as every caller of libvirt does; the
   * runner gives it back in the worker before the job's callback. */
  task = g_task_new (connection, NULL, on_borrow_done, &borrow);
  g_assert_true (hangar_connection_run_job (connection, task, borrow_job));
  g_clear_object (&task);
  g_assert_true (hangar_test_wait (borrow_done, &borrow, 10000));
  g_assert_cmpint (borrow.alive, ==, 1);
  /* A serial console keeps one: given back from a thread of its own. */
  borrowed = hangar_connection_dup_handle (connection, &error);
  g_assert_no_error (error);
  g_assert_nonnull (borrowed);
  hangar_connection_release_handle (borrowed);
  /* The release runs in a thread of its own: give it time to finish. */
  g_usleep (500 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_array_set_size (watch.states, 0);

  daemon_kill (&daemon);
  wait_state (connection, HANGAR_CONNECTION_STATE_DISCONNECTED, 15000);
  daemon_start (&daemon);
  wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 30000);
  g_assert_true (saw_state (&watch, HANGAR_CONNECTION_STATE_CONNECTING));
  g_assert_cmpint (g_atomic_int_get (&watch.off_thread), ==, 0);

  /* The list follows the new daemon: a machine defined now appears. */
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
                         "<os><type arch='x86_64'>hvm</type></os></domain>", name);
  xml_path = g_build_filename (g_get_tmp_dir (), "hangar-reconnect-domain.xml", NULL);
  g_assert_true (g_file_set_contents (xml_path, xml, -1, NULL));
  g_assert_true (hangar_test_virsh (URI, NULL, "define %s", xml_path));
  g_unlink (xml_path);
  assert_lists_match (connection);
  g_assert_nonnull (hangar_connection_lookup_vm (connection, name));

  g_assert_true (hangar_test_virsh (URI, NULL, "undefine %s", name));
  assert_lists_match (connection);

  hangar_connection_close (connection);
  unwatch_connection (connection, &watch);
  daemon_clear (&daemon);
}

int
main (int   argc,
      char *argv[])
{
  Daemon daemon = { 0 };

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  if (daemon_find (&daemon))
    guard_daemon (&daemon);
  daemon_clear (&daemon);

  g_test_add_func ("/hangar/integration/reconnect", test_reconnect);
  g_test_add_func ("/hangar/integration/reconnect/restart-under-stats", test_restart_under_stats);
  g_test_add_func ("/hangar/integration/reconnect/borrowed-handle", test_borrowed_handle);

  return g_test_run ();
}
