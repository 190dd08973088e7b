/* hangar-error.h — how a window tells the user something went wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void hangar_error_toast (AdwToastOverlay *overlay,
                         GtkWindow       *parent,
                         const char      *title,
                         const GError    *error);

G_END_DECLS
