/* fuzz-display-bounds.c — libFuzzer target: the display's clip and size
 * arithmetic with hostile values (review findings L1 and M8).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget itself needs a display server; its arithmetic does not. The
 * input gives a framebuffer size and stride as a server might, then any
 * number of damage rectangles as the public hangar_display_damage() takes
 * them. Sizes the session would accept get a real (small) buffer, and
 * each clipped rectangle is written into it the way force_opaque() and
 * the tile index of _hangar_display_flush() do, so ASan sees any byte
 * out of bounds.
 */
#include "config.h"

#include "fuzz-common.h"

#include <string.h>

#include "hangar-bounds.h"

#define TILE 256
/* Buffers up to this many bytes are really made; larger accepted sizes
 * are checked by arithmetic only. */
#define MAX_REAL_BUFFER (1024 * 1024)

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  hangar_fuzz_init_logging ();
  return 0;
}

static gint64
take_i32 (const guint8 **data,
          size_t         *size)
{
  guint32 v = 0;

  for (guint i = 0; i < 4; i++)
    {
      v <<= 8;
      if (*size > 0)
        {
          v |= **data;
          (*data)++;
          (*size)--;
        }
    }
  return (gint32) v;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  gint64 width = take_i32 (&data, &size);
  gint64 height = take_i32 (&data, &size);
  gint64 stride = take_i32 (&data, &size);
  g_autofree guint8 *pixels = NULL;
  guint fb_width = 0, fb_height = 0;
  guint tiles_x = 0, tiles_y = 0;
  g_autofree guint8 *tiles = NULL;

  (void) hangar_bounds_check_cursor (width, height, NULL);

  if (hangar_bounds_check_framebuffer (width, height, stride, NULL))
    {
      /* What the check promises the session and the widget. */
      g_assert (width > 0 && height > 0);
      g_assert (width <= HANGAR_FRAMEBUFFER_MAX_SIDE && height <= HANGAR_FRAMEBUFFER_MAX_SIDE);
      g_assert (stride >= width * 4);
      g_assert (stride * height <= (gint64) 1 << 30);
      fb_width = width;
      fb_height = height;
      if (stride * height <= MAX_REAL_BUFFER)
        pixels = g_malloc0 (stride * height);
    }
  else
    {
      /* The widget's own API takes any size: clip against it anyway. */
      fb_width = (guint32) width;
      fb_height = (guint32) height;
      stride = 0;
    }
  tiles_x = ((guint64) fb_width + TILE - 1) / TILE;
  tiles_y = ((guint64) fb_height + TILE - 1) / TILE;
  if (pixels != NULL)
    tiles = g_malloc0 ((gsize) tiles_x * tiles_y);

  while (size > 0)
    {
      int x = take_i32 (&data, &size);
      int y = take_i32 (&data, &size);
      int w = take_i32 (&data, &size);
      int h = take_i32 (&data, &size);
      int x0 = x, w0 = w;
      guint tx0, ty0, tx1, ty1;

      if (!hangar_bounds_clip_rect (fb_width, fb_height, &x, &y, &w, &h))
        {
          /* Refused rectangles are left as they came. */
          g_assert (x == x0 && w == w0);
          continue;
        }
      g_assert (x >= 0 && y >= 0 && w > 0 && h > 0);
      g_assert ((gint64) x + w <= fb_width && (gint64) y + h <= fb_height);

      /* _hangar_display_flush(): the tiles a rectangle touches. */
      tx0 = MAX (x - 1, 0) / TILE;
      ty0 = MAX (y - 1, 0) / TILE;
      tx1 = MIN ((guint) (x + w), fb_width - 1) / TILE;
      ty1 = MIN ((guint) (y + h), fb_height - 1) / TILE;
      g_assert (tx0 <= tx1 && tx1 < tiles_x && ty0 <= ty1 && ty1 < tiles_y);

      if (pixels == NULL)
        continue;
      for (guint ty = ty0; ty <= ty1; ty++)
        for (guint tx = tx0; tx <= tx1; tx++)
          tiles[ty * tiles_x + tx] = 1;
      /* force_opaque(): the fourth byte of each pixel. */
      for (int row = y; row < y + h; row++)
        {
          guint8 *p = pixels + row * (gsize) stride + (gsize) x * 4 + 3;

          for (int col = 0; col < w; col++, p += 4)
            *p = 0xff;
        }
    }
  return 0;
}
