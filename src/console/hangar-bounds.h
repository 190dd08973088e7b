/* hangar-bounds.h — limits on picture sizes and rectangles that come from
 * a display server or a caller, checked before any memory is touched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest guest screen side we take: QEMU's own limit for VNC and SPICE
 * is well below, and 16384² at 4 bytes a pixel is already 1 GiB. */
#define HANGAR_FRAMEBUFFER_MAX_SIDE 16384
/* Largest cursor side: cursors are 32 to 256 pixels in practice. */
#define HANGAR_CURSOR_MAX_SIDE 512

gboolean hangar_bounds_clip_rect         (guint    fb_width,
                                          guint    fb_height,
                                          int     *x,
                                          int     *y,
                                          int     *width,
                                          int     *height);
gboolean hangar_bounds_check_framebuffer (gint64   width,
                                          gint64   height,
                                          gint64   stride,
                                          GError **error);
gboolean hangar_bounds_check_cursor      (gint64   width,
                                          gint64   height,
                                          GError **error);

G_END_DECLS
