/* hangar-host-graph.c — the host's CPU or memory use over the last minute.
 *
 * One sample a second, newest on the right, drawn with GtkSnapshot colour
 * nodes (a bar per sample and a line on top): nothing to allocate per frame.
 * The colour follows the theme's accent through the widget's CSS colour.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Host"

#include "config.h"

#include "hangar-host-graph.h"

#define N_SAMPLES 60

struct _HangarHostGraph
{
  GtkWidget parent_instance;

  double    samples[N_SAMPLES];
  guint     n_samples;
  guint     head;       /* where the next sample goes */
};

G_DEFINE_FINAL_TYPE (HangarHostGraph, hangar_host_graph, GTK_TYPE_WIDGET)

static void
hangar_host_graph_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  HangarHostGraph *self = HANGAR_HOST_GRAPH (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float step = width / (N_SAMPLES - 1);
  GdkRGBA color, fill, grid;

  /* GTK 4.8: no gtk_widget_get_color () yet. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  grid = color;
  grid.alpha = 0.15f;
  fill = color;
  fill.alpha = 0.25f;

  /* The frame: 0 %, 50 % and 100 % lines. */
  for (guint i = 0; i <= 2; i++)
    gtk_snapshot_append_color (snapshot, &grid,
                               &GRAPHENE_RECT_INIT (0, MIN (i * height / 2, height - 1), width, 1));

  for (guint i = 0; i < self->n_samples; i++)
    {
      /* i counts back from the newest sample. */
      guint index = (self->head + N_SAMPLES - 1 - i) % N_SAMPLES;
      float value = CLAMP (self->samples[index], 0.0, 100.0) / 100.0f;
      float x = width - (i + 1) * step;
      float h = value * (height - 2);
      float y = height - 1 - h;

      gtk_snapshot_append_color (snapshot, &fill, &GRAPHENE_RECT_INIT (x, y, step + 0.5f, h));
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, y - 1, step + 0.5f, 2));
    }
}

static void
hangar_host_graph_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 60;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 80;
}

static void
hangar_host_graph_class_init (HangarHostGraphClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = hangar_host_graph_snapshot;
  widget_class->measure = hangar_host_graph_measure;
  gtk_widget_class_set_css_name (widget_class, "hostgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_host_graph_init (HangarHostGraph *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "accent");
}

GtkWidget *
hangar_host_graph_new (void)
{
  return g_object_new (HANGAR_TYPE_HOST_GRAPH, NULL);
}

void
hangar_host_graph_add_sample (HangarHostGraph *self,
                              double           percent)
{
  g_return_if_fail (HANGAR_IS_HOST_GRAPH (self));

  self->samples[self->head] = percent;
  self->head = (self->head + 1) % N_SAMPLES;
  self->n_samples = MIN (self->n_samples + 1, N_SAMPLES);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
hangar_host_graph_get_n_samples (HangarHostGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_HOST_GRAPH (self), 0);

  return self->n_samples;
}

void
hangar_host_graph_clear (HangarHostGraph *self)
{
  g_return_if_fail (HANGAR_IS_HOST_GRAPH (self));

  self->n_samples = 0;
  self->head = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
