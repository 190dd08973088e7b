/* test-display.c — HangarDisplay fed with synthetic frames and input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gtk/gtk.h>

#include "console-test-util.h"
#include "hangar-display-private.h"

#define FB_W 1920
#define FB_H 1080

/* Layout */

static void
test_layout_fit (void)
{
  HangarDisplayLayout l;

  /* Wider widget than picture: bars left and right. */
  _hangar_display_compute_layout (FB_W, FB_H, 1000, 270, 1, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_cmpfloat_with_epsilon (l.scale, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.width, 480, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.height, 270, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.x, 260, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.y, 0, 1e-9);
  g_assert_false (l.pixel_exact);

  /* Taller: bars top and bottom. */
  _hangar_display_compute_layout (FB_W, FB_H, 960, 600, 1, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_cmpfloat_with_epsilon (l.scale, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.y, 30, 1e-9);

  /* Fit also scales up. */
  _hangar_display_compute_layout (640, 480, 1280, 960, 1, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_cmpfloat_with_epsilon (l.scale, 2, 1e-9);
  g_assert_false (l.pixel_exact);

  /* Exactly the guest's size: pixel exact. */
  _hangar_display_compute_layout (FB_W, FB_H, FB_W, FB_H, 1, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_true (l.pixel_exact);

  /* Nothing to show */
  _hangar_display_compute_layout (0, 0, 100, 100, 1, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_cmpfloat (l.width, ==, 0);
}

static void
test_layout_hidpi (void)
{
  HangarDisplayLayout l;

  /* 1:1 at scale factor 2 means one guest pixel per device pixel: half a
   * logical pixel, and crisp. */
  _hangar_display_compute_layout (FB_W, FB_H, 1200, 800, 2,
                                  HANGAR_DISPLAY_SCALING_ONE_TO_ONE, &l);
  g_assert_cmpfloat_with_epsilon (l.scale, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.width, 960, 1e-9);
  g_assert_true (l.pixel_exact);
  /* Centered, and on the device pixel grid: (1200-960)/2 = 120 logical. */
  g_assert_cmpfloat_with_epsilon (l.x, 120, 1e-9);
  g_assert_cmpfloat_with_epsilon (l.y, 130, 1e-9);

  /* An odd leftover must still land on a device pixel. */
  _hangar_display_compute_layout (FB_W, FB_H, 961, 541, 2,
                                  HANGAR_DISPLAY_SCALING_ONE_TO_ONE, &l);
  g_assert_cmpfloat_with_epsilon (l.x * 2, floor (l.x * 2), 1e-9);
  g_assert_cmpfloat_with_epsilon (l.y * 2, floor (l.y * 2), 1e-9);

  /* A fullscreen 1920×1080-logical window at scale 2 fits the guest at
   * one logical pixel = two device pixels: not pixel exact. */
  _hangar_display_compute_layout (FB_W, FB_H, FB_W, FB_H, 2, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_cmpfloat_with_epsilon (l.scale, 1, 1e-9);
  g_assert_false (l.pixel_exact);

  /* Fit into exactly half the logical size at scale 2 is pixel exact. */
  _hangar_display_compute_layout (FB_W, FB_H, 960, 540, 2, HANGAR_DISPLAY_SCALING_FIT, &l);
  g_assert_true (l.pixel_exact);

  /* 1:1 larger than the widget: anchored top-left, for scrolling. */
  _hangar_display_compute_layout (FB_W, FB_H, 800, 600, 1,
                                  HANGAR_DISPLAY_SCALING_ONE_TO_ONE, &l);
  g_assert_cmpfloat (l.x, ==, 0);
  g_assert_cmpfloat (l.y, ==, 0);
  g_assert_cmpfloat_with_epsilon (l.scale, 1, 1e-9);
}

/* Tiles and damage */

static HangarDisplay *
new_display (guint width,
             guint height)
{
  HangarDisplay *display = HANGAR_DISPLAY (hangar_display_new ());

  g_object_ref_sink (display);
  hangar_display_set_framebuffer_size (display, width, height);

  return display;
}

static void
test_damage_tiles (void)
{
  g_autoptr(HangarDisplay) display = new_display (FB_W, FB_H);
  guint tiles_x = (FB_W + 255) / 256, tiles_y = (FB_H + 255) / 256;
  guint built;

  /* First frame builds every tile. */
  _hangar_display_flush (display);
  built = _hangar_display_get_tiles_built (display);
  g_assert_cmpuint (built, ==, tiles_x * tiles_y);

  /* No damage, no work. */
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built);

  /* 64×64 inside one tile: one tile. */
  hangar_display_damage (display, 300, 300, 64, 64);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + 1);
  built += 1;

  /* Across a corner where four tiles meet. */
  hangar_display_damage (display, 500, 500, 64, 64);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + 4);
  built += 4;

  /* The first column of a tile is also the last (overlap) column of the
   * tile to its left. */
  hangar_display_damage (display, 256, 10, 1, 1);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + 2);
  built += 2;

  /* Many small updates in one tile within a frame: one rebuild. */
  for (int i = 0; i < 100; i++)
    hangar_display_damage (display, 10 + i, 10 + i, 8, 8);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + 1);
  built += 1;

  /* Out of bounds is clipped, not a crash; wholly outside is nothing. */
  hangar_display_damage (display, FB_W - 10, FB_H - 10, 100, 100);
  hangar_display_damage (display, FB_W + 10, 0, 100, 100);
  hangar_display_damage (display, -500, -500, 10, 10);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + 1);
  built += 1;

  /* Review finding L1: x + width beyond G_MAXINT, negative sizes and
   * far-negative corners are nothing, not an overflow into the pixels. */
  hangar_display_damage (display, G_MAXINT - 9, 0, 100, 10);
  hangar_display_damage (display, 0, G_MAXINT - 9, 10, 100);
  hangar_display_damage (display, -G_MAXINT, -G_MAXINT, 10, 10);
  hangar_display_damage (display, G_MININT, 0, G_MAXINT, 10);
  hangar_display_damage (display, 10, 10, -5, 10);
  hangar_display_damage (display, 10, 10, 10, G_MININT);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built);

  /* All of int's range clips to the whole screen. */
  hangar_display_damage (display, 0, 0, G_MAXINT, G_MAXINT);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + tiles_x * tiles_y);
  built += tiles_x * tiles_y;

  /* Full screen: all of them. */
  hangar_display_damage (display, 0, 0, FB_W, FB_H);
  _hangar_display_flush (display);
  g_assert_cmpuint (_hangar_display_get_tiles_built (display), ==, built + tiles_x * tiles_y);
}

static void
test_damage_alpha (void)
{
  g_autoptr(HangarDisplay) display = new_display (640, 480);
  guint8 *fb;
  gsize stride;
  guint w, h;

  _hangar_display_flush (display);

  /* Write pixels the way gvnc does: fourth byte 0. */
  fb = hangar_display_get_framebuffer (display, &w, &h, &stride);
  g_assert_nonnull (fb);
  g_assert_cmpuint (w, ==, 640);
  g_assert_cmpuint (stride, >=, 640 * 4);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = fb + y * stride + x * 4;

        p[0] = 0x30; p[1] = 0x20; p[2] = 0x10; p[3] = 0;
      }

  hangar_display_damage (display, 100, 100, 20, 10);
  _hangar_display_flush (display);

  /* Opaque inside the damage, untouched outside: the cost follows the
   * damage. */
  for (guint y = 90; y < 120; y++)
    for (guint x = 90; x < 130; x++)
      {
        gboolean inside = x >= 100 && x < 120 && y >= 100 && y < 110;

        g_assert_cmphex (fb[y * stride + x * 4 + 3], ==, inside ? 0xff : 0);
        g_assert_cmphex (fb[y * stride + x * 4 + 2], ==, 0x10);
      }

  /* The screenshot is always opaque. */
  {
    g_autoptr(GdkTexture) shot = hangar_display_get_screenshot (display);
    g_autofree guint8 *data = NULL;
    gsize shot_stride;

    g_assert_cmpint (gdk_texture_get_width (shot), ==, 640);
    data = console_test_download (shot, &shot_stride);
    g_assert_cmphex (data[5 * shot_stride + 5 * 4 + 3], ==, 0xff);
    g_assert_cmphex (data[5 * shot_stride + 5 * 4 + 2], ==, 0x10);
    g_assert_cmphex (data[5 * shot_stride + 5 * 4 + 0], ==, 0x30);
  }
}

/* Painting, through a real window and renderer */

typedef struct
{
  GtkWidget *window;
  HangarDisplay *display;
} Fixture;

static gboolean
widget_ready (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gtk_window_new ();
  f->display = HANGAR_DISPLAY (hangar_display_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->display));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 270);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (console_test_wait_until (widget_ready, f->display, 5000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_ref (f->display);
  gtk_window_destroy (GTK_WINDOW (f->window));
  console_test_iterate (10);
  g_assert_finalize_object (f->display);
}

/* Quadrants: red, green / blue, white; padding byte 0 throughout. */
static void
fill_quadrants (guint8 *fb,
                guint   w,
                guint   h,
                gsize   stride)
{
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = fb + y * stride + x * 4;
        gboolean right = x >= w / 2, bottom = y >= h / 2;
        guint8 r = 0, g = 0, b = 0;

        if (!right && !bottom)
          r = 0xff;
        else if (right && !bottom)
          g = 0xff;
        else if (!right && bottom)
          b = 0xff;
        else
          r = g = b = 0xff;

        p[0] = b; p[1] = g; p[2] = r; p[3] = 0;
      }
}

static void
assert_pixel (const guint8 *data,
              gsize         stride,
              int           x,
              int           y,
              guint32       rgb)
{
  const guint8 *p = data + y * stride + x * 4;
  guint32 got = (p[2] << 16) | (p[1] << 8) | p[0];

  if (got != rgb || p[3] != 0xff)
    g_test_message ("pixel %d,%d: %06x alpha %02x, expected %06x", x, y, got, p[3], rgb);
  g_assert_cmphex (p[3], ==, 0xff);
  g_assert_cmphex (got, ==, rgb);
}

static void
test_paint_fit (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  guint8 *fb;
  gsize stride, tstride;
  guint w, h;
  int ww, wh;

  hangar_display_set_framebuffer_size (f->display, FB_W, FB_H);
  fb = hangar_display_get_framebuffer (f->display, &w, &h, &stride);
  fill_quadrants (fb, w, h, stride);
  hangar_display_damage (f->display, 0, 0, w, h);

  ww = gtk_widget_get_width (GTK_WIDGET (f->display));
  wh = gtk_widget_get_height (GTK_WIDGET (f->display));
  texture = console_test_render_widget (GTK_WIDGET (f->display));
  console_test_save_png (texture, "display-fit.png");
  pixels = console_test_download (texture, &tstride);

  {
    HangarDisplayLayout l;
    int cx, cy, qw, qh;

    _hangar_display_get_layout (f->display, &l);
    g_assert_cmpfloat (l.width, <=, ww + 1e-6);
    g_assert_cmpfloat (l.height, <=, wh + 1e-6);

    /* Letterbox bars are black. */
    if (l.x >= 2)
      assert_pixel (pixels, tstride, 0, wh / 2, 0x000000);
    if (l.y >= 2)
      assert_pixel (pixels, tstride, ww / 2, 0, 0x000000);

    /* The centre of each quadrant has its colour, opaque although the
     * guest's padding byte was 0. */
    qw = l.width / 4;
    qh = l.height / 4;
    cx = l.x;
    cy = l.y;
    assert_pixel (pixels, tstride, cx + qw, cy + qh, 0xff0000);
    assert_pixel (pixels, tstride, cx + 3 * qw, cy + qh, 0x00ff00);
    assert_pixel (pixels, tstride, cx + qw, cy + 3 * qh, 0x0000ff);
    assert_pixel (pixels, tstride, cx + 3 * qw, cy + 3 * qh, 0xffffff);

    /* No seam along tile borders: guest column 256 and row 256 map to
     * the middle of the red quadrant; look at a whole line there. */
    for (int x = cx + 2; x < cx + 2 * qw - 2; x++)
      assert_pixel (pixels, tstride, x, cy + qh, 0xff0000);
    for (int y = cy + 2; y < cy + 2 * qh - 2; y++)
      assert_pixel (pixels, tstride, cx + qw, y, 0xff0000);
  }

  /* A small update shows up in the next render. */
  for (guint y = 0; y < 64; y++)
    for (guint x = 0; x < 64; x++)
      {
        guint8 *p = fb + (y + 100) * stride + (x + 100) * 4;

        p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 0;
      }
  hangar_display_damage (f->display, 100, 100, 64, 64);

  {
    g_autoptr(GdkTexture) again = console_test_render_widget (GTK_WIDGET (f->display));
    g_autofree guint8 *px = NULL;
    HangarDisplayLayout l;

    _hangar_display_get_layout (f->display, &l);
    px = console_test_download (again, &tstride);
    assert_pixel (px, tstride, l.x + 132 * l.scale, l.y + 132 * l.scale, 0x000000);
    assert_pixel (px, tstride, l.x + 300 * l.scale, l.y + 300 * l.scale, 0xff0000);
  }
}

static void
on_after_paint (GdkFrameClock *clock,
                guint         *painted)
{
  (*painted)++;
}

static gboolean
painted_since (gpointer data)
{
  guint *counts = data;

  return counts[0] > counts[1];
}

/* However many rectangles arrive between two frames, the widget is drawn
 * once, and only the tiles they touch are rebuilt. */
static void
test_paint_once_per_frame (Fixture       *f,
                           gconstpointer  data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->display));
  guint counts[2] = { 0, 0 };
  guint snapshots, tiles;

  hangar_display_set_framebuffer_size (f->display, FB_W, FB_H);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &counts[0]);

  counts[1] = counts[0];
  g_assert_true (console_test_wait_until (painted_since, counts, 5000));
  console_test_iterate (100);
  snapshots = _hangar_display_get_snapshots (f->display);
  tiles = _hangar_display_get_tiles_built (f->display);

  /* 200 updates within the first tile */
  for (int i = 0; i < 200; i++)
    hangar_display_damage (f->display, i % 192, i % 192, 64, 64);

  counts[1] = counts[0];
  g_assert_true (console_test_wait_until (painted_since, counts, 5000));
  g_assert_cmpuint (_hangar_display_get_snapshots (f->display), ==, snapshots + 1);
  g_assert_cmpuint (_hangar_display_get_tiles_built (f->display), ==, tiles + 1);

  /* Nothing new: no redraw. */
  console_test_iterate (200);
  g_assert_cmpuint (_hangar_display_get_snapshots (f->display), ==, snapshots + 1);

  g_signal_handlers_disconnect_by_data (clock, &counts[0]);
}

static void
test_paint_one_to_one (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree char *name = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->display));
  guint8 *fb;
  gsize stride, tstride;
  guint w, h;
  HangarDisplayLayout l;

  /* A checkerboard of single pixels survives only if every guest pixel
   * lands on exactly one device pixel: at scale factor 2 too. */
  hangar_display_set_scaling (f->display, HANGAR_DISPLAY_SCALING_ONE_TO_ONE);
  hangar_display_set_framebuffer_size (f->display, 320, 200);
  fb = hangar_display_get_framebuffer (f->display, &w, &h, &stride);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      memset (fb + y * stride + x * 4, (x + y) % 2 ? 0xff : 0x00, 3);
  hangar_display_damage (f->display, 0, 0, w, h);

  console_test_iterate (50);
  _hangar_display_get_layout (f->display, &l);
  g_test_message ("scale factor %d, guest pixel = %.2f logical px at %.1f,%.1f",
                  scale, l.scale, l.x, l.y);
  g_assert_true (l.pixel_exact);
  g_assert_cmpfloat_with_epsilon (l.scale * scale, 1.0, 1e-9);

  texture = console_test_render_widget_scaled (GTK_WIDGET (f->display), scale);
  name = g_strdup_printf ("display-1to1-scale%d.png", scale);
  console_test_save_png (texture, name);
  pixels = console_test_download (texture, &tstride);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      assert_pixel (pixels, tstride, l.x * scale + x, l.y * scale + y,
                    (x + y) % 2 ? 0xffffff : 0x000000);
}

/* Input */

typedef struct
{
  guint qnum[32];
  gboolean pressed[32];
  guint n;
} KeyLog;

static void
on_key_event (HangarDisplay *display,
              guint          qnum,
              guint          keyval,
              gboolean       pressed,
              KeyLog        *log)
{
  g_assert_cmpuint (log->n, <, G_N_ELEMENTS (log->qnum));
  log->qnum[log->n] = qnum;
  log->pressed[log->n] = pressed;
  log->n++;
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  KeyLog log = { 0 };
  static const guint16 cad[] = { 0x1d, 0x38, 0xd3 };

  g_signal_connect (f->display, "key-event", G_CALLBACK (on_key_event), &log);

  /* X11 keycode 38 is "a": scancode 0x1e. */
  g_assert_true (_hangar_display_key (f->display, 38, GDK_KEY_a, TRUE));
  g_assert_true (_hangar_display_key (f->display, 38, GDK_KEY_a, FALSE));
  g_assert_cmpuint (log.n, ==, 2);
  g_assert_cmphex (log.qnum[0], ==, 0x1e);
  g_assert_true (log.pressed[0]);
  g_assert_false (log.pressed[1]);

  /* A release without a press (key held when focus arrived) is dropped. */
  _hangar_display_key (f->display, 36, GDK_KEY_Return, FALSE);
  g_assert_cmpuint (log.n, ==, 2);

  /* Unknown keycodes are not forwarded. */
  g_assert_false (_hangar_display_key (f->display, 3, 0, TRUE));
  g_assert_cmpuint (log.n, ==, 2);

  /* Send key: press in order, release in reverse. */
  hangar_display_send_keys (f->display, cad, G_N_ELEMENTS (cad));
  g_assert_cmpuint (log.n, ==, 8);
  g_assert_cmphex (log.qnum[2], ==, 0x1d);
  g_assert_cmphex (log.qnum[4], ==, 0xd3);
  g_assert_true (log.pressed[4]);
  g_assert_cmphex (log.qnum[5], ==, 0xd3);
  g_assert_false (log.pressed[5]);
  g_assert_cmphex (log.qnum[7], ==, 0x1d);
}

static void
test_grab (Fixture       *f,
           gconstpointer  data)
{
  KeyLog log = { 0 };

  g_signal_connect (f->display, "key-event", G_CALLBACK (on_key_event), &log);

  _hangar_display_grab (f->display, NULL);
  g_assert_true (hangar_display_get_grabbed (f->display));

  /* Ctrl+Alt+F2 goes to the guest and keeps the grab. */
  _hangar_display_key (f->display, 37, GDK_KEY_Control_L, TRUE);
  _hangar_display_key (f->display, 64, GDK_KEY_Alt_L, TRUE);
  _hangar_display_key (f->display, 68, GDK_KEY_F2, TRUE);
  _hangar_display_key (f->display, 68, GDK_KEY_F2, FALSE);
  _hangar_display_key (f->display, 64, GDK_KEY_Alt_L, FALSE);
  _hangar_display_key (f->display, 37, GDK_KEY_Control_L, FALSE);
  g_assert_true (hangar_display_get_grabbed (f->display));
  g_assert_cmpuint (log.n, ==, 6);
  g_assert_cmphex (log.qnum[2], ==, 0x3c);

  /* Ctrl+Alt alone releases it, and the guest sees both keys go up. */
  log.n = 0;
  _hangar_display_key (f->display, 37, GDK_KEY_Control_L, TRUE);
  _hangar_display_key (f->display, 64, GDK_KEY_Alt_L, TRUE);
  _hangar_display_key (f->display, 64, GDK_KEY_Alt_L, FALSE);
  g_assert_false (hangar_display_get_grabbed (f->display));
  g_assert_cmpuint (log.n, ==, 4);
  g_assert_cmphex (log.qnum[3], ==, 0x1d);
  g_assert_false (log.pressed[3]);

  /* The physical release that follows is not sent twice. */
  _hangar_display_key (f->display, 37, GDK_KEY_Control_L, FALSE);
  g_assert_cmpuint (log.n, ==, 4);
}

static void
test_pointer_mapping (Fixture       *f,
                      gconstpointer  data)
{
  HangarDisplayLayout l;
  double gx, gy;

  hangar_display_set_framebuffer_size (f->display, FB_W, FB_H);
  _hangar_display_get_layout (f->display, &l);

  /* The picture's corners and centre */
  _hangar_display_widget_to_guest (f->display, l.x, l.y, &gx, &gy);
  g_assert_cmpfloat (gx, ==, 0);
  g_assert_cmpfloat (gy, ==, 0);
  _hangar_display_widget_to_guest (f->display, l.x + l.width / 2, l.y + l.height / 2, &gx, &gy);
  g_assert_cmpfloat_with_epsilon (gx, FB_W / 2, 1);
  g_assert_cmpfloat_with_epsilon (gy, FB_H / 2, 1);
  _hangar_display_widget_to_guest (f->display, l.x + l.width - 0.01, l.y + l.height - 0.01,
                                   &gx, &gy);
  g_assert_cmpfloat (gx, ==, FB_W - 1);
  g_assert_cmpfloat (gy, ==, FB_H - 1);

  /* In the letterbox: clamped to the edge. */
  _hangar_display_widget_to_guest (f->display, 0, 0, &gx, &gy);
  g_assert_cmpfloat (gx, ==, 0);
  _hangar_display_widget_to_guest (f->display, 100000, 100000, &gx, &gy);
  g_assert_cmpfloat (gx, ==, FB_W - 1);
  g_assert_cmpfloat (gy, ==, FB_H - 1);
}

int
main (int   argc,
      char *argv[])
{
  /* --hidpi: run everything at scale factor 2 (X11 honours GDK_SCALE).
   * --cairo: through GSK's cairo renderer, which Hangar picks on computers
   * without a GPU and for which the display builds its tiles differently. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--hidpi"))
      {
        g_setenv ("GDK_SCALE", "2", TRUE);
        argv[i] = (char *) "";
      }
    else if (g_str_equal (argv[i], "--cairo"))
      {
        g_setenv ("GSK_RENDERER", "cairo", TRUE);
        argv[i] = (char *) "";
      }

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/display/layout/fit", test_layout_fit);
  g_test_add_func ("/hangar/console/display/layout/hidpi", test_layout_hidpi);
  g_test_add_func ("/hangar/console/display/damage/tiles", test_damage_tiles);
  g_test_add_func ("/hangar/console/display/damage/alpha", test_damage_alpha);
  g_test_add ("/hangar/console/display/paint/fit", Fixture, NULL,
              fixture_setup, test_paint_fit, fixture_teardown);
  g_test_add ("/hangar/console/display/paint/once-per-frame", Fixture, NULL,
              fixture_setup, test_paint_once_per_frame, fixture_teardown);
  g_test_add ("/hangar/console/display/paint/one-to-one", Fixture, NULL,
              fixture_setup, test_paint_one_to_one, fixture_teardown);
  g_test_add ("/hangar/console/display/input/keys", Fixture, NULL,
              fixture_setup, test_keys, fixture_teardown);
  g_test_add ("/hangar/console/display/input/grab", Fixture, NULL,
              fixture_setup, test_grab, fixture_teardown);
  g_test_add ("/hangar/console/display/input/pointer", Fixture, NULL,
              fixture_setup, test_pointer_mapping, fixture_teardown);

  return g_test_run ();
}
