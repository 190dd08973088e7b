/* hangar-display.c — the GTK 4 widget that shows a guest's screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picture is cut into 256×256 tiles, each a GdkMemoryTexture that
 * views the framebuffer memory in place. Damage is gathered into a region
 * and handled once per frame, in snapshot: only the tiles it touches get a
 * new texture, so GSK uploads only those again and a 64×64 update does not
 * cost a full screen. Memory textures are meant to be immutable; here the
 * memory under a texture changes only after that texture has been
 * replaced, which is what GSK's caches key on.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-bounds.h"
#include "hangar-display-private.h"

#define TILE HANGAR_DISPLAY_TILE_SIZE
#define RESIZE_GUEST_DELAY_MS 250

G_DEFINE_FINAL_TYPE (HangarDisplay, hangar_display, GTK_TYPE_WIDGET)

GParamSpec *_hangar_display_properties[N_PROPS];
guint _hangar_display_signals[N_SIGNALS];

static void
hangar_display_clear_tiles (HangarDisplay *self)
{
  _hangar_display_clear_tile_nodes (self);
  for (guint i = 0; i < self->tiles_x * self->tiles_y; i++)
    g_clear_object (&self->tiles[i]);
  g_clear_pointer (&self->tiles, g_free);
  self->tiles_x = self->tiles_y = 0;
}

static void
hangar_display_queue_redraw (HangarDisplay *self)
{
  if (self->redraw_queued)
    return;

  self->redraw_queued = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Layout */

void
_hangar_display_compute_layout (guint                 fb_width,
                                guint                 fb_height,
                                int                   widget_width,
                                int                   widget_height,
                                int                   scale_factor,
                                HangarDisplayScaling  scaling,
                                HangarDisplayLayout  *layout)
{
  double scale;

  g_assert (layout != NULL);

  scale_factor = MAX (scale_factor, 1);
  memset (layout, 0, sizeof *layout);

  if (fb_width == 0 || fb_height == 0 || widget_width <= 0 || widget_height <= 0)
    {
      layout->scale = 1.0 / scale_factor;
      return;
    }

  if (scaling == HANGAR_DISPLAY_SCALING_ONE_TO_ONE)
    scale = 1.0 / scale_factor;
  else
    scale = MIN ((double) widget_width / fb_width, (double) widget_height / fb_height);

  layout->scale = scale;
  layout->width = fb_width * scale;
  layout->height = fb_height * scale;
  layout->x = MAX (0.0, (widget_width - layout->width) / 2.0);
  layout->y = MAX (0.0, (widget_height - layout->height) / 2.0);

  /* One guest pixel per device pixel: put the corner on the device pixel
   * grid as well, and the picture stays sharp with any filter. */
  layout->pixel_exact = fabs (scale * scale_factor - 1.0) < 1e-9;
  if (layout->pixel_exact)
    {
      layout->x = floor (layout->x * scale_factor) / scale_factor;
      layout->y = floor (layout->y * scale_factor) / scale_factor;
    }
}

void
_hangar_display_get_layout (HangarDisplay       *self,
                            HangarDisplayLayout *layout)
{
  GtkWidget *widget = GTK_WIDGET (self);

  _hangar_display_compute_layout (self->fb_width, self->fb_height,
                                  gtk_widget_get_width (widget),
                                  gtk_widget_get_height (widget),
                                  gtk_widget_get_scale_factor (widget),
                                  self->scaling, layout);
}

void
_hangar_display_widget_to_guest (HangarDisplay *self,
                                 double         x,
                                 double         y,
                                 double        *guest_x,
                                 double        *guest_y)
{
  HangarDisplayLayout layout;

  _hangar_display_get_layout (self, &layout);

  if (self->fb_width == 0 || layout.scale <= 0)
    {
      *guest_x = *guest_y = 0;
      return;
    }

  *guest_x = CLAMP (floor ((x - layout.x) / layout.scale), 0, self->fb_width - 1);
  *guest_y = CLAMP (floor ((y - layout.y) / layout.scale), 0, self->fb_height - 1);
}

/* Painting */

/* The guest's fourth byte is padding, and both gvnc and SPICE leave it 0:
 * make it opaque where new pixels arrived. */
static void
force_opaque (HangarDisplay               *self,
              const cairo_rectangle_int_t *rect)
{
  for (int row = rect->y; row < rect->y + rect->height; row++)
    {
      guint8 *p = self->pixels + row * self->stride + (gsize) rect->x * 4 + 3;

      for (int col = 0; col < rect->width; col++, p += 4)
        *p = 0xff;
    }
}

/* A tile's texture covers its own square plus one pixel of each
 * neighbour: where the picture is scaled, the filter then blends real
 * neighbouring pixels at tile edges instead of leaving seams. */
void
_hangar_display_tile_rect (HangarDisplay         *self,
                           guint                  tx,
                           guint                  ty,
                           cairo_rectangle_int_t *rect)
{
  int x0 = MAX ((int) (tx * TILE) - 1, 0);
  int y0 = MAX ((int) (ty * TILE) - 1, 0);
  int x1 = MIN ((int) ((tx + 1) * TILE) + 1, (int) self->fb_width);
  int y1 = MIN ((int) ((ty + 1) * TILE) + 1, (int) self->fb_height);

  rect->x = x0;
  rect->y = y0;
  rect->width = x1 - x0;
  rect->height = y1 - y0;
}

static GdkTexture *
build_tile (HangarDisplay *self,
            guint          tx,
            guint          ty)
{
  g_autoptr(GBytes) view = NULL;
  cairo_rectangle_int_t r;
  gsize offset;
  gsize length;

  _hangar_display_tile_rect (self, tx, ty, &r);
  offset = r.y * self->stride + (gsize) r.x * 4;
  length = (r.height - 1) * self->stride + (gsize) r.width * 4;
  view = g_bytes_new_from_bytes (self->bytes, offset, length);

  self->tiles_built++;

  /* Alpha is forced to 0xff, so premultiplied equals straight alpha, and
   * premultiplied BGRA is what GSK's GL renderer uploads as is. */
  return gdk_memory_texture_new (r.width, r.height,
                                 GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                 view, self->stride);
}

/* Turns the damage gathered since the last frame into opaque pixels and
 * fresh tile textures. */
void
_hangar_display_flush (HangarDisplay *self)
{
  int n_rects;

  if (self->bytes == NULL)
    return;

  if (self->tiles == NULL)
    {
      self->tiles_x = (self->fb_width + TILE - 1) / TILE;
      self->tiles_y = (self->fb_height + TILE - 1) / TILE;
      self->tiles = g_new0 (GdkTexture *, self->tiles_x * self->tiles_y);
    }

  n_rects = cairo_region_num_rectangles (self->damage);
  for (int i = 0; i < n_rects; i++)
    {
      cairo_rectangle_int_t r;
      guint tx0, ty0, tx1, ty1;

      cairo_region_get_rectangle (self->damage, i, &r);
      force_opaque (self, &r);

      /* Widen by the one pixel of overlap each texture has. */
      tx0 = MAX (r.x - 1, 0) / TILE;
      ty0 = MAX (r.y - 1, 0) / TILE;
      tx1 = MIN ((guint) (r.x + r.width), self->fb_width - 1) / TILE;
      ty1 = MIN ((guint) (r.y + r.height), self->fb_height - 1) / TILE;

      for (guint ty = ty0; ty <= ty1; ty++)
        for (guint tx = tx0; tx <= tx1; tx++)
          {
            g_clear_object (&self->tiles[ty * self->tiles_x + tx]);
            if (self->tile_nodes != NULL)
              g_clear_pointer (&self->tile_nodes[ty * self->tiles_x + tx], gsk_render_node_unref);
          }
    }

  cairo_region_destroy (self->damage);
  self->damage = cairo_region_create ();

  for (guint ty = 0; ty < self->tiles_y; ty++)
    for (guint tx = 0; tx < self->tiles_x; tx++)
      if (self->tiles[ty * self->tiles_x + tx] == NULL)
        self->tiles[ty * self->tiles_x + tx] = build_tile (self, tx, ty);
}

static void
hangar_display_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  HangarDisplayLayout layout;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  self->redraw_queued = FALSE;
  self->snapshots++;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->bytes == NULL)
    return;

  _hangar_display_flush (self);
  _hangar_display_get_layout (self, &layout);

  if (_hangar_display_draws_with_cairo (widget))
    {
      _hangar_display_snapshot_cairo_tiles (self, snapshot, &layout);
      return;
    }
  _hangar_display_clear_tile_nodes (self);

  for (guint ty = 0; ty < self->tiles_y; ty++)
    for (guint tx = 0; tx < self->tiles_x; tx++)
      {
        cairo_rectangle_int_t r;

        _hangar_display_tile_rect (self, tx, ty, &r);
        gtk_snapshot_append_texture (snapshot, self->tiles[ty * self->tiles_x + tx],
                                     &GRAPHENE_RECT_INIT (layout.x + r.x * layout.scale,
                                                          layout.y + r.y * layout.scale,
                                                          r.width * layout.scale,
                                                          r.height * layout.scale));
      }
}

static void
hangar_display_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  guint size = orientation == GTK_ORIENTATION_HORIZONTAL ? self->fb_width : self->fb_height;
  int logical = (size + scale_factor - 1) / scale_factor;

  /* 1:1 asks for the whole picture so a scrolled window can scroll it;
   * fit takes what it is given. */
  if (self->scaling == HANGAR_DISPLAY_SCALING_ONE_TO_ONE)
    *minimum = logical;
  else
    *minimum = 0;
  *natural = MAX (logical, *minimum);
}

static gboolean
resize_guest_cb (gpointer data)
{
  HangarDisplay *self = data;
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  self->resize_guest_source = 0;

  if (self->session != NULL && width > 0 && height > 0)
    hangar_console_session_request_resize (self->session,
                                           width * scale_factor,
                                           height * scale_factor);

  return G_SOURCE_REMOVE;
}

static void
hangar_display_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  HangarDisplay *self = HANGAR_DISPLAY (widget);

  /* A window being dragged to a new size allocates every frame; ask the
   * guest once it settles. */
  if (self->resize_guest && self->session != NULL)
    {
      g_clear_handle_id (&self->resize_guest_source, g_source_remove);
      self->resize_guest_source = g_timeout_add (RESIZE_GUEST_DELAY_MS, resize_guest_cb, self);
    }
}

/* Framebuffer */

/**
 * hangar_display_set_framebuffer:
 * @bytes: XRGB8888 little-endian pixels; written to by whoever feeds the
 *   display, who then calls hangar_display_damage()
 *
 * Shows @bytes, which the display keeps a reference to. The whole picture
 * counts as damaged.
 */
void
hangar_display_set_framebuffer (HangarDisplay *self,
                                GBytes        *bytes,
                                guint          width,
                                guint          height,
                                gsize          stride)
{
  gsize size = 0;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  /* Damage and tiles are cairo rectangles: ints. */
  g_return_if_fail (width <= G_MAXINT && height <= G_MAXINT);
  g_return_if_fail (bytes == NULL || stride >= (gsize) width * 4);
  g_return_if_fail (bytes == NULL || (g_size_checked_mul (&size, stride, height)
                                      && g_bytes_get_size (bytes) >= size));

  hangar_display_clear_tiles (self);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  cairo_region_destroy (self->damage);
  self->damage = cairo_region_create ();

  if (bytes == NULL || width == 0 || height == 0)
    {
      self->pixels = NULL;
      self->fb_width = self->fb_height = 0;
      self->stride = 0;
    }
  else
    {
      self->bytes = g_bytes_ref (bytes);
      self->pixels = (guint8 *) g_bytes_get_data (bytes, NULL);
      self->fb_width = width;
      self->fb_height = height;
      self->stride = stride;
      cairo_region_union_rectangle (self->damage,
                                    &(cairo_rectangle_int_t) { 0, 0, width, height });
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  hangar_display_queue_redraw (self);
}

/**
 * hangar_display_set_framebuffer_size:
 *
 * Gives the display a black framebuffer of its own, for feeding it
 * directly with hangar_display_get_framebuffer() and
 * hangar_display_damage().
 */
void
hangar_display_set_framebuffer_size (HangarDisplay *self,
                                     guint          width,
                                     guint          height)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize stride = (gsize) width * 4;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (width <= HANGAR_FRAMEBUFFER_MAX_SIDE && height <= HANGAR_FRAMEBUFFER_MAX_SIDE);

  if (width > 0 && height > 0)
    bytes = g_bytes_new_take (g_malloc0 (stride * height), stride * height);

  hangar_display_set_framebuffer (self, bytes, width, height, stride);
}

/**
 * hangar_display_get_framebuffer:
 *
 * Returns: (transfer none) (nullable): the writable pixels, XRGB8888
 *   little endian (the fourth byte is ignored)
 */
guint8 *
hangar_display_get_framebuffer (HangarDisplay *self,
                                guint         *width,
                                guint         *height,
                                gsize         *stride)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), NULL);

  if (width != NULL)
    *width = self->fb_width;
  if (height != NULL)
    *height = self->fb_height;
  if (stride != NULL)
    *stride = self->stride;

  return self->pixels;
}

/**
 * hangar_display_damage:
 *
 * Says that pixels in the rectangle changed. Any number of calls between
 * two frames costs one redraw.
 */
void
hangar_display_damage (HangarDisplay *self,
                       int            x,
                       int            y,
                       int            width,
                       int            height)
{
  cairo_rectangle_int_t r;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  if (self->bytes == NULL)
    return;

  /* Public API: any ints may come, and x + width can overflow an int
   * (clipped in 64 bits there); a negative size is refused. */
  if (!hangar_bounds_clip_rect (self->fb_width, self->fb_height, &x, &y, &width, &height))
    return;

  r = (cairo_rectangle_int_t) { x, y, width, height };
  cairo_region_union_rectangle (self->damage, &r);
  hangar_display_queue_redraw (self);
}

/**
 * hangar_display_get_screenshot:
 *
 * Returns: (transfer full) (nullable): a copy of the guest picture, at
 *   the guest's resolution
 */
GdkTexture *
hangar_display_get_screenshot (HangarDisplay *self)
{
  g_autoptr(GBytes) copy = NULL;
  guint8 *data;
  gsize row = 0;

  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), NULL);

  if (self->bytes == NULL)
    return NULL;

  row = (gsize) self->fb_width * 4;
  data = g_malloc (row * self->fb_height);
  for (guint y = 0; y < self->fb_height; y++)
    {
      guint8 *dst = data + y * row;

      memcpy (dst, self->pixels + y * self->stride, row);
      for (guint x = 0; x < self->fb_width; x++)
        dst[x * 4 + 3] = 0xff;
    }
  copy = g_bytes_new_take (data, row * self->fb_height);

  return gdk_memory_texture_new (self->fb_width, self->fb_height,
                                 GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, copy, row);
}

guint
_hangar_display_get_tiles_built (HangarDisplay *self)
{
  return self->tiles_built;
}

guint
_hangar_display_get_snapshots (HangarDisplay *self)
{
  return self->snapshots;
}

/**
 * hangar_display_set_cursor:
 * @texture: (nullable): the guest's cursor, or %NULL for the default one
 */
void
hangar_display_set_cursor (HangarDisplay *self,
                           GdkTexture    *texture,
                           int            hot_x,
                           int            hot_y)
{
  g_autoptr(GdkCursor) cursor = NULL;

  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  if (texture != NULL)
    {
      hot_x = CLAMP (hot_x, 0, gdk_texture_get_width (texture) - 1);
      hot_y = CLAMP (hot_y, 0, gdk_texture_get_height (texture) - 1);
      cursor = gdk_cursor_new_from_texture (texture, hot_x, hot_y, NULL);
    }

  gtk_widget_set_cursor (GTK_WIDGET (self), cursor);
}

/* Session */

static void
on_session_framebuffer_resized (HangarDisplay        *self,
                                guint                 width,
                                guint                 height,
                                HangarConsoleSession *session)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize stride;

  bytes = hangar_console_session_get_framebuffer (session, &width, &height, &stride);
  hangar_display_set_framebuffer (self, bytes, width, height, stride);
}

static void
on_session_damage (HangarDisplay        *self,
                   int                   x,
                   int                   y,
                   int                   width,
                   int                   height,
                   HangarConsoleSession *session)
{
  hangar_display_damage (self, x, y, width, height);
}

static void
on_session_cursor_changed (HangarDisplay        *self,
                           HangarConsoleSession *session)
{
  GdkTexture *texture;
  int hot_x, hot_y;

  texture = hangar_console_session_get_cursor (session, &hot_x, &hot_y);
  hangar_display_set_cursor (self, texture, hot_x, hot_y);
}

static void
on_session_bind (HangarDisplay        *self,
                 HangarConsoleSession *session,
                 GSignalGroup         *group)
{
  on_session_framebuffer_resized (self, 0, 0, session);
  on_session_cursor_changed (self, session);
}

HangarConsoleSession *
hangar_display_get_session (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), NULL);

  return self->session;
}

/**
 * hangar_display_set_session:
 * @session: (nullable): the session to show and send input to
 */
void
hangar_display_set_session (HangarDisplay        *self,
                            HangarConsoleSession *session)
{
  g_return_if_fail (HANGAR_IS_DISPLAY (self));
  g_return_if_fail (session == NULL || HANGAR_IS_CONSOLE_SESSION (session));

  if (self->session == session)
    return;

  _hangar_display_release_all_keys (self);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session == NULL)
    {
      hangar_display_set_framebuffer (self, NULL, 0, 0, 0);
      hangar_display_set_cursor (self, NULL, 0, 0);
    }

  g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_SESSION]);
}

HangarDisplayScaling
hangar_display_get_scaling (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), HANGAR_DISPLAY_SCALING_FIT);

  return self->scaling;
}

void
hangar_display_set_scaling (HangarDisplay        *self,
                            HangarDisplayScaling  scaling)
{
  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  if (self->scaling == scaling)
    return;

  self->scaling = scaling;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_SCALING]);
}

gboolean
hangar_display_get_resize_guest (HangarDisplay *self)
{
  g_return_val_if_fail (HANGAR_IS_DISPLAY (self), FALSE);

  return self->resize_guest;
}

/**
 * hangar_display_set_resize_guest:
 *
 * Whether to ask the guest for a resolution matching the widget's size in
 * device pixels whenever it changes.
 */
void
hangar_display_set_resize_guest (HangarDisplay *self,
                                 gboolean       resize_guest)
{
  g_return_if_fail (HANGAR_IS_DISPLAY (self));

  resize_guest = !!resize_guest;
  if (self->resize_guest == resize_guest)
    return;

  self->resize_guest = resize_guest;
  if (resize_guest)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), _hangar_display_properties[PROP_RESIZE_GUEST]);
}

GtkWidget *
hangar_display_new (void)
{
  return g_object_new (HANGAR_TYPE_DISPLAY, NULL);
}

static void
hangar_display_dispose (GObject *object)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);

  g_clear_handle_id (&self->resize_guest_source, g_source_remove);
  if (self->session != NULL)
    _hangar_display_release_all_keys (self);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  hangar_display_clear_tiles (self);

  G_OBJECT_CLASS (hangar_display_parent_class)->dispose (object);
}

static void
hangar_display_finalize (GObject *object)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->damage, cairo_region_destroy);

  G_OBJECT_CLASS (hangar_display_parent_class)->finalize (object);
}

static void
hangar_display_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SCALING:
      g_value_set_int (value, self->scaling);
      break;
    case PROP_RESIZE_GUEST:
      g_value_set_boolean (value, self->resize_guest);
      break;
    case PROP_GRABBED:
      g_value_set_boolean (value, self->grabbed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_display_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HangarDisplay *self = HANGAR_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      hangar_display_set_session (self, g_value_get_object (value));
      break;
    case PROP_SCALING:
      hangar_display_set_scaling (self, g_value_get_int (value));
      break;
    case PROP_RESIZE_GUEST:
      hangar_display_set_resize_guest (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_display_class_init (HangarDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_display_dispose;
  object_class->finalize = hangar_display_finalize;
  object_class->get_property = hangar_display_get_property;
  object_class->set_property = hangar_display_set_property;

  widget_class->snapshot = hangar_display_snapshot;
  widget_class->measure = hangar_display_measure;
  widget_class->size_allocate = hangar_display_size_allocate;

  _hangar_display_properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, HANGAR_TYPE_CONSOLE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* An int holding a HangarDisplayScaling: the enum GTypes are generated
   * in the app library, which the console library does not link. */
  _hangar_display_properties[PROP_SCALING] =
    g_param_spec_int ("scaling", NULL, NULL,
                      HANGAR_DISPLAY_SCALING_FIT, HANGAR_DISPLAY_SCALING_ONE_TO_ONE,
                      HANGAR_DISPLAY_SCALING_FIT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_RESIZE_GUEST] =
    g_param_spec_boolean ("resize-guest", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _hangar_display_properties[PROP_GRABBED] =
    g_param_spec_boolean ("grabbed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _hangar_display_properties);

  /**
   * HangarDisplay::key-event:
   * @qnum: XT scancode, QEMU numbering
   * @keyval: GDK keyval, or 0 when synthesized
   * @pressed: %TRUE for press
   */
  _hangar_display_signals[KEY_EVENT] =
    g_signal_new ("key-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE,
                  3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BOOLEAN);
  /**
   * HangarDisplay::pointer-event:
   * @x: guest x in pixels
   * @y: guest y in pixels
   * @buttons: a #HangarButtonMask
   */
  _hangar_display_signals[POINTER_EVENT] =
    g_signal_new ("pointer-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE,
                  3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_UINT);
  /**
   * HangarDisplay::scroll-event:
   * @direction: a #HangarScrollDirection
   * @buttons: a #HangarButtonMask
   */
  _hangar_display_signals[SCROLL_EVENT] =
    g_signal_new ("scroll-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE,
                  2, G_TYPE_INT, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "hangar-display");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_display_init (HangarDisplay *self)
{
  self->damage = cairo_region_create ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _hangar_display_init_input (self);

  self->session_signals = g_signal_group_new (HANGAR_TYPE_CONSOLE_SESSION);
  g_signal_connect_object (self->session_signals, "bind",
                           G_CALLBACK (on_session_bind), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "framebuffer-resized",
                                 G_CALLBACK (on_session_framebuffer_resized), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "damage",
                                 G_CALLBACK (on_session_damage), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "cursor-changed",
                                 G_CALLBACK (on_session_cursor_changed), self,
                                 G_CONNECT_SWAPPED);
}
