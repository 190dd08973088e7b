/* hangar-delete-dialog.h — asks before deleting a machine, and which disks go with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_DELETE_DIALOG (hangar_delete_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarDeleteDialog, hangar_delete_dialog, HANGAR, DELETE_DIALOG,
                      AdwMessageDialog)

GtkWidget  *hangar_delete_dialog_new                (GtkWindow          *parent,
                                                     HangarVm           *vm,
                                                     GPtrArray          *disks);
HangarVm   *hangar_delete_dialog_get_vm             (HangarDeleteDialog *self);
char      **hangar_delete_dialog_get_selected_paths (HangarDeleteDialog *self);
void        hangar_delete_dialog_set_path_selected  (HangarDeleteDialog *self,
                                                     const char         *path,
                                                     gboolean            selected);

G_END_DECLS
