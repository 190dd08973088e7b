/* hangar-application.h — the application: command line, connections, windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"
#include "hangar-connection-manager.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_APPLICATION (hangar_application_get_type ())

G_DECLARE_FINAL_TYPE (HangarApplication, hangar_application, HANGAR, APPLICATION,
                      AdwApplication)

HangarApplication       *hangar_application_new             (void);
HangarConnectionManager *hangar_application_get_connections (HangarApplication *self);
GSettings               *hangar_application_get_settings    (HangarApplication *self);
HangarWindow            *hangar_application_get_main_window (HangarApplication *self);
const char              *hangar_application_get_implicit_uri (HangarApplication *self);

G_END_DECLS
