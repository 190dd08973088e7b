/* hangar-performance-view.h — a machine's CPU, memory, disk and network graphs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_PERFORMANCE_VIEW (hangar_performance_view_get_type ())

G_DECLARE_FINAL_TYPE (HangarPerformanceView, hangar_performance_view, HANGAR, PERFORMANCE_VIEW,
                      AdwBin)

GtkWidget *hangar_performance_view_new           (HangarVm              *vm);
guint      hangar_performance_view_get_n_samples (HangarPerformanceView *self);

G_END_DECLS
