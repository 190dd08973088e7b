/* hangar-nic-form.h — the details page of one network interface: what it is
 * connected to, its model and its link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-vm-config.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_NIC_FORM (hangar_nic_form_get_type ())

G_DECLARE_FINAL_TYPE (HangarNicForm, hangar_nic_form, HANGAR, NIC_FORM, AdwPreferencesPage)

HangarNicForm     *hangar_nic_form_new          (const HangarNicSettings *nic);
const char        *hangar_nic_form_get_id       (HangarNicForm           *self);
const char        *hangar_nic_form_get_mac      (HangarNicForm           *self);
const char        *hangar_nic_form_get_title    (HangarNicForm           *self);
HangarVmConfig    *hangar_nic_form_get_config   (HangarNicForm           *self);
void               hangar_nic_form_set_config   (HangarNicForm           *self,
                                                 HangarVmConfig          *config);
void               hangar_nic_form_pick_network (HangarNicForm           *self,
                                                 const char              *network);
HangarNicSettings *hangar_nic_form_read         (HangarNicForm           *self);
gboolean           hangar_nic_form_is_dirty     (HangarNicForm           *self);

G_END_DECLS
