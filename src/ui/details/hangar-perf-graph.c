/* hangar-perf-graph.c — one or two series of a machine's recent samples, drawn large.
 *
 * The first series is drawn filled, the second as a line over it (disk
 * read and write, network in and out). Percentages have a fixed top of
 * 100; rates scale to the largest value shown, so a quiet disk still
 * shows its small bursts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hangar-perf-graph.h"
#include "hangar-stats.h"

#define N_SERIES 2

struct _HangarPerfGraph
{
  GtkWidget parent_instance;

  float     values[N_SERIES][HANGAR_HISTORY_LENGTH];
  guint     n_values[N_SERIES];
  float     fixed_max;   /* 0: scale to the data */
};

G_DEFINE_FINAL_TYPE (HangarPerfGraph, hangar_perf_graph, GTK_TYPE_WIDGET)

static void
append_series (GtkSnapshot   *snapshot,
               const float   *values,
               guint          n,
               float          top,
               int            width,
               int            height,
               const GdkRGBA *line,
               const GdkRGBA *fill)
{
  float step = (float) width / (HANGAR_HISTORY_LENGTH - 1);
  float previous_y = 0;

  /* Newest on the right edge; columns for the fill, short segments for the line. */
  for (guint i = 0; i < n; i++)
    {
      float x = width - (n - 1 - i) * step;
      float h = (float) (height - 1) * CLAMP (values[i] / top, 0.0f, 1.0f);
      float y = height - 1 - h;

      if (fill != NULL)
        gtk_snapshot_append_color (snapshot, fill, &GRAPHENE_RECT_INIT (x - step, y, step, h));
      if (i > 0)
        gtk_snapshot_append_color (snapshot, line,
                                   &GRAPHENE_RECT_INIT (x - step, MIN (y, previous_y) - 1,
                                                        step, ABS (y - previous_y) + 2));
      previous_y = y;
    }
}

static void
hangar_perf_graph_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  HangarPerfGraph *self = HANGAR_PERF_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA frame, line, fill, second;
  float top = self->fixed_max;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &frame);
  frame.alpha = 0.15f;
  for (guint i = 0; i <= 4; i++)
    gtk_snapshot_append_color (snapshot, &frame,
                               &GRAPHENE_RECT_INIT (0, MIN (height - 1, i * (height - 1) / 4.0f),
                                                    width, 1));

  if (top <= 0)
    {
      top = 1.0f;
      for (guint s = 0; s < N_SERIES; s++)
        for (guint i = 0; i < self->n_values[s]; i++)
          top = MAX (top, self->values[s][i] * 1.1f);
    }

  /* GNOME's blue for the first series, orange for the second. */
  gdk_rgba_parse (&line, "#3584e4");
  fill = line;
  fill.alpha = 0.3f;
  gdk_rgba_parse (&second, "#e66100");
  append_series (snapshot, self->values[0], self->n_values[0], top, width, height, &line, &fill);
  append_series (snapshot, self->values[1], self->n_values[1], top, width, height, &second, NULL);
}

static void
hangar_perf_graph_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 60;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 80;
}

static void
hangar_perf_graph_class_init (HangarPerfGraphClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = hangar_perf_graph_snapshot;
  widget_class->measure = hangar_perf_graph_measure;
  gtk_widget_class_set_css_name (widget_class, "perfgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_perf_graph_init (HangarPerfGraph *self)
{
}

GtkWidget *
hangar_perf_graph_new (void)
{
  return g_object_new (HANGAR_TYPE_PERF_GRAPH, NULL);
}

/**
 * hangar_perf_graph_set_series:
 * @series: 0 or 1
 * @values: (array length=n_values): oldest first
 */
void
hangar_perf_graph_set_series (HangarPerfGraph *self,
                              guint            series,
                              const float     *values,
                              guint            n_values)
{
  g_return_if_fail (HANGAR_IS_PERF_GRAPH (self));
  g_return_if_fail (series < N_SERIES);

  n_values = MIN (n_values, HANGAR_HISTORY_LENGTH);
  if (n_values > 0)
    memcpy (self->values[series], values, n_values * sizeof (float));
  self->n_values[series] = n_values;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A top of @max for percentages; 0 scales to the data. */
void
hangar_perf_graph_set_fixed_max (HangarPerfGraph *self,
                                 float            max)
{
  g_return_if_fail (HANGAR_IS_PERF_GRAPH (self));

  self->fixed_max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
hangar_perf_graph_get_n_samples (HangarPerfGraph *self,
                                 guint            series)
{
  g_return_val_if_fail (HANGAR_IS_PERF_GRAPH (self), 0);
  g_return_val_if_fail (series < N_SERIES, 0);

  return self->n_values[series];
}
