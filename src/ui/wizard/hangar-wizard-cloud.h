/* hangar-wizard-cloud.h — the wizard's “Cloud image” source: the image and its first boot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-domain-spec.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_WIZARD_CLOUD (hangar_wizard_cloud_get_type ())

G_DECLARE_FINAL_TYPE (HangarWizardCloud, hangar_wizard_cloud, HANGAR, WIZARD_CLOUD, AdwBin)

gboolean hangar_wizard_cloud_validate   (HangarWizardCloud *self,
                                         gboolean           local);
void     hangar_wizard_cloud_fill_spec  (HangarWizardCloud *self,
                                         HangarDomainSpec  *spec);
char    *hangar_wizard_cloud_describe   (HangarWizardCloud *self);
void     hangar_wizard_cloud_set_image_path (HangarWizardCloud *self,
                                             const char        *path);

G_END_DECLS
