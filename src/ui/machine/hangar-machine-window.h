/* hangar-machine-window.h — one machine's own window: its console, its power buttons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_MACHINE_WINDOW (hangar_machine_window_get_type ())

G_DECLARE_FINAL_TYPE (HangarMachineWindow, hangar_machine_window, HANGAR, MACHINE_WINDOW,
                      AdwApplicationWindow)

HangarMachineWindow *hangar_machine_window_new         (GtkApplication      *application,
                                                        HangarVm            *vm);
HangarVm            *hangar_machine_window_get_vm      (HangarMachineWindow *self);
GtkWidget           *hangar_machine_window_get_display (HangarMachineWindow *self);
const char          *hangar_machine_window_get_page    (HangarMachineWindow *self);
gboolean             hangar_machine_window_is_console_connected (HangarMachineWindow *self);
HangarMachineWindow *hangar_machine_window_present_for (GtkApplication      *application,
                                                        HangarVm            *vm);
void                 hangar_machine_window_show_details (HangarMachineWindow *self);
GtkWidget           *hangar_machine_window_get_details (HangarMachineWindow *self);

G_END_DECLS
