/* hangar-name.h — machine names: what libvirt and Hangar accept, and suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HANGAR_NAME_ERROR (hangar_name_error_quark ())

/* Long enough for any real name, short enough that "NAME.qcow2", the
 * NVRAM file and the log file stay under the 255-byte file name limit. */
#define HANGAR_NAME_MAX_LENGTH 100

typedef enum
{
  HANGAR_NAME_ERROR_EMPTY,
  HANGAR_NAME_ERROR_TOO_LONG,
  HANGAR_NAME_ERROR_SLASH,
  HANGAR_NAME_ERROR_LEADING_DOT,
  HANGAR_NAME_ERROR_CONTROL,
  HANGAR_NAME_ERROR_SPACE_AT_END,
  HANGAR_NAME_ERROR_ENCODING,
  HANGAR_NAME_ERROR_TAKEN,
} HangarNameError;

GQuark    hangar_name_error_quark  (void);
gboolean  hangar_name_validate     (const char         *name,
                                    GError            **error);
gboolean  hangar_name_validate_new (const char         *name,
                                    const char * const *existing,
                                    GError            **error);
char     *hangar_name_suggest      (const char         *os_short_id,
                                    const char * const *existing);

G_END_DECLS
