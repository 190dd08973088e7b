/* hangar-vm-actions.h — the vm.* actions, for whichever machine a window shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_VM_ACTIONS (hangar_vm_actions_get_type ())

G_DECLARE_FINAL_TYPE (HangarVmActions, hangar_vm_actions, HANGAR, VM_ACTIONS, GSimpleActionGroup)

HangarVmActions *hangar_vm_actions_new        (GtkWindow       *parent);
HangarVm        *hangar_vm_actions_get_vm     (HangarVmActions *self);
void             hangar_vm_actions_set_vm     (HangarVmActions *self,
                                               HangarVm        *vm);

G_END_DECLS
