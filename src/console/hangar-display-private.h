/* hangar-display-private.h — HangarDisplay internals shared with tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-display.h"

G_BEGIN_DECLS

#define HANGAR_DISPLAY_TILE_SIZE 256

struct _HangarDisplay
{
  GtkWidget parent_instance;

  HangarConsoleSession *session;
  GSignalGroup *session_signals;

  /* The framebuffer; `pixels` is the writable alias of `bytes`. */
  GBytes *bytes;
  guint8 *pixels;
  guint fb_width;
  guint fb_height;
  gsize stride;

  /* Tiles, row-major; NULL where the texture must be (re)built. */
  GdkTexture **tiles;
  guint tiles_x;
  guint tiles_y;
  guint tiles_built;
  guint snapshots;
  /* Under GSK's cairo renderer (see hangar-display-cairo.c): each tile's
   * drawing, kept from frame to frame, NULL where its pixels changed
   * (cleared with its texture), and where the drawings were made for. */
  GskRenderNode **tile_nodes;
  graphene_rect_t nodes_area;
  guint nodes_built;

  cairo_region_t *damage;
  gboolean redraw_queued;

  HangarDisplayScaling scaling;
  gboolean resize_guest;
  guint resize_guest_source;

  /* Input state */
  gboolean grabbed;
  gboolean ungrab_armed;
  guint32 pressed[256 / 32];
  HangarButtonMask buttons;
  double last_guest_x;
  double last_guest_y;
  double scroll_dx;
  double scroll_dy;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SCALING,
  PROP_RESIZE_GUEST,
  PROP_GRABBED,
  N_PROPS
};

enum {
  KEY_EVENT,
  POINTER_EVENT,
  SCROLL_EVENT,
  N_SIGNALS
};

extern GParamSpec *_hangar_display_properties[N_PROPS];
extern guint _hangar_display_signals[N_SIGNALS];

typedef struct
{
  /* Logical pixels per guest pixel. */
  double scale;
  /* Where the picture's top-left corner lands in the widget, and its
   * size, in logical pixels. */
  double x;
  double y;
  double width;
  double height;
  /* Guest pixels fall exactly on device pixels: no filtering needed. */
  gboolean pixel_exact;
} HangarDisplayLayout;

void     _hangar_display_compute_layout (guint                 fb_width,
                                         guint                 fb_height,
                                         int                   widget_width,
                                         int                   widget_height,
                                         int                   scale_factor,
                                         HangarDisplayScaling  scaling,
                                         HangarDisplayLayout  *layout);
void     _hangar_display_get_layout     (HangarDisplay        *self,
                                         HangarDisplayLayout  *layout);
gboolean _hangar_display_key            (HangarDisplay        *self,
                                         guint                 keycode,
                                         guint                 keyval,
                                         gboolean              pressed);
void     _hangar_display_sync_locks     (HangarDisplay        *self,
                                         HangarLockMask        locks);
void     _hangar_display_motion         (HangarDisplay        *self,
                                         double                x,
                                         double                y);
void     _hangar_display_button         (HangarDisplay        *self,
                                         guint                 button,
                                         gboolean              pressed);
void     _hangar_display_widget_to_guest (HangarDisplay       *self,
                                          double               x,
                                          double               y,
                                          double              *guest_x,
                                          double              *guest_y);
void     _hangar_display_grab           (HangarDisplay        *self,
                                         GdkEvent             *event);
guint    _hangar_display_get_tiles_built (HangarDisplay       *self);
void     _hangar_display_tile_rect      (HangarDisplay         *self,
                                         guint                  tx,
                                         guint                  ty,
                                         cairo_rectangle_int_t *rect);

/* hangar-display-cairo.c */
gboolean _hangar_display_draws_with_cairo     (GtkWidget                 *widget);
void     _hangar_display_snapshot_cairo_tiles (HangarDisplay             *self,
                                               GtkSnapshot               *snapshot,
                                               const HangarDisplayLayout *layout);
void     _hangar_display_clear_tile_nodes     (HangarDisplay             *self);
guint    _hangar_display_get_snapshots  (HangarDisplay        *self);
void     _hangar_display_flush          (HangarDisplay        *self);

void     _hangar_display_init_input       (HangarDisplay      *self);
void     _hangar_display_release_all_keys (HangarDisplay      *self);

G_END_DECLS
