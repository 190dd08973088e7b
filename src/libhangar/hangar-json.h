/* hangar-json.h — a small, strict JSON reader into GVariant.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HANGAR_JSON_ERROR (hangar_json_error_quark ())
GQuark hangar_json_error_quark (void);

GVariant *hangar_json_parse (const char  *text,
                             gssize       length,
                             GError     **error);

G_END_DECLS
