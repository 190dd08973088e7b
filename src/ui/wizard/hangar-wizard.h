/* hangar-wizard.h — the new-machine wizard: install media, OS, resources, storage, name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <osinfo/osinfo.h>

#include "hangar-types.h"
#include "hangar-vm-creator.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_WIZARD (hangar_wizard_get_type ())

G_DECLARE_FINAL_TYPE (HangarWizard, hangar_wizard, HANGAR, WIZARD, AdwWindow)

HangarWizard    *hangar_wizard_new                (GtkApplication   *application,
                                                   GListModel       *connections,
                                                   HangarConnection *connection);
const char      *hangar_wizard_get_page           (HangarWizard     *self);
gboolean         hangar_wizard_get_busy           (HangarWizard     *self);
gboolean         hangar_wizard_can_go_forward     (HangarWizard     *self);
OsinfoOs        *hangar_wizard_get_detected_os    (HangarWizard     *self);
OsinfoOs        *hangar_wizard_get_os             (HangarWizard     *self);
HangarConnection *hangar_wizard_get_connection    (HangarWizard     *self);
HangarVmCreator *hangar_wizard_get_creator        (HangarWizard     *self);

G_END_DECLS
