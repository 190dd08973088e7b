/* hangar-perf-graph.h — one or two series of a machine's recent samples, drawn large.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_PERF_GRAPH (hangar_perf_graph_get_type ())

G_DECLARE_FINAL_TYPE (HangarPerfGraph, hangar_perf_graph, HANGAR, PERF_GRAPH, GtkWidget)

GtkWidget *hangar_perf_graph_new        (void);
void       hangar_perf_graph_set_series (HangarPerfGraph *self,
                                         guint            series,
                                         const float     *values,
                                         guint            n_values);
void       hangar_perf_graph_set_fixed_max (HangarPerfGraph *self,
                                            float            max);
guint      hangar_perf_graph_get_n_samples (HangarPerfGraph *self,
                                            guint            series);

G_END_DECLS
