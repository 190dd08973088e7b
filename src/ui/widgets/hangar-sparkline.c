/* hangar-sparkline.c — a small usage graph of a machine's recent samples.
 *
 * Drawn as one colour node per sample: no cairo surface to allocate and
 * upload for each of the hundreds of rows that may be on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hangar-sparkline.h"
#include "hangar-stats.h"

struct _HangarSparkline
{
  GtkWidget            parent_instance;

  HangarSparklineKind  kind;
  HangarVm            *vm;
  GSignalGroup        *signals;
};

enum {
  PROP_0,
  PROP_VM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HangarSparkline, hangar_sparkline, GTK_TYPE_WIDGET)

static void
hangar_sparkline_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  HangarSparkline *self = HANGAR_SPARKLINE (widget);
  float values[HANGAR_HISTORY_LENGTH];
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA line, fill, frame;
  float step;
  guint n;

  if (self->vm == NULL || width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &frame);
  frame.alpha = 0.12f;
  gtk_snapshot_append_color (snapshot, &frame, &GRAPHENE_RECT_INIT (0, height - 1, width, 1));

  if (self->kind == HANGAR_SPARKLINE_CPU)
    n = hangar_vm_get_cpu_history (self->vm, values, HANGAR_HISTORY_LENGTH);
  else
    n = hangar_vm_get_memory_history (self->vm, values, HANGAR_HISTORY_LENGTH);
  if (n == 0)
    return;

  /* GNOME's accent blue; the fill is the same colour, lighter. */
  gdk_rgba_parse (&line, "#3584e4");
  fill = line;
  fill.alpha = 0.35f;

  /* Newest sample on the right edge, like virt-manager's graphs. */
  step = (float) width / HANGAR_HISTORY_LENGTH;
  for (guint i = 0; i < n; i++)
    {
      float x = width - (n - i) * step;
      float h = MAX (1.0f, (float) (height - 1) * CLAMP (values[i], 0.0f, 100.0f) / 100.0f);
      float y = height - 1 - h;

      gtk_snapshot_append_color (snapshot, &fill, &GRAPHENE_RECT_INIT (x, y, step, h));
      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, y, step, 1.5f));
    }
}

static void
hangar_sparkline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  /* Small by default; it grows with the column when expanded. */
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 60 : 20;
}

static void
hangar_sparkline_dispose (GObject *object)
{
  HangarSparkline *self = (HangarSparkline *)object;

  g_clear_object (&self->signals);
  g_clear_object (&self->vm);

  G_OBJECT_CLASS (hangar_sparkline_parent_class)->dispose (object);
}

static void
hangar_sparkline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HangarSparkline *self = HANGAR_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_VM:
      g_value_set_object (value, self->vm);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_sparkline_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HangarSparkline *self = HANGAR_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_VM:
      hangar_sparkline_set_vm (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_sparkline_class_init (HangarSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_sparkline_dispose;
  object_class->get_property = hangar_sparkline_get_property;
  object_class->set_property = hangar_sparkline_set_property;
  widget_class->snapshot = hangar_sparkline_snapshot;
  widget_class->measure = hangar_sparkline_measure;

  properties[PROP_VM] =
    g_param_spec_object ("vm", NULL, NULL, HANGAR_TYPE_VM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hangar_sparkline_init (HangarSparkline *self)
{
  self->signals = g_signal_group_new (HANGAR_TYPE_VM);
  g_signal_group_connect_swapped (self->signals, "stats-updated",
                                  G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_css_class (GTK_WIDGET (self), "hangar-sparkline");
}

GtkWidget *
hangar_sparkline_new (HangarSparklineKind kind)
{
  HangarSparkline *self = g_object_new (HANGAR_TYPE_SPARKLINE, NULL);

  self->kind = kind;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kind == HANGAR_SPARKLINE_CPU ? _("CPU usage graph")
                                                               : _("Memory usage graph"),
                                  -1);
  return GTK_WIDGET (self);
}

void
hangar_sparkline_set_vm (HangarSparkline *self,
                         HangarVm        *vm)
{
  g_return_if_fail (HANGAR_IS_SPARKLINE (self));
  g_return_if_fail (vm == NULL || HANGAR_IS_VM (vm));

  if (!g_set_object (&self->vm, vm))
    return;
  g_signal_group_set_target (self->signals, vm);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VM]);
}

/**
 * hangar_sparkline_get_vm:
 *
 * Returns: (transfer none) (nullable): the machine drawn
 */
HangarVm *
hangar_sparkline_get_vm (HangarSparkline *self)
{
  g_return_val_if_fail (HANGAR_IS_SPARKLINE (self), NULL);
  return self->vm;
}
