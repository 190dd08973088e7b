/* hangar-sparkline.h — a small usage graph of a machine's recent samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_SPARKLINE (hangar_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (HangarSparkline, hangar_sparkline, HANGAR, SPARKLINE, GtkWidget)

typedef enum
{
  HANGAR_SPARKLINE_CPU,
  HANGAR_SPARKLINE_MEMORY,
} HangarSparklineKind;

GtkWidget *hangar_sparkline_new    (HangarSparklineKind  kind);
void       hangar_sparkline_set_vm (HangarSparkline     *self,
                                    HangarVm            *vm);
HangarVm  *hangar_sparkline_get_vm (HangarSparkline     *self);

G_END_DECLS
