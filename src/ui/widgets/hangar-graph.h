/* hangar-graph.h — a graph of the last minute of one or two series of numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How many samples a series holds: a minute at one a second. */
#define HANGAR_GRAPH_N_SAMPLES 60

#define HANGAR_TYPE_GRAPH (hangar_graph_get_type ())

G_DECLARE_FINAL_TYPE (HangarGraph, hangar_graph, HANGAR, GRAPH, GtkWidget)

GtkWidget *hangar_graph_new           (void);
void       hangar_graph_set_samples   (HangarGraph *self,
                                       guint        series,
                                       const float *values,
                                       guint        n_values);
void       hangar_graph_push_sample   (HangarGraph *self,
                                       float        value);
void       hangar_graph_clear         (HangarGraph *self);
guint      hangar_graph_get_n_samples (HangarGraph *self,
                                       guint        series);
void       hangar_graph_set_max       (HangarGraph *self,
                                       float        max);
float      hangar_graph_get_max       (HangarGraph *self);
void       hangar_graph_set_divisions (HangarGraph *self,
                                       guint        divisions);
guint      hangar_graph_get_divisions (HangarGraph *self);

G_END_DECLS
