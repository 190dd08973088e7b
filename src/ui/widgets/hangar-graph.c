/* hangar-graph.c — a graph of the last minute of one or two series of numbers.
 *
 * The machine list's small CPU graphs, the details' performance graphs
 * and the host window's usage graphs. The widget knows numbers only:
 * callers read their samples from wherever they keep them (a HangarVm's
 * history, the host's usage) and hand them over.
 *
 * The first series is drawn filled with a line on top, the second as a
 * line over it (disk read and write, network in and out); newest on the
 * right edge, like virt-manager's graphs. Everything is colour nodes, no
 * cairo surface to allocate and upload for each of the hundreds of rows
 * the list may show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-graph.h"

#define N_SERIES 2

struct _HangarGraph
{
  GtkWidget parent_instance;

  float     values[N_SERIES][HANGAR_GRAPH_N_SAMPLES];
  guint     n_values[N_SERIES];
  float     max;         /* 0: scale to the data */
  guint     divisions;   /* 0: the baseline alone */
};

enum {
  PROP_0,
  PROP_MAX,
  PROP_DIVISIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HangarGraph, hangar_graph, GTK_TYPE_WIDGET)

/* GNOME's blue and orange: the performance legends name them. */
static const GdkRGBA blue = { 0x35 / 255.0f, 0x84 / 255.0f, 0xe4 / 255.0f, 1.0f };
static const GdkRGBA orange = { 0xe6 / 255.0f, 0x61 / 255.0f, 0x00 / 255.0f, 1.0f };

static void
append_series (GtkSnapshot   *snapshot,
               const float   *values,
               guint          n,
               float          top,
               float          width,
               float          height,
               const GdkRGBA *line,
               const GdkRGBA *fill)
{
  float step = width / HANGAR_GRAPH_N_SAMPLES;
  float previous_y = 0;

  /* A column a sample: the fill below it, and the line across it, up or
   * down from where the sample before left it. */
  for (guint i = 0; i < n; i++)
    {
      float x = width - (n - i) * step;
      float h = (height - 1) * CLAMP (values[i] / top, 0.0f, 1.0f);
      float y = height - 1 - h;
      float from = i > 0 ? previous_y : y;

      if (fill != NULL)
        gtk_snapshot_append_color (snapshot, fill, &GRAPHENE_RECT_INIT (x, y, step, h));
      gtk_snapshot_append_color (snapshot, line,
                                 &GRAPHENE_RECT_INIT (x, MIN (y, from) - 1,
                                                      step, ABS (y - from) + 2));
      previous_y = y;
    }
}

static float
hangar_graph_top (HangarGraph *self)
{
  float top = 1.0f;

  if (self->max > 0)
    return self->max;

  /* Rates: scale to the largest value shown, so a quiet disk still shows
   * its small bursts. */
  for (guint s = 0; s < N_SERIES; s++)
    for (guint i = 0; i < self->n_values[s]; i++)
      top = MAX (top, self->values[s][i] * 1.1f);
  return top;
}

static void
hangar_graph_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  HangarGraph *self = HANGAR_GRAPH (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float top = hangar_graph_top (self);
  GdkRGBA color, frame, line, fill;

  if (width <= 0 || height <= 0)
    return;

  /* GTK 4.8: no gtk_widget_get_color () yet. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  frame = color;
  frame.alpha = 0.15f;
  for (guint i = 0; i <= self->divisions; i++)
    {
      float y = self->divisions > 0 ? MIN (floorf (i * height / self->divisions), height - 1)
                                    : height - 1;

      gtk_snapshot_append_color (snapshot, &frame, &GRAPHENE_RECT_INIT (0, y, width, 1));
    }

  /* The accent style class makes the first series follow the theme. */
  line = gtk_widget_has_css_class (widget, "accent") ? color : blue;
  fill = line;
  fill.alpha = 0.3f;
  append_series (snapshot, self->values[0], self->n_values[0], top, width, height, &line, &fill);
  append_series (snapshot, self->values[1], self->n_values[1], top, width, height, &orange, NULL);
}

static void
hangar_graph_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  /* Small by default; callers size it (CSS, height-request) and it fills
   * the width it is given. */
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 60 : 20;
}

static void
hangar_graph_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HangarGraph *self = HANGAR_GRAPH (object);

  switch (prop_id)
    {
    case PROP_MAX:
      g_value_set_float (value, self->max);
      break;
    case PROP_DIVISIONS:
      g_value_set_uint (value, self->divisions);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_graph_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HangarGraph *self = HANGAR_GRAPH (object);

  switch (prop_id)
    {
    case PROP_MAX:
      hangar_graph_set_max (self, g_value_get_float (value));
      break;
    case PROP_DIVISIONS:
      hangar_graph_set_divisions (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_graph_class_init (HangarGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hangar_graph_get_property;
  object_class->set_property = hangar_graph_set_property;
  widget_class->snapshot = hangar_graph_snapshot;
  widget_class->measure = hangar_graph_measure;

  /**
   * HangarGraph:max:
   *
   * The value at the top: 100 for percentages, 0 to scale to the data.
   */
  properties[PROP_MAX] =
    g_param_spec_float ("max", NULL, NULL, 0.0f, G_MAXFLOAT, 100.0f,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HangarGraph:divisions:
   *
   * How many bands grid lines split the height into; 0 draws the
   * baseline alone.
   */
  properties[PROP_DIVISIONS] =
    g_param_spec_uint ("divisions", NULL, NULL, 0, 16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "graph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_graph_init (HangarGraph *self)
{
  self->max = 100.0f;
}

GtkWidget *
hangar_graph_new (void)
{
  return g_object_new (HANGAR_TYPE_GRAPH, NULL);
}

/**
 * hangar_graph_set_samples:
 * @series: 0 (filled) or 1 (a line over it)
 * @values: (array length=n_values): oldest first; of more than
 *   %HANGAR_GRAPH_N_SAMPLES, the newest are kept
 */
void
hangar_graph_set_samples (HangarGraph *self,
                          guint        series,
                          const float *values,
                          guint        n_values)
{
  guint n = MIN (n_values, HANGAR_GRAPH_N_SAMPLES);

  g_return_if_fail (HANGAR_IS_GRAPH (self));
  g_return_if_fail (series < N_SERIES);
  g_return_if_fail (values != NULL || n_values == 0);

  if (n > 0)
    memcpy (self->values[series], values + n_values - n, n * sizeof (float));
  self->n_values[series] = n;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Adds @value to the first series, the oldest falling off once it is full. */
void
hangar_graph_push_sample (HangarGraph *self,
                          float        value)
{
  float *values;

  g_return_if_fail (HANGAR_IS_GRAPH (self));

  values = self->values[0];
  if (self->n_values[0] == HANGAR_GRAPH_N_SAMPLES)
    memmove (values, values + 1, (HANGAR_GRAPH_N_SAMPLES - 1) * sizeof (float));
  else
    self->n_values[0]++;
  values[self->n_values[0] - 1] = value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hangar_graph_clear (HangarGraph *self)
{
  g_return_if_fail (HANGAR_IS_GRAPH (self));

  for (guint s = 0; s < N_SERIES; s++)
    self->n_values[s] = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
hangar_graph_get_n_samples (HangarGraph *self,
                            guint        series)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), 0);
  g_return_val_if_fail (series < N_SERIES, 0);

  return self->n_values[series];
}

void
hangar_graph_set_max (HangarGraph *self,
                      float        max)
{
  g_return_if_fail (HANGAR_IS_GRAPH (self));
  g_return_if_fail (max >= 0);

  if (self->max == max)
    return;
  self->max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX]);
}

float
hangar_graph_get_max (HangarGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), 0);

  return self->max;
}

void
hangar_graph_set_divisions (HangarGraph *self,
                            guint        divisions)
{
  g_return_if_fail (HANGAR_IS_GRAPH (self));

  if (self->divisions == divisions)
    return;
  self->divisions = divisions;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIVISIONS]);
}

guint
hangar_graph_get_divisions (HangarGraph *self)
{
  g_return_val_if_fail (HANGAR_IS_GRAPH (self), 0);

  return self->divisions;
}
