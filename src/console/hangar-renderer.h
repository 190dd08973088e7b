/* hangar-renderer.h — which GTK renderer suits this computer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *hangar_renderer_for_dri_dir   (const char *dri_dir);
char       *hangar_renderer_gdk_debug_without_gl (const char *gdk_debug);
void        hangar_renderer_apply_default (void);

G_END_DECLS
