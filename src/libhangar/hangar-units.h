/* hangar-units.h — sizes for people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *hangar_format_kib (guint64 kib);

G_END_DECLS
