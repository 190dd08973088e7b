/* hangar-stats-holder.h — a widget asks for a machine's statistics while it is on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

void hangar_widget_hold_stats (GtkWidget *widget,
                               HangarVm  *vm);

G_END_DECLS
