/* test-bounds.c — picture sizes and rectangles from display servers and
 * callers (review findings L1 and M8).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "hangar-bounds.h"

typedef struct
{
  int x, y, width, height;
  gboolean inside;
  int cx, cy, cwidth, cheight;
} ClipCase;

static void
test_clip_rect (void)
{
  static const ClipCase cases[] = {
    { 10, 20, 30, 40, TRUE, 10, 20, 30, 40 },
    /* Partly outside, on each side. */
    { -5, -6, 10, 10, TRUE, 0, 0, 5, 4 },
    { 1910, 1070, 100, 100, TRUE, 1910, 1070, 10, 10 },
    /* Wholly outside, or touching the edge only. */
    { 1920, 0, 10, 10, FALSE },
    { 0, 1080, 10, 10, FALSE },
    { -10, 0, 10, 10, FALSE },
    /* Finding L1: x + width overflows an int. */
    { G_MAXINT - 9, 0, 100, 10, FALSE },
    { 0, G_MAXINT - 9, 10, 100, FALSE },
    { G_MAXINT, G_MAXINT, G_MAXINT, G_MAXINT, FALSE },
    { G_MININT, G_MININT, G_MAXINT, G_MAXINT, FALSE },
    { -G_MAXINT, 0, G_MAXINT, 10, FALSE },
    /* The whole of int's range is the whole picture. */
    { 0, 0, G_MAXINT, G_MAXINT, TRUE, 0, 0, 1920, 1080 },
    { G_MININT, G_MININT / 2, G_MAXINT, G_MAXINT, FALSE },
    { -G_MAXINT + 5, 0, G_MAXINT, G_MAXINT, TRUE, 0, 0, 5, 1080 },
    /* Negative and empty sizes are refused, not turned around. */
    { 100, 100, -10, 10, FALSE },
    { 100, 100, 10, -10, FALSE },
    { 100, 100, G_MININT, G_MININT, FALSE },
    { 100, 100, 0, 10, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ClipCase *c = &cases[i];
      int x = c->x, y = c->y, width = c->width, height = c->height;
      gboolean inside = hangar_bounds_clip_rect (1920, 1080, &x, &y, &width, &height);

      g_test_message ("case %u: %d,%d %dx%d", i, c->x, c->y, c->width, c->height);
      g_assert_cmpint (inside, ==, c->inside);
      if (!inside)
        {
          /* Untouched. */
          g_assert_cmpint (x, ==, c->x);
          g_assert_cmpint (width, ==, c->width);
          continue;
        }
      g_assert_cmpint (x, ==, c->cx);
      g_assert_cmpint (y, ==, c->cy);
      g_assert_cmpint (width, ==, c->cwidth);
      g_assert_cmpint (height, ==, c->cheight);
    }

  /* A picture larger than an int can say still clips into ints. */
  {
    int x = 0, y = 0, width = G_MAXINT, height = 1;

    g_assert_true (hangar_bounds_clip_rect (G_MAXUINT, G_MAXUINT, &x, &y, &width, &height));
    g_assert_cmpint (width, ==, G_MAXINT);
  }

  /* An empty picture has nothing inside. */
  {
    int x = 0, y = 0, width = 1, height = 1;

    g_assert_false (hangar_bounds_clip_rect (0, 0, &x, &y, &width, &height));
  }
}

typedef struct
{
  gint64 width, height, stride;
  gboolean ok;
} SizeCase;

static void
test_framebuffer_size (void)
{
  static const SizeCase cases[] = {
    { 1, 1, 4, TRUE },
    { 1920, 1080, 1920 * 4, TRUE },
    { 1920, 1080, 2048 * 4, TRUE },
    { 16384, 16384, 16384 * 4, TRUE },
    /* Finding M8: a 0-sized SPICE primary, negative ints from the wire,
     * a 65535² VNC desktop. */
    { 0, 100, 0, FALSE },
    { 100, 0, 400, FALSE },
    { -1, 1, 4, FALSE },
    { 1, -1, 4, FALSE },
    { 65535, 65535, 65535 * 4, FALSE },
    { 100000, 100000, 400000, FALSE },
    { 16385, 1, 16385 * 4, FALSE },
    { 1, 16385, 4, FALSE },
    { G_MAXINT64, G_MAXINT64, G_MAXINT64, FALSE },
    /* Rows shorter than the width, negative, or absurdly padded. */
    { 100, 100, 399, FALSE },
    { 100, 100, -400, FALSE },
    { 100, 100, 0, FALSE },
    { 100, 16384, (gint64) G_MAXINT, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SizeCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = hangar_bounds_check_framebuffer (c->width, c->height, c->stride, &error);
      g_test_message ("case %u: %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT " stride %"
                      G_GINT64_FORMAT ": %s", i, c->width, c->height, c->stride,
                      error ? error->message : "ok");
      g_assert_cmpint (ok, ==, c->ok);
      if (ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
test_cursor_size (void)
{
  static const SizeCase cases[] = {
    { 1, 1, 0, TRUE },
    { 32, 32, 0, TRUE },
    { 512, 512, 0, TRUE },
    { 0, 32, 0, FALSE },
    { 32, 0, 0, FALSE },
    { -1, 32, 0, FALSE },
    { 513, 32, 0, FALSE },
    { 32, 513, 0, FALSE },
    { 65535, 65535, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SizeCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok = hangar_bounds_check_cursor (c->width, c->height, &error);

      g_assert_cmpint (ok, ==, c->ok);
      if (ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/console/bounds/clip-rect", test_clip_rect);
  g_test_add_func ("/hangar/console/bounds/framebuffer-size", test_framebuffer_size);
  g_test_add_func ("/hangar/console/bounds/cursor-size", test_cursor_size);

  return g_test_run ();
}
