/* hangar-add-hardware-dialog.h — picks a kind of device and its options, and adds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"
#include "hangar-vm-hardware.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_ADD_HARDWARE_DIALOG (hangar_add_hardware_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarAddHardwareDialog, hangar_add_hardware_dialog, HANGAR,
                      ADD_HARDWARE_DIALOG, AdwWindow)

GtkWidget  *hangar_add_hardware_dialog_present    (GtkWindow               *parent,
                                                   HangarVm                *vm);
gboolean    hangar_add_hardware_dialog_is_ready   (HangarAddHardwareDialog *self);
void        hangar_add_hardware_dialog_set_kind   (HangarAddHardwareDialog *self,
                                                   HangarHardwareKind       kind);
const char *hangar_add_hardware_dialog_get_status (HangarAddHardwareDialog *self);

G_END_DECLS
