/* hangar-console-switch.h — a machine's display protocol, VNC or SPICE,
 * switched for its next boot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CONSOLE_SWITCH (hangar_console_switch_get_type ())
G_DECLARE_FINAL_TYPE (HangarConsoleSwitch, hangar_console_switch, HANGAR, CONSOLE_SWITCH,
                      AdwPreferencesGroup)

GtkWidget *hangar_console_switch_new    (HangarVm            *vm,
                                         const char          *protocol);
void       hangar_console_switch_select (HangarConsoleSwitch *self,
                                         const char          *protocol);

G_END_DECLS
