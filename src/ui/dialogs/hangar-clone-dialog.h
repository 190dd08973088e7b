/* hangar-clone-dialog.h — asks for a clone's name, shows the disks, copies with progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CLONE_DIALOG (hangar_clone_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarCloneDialog, hangar_clone_dialog, HANGAR, CLONE_DIALOG, AdwWindow)

GtkWidget  *hangar_clone_dialog_new         (HangarVm          *vm);
GtkWidget  *hangar_clone_dialog_present     (GtkWindow         *parent,
                                             HangarVm          *vm);
gboolean    hangar_clone_dialog_is_busy     (HangarCloneDialog *self);
gboolean    hangar_clone_dialog_is_ready    (HangarCloneDialog *self);
const char *hangar_clone_dialog_get_status  (HangarCloneDialog *self);

G_END_DECLS
