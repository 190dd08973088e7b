/* hangar-accessible.h — accessible names for controls libadwaita leaves unnamed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void hangar_accessible_name_row_controls (GtkWidget *root);

G_END_DECLS
