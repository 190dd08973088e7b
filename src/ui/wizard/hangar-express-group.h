/* hangar-express-group.h — the wizard's express-install answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-express.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_EXPRESS_GROUP (hangar_express_group_get_type ())

G_DECLARE_FINAL_TYPE (HangarExpressGroup, hangar_express_group, HANGAR, EXPRESS_GROUP,
                      AdwPreferencesGroup)

void                 hangar_express_group_set_available (HangarExpressGroup *self,
                                                         gboolean            available);
gboolean             hangar_express_group_get_active    (HangarExpressGroup *self);
void                 hangar_express_group_suggest_host_name (HangarExpressGroup *self,
                                                             const char         *machine_name);
gboolean             hangar_express_group_validate      (HangarExpressGroup *self);
HangarExpressConfig *hangar_express_group_get_config    (HangarExpressGroup *self);

G_END_DECLS
