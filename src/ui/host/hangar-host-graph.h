/* hangar-host-graph.h — the host's CPU or memory use over the last minute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_HOST_GRAPH (hangar_host_graph_get_type ())

G_DECLARE_FINAL_TYPE (HangarHostGraph, hangar_host_graph, HANGAR, HOST_GRAPH, GtkWidget)

GtkWidget *hangar_host_graph_new        (void);
void       hangar_host_graph_add_sample (HangarHostGraph *self,
                                         double           percent);
guint      hangar_host_graph_get_n_samples (HangarHostGraph *self);
void       hangar_host_graph_clear      (HangarHostGraph *self);

G_END_DECLS
