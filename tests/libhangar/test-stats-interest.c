/* test-stats-interest.c — statistics only for the machines somebody shows.
 *
 * A test-driver file with 300 machines (two thirds running). Nothing is
 * held: no round is sent at all. Some running and some stopped machines
 * are held: every round asks for exactly the running ones among them.
 * Released: the rounds stop. Held but paused (every window hidden): no
 * round until the pause ends.
 *
 * Details (titles): a machine held while they are being read, as a row
 * that comes on screen, has its title long before the rest; a connection
 * closed in the middle of the read stops it, and the next one reads them
 * all.
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
#include "hangar-test-util.h"

#define N_MACHINES 300
#define INTERVAL_MS 100

static char *
generate_domains (guint n)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "data",
                                              "gen-test-domains", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *name = g_strdup_printf ("hangar-interest-%u-%d.xml", n, (int) getpid ());
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

static gboolean
listed (gpointer data)
{
  return hangar_connection_get_state (data) == HANGAR_CONNECTION_STATE_CONNECTED
         && g_list_model_get_n_items (G_LIST_MODEL (data)) == N_MACHINES;
}

typedef struct
{
  HangarConnection *connection;
  guint             rounds;
} RoundsWait;

static gboolean
rounds_reached (gpointer data)
{
  RoundsWait *w = data;

  return _hangar_connection_test_stats_rounds (w->connection) >= w->rounds
         && !_hangar_connection_test_stats_in_flight (w->connection);
}

/* Iterates the main loop for @ms whatever happens. */
static void
idle_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
test_only_held (void)
{
  g_autofree char *file = generate_domains (N_MACHINES);
  g_autofree char *uri = g_strdup_printf ("test://%s", file);
  g_autoptr(HangarConnection) connection = hangar_connection_new (uri);
  g_autoptr(GPtrArray) held = g_ptr_array_new ();
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
#if HANGAR_TEST_HOOKS
  g_auto(GStrv) asked = NULL;
#endif
  RoundsWait w = { connection, 0 };
  guint running = 0, stopped = 0;
  guint before;

  hangar_connection_set_stats_interval (connection, INTERVAL_MS);
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (listed, connection, 30000));

  /* Nothing shown: not one round in ten intervals. */
  idle_for (10 * INTERVAL_MS);
  g_assert_cmpuint (_hangar_connection_test_stats_rounds (connection), ==, 0);

  /* Five running machines and three stopped ones from the middle of the list. */
  for (guint i = N_MACHINES / 2; i < N_MACHINES && (running < 5 || stopped < 3); i++)
    {
      g_autoptr(HangarVm) vm = g_list_model_get_item (G_LIST_MODEL (connection), i);

      if (hangar_vm_is_active (vm) && running < 5)
        {
          running++;
          g_ptr_array_add (wanted, g_strdup (hangar_vm_get_uuid (vm)));
        }
      else if (!hangar_vm_is_active (vm) && stopped < 3)
        stopped++;
      else
        continue;
      hangar_vm_hold_stats (vm);
      g_ptr_array_add (held, vm);
    }
  g_assert_cmpuint (running, ==, 5);
  g_assert_cmpuint (stopped, ==, 3);
  g_ptr_array_sort (wanted, compare_strings);
  g_ptr_array_add (wanted, NULL);

  w.rounds = 3;
  g_assert_true (hangar_test_wait (rounds_reached, &w, 10000));
  /* Which machines a round asked for is recorded in test builds only
   * (-Dtest_hooks=true, as tools/test makes; the sanitizers' build is
   * not one): there the rounds are still counted. */
#if HANGAR_TEST_HOOKS
  asked = _hangar_connection_test_stats_last_uuids (connection);
  g_assert_cmpstrv (asked, (const char * const *) wanted->pdata);
#endif

  /* A second hold of the same machine asks for it once; its release
   * leaves the first hold in place. */
  hangar_vm_hold_stats (g_ptr_array_index (held, 0));
  hangar_vm_release_stats (g_ptr_array_index (held, 0));
  w.rounds = _hangar_connection_test_stats_rounds (connection) + 2;
  g_assert_true (hangar_test_wait (rounds_reached, &w, 10000));
#if HANGAR_TEST_HOOKS
  g_clear_pointer (&asked, g_strfreev);
  asked = _hangar_connection_test_stats_last_uuids (connection);
  g_assert_cmpstrv (asked, (const char * const *) wanted->pdata);
#endif

  /* Every window hidden: no round at all, then they resume. */
  hangar_connection_set_stats_paused (connection, TRUE);
  idle_for (2 * INTERVAL_MS);
  before = _hangar_connection_test_stats_rounds (connection);
  idle_for (10 * INTERVAL_MS);
  g_assert_cmpuint (_hangar_connection_test_stats_rounds (connection), ==, before);
  hangar_connection_set_stats_paused (connection, FALSE);
  w.rounds = before + 2;
  g_assert_true (hangar_test_wait (rounds_reached, &w, 10000));

  /* Released: the rounds stop. */
  for (guint i = 0; i < held->len; i++)
    hangar_vm_release_stats (g_ptr_array_index (held, i));
  idle_for (2 * INTERVAL_MS);
  before = _hangar_connection_test_stats_rounds (connection);
  idle_for (10 * INTERVAL_MS);
  g_assert_cmpuint (_hangar_connection_test_stats_rounds (connection), ==, before);
  g_test_message ("%u rounds in all, for %u of %u machines", before, running, N_MACHINES);

  /* A fast host: the interval is the setting. */
  g_assert_cmpuint (hangar_connection_get_stats_effective_interval (connection), ==, INTERVAL_MS);

  hangar_connection_close (connection);
  g_unlink (file);
}

/* --- details, the machines on screen first ------------------------------------ */

#define N_DETAILS 2000

/* The last titled machines (gen-test-domains titles every third) in the
 * connection's own order, which is the order the read would take them in
 * without priorities. */
static HangarVm *
last_titled (HangarConnection *connection,
             guint             skip)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (connection)); i-- > 0;)
    {
      g_autoptr(HangarVm) vm = g_list_model_get_item (G_LIST_MODEL (connection), i);

      if (g_ascii_strtoull (hangar_vm_get_name (vm) + 3, NULL, 10) % 3 == 0 && skip-- == 0)
        return vm;
    }
  g_assert_not_reached ();
}

typedef struct
{
  HangarConnection *connection;
  HangarVm         *first;        /* on screen when the list arrives */
  HangarVm         *later;        /* comes on screen when the first's title does */
  int               first_at;     /* titles read when the first's came; -1 before */
  int               later_held_at;
  int               later_at;
} DetailsWait;

static guint
count_titled (HangarConnection *connection)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (connection));
  guint titled = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarVm) vm = g_list_model_get_item (G_LIST_MODEL (connection), i);

      titled += hangar_vm_get_title (vm) != NULL;
    }
  return titled;
}

static void
on_title (HangarVm    *vm,
          GParamSpec  *pspec,
          DetailsWait *w)
{
  if (hangar_vm_get_title (vm) == NULL)
    return;
  if (vm == w->first && w->first_at < 0)
    {
      w->first_at = (int) count_titled (w->connection);
      /* A row scrolled to while the read goes on jumps the queue. */
      w->later = last_titled (w->connection, 1);
      g_signal_connect (w->later, "notify::title", G_CALLBACK (on_title), w);
      w->later_held_at = (int) count_titled (w->connection);
      hangar_vm_hold_stats (w->later);
    }
  else if (vm == w->later && w->later_at < 0)
    w->later_at = (int) count_titled (w->connection);
}

/* The list has just arrived, no title is read yet: the first machine's
 * row is on screen. */
static void
on_state (HangarConnection *connection,
          GParamSpec       *pspec,
          DetailsWait      *w)
{
  if (hangar_connection_get_state (connection) != HANGAR_CONNECTION_STATE_CONNECTED
      || w->first != NULL)
    return;
  w->first = last_titled (connection, 0);
  g_signal_connect (w->first, "notify::title", G_CALLBACK (on_title), w);
  hangar_vm_hold_stats (w->first);
}

static gboolean
listed_all (gpointer data)
{
  return hangar_connection_get_state (data) == HANGAR_CONNECTION_STATE_CONNECTED
         && g_list_model_get_n_items (G_LIST_MODEL (data)) == N_DETAILS;
}

static gboolean
all_titled (gpointer data)
{
  return count_titled (data) == N_DETAILS / 3;
}

static void
test_details_visible_first (void)
{
  g_autofree char *file = generate_domains (N_DETAILS);
  g_autofree char *uri = g_strdup_printf ("test://%s", file);
  g_autoptr(HangarConnection) connection = hangar_connection_new (uri);
  DetailsWait w = { connection, NULL, NULL, -1, -1, -1 };

  hangar_connection_set_stats_enabled (connection, FALSE);

  /* Closed while the titles are read: the read stops, nothing breaks. */
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (listed_all, connection, 30000));
  hangar_connection_close (connection);
  idle_for (300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connection)), ==, 0);

  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state), &w);
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (all_titled, connection, 60000));
  g_test_message ("%s's title came with %d titles read; %s, held with %d read, came with %d "
                  "of %d", hangar_vm_get_name (w.first), w.first_at, hangar_vm_get_name (w.later),
                  w.later_held_at, w.later_at, N_DETAILS / 3);
  /* In list order both would come last. The reads already running when
   * the first machine is held finish first: a handful on a quiet machine,
   * a few dozen on a loaded one (28 seen). */
  g_assert_cmpint (w.first_at, >=, 1);
  g_assert_cmpint (w.first_at, <=, N_DETAILS / 3 / 10);
  g_assert_cmpint (w.later_at, >, w.later_held_at);
  g_assert_cmpint (w.later_at, <, N_DETAILS / 3 / 2);

  g_signal_handlers_disconnect_by_data (connection, &w);
  g_signal_handlers_disconnect_by_data (w.first, &w);
  g_signal_handlers_disconnect_by_data (w.later, &w);
  hangar_vm_release_stats (w.first);
  hangar_vm_release_stats (w.later);
  hangar_connection_close (connection);
  g_unlink (file);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/model/connection/stats/only-held", test_only_held);
  g_test_add_func ("/hangar/model/connection/details/visible-first", test_details_visible_first);
  return g_test_run ();
}
