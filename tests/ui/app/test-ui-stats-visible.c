/* test-ui-stats-visible.c — the list polls only the machines it shows.
 *
 * The real application with 1,000 machines on the test driver, in a
 * window of its usual size under Xvfb and openbox. Each statistics round
 * must ask only for running machines whose rows are at the top of the
 * list, never for one far below; scrolled down to the last running
 * machine, only for rows around it. Minimised (through the window manager), no round runs; restored,
 * they come back; hidden, they stop again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-connection-testing.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"

#define N_MACHINES 1000
/* GTK 4.8 binds the rows on screen and up to a couple of hundred around
 * them: far fewer than the list. */
#define MAX_BOUND 260
#define INTERVAL_MS 100

typedef struct
{
  GHashTable *row_of;      /* UUID → row index + 1 */
  guint       rounds;
  gint64      since;
  HangarVm   *bottom;
} State;

static State state;

static char *
generate_domains (guint n)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "data",
                                              "gen-test-domains", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *name = g_strdup_printf ("hangar-visible-%u-%d.xml", n, (int) getpid ());
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  const char *argv[] = { "bash", script, count, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return path;
}

static HangarConnection *
connection_of (HangarTestRun *run)
{
  GListModel *connections = G_LIST_MODEL (hangar_application_get_connections (run->app));
  g_autoptr(HangarConnection) connection = g_list_model_get_item (connections, 0);

  return connection;  /* the manager keeps it */
}

static gboolean
step_shown (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
step_listed (HangarTestRun *run)
{
  HangarConnection *connection = connection_of (run);
  GListModel *rows;
  guint n;

  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED
      || hangar_test_count_machine_rows (hangar_test_run_window (run)) != N_MACHINES)
    return FALSE;

  rows = hangar_window_get_rows (hangar_test_run_window (run));
  n = g_list_model_get_n_items (rows);
  state.row_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (HANGAR_IS_VM (item))
        {
          g_hash_table_insert (state.row_of, g_strdup (hangar_vm_get_uuid (HANGAR_VM (item))),
                               GUINT_TO_POINTER (i + 1));
          if (hangar_vm_is_active (HANGAR_VM (item)))
            state.bottom = HANGAR_VM (item);  /* the last running one */
        }
    }
  hangar_connection_set_stats_interval (connection, INTERVAL_MS);
  state.rounds = _hangar_connection_test_stats_rounds (connection);
  return TRUE;
}

/* Three more rounds have returned since the last mark. */
static gboolean
rounds_done (HangarConnection *connection)
{
  return _hangar_connection_test_stats_rounds (connection) >= state.rounds + 3
         && !_hangar_connection_test_stats_in_flight (connection);
}

/* The rows the last round asked for, each checked against @lo..@hi. */
static guint
check_asked (HangarConnection *connection,
             guint             lo,
             guint             hi,
             HangarVm         *must)
{
  g_auto(GStrv) asked = _hangar_connection_test_stats_last_uuids (connection);
  gboolean saw_must = FALSE;
  guint n = g_strv_length (asked);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <=, MAX_BOUND);
  for (guint i = 0; asked[i] != NULL; i++)
    {
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (state.row_of, asked[i]));
      HangarVm *vm = hangar_connection_lookup_vm (connection, asked[i]);

      g_assert_cmpuint (row, >, 0);
      g_assert_cmpuint (row - 1, >=, lo);
      g_assert_cmpuint (row - 1, <=, hi);
      g_assert_true (hangar_vm_is_active (vm));
      saw_must |= vm == must;
    }
  g_assert_true (saw_must);
  return n;
}

static gboolean
step_top (HangarTestRun *run)
{
  HangarConnection *connection = connection_of (run);
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(GObject) first = NULL;
  guint n;

  if (!rounds_done (connection))
    return FALSE;
  row = g_list_model_get_item (hangar_window_get_rows (hangar_test_run_window (run)), 1);
  first = gtk_tree_list_row_get_item (row);
  g_assert_true (hangar_vm_is_active (HANGAR_VM (first)));
  n = check_asked (connection, 0, MAX_BOUND, HANGAR_VM (first));
  g_test_message ("top of the list: %u of %u machines asked for", n, N_MACHINES);

  /* Down to the last running machine (gen-test-domains runs the first
   * two thirds: row 667 of 1,000), far from the top. */
  g_assert_true (hangar_window_select_vm (hangar_test_run_window (run), state.bottom));
  state.rounds = _hangar_connection_test_stats_rounds (connection);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (state.row_of,
                                                           hangar_vm_get_uuid (state.bottom))),
                   >, 2 * MAX_BOUND);
  return TRUE;
}

static gboolean
step_bottom (HangarTestRun *run)
{
  HangarConnection *connection = connection_of (run);
  guint bottom_row = GPOINTER_TO_UINT (g_hash_table_lookup (state.row_of,
                                                            hangar_vm_get_uuid (state.bottom))) - 1;
  guint n;

  if (!rounds_done (connection))
    return FALSE;
  /* A round may still show rows on their way out: wait for one without. */
  {
    g_auto(GStrv) asked = _hangar_connection_test_stats_last_uuids (connection);

    for (guint i = 0; asked[i] != NULL; i++)
      if (GPOINTER_TO_UINT (g_hash_table_lookup (state.row_of, asked[i])) - 1 + MAX_BOUND
          < bottom_row)
        {
          state.rounds = _hangar_connection_test_stats_rounds (connection);
          if (g_get_monotonic_time () - run->step_started > 5 * G_USEC_PER_SEC)
            {
              g_autoptr(GString) rows = g_string_new (NULL);

              for (guint j = 0; asked[j] != NULL; j++)
                g_string_append_printf (rows, " %u",
                                        GPOINTER_TO_UINT (g_hash_table_lookup (state.row_of,
                                                                               asked[j])) - 1);
              g_error ("still asking for row %u after scrolling to the bottom; rows:%s",
                       GPOINTER_TO_UINT (g_hash_table_lookup (state.row_of, asked[i])) - 1,
                       rows->str);
            }
          return FALSE;
        }
  }
  n = check_asked (connection, bottom_row - MAX_BOUND, bottom_row + MAX_BOUND, state.bottom);
  g_test_message ("around row %u: %u of %u machines asked for", bottom_row, n, N_MACHINES);

  gtk_window_minimize (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

/* Stopped, and still stopped a second later. */
static gboolean
stays_stopped (HangarTestRun *run)
{
  HangarConnection *connection = connection_of (run);

  if (!hangar_connection_get_stats_paused (connection)
      || _hangar_connection_test_stats_in_flight (connection))
    return FALSE;
  if (state.since == 0)
    {
      state.since = g_get_monotonic_time ();
      state.rounds = _hangar_connection_test_stats_rounds (connection);
      return FALSE;
    }
  g_assert_cmpuint (_hangar_connection_test_stats_rounds (connection), ==, state.rounds);
  return g_get_monotonic_time () - state.since > G_USEC_PER_SEC;
}

static gboolean
step_minimised (HangarTestRun *run)
{
  GdkSurface *surface;

  if (!stays_stopped (run))
    return FALSE;
  surface = gtk_native_get_surface (GTK_NATIVE (hangar_test_run_window (run)));
  g_assert_true (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED);
  g_test_message ("minimised: no round in %.1f s",
                  (g_get_monotonic_time () - state.since) / (double) G_USEC_PER_SEC);
  state.since = 0;
  gtk_window_present (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

static gboolean
step_restored (HangarTestRun *run)
{
  HangarConnection *connection = connection_of (run);

  if (hangar_connection_get_stats_paused (connection) || !rounds_done (connection))
    return FALSE;
  gtk_widget_set_visible (GTK_WIDGET (hangar_test_run_window (run)), FALSE);
  return TRUE;
}

static gboolean
step_hidden (HangarTestRun *run)
{
  if (!stays_stopped (run))
    return FALSE;
  g_test_message ("hidden: no round in %.1f s",
                  (g_get_monotonic_time () - state.since) / (double) G_USEC_PER_SEC);
  return TRUE;
}

static gboolean
step_close (HangarTestRun *run)
{
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

static void
test_visible_rows (void)
{
  g_autofree char *path = generate_domains (N_MACHINES);
  g_autofree char *uri = g_strdup_printf ("test://%s", path);
  const char *argv[] = { "hangar", "--connect", uri, NULL };
  const HangarTestStep steps[] = {
    step_shown, step_listed, step_top, step_bottom, step_minimised, step_restored,
    step_hidden, step_close, NULL,
  };
  HangarTestRun run = { 0 };

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 30000), ==, 0);
  g_clear_pointer (&state.row_of, g_hash_table_unref);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ui/window/stats-visible-rows", test_visible_rows);
  return g_test_run ();
}
