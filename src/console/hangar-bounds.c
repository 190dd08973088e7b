/* hangar-bounds.c — limits on picture sizes and rectangles that come from
 * a display server or a caller, checked before any memory is touched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure arithmetic, no GTK: the display widget and both console backends
 * use it, and the unit tests and a fuzz target call it directly. All sums
 * are made in 64 bits, where no int input can overflow them.
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "hangar-bounds.h"

/**
 * hangar_bounds_clip_rect:
 * @fb_width: the picture's width
 * @fb_height: the picture's height
 * @x: (inout): the rectangle, any int values
 * @y: (inout):
 * @width: (inout):
 * @height: (inout):
 *
 * Clips a rectangle to the picture. A negative @width or @height is
 * refused, not turned around.
 *
 * Returns: %TRUE with the rectangle clipped when something of it is
 *   inside the picture, %FALSE (and the rectangle untouched) otherwise
 */
gboolean
hangar_bounds_clip_rect (guint  fb_width,
                         guint  fb_height,
                         int   *x,
                         int   *y,
                         int   *width,
                         int   *height)
{
  /* A picture wider than G_MAXINT cannot exist in memory, but the
   * clipped rectangle has to fit in ints whatever the caller says. */
  gint64 fw = MIN (fb_width, (guint) G_MAXINT);
  gint64 fh = MIN (fb_height, (guint) G_MAXINT);
  gint64 x0, y0, x1, y1;

  g_return_val_if_fail (x != NULL && y != NULL, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  if (*width <= 0 || *height <= 0)
    return FALSE;

  x0 = MAX ((gint64) *x, 0);
  y0 = MAX ((gint64) *y, 0);
  x1 = MIN ((gint64) *x + *width, fw);
  y1 = MIN ((gint64) *y + *height, fh);
  if (x1 <= x0 || y1 <= y0)
    return FALSE;

  *x = (int) x0;
  *y = (int) y0;
  *width = (int) (x1 - x0);
  *height = (int) (y1 - y0);
  return TRUE;
}

/**
 * hangar_bounds_check_framebuffer:
 * @width: a screen's width as a server sent it
 * @height: its height
 * @stride: bytes from one row to the next, 4 bytes a pixel
 *
 * Returns: %TRUE when a picture of this size may be made, %FALSE with
 *   @error (%G_IO_ERROR_INVALID_DATA) set otherwise
 */
gboolean
hangar_bounds_check_framebuffer (gint64   width,
                                 gint64   height,
                                 gint64   stride,
                                 GError **error)
{
  if (width <= 0 || height <= 0
      || width > HANGAR_FRAMEBUFFER_MAX_SIDE || height > HANGAR_FRAMEBUFFER_MAX_SIDE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The display server sent a screen size of %" G_GINT64_FORMAT
                     "×%" G_GINT64_FORMAT "; sizes from 1 to %d are supported."),
                   width, height, HANGAR_FRAMEBUFFER_MAX_SIDE);
      return FALSE;
    }
  /* Rows padded beyond the largest screen's row mean a server that lies
   * about its memory; with this bound stride × height stays under 1 GiB. */
  if (stride < width * 4 || stride > (gint64) HANGAR_FRAMEBUFFER_MAX_SIDE * 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The display server sent rows of %" G_GINT64_FORMAT
                     " bytes for a screen %" G_GINT64_FORMAT " pixels wide."),
                   stride, width);
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_bounds_check_cursor:
 * @width: a cursor's width as a server sent it
 * @height: its height
 *
 * Returns: %TRUE when a cursor of this size may be made, %FALSE with
 *   @error (%G_IO_ERROR_INVALID_DATA) set otherwise
 */
gboolean
hangar_bounds_check_cursor (gint64   width,
                            gint64   height,
                            GError **error)
{
  if (width <= 0 || height <= 0
      || width > HANGAR_CURSOR_MAX_SIDE || height > HANGAR_CURSOR_MAX_SIDE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The display server sent a cursor of %" G_GINT64_FORMAT
                     "×%" G_GINT64_FORMAT " pixels; sizes from 1 to %d are supported."),
                   width, height, HANGAR_CURSOR_MAX_SIDE);
      return FALSE;
    }
  return TRUE;
}
