/* bench-remote-latency.c — 1,000 machines on a host 300 ms away: how soon
 * the list shows them, and whether a frame ever waits.
 *
 * Not a test: bench/remote-latency builds the machines' file, the X server
 * and the session bus, and runs this. It starts the delaying proxy of the
 * latency test (150 ms each way) in front of libvirtd's UNIX socket, runs
 * the real application in this process with
 * `hangar --connect test+tcp://127.0.0.1:PORT/FILE` (the daemon's test
 * driver serves FILE), forces a frame on every refresh and times, from
 * this process's start:
 *   first_page_ms     the first frame painted with a page of machine rows
 *                     (names and states are bound with the row)
 *   visible_titles_ms the first frame painted once every machine on that
 *                     page that has a <title> (gen-test-domains: every
 *                     third) has it read
 *   all_titles_ms     the same for every machine of the file
 * and, from the first frame to the last figure, the longest gap between
 * two frames (longest_frame_ms) and the most CPU time the main thread
 * spent in one dispatch outside GTK's layout and paint (hangar_work_ms).
 *
 * Usage: bench-remote-latency FILE N [SOCKET] (SOCKET: the daemon's,
 * /run/libvirt/libvirt-sock by default). BENCH_TITLES_TIMEOUT (seconds,
 * default 120) bounds the wait for the titles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <gio/gunixsocketaddress.h>

#include "hangar-connection.h"
#include "hangar-connection-manager.h"
#include "hangar-stats.h"
#include "hangar-test-app.h"
#include "hangar-vm.h"
#include "hangar-window-private.h"
#include "latency-meter.h"
#include "latency-proxy.h"

typedef struct
{
  guint          n;                /* machines in the file */
  guint          n_titled;
  GdkFrameClock *clock;
  gint64         last_frame;
  gint64         longest_frame;
  double         first_page_ms, visible_titles_ms, all_titles_ms;
  gint64         titles_deadline;
  gboolean       done;
  gboolean       metering;
  Meter          meter;
} Bench;

static Bench bench;
static guint titles_timeout_s = 120;

/* gen-test-domains gives vm-…N a <title> when N is a multiple of 3. */
static gboolean
has_title_in_file (HangarVm *vm)
{
  const char *name = hangar_vm_get_name (vm);
  const char *digits = name != NULL ? strrchr (name, '-') : NULL;

  return digits != NULL && g_ascii_strtoull (digits + 1, NULL, 10) % 3 == 0;
}

static GtkWidget *
list_view_of (HangarWindow *window)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* How many rows the viewport holds, from the list's own scroll range. */
static guint
page_rows (HangarWindow *window,
           guint         n_rows)
{
  GtkWidget *list = list_view_of (window);
  GtkAdjustment *adjustment = list ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list)) : NULL;
  double upper, page;

  if (adjustment == NULL || n_rows == 0)
    return 0;
  upper = gtk_adjustment_get_upper (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (upper <= 0)
    return 0;
  return MIN (n_rows, (guint) (page / (upper / n_rows) + 0.999));
}

static void
on_after_paint (GdkFrameClock *clock,
                HangarWindow  *window)
{
  GListModel *rows = hangar_window_get_rows (window);
  guint n_rows = g_list_model_get_n_items (rows);
  guint n_machines = n_rows > 0 ? n_rows - 1 : 0;   /* one connection row */
  guint page;
  double now = hangar_process_age_ms ();

  if (bench.done)
    return;
  /* Hangar's work is measured from the window's first frame on (its own
   * realize and map before it are GTK's start-up): the list's arrival
   * comes after it. */
  if (!bench.metering)
    {
      bench.metering = TRUE;
      meter_start (&bench.meter);
    }

  /* A page of machines (or all of them, when fewer), painted. */
  page = page_rows (window, n_rows);
  if (bench.first_page_ms == 0 && n_machines > 0 && page > 1
      && (n_machines == bench.n || page < n_rows))
    {
      bench.first_page_ms = now;
      bench.last_frame = g_get_monotonic_time ();
      bench.titles_deadline = g_get_monotonic_time () + titles_timeout_s * G_USEC_PER_SEC;
    }
  if (bench.first_page_ms == 0)
    return;

  if (bench.visible_titles_ms == 0)
    {
      gboolean all = TRUE;

      for (guint i = 1; i < page && all; i++)
        {
          g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
          g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

          if (HANGAR_IS_VM (item) && has_title_in_file (HANGAR_VM (item))
              && hangar_vm_get_title (HANGAR_VM (item)) == NULL)
            all = FALSE;
        }
      if (all)
        bench.visible_titles_ms = now;
    }
  if (bench.all_titles_ms == 0 && n_machines == bench.n)
    {
      g_autoptr(GtkTreeListRow) first = g_list_model_get_item (rows, 0);
      g_autoptr(GObject) connection = gtk_tree_list_row_get_item (first);
      guint read = 0;

      for (guint i = 0; i < bench.n; i++)
        {
          g_autoptr(HangarVm) vm = g_list_model_get_item (G_LIST_MODEL (connection), i);

          if (vm != NULL && hangar_vm_get_title (vm) != NULL)
            read++;
        }
      if (read == bench.n_titled)
        bench.all_titles_ms = now;
    }
  if (bench.all_titles_ms != 0 || g_get_monotonic_time () > bench.titles_deadline)
    {
      bench.done = TRUE;
      meter_stop (&bench.meter, "bench");
    }
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (bench.first_page_ms != 0 && !bench.done)
    bench.longest_frame = MAX (bench.longest_frame, now - bench.last_frame);
  bench.last_frame = now;
  return bench.done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* GTK's layout and paint, told apart from the rest of a dispatch. */
static gboolean
on_clock_phase (GSignalInvocationHint *hint,
                guint                  n_values,
                const GValue          *values,
                gpointer               data)
{
  if (g_value_get_object (&values[0]) == (gpointer) bench.clock)
    meter_gtk_begin ();
  return TRUE;
}

static void
on_clock_done (GdkFrameClock *clock,
               gpointer       data)
{
  meter_gtk_end ();
}

static gboolean
step_window (HangarTestRun *run)
{
  HangarWindow *window = hangar_test_run_window (run);

  if (window == NULL || !gtk_widget_get_realized (GTK_WIDGET (window)))
    return FALSE;
  bench.clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_add_emission_hook (g_signal_lookup ("layout", GDK_TYPE_FRAME_CLOCK), 0,
                              on_clock_phase, NULL, NULL);
  g_signal_add_emission_hook (g_signal_lookup ("paint", GDK_TYPE_FRAME_CLOCK), 0,
                              on_clock_phase, NULL, NULL);
  g_signal_connect_after (bench.clock, "after-paint", G_CALLBACK (on_clock_done), NULL);
  g_signal_connect_after (bench.clock, "after-paint", G_CALLBACK (on_after_paint), window);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, NULL, NULL);
  return TRUE;
}

static gboolean
step_done (HangarTestRun *run)
{
  if (!bench.done)
    return FALSE;
  gtk_window_close (GTK_WINDOW (hangar_test_run_window (run)));
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  static const HangarTestStep steps[] = { step_window, step_done, NULL };
  HangarTestRun run = { 0 };
  g_autoptr(GSocketAddress) socket = NULL;
  g_autofree char *uri = NULL;
  Proxy *proxy;
  const char *app_argv[4] = { "hangar", "--connect", NULL, NULL };
  g_autofree char *all_titles = NULL;
  g_autofree char *visible_titles = NULL;
  g_autofree char *bound = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  if (argc < 3)
    {
      g_printerr ("usage: %s FILE N [SOCKET]\n", argv[0]);
      return 2;
    }
  bench.n = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  bench.n_titled = bench.n / 3;
  if (g_getenv ("BENCH_TITLES_TIMEOUT") != NULL)
    titles_timeout_s = (guint) g_ascii_strtoull (g_getenv ("BENCH_TITLES_TIMEOUT"), NULL, 10);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();

  socket = g_unix_socket_address_new (argc > 3 ? argv[3] : "/run/libvirt/libvirt-sock");
  control_start ();
  proxy = proxy_start_to (socket);
  uri = g_strdup_printf ("test+tcp://127.0.0.1:%u%s", proxy->port, argv[1]);
  app_argv[2] = uri;

  hangar_test_run_app (&run, app_argv, steps, titles_timeout_s * 1000 + 120000);

  /* Titles not read in time: the bound, as ">MS". */
  bound = g_strdup_printf (">%.0f", bench.first_page_ms + titles_timeout_s * 1000.0);
  visible_titles = bench.visible_titles_ms != 0 ? g_strdup_printf ("%.0f", bench.visible_titles_ms)
                                                : g_strdup (bound);
  all_titles = bench.all_titles_ms != 0 ? g_strdup_printf ("%.0f", bench.all_titles_ms)
                                        : g_strdup (bound);
  printf ("remote-latency N=%u rtt_ms=%d first_page_ms=%.0f visible_titles_ms=%s "
          "all_titles_ms=%s longest_frame_ms=%.1f hangar_work_ms=%.1f\n",
          bench.n, (int) (2 * DELAY_US / 1000), bench.first_page_ms, visible_titles,
          all_titles, bench.longest_frame / 1000.0, bench.meter.own_cpu);
  fflush (stdout);
  proxy_stop (proxy);
  control_stop ();
  return 0;
}
