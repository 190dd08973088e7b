/* hangar-performance-view.c — a machine's CPU, memory, disk and network graphs.
 *
 * Everything shown comes from the histories HangarVm keeps from the
 * connection's one bulk statistics call per interval: the view redraws on
 * HangarVm::stats-updated and never asks libvirt itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-graph.h"
#include "hangar-performance-view.h"
#include "hangar-stats-holder.h"
#include "hangar-stats.h"
#include "hangar-units.h"
#include "hangar-vm.h"

typedef enum
{
  GRAPH_CPU,
  GRAPH_MEMORY,
  GRAPH_DISK,
  GRAPH_NET,
  N_GRAPHS
} GraphKind;

struct _HangarPerformanceView
{
  AdwBin           parent_instance;

  HangarVm        *vm;
  GSignalGroup    *signals;
  GtkLabel        *note;
  GtkLabel        *values[N_GRAPHS];
  HangarGraph     *graphs[N_GRAPHS];
};

G_DEFINE_FINAL_TYPE (HangarPerformanceView, hangar_performance_view, ADW_TYPE_BIN)

static float
last (const float *values,
      guint        n)
{
  return n > 0 ? values[n - 1] : 0.0f;
}

static char *
format_rate (float kib_per_s)
{
  g_autofree char *size = hangar_format_kib ((guint64) (kib_per_s + 0.5f));

  /* Translators: a transfer rate, e.g. “12 MiB/s”; %s is a size */
  return g_strdup_printf (_("%s/s"), size);
}

static void
update_pair (HangarPerformanceView *self,
             GraphKind              kind,
             HangarVmIo             first,
             HangarVmIo             second)
{
  float a[HANGAR_HISTORY_LENGTH], b[HANGAR_HISTORY_LENGTH];
  guint na = hangar_vm_get_io_history (self->vm, first, a, HANGAR_HISTORY_LENGTH);
  guint nb = hangar_vm_get_io_history (self->vm, second, b, HANGAR_HISTORY_LENGTH);
  g_autofree char *ra = format_rate (last (a, na));
  g_autofree char *rb = format_rate (last (b, nb));
  g_autofree char *text = NULL;

  hangar_graph_set_samples (self->graphs[kind], 0, a, na);
  hangar_graph_set_samples (self->graphs[kind], 1, b, nb);
  if (kind == GRAPH_DISK)
    /* Translators: disk rates; both %s are like “12 MiB/s” */
    text = g_strdup_printf (_("Read %s, write %s"), ra, rb);
  else
    /* Translators: network rates; both %s are like “12 MiB/s” */
    text = g_strdup_printf (_("Received %s, sent %s"), ra, rb);
  gtk_label_set_text (self->values[kind], text);
}

static void
update (HangarPerformanceView *self)
{
  float values[HANGAR_HISTORY_LENGTH];
  gboolean active = self->vm != NULL && hangar_vm_is_active (self->vm);
  g_autofree char *cpu = NULL;
  g_autofree char *memory = NULL;
  guint n;

  gtk_widget_set_visible (GTK_WIDGET (self->note), !active);
  if (self->vm == NULL)
    return;

  n = hangar_vm_get_cpu_history (self->vm, values, HANGAR_HISTORY_LENGTH);
  hangar_graph_set_samples (self->graphs[GRAPH_CPU], 0, values, n);
  /* Translators: CPU usage, e.g. “12 %” */
  cpu = g_strdup_printf (_("%.0f %%"), active ? hangar_vm_get_cpu_percent (self->vm) : 0.0);
  gtk_label_set_text (self->values[GRAPH_CPU], cpu);

  n = hangar_vm_get_memory_history (self->vm, values, HANGAR_HISTORY_LENGTH);
  hangar_graph_set_samples (self->graphs[GRAPH_MEMORY], 0, values, n);
  if (active && hangar_vm_get_memory_total (self->vm) > 0)
    {
      g_autofree char *used = hangar_format_kib (hangar_vm_get_memory_used (self->vm));
      g_autofree char *total = hangar_format_kib (hangar_vm_get_memory_total (self->vm));

      /* Translators: memory in use, e.g. “96 MiB of 128 MiB” */
      memory = g_strdup_printf (_("%s of %s"), used, total);
    }
  gtk_label_set_text (self->values[GRAPH_MEMORY], memory ? memory : "—");

  update_pair (self, GRAPH_DISK, HANGAR_VM_IO_DISK_READ, HANGAR_VM_IO_DISK_WRITE);
  update_pair (self, GRAPH_NET, HANGAR_VM_IO_NET_RX, HANGAR_VM_IO_NET_TX);
}

static void
add_graph (HangarPerformanceView *self,
           AdwPreferencesPage    *page,
           GraphKind              kind,
           const char            *id,
           const char            *title,
           const char            *legend)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *graph = hangar_graph_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  g_autofree char *value_name = g_strdup_printf ("performance-%s-value", id);
  g_autofree char *graph_name = g_strdup_printf ("performance-%s-graph", id);

  adw_preferences_group_set_title (group, title);
  if (legend != NULL)
    adw_preferences_group_set_description (group, legend);
  gtk_widget_set_name (value, value_name);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_set_valign (value, GTK_ALIGN_END);
  adw_preferences_group_set_header_suffix (group, value);

  gtk_widget_set_name (graph, graph_name);
  gtk_widget_set_size_request (graph, -1, 96);
  hangar_graph_set_divisions (HANGAR_GRAPH (graph), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (graph), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_frame_set_child (GTK_FRAME (frame), graph);
  adw_preferences_group_add (group, frame);
  adw_preferences_page_add (page, group);

  self->values[kind] = GTK_LABEL (value);
  self->graphs[kind] = HANGAR_GRAPH (graph);
}

static void
hangar_performance_view_dispose (GObject *object)
{
  HangarPerformanceView *self = HANGAR_PERFORMANCE_VIEW (object);

  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_clear_object (&self->vm);

  G_OBJECT_CLASS (hangar_performance_view_parent_class)->dispose (object);
}

static void
hangar_performance_view_class_init (HangarPerformanceViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hangar_performance_view_dispose;
}

static void
hangar_performance_view_init (HangarPerformanceView *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *note_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  self->note = GTK_LABEL (gtk_label_new (_("The machine is not running. "
                                           "The graphs fill while it runs.")));
  gtk_widget_set_name (GTK_WIDGET (self->note), "performance-note");
  gtk_label_set_wrap (self->note, TRUE);
  gtk_label_set_xalign (self->note, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->note), "dim-label");
  adw_preferences_group_add (note_group, GTK_WIDGET (self->note));
  adw_preferences_page_add (page, note_group);

  add_graph (self, page, GRAPH_CPU, "cpu", _("CPU Usage"), NULL);
  add_graph (self, page, GRAPH_MEMORY, "memory", _("Memory Usage"), NULL);
  add_graph (self, page, GRAPH_DISK, "disk", _("Disk I/O"),
             _("Blue: read. Orange: write."));
  add_graph (self, page, GRAPH_NET, "network", _("Network I/O"),
             _("Blue: received. Orange: sent."));
  /* CPU and memory are percentages, the graphs' default top; rates
   * scale to the data. */
  hangar_graph_set_max (self->graphs[GRAPH_DISK], 0);
  hangar_graph_set_max (self->graphs[GRAPH_NET], 0);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (page));

  self->signals = g_signal_group_new (HANGAR_TYPE_VM);
  g_signal_group_connect_swapped (self->signals, "stats-updated", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::state", G_CALLBACK (update), self);
}

/**
 * hangar_performance_view_new:
 * @vm: the machine
 *
 * Returns: (transfer floating): the view
 */
GtkWidget *
hangar_performance_view_new (HangarVm *vm)
{
  HangarPerformanceView *self;

  g_return_val_if_fail (vm == NULL || HANGAR_IS_VM (vm), NULL);

  self = g_object_new (HANGAR_TYPE_PERFORMANCE_VIEW, NULL);
  self->vm = vm ? g_object_ref (vm) : NULL;
  g_signal_group_set_target (self->signals, vm);
  /* The graphs are polled while they are on screen. */
  hangar_widget_hold_stats (GTK_WIDGET (self), vm);
  update (self);
  return GTK_WIDGET (self);
}

/* How many CPU samples the graph holds: tests wait on it. */
guint
hangar_performance_view_get_n_samples (HangarPerformanceView *self)
{
  g_return_val_if_fail (HANGAR_IS_PERFORMANCE_VIEW (self), 0);

  return hangar_graph_get_n_samples (self->graphs[GRAPH_CPU], 0);
}
