/* bench-console.c — what a guest screen update costs HangarDisplay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds a 1920×1080 display a synthetic stream: small updates (64×64 at
 * random places), then full-screen ones. Each update is written into the
 * framebuffer (not timed: that is the protocol decoder's work), damaged,
 * and followed by a snapshot of the widget into a render node (timed:
 * alpha fix-up, tile texture rebuilds, node building). Reports process
 * CPU time per update and the ratio between the two.
 *
 *   bench-console [--updates N] [--frames]
 *
 * --frames also times the real paint path: damage, then wait for GTK's
 * frame clock to snapshot and render the window (GSK's renderer included,
 * so this depends on the GL driver: under Xvfb it is llvmpipe, on CPU).
 *
 *   bench-console --first-frame URI DOMAIN [--idle SECONDS]
 *
 * opens DOMAIN's VNC or SPICE console through libvirt, the way Hangar
 * does, and prints wall-clock milliseconds since the process started
 * until the first update arrived and until it was painted; with --idle,
 * then the CPU the open console uses over SECONDS.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <libvirt/libvirt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hangar-display-private.h"
#include "hangar-renderer.h"
#include "hangar-spice-session.h"
#include "hangar-vnc-session.h"

#define FB_W 1920
#define FB_H 1080

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Process start, wall clock, in µs since the epoch. */
static gint64
process_start_us (void)
{
  g_autofree char *stat = NULL;
  char *p;
  unsigned long long start_ticks = 0;
  double uptime = 0;
  g_autofree char *uptime_s = NULL;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      !g_file_get_contents ("/proc/uptime", &uptime_s, NULL, NULL))
    return g_get_real_time ();

  /* Field 22, counted after the ')' closing the command name. */
  p = strrchr (stat, ')');
  for (int field = 2; p != NULL && field < 22; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL)
    return g_get_real_time ();
  start_ticks = g_ascii_strtoull (p + 1, NULL, 10);
  uptime = g_ascii_strtod (uptime_s, NULL);

  return g_get_real_time () - (gint64) ((uptime - (double) start_ticks / sysconf (_SC_CLK_TCK)) * 1e6);
}

static void
fill (guint8 *fb,
      gsize   stride,
      int     x,
      int     y,
      int     w,
      int     h,
      guint32 seed)
{
  for (int row = y; row < y + h; row++)
    {
      guint32 *p = (guint32 *) (fb + row * stride) + x;

      for (int col = 0; col < w; col++)
        p[col] = (seed + row * 7 + col) & 0x00ffffff;
    }
}

static void
snapshot_once (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert (node != NULL);
  gsk_render_node_unref (node);
}

static gboolean
ready (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

typedef struct
{
  guint painted;
} FrameCounter;

static void
on_after_paint (GdkFrameClock *clock,
                FrameCounter  *counter)
{
  counter->painted++;
}

static void
wait_painted (FrameCounter *counter)
{
  guint before = counter->painted;

  while (counter->painted == before)
    g_main_context_iteration (NULL, TRUE);
}

static double
run_series (HangarDisplay *display,
            gboolean       full,
            guint          updates,
            FrameCounter  *frames)
{
  GtkWidget *widget = GTK_WIDGET (display);
  guint8 *fb;
  gsize stride;
  double total = 0;
  GRand *rand = g_rand_new_with_seed (42);

  fb = hangar_display_get_framebuffer (display, NULL, NULL, &stride);

  for (guint i = 0; i < updates; i++)
    {
      int x = full ? 0 : g_rand_int_range (rand, 0, FB_W - 64);
      int y = full ? 0 : g_rand_int_range (rand, 0, FB_H - 64);
      int w = full ? FB_W : 64;
      int h = full ? FB_H : 64;
      double start;

      fill (fb, stride, x, y, w, h, i * 2654435761u);

      start = cpu_now ();
      hangar_display_damage (display, x, y, w, h);
      if (frames != NULL)
        wait_painted (frames);
      else
        snapshot_once (widget);
      total += cpu_now () - start;
    }

  g_rand_free (rand);

  return total / updates;
}

static int
bench_updates (guint    updates,
               gboolean with_frames)
{
  GtkWidget *window = gtk_window_new ();
  HangarDisplay *display = HANGAR_DISPLAY (hangar_display_new ());
  guint tiles_before;
  double small, full, ratio;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (display));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  while (!ready (GTK_WIDGET (display)))
    g_main_context_iteration (NULL, TRUE);

  hangar_display_set_framebuffer_size (display, FB_W, FB_H);
  snapshot_once (GTK_WIDGET (display));

  printf ("HangarDisplay, %dx%d guest in a %dx%d widget, %d px tiles\n",
          FB_W, FB_H, gtk_widget_get_width (GTK_WIDGET (display)),
          gtk_widget_get_height (GTK_WIDGET (display)), HANGAR_DISPLAY_TILE_SIZE);

  tiles_before = _hangar_display_get_tiles_built (display);
  small = run_series (display, FALSE, updates, NULL);
  printf ("snapshot, 64x64 updates:      %6u updates, %9.1f µs CPU each, %.2f tiles rebuilt each\n",
          updates, small * 1e6,
          (double) (_hangar_display_get_tiles_built (display) - tiles_before) / updates);

  tiles_before = _hangar_display_get_tiles_built (display);
  full = run_series (display, TRUE, updates, NULL);
  printf ("snapshot, full-screen updates: %6u updates, %9.1f µs CPU each, %.2f tiles rebuilt each\n",
          updates, full * 1e6,
          (double) (_hangar_display_get_tiles_built (display) - tiles_before) / updates);

  ratio = full / small;
  printf ("ratio: a 64x64 update costs 1/%.0f of a full-screen one (target: under 1/50) %s\n",
          ratio, ratio > 50 ? "PASS" : "FAIL");

  if (with_frames)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (display));
      FrameCounter counter = { 0 };
      guint n = MIN (updates, 300);
      double fs, ff;

      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &counter);
      fs = run_series (display, FALSE, n, &counter);
      ff = run_series (display, TRUE, n, &counter);
      printf ("painted frames (GSK renderer: %s):\n", G_OBJECT_TYPE_NAME (
                gtk_native_get_renderer (GTK_NATIVE (window))));
      printf ("  64x64 updates:       %6u frames, %9.1f µs CPU each\n", n, fs * 1e6);
      printf ("  full-screen updates: %6u frames, %9.1f µs CPU each (ratio 1/%.1f)\n",
              n, ff * 1e6, ff / fs);
      g_signal_handlers_disconnect_by_data (clock, &counter);
    }

  gtk_window_destroy (GTK_WINDOW (window));

  return ratio > 50 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* First frame */

typedef struct
{
  virDomainPtr domain;
  HangarDisplay *display;
  gint64 start;
  gint64 connect;
  gint64 first_update;
  gint64 first_paint;
  gboolean failed;
} FirstFrame;

static int
open_fd_cb (HangarConsoleSession  *session,
            GError               **error,
            gpointer               user_data)
{
  FirstFrame *ff = user_data;
  int fd = virDomainOpenGraphicsFD (ff->domain, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);

  if (fd < 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "virDomainOpenGraphicsFD failed");

  return fd;
}

static void
on_damage (HangarConsoleSession *session,
           int                   x,
           int                   y,
           int                   w,
           int                   h,
           FirstFrame           *ff)
{
  if (ff->first_update == 0)
    ff->first_update = g_get_real_time ();
}

static void
on_first_after_paint (GdkFrameClock *clock,
                      FirstFrame    *ff)
{
  if (ff->first_update != 0 && ff->first_paint == 0)
    ff->first_paint = g_get_real_time ();
}

static void
on_disconnected (HangarConsoleSession *session,
                 const char           *reason,
                 FirstFrame           *ff)
{
  g_printerr ("disconnected: %s\n", reason);
  ff->failed = TRUE;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static int
bench_first_frame (const char *uri,
                   const char *name,
                   guint       idle_seconds)
{
  FirstFrame ff = { 0 };
  g_autofree char *xml = NULL;
  g_autoptr(HangarConsoleSession) session = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;
  GtkWidget *window;
  int fd;

  ff.start = process_start_us ();

  conn = virConnectOpen (uri);
  if (conn == NULL || (ff.domain = virDomainLookupByName (conn, name)) == NULL)
    {
      g_printerr ("cannot find %s on %s\n", name, uri);
      return EXIT_FAILURE;
    }

  xml = virDomainGetXMLDesc (ff.domain, 0);
  session = strstr (xml, "<graphics type='spice'") != NULL
            ? hangar_spice_session_new ()
            : hangar_vnc_session_new ();
  hangar_console_session_set_open_fd_func (session, open_fd_cb, &ff, NULL);
  g_signal_connect (session, "damage", G_CALLBACK (on_damage), &ff);
  g_signal_connect (session, "disconnected", G_CALLBACK (on_disconnected), &ff);

  /* Connect first: the VNC handshake's round trips then overlap with
   * GTK setting up the window's renderer. */
  ff.connect = g_get_real_time ();
  fd = virDomainOpenGraphicsFD (ff.domain, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
  if (fd < 0 || !hangar_console_session_connect_fd (session, fd, &error))
    {
      g_printerr ("cannot connect: %s\n", error != NULL ? error->message : "no fd");
      return EXIT_FAILURE;
    }

  window = gtk_window_new ();
  ff.display = HANGAR_DISPLAY (hangar_display_new ());
  hangar_display_set_session (ff.display, session);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (ff.display));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_after_paint), &ff);

  while (ff.first_paint == 0 && !ff.failed)
    g_main_context_iteration (NULL, TRUE);

  /* Then sit on the guest's (mostly still) screen for a while: what does
   * an open console cost when little happens? */
  if (!ff.failed && idle_seconds > 0)
    {
      double cpu0 = cpu_now ();
      gboolean done = FALSE;
      guint snapshots0 = _hangar_display_get_snapshots (ff.display);

      g_timeout_add_seconds (idle_seconds, set_flag, &done);
      while (!done && !ff.failed)
        g_main_context_iteration (NULL, TRUE);
      g_printerr ("idle: %.2f%% of a core over %u s, %u frames drawn\n",
                  (cpu_now () - cpu0) * 100.0 / idle_seconds, idle_seconds,
                  _hangar_display_get_snapshots (ff.display) - snapshots0);
    }

  /* Absolute times too, so a script can measure from its own exec. */
  if (!ff.failed)
    printf ("hangar first update %.0f ms, first painted frame %.0f ms after process start;"
            " %.0f ms after opening the graphics fd"
            " (epoch-us %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ")\n",
            (ff.first_update - ff.start) / 1000.0, (ff.first_paint - ff.start) / 1000.0,
            (ff.first_paint - ff.connect) / 1000.0, ff.first_update, ff.first_paint);

  hangar_console_session_disconnect (session);
  hangar_display_set_session (ff.display, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  virDomainFree (ff.domain);
  virConnectClose (conn);

  return ff.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  guint updates = 1000;
  gboolean frames = FALSE;
  const char *first_frame[2] = { NULL, NULL };
  guint idle_seconds = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--updates") && i + 1 < argc)
        updates = (guint) MAX (1, atoi (argv[i + 1])), i++;
      else if (g_str_equal (argv[i], "--frames"))
        frames = TRUE;
      else if (g_str_equal (argv[i], "--idle") && i + 1 < argc)
        idle_seconds = (guint) MAX (0, atoi (argv[i + 1])), i++;
      else if (g_str_equal (argv[i], "--first-frame") && i + 2 < argc)
        {
          first_frame[0] = argv[++i];
          first_frame[1] = argv[++i];
        }
      else
        {
          g_printerr ("usage: %s [--updates N] [--frames] | --first-frame URI DOMAIN [--idle SECONDS]\n",
                      argv[0]);
          return EXIT_FAILURE;
        }
    }

  /* The renderer the app would pick (cairo without a GPU render node),
   * unless GSK_RENDERER says otherwise. */
  hangar_renderer_apply_default ();
  gtk_init ();

  if (first_frame[0] != NULL)
    return bench_first_frame (first_frame[0], first_frame[1], idle_seconds);

  return bench_updates (updates, frames);
}
