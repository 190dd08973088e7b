/* hangar-display-cairo.c — the display's tiles under GSK's cairo renderer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-display-private.h"

/* GSK's cairo renderer (GTK 4.8) converts every texture node it draws
 * back into a cairo surface, every frame, whether or not the node lies in
 * the damaged area: for a 1920×1080 guest, 40 tiles and 8–12 ms of CPU a
 * frame, even when one 64×64 square changed. There each tile is drawn by
 * a cairo node instead, which reads the framebuffer in place when it is
 * painted, and the node is kept while its tile's pixels and place stay
 * the same: GSK sees the same node, damages nothing for it, and clips its
 * painting away. */
gboolean
_hangar_display_draws_with_cairo (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

/* What a tile's drawing reads from: a view of the framebuffer, which it
 * keeps alive. The drawing holds a copy of the pattern, and cairo says
 * when it copies and finishes one: hence the reference count. */
typedef struct
{
  gatomicrefcount  ref_count;
  GBytes          *bytes;
  cairo_surface_t *surface;
} TileSource;

static void
tile_source_unref (TileSource *source)
{
  if (!g_atomic_ref_count_dec (&source->ref_count))
    return;
  cairo_surface_destroy (source->surface);
  g_bytes_unref (source->bytes);
  g_free (source);
}

static cairo_surface_t *
tile_source_acquire (cairo_pattern_t             *pattern,
                     void                        *data,
                     cairo_surface_t             *target,
                     const cairo_rectangle_int_t *extents)
{
  return cairo_surface_reference (((TileSource *) data)->surface);
}

static void
tile_source_release (cairo_pattern_t *pattern,
                     void            *data,
                     cairo_surface_t *surface)
{
  cairo_surface_destroy (surface);
}

static cairo_status_t
tile_source_copy (cairo_pattern_t       *pattern,
                  void                  *data,
                  const cairo_pattern_t *other)
{
  g_atomic_ref_count_inc (&((TileSource *) data)->ref_count);
  return CAIRO_STATUS_SUCCESS;
}

static void
tile_source_finish (cairo_pattern_t *pattern,
                    void            *data)
{
  tile_source_unref (data);
}

static GskRenderNode *
build_cairo_tile (HangarDisplay               *self,
                  const cairo_rectangle_int_t *r,
                  const graphene_rect_t       *bounds,
                  const HangarDisplayLayout   *layout)
{
  GskRenderNode *node = gsk_cairo_node_new (bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);
  TileSource *source = g_new0 (TileSource, 1);
  cairo_pattern_t *pattern;

  g_atomic_ref_count_init (&source->ref_count);
  source->bytes = g_bytes_ref (self->bytes);
  /* Alpha is forced to 0xff; RGB24 ignores it anyway. */
  source->surface = cairo_image_surface_create_for_data (self->pixels + r->y * self->stride
                                                         + (gsize) r->x * 4,
                                                         CAIRO_FORMAT_RGB24, r->width, r->height,
                                                         (int) self->stride);
  pattern = cairo_pattern_create_raster_source (source, CAIRO_CONTENT_COLOR, r->width, r->height);
  cairo_raster_source_pattern_set_acquire (pattern, tile_source_acquire, tile_source_release);
  cairo_raster_source_pattern_set_copy (pattern, tile_source_copy);
  cairo_raster_source_pattern_set_finish (pattern, tile_source_finish);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_pattern_set_filter (pattern, layout->pixel_exact ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);

  cairo_translate (cr, bounds->origin.x, bounds->origin.y);
  cairo_scale (cr, layout->scale, layout->scale);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, 0, 0, r->width, r->height);
  cairo_fill (cr);

  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);
  self->nodes_built++;
  return node;
}

void
_hangar_display_snapshot_cairo_tiles (HangarDisplay             *self,
                                      GtkSnapshot               *snapshot,
                                      const HangarDisplayLayout *layout)
{
  graphene_rect_t area = GRAPHENE_RECT_INIT (layout->x, layout->y, layout->width, layout->height);
  guint n = self->tiles_x * self->tiles_y;

  /* Moved or scaled: every drawing is stale. */
  if (self->tile_nodes != NULL && !graphene_rect_equal (&area, &self->nodes_area))
    _hangar_display_clear_tile_nodes (self);
  if (self->tile_nodes == NULL)
    {
      self->tile_nodes = g_new0 (GskRenderNode *, n);
      self->nodes_area = area;
    }

  for (guint ty = 0; ty < self->tiles_y; ty++)
    for (guint tx = 0; tx < self->tiles_x; tx++)
      {
        guint i = ty * self->tiles_x + tx;
        cairo_rectangle_int_t r;

        if (self->tile_nodes[i] == NULL)
          {
            _hangar_display_tile_rect (self, tx, ty, &r);
            self->tile_nodes[i] = build_cairo_tile (self, &r,
                                                    &GRAPHENE_RECT_INIT (layout->x + r.x * layout->scale,
                                                                         layout->y + r.y * layout->scale,
                                                                         r.width * layout->scale,
                                                                         r.height * layout->scale),
                                                    layout);
          }
        gtk_snapshot_append_node (snapshot, self->tile_nodes[i]);
      }
}

void
_hangar_display_clear_tile_nodes (HangarDisplay *self)
{
  if (self->tile_nodes == NULL)
    return;
  for (guint i = 0; i < self->tiles_x * self->tiles_y; i++)
    g_clear_pointer (&self->tile_nodes[i], gsk_render_node_unref);
  g_clear_pointer (&self->tile_nodes, g_free);
}
