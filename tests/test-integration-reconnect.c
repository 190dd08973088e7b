/* test-integration-reconnect.c — a connection that was up comes back by itself.
 *
 * Kills the real system libvirtd under an open connection, checks the
 * connection says why it dropped, starts the daemon again and checks the
 * machine list is back and matches virsh's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-connection.h"
#include "hangar-vm.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"

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
    g_error ("connection still in state %d, not %d (error: %s)",
             hangar_connection_get_state (connection), state,
             hangar_connection_get_error_message (connection));
}

static int
compare_names (const void *a,
               const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char **
virsh_names (void)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **names;

  g_assert_true (run ("virsh -c " URI " list --all --name", &out));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_strv_builder_add (builder, lines[i]);
  names = g_strv_builder_end (builder);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return names;
}

static char **
model_names (HangarConnection *connection)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (connection));
  char **names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarVm) vm = g_list_model_get_item (G_LIST_MODEL (connection), i);
      names[i] = g_strdup (hangar_vm_get_name (vm));
    }
  qsort (names, n, sizeof (char *), compare_names);
  return names;
}

static gboolean
lists_match (gpointer data)
{
  g_auto(GStrv) daemon = virsh_names ();
  g_auto(GStrv) model = model_names (data);

  return g_strv_equal ((const char * const *) daemon, (const char * const *) model);
}

/* The daemon may be busy with other users' machines: events reach us a
 * moment after virsh sees the change, so compare until both agree. */
static void
assert_lists_match (HangarConnection *connection)
{
  if (!hangar_test_wait (lists_match, connection, 15000))
    {
      g_auto(GStrv) daemon = virsh_names ();
      g_auto(GStrv) model = model_names (connection);
      g_assert_cmpstrv (model, daemon);
    }
}

static void
test_reconnect (void)
{
  g_autoptr(HangarConnection) connection = hangar_connection_new (URI);
  gint64 down_at;

  hangar_connection_open (connection);
  wait_state (connection, HANGAR_CONNECTION_STATE_CONNECTED, 20000);
  assert_lists_match (connection);

  /* The daemon goes away under us, and a separate process brings it back
   * a second later: even if this test dies, the daemon other tests need
   * does not stay down. (The old one may hold its pid file a moment.) */
  g_assert_true (g_spawn_command_line_async (
    "sh -c 'pkill -x libvirtd; sleep 1; for i in $(seq 40); do "
    "virsh -c " URI " version >/dev/null 2>&1 && exit 0; libvirtd -d; sleep 0.5; done'", NULL));
  down_at = g_get_monotonic_time ();
  wait_state (connection, HANGAR_CONNECTION_STATE_DISCONNECTED, 30000);
  g_test_message ("dropped after %.0f ms: %s", (g_get_monotonic_time () - down_at) / 1000.0,
                  hangar_connection_get_error_message (connection));
  g_assert_nonnull (hangar_connection_get_error_message (connection));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connection)), ==, 0);

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
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/integration/reconnect", test_reconnect);

  return g_test_run ();
}
