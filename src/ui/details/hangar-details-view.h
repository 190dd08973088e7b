/* hangar-details-view.h — a machine's settings: a sidebar of sections, each a form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"
#include "hangar-vm-config.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_DETAILS_VIEW (hangar_details_view_get_type ())

G_DECLARE_FINAL_TYPE (HangarDetailsView, hangar_details_view, HANGAR, DETAILS_VIEW, AdwBin)

GtkWidget      *hangar_details_view_new                   (HangarVm          *vm);
HangarVm       *hangar_details_view_get_vm                (HangarDetailsView *self);
HangarVmConfig *hangar_details_view_get_config            (HangarDetailsView *self);
void            hangar_details_view_reload                (HangarDetailsView *self);
gboolean        hangar_details_view_is_busy               (HangarDetailsView *self);
const char     *hangar_details_view_get_section           (HangarDetailsView *self);
gboolean        hangar_details_view_select_section        (HangarDetailsView *self,
                                                           const char        *id);
char          **hangar_details_view_list_sections         (HangarDetailsView *self);
gboolean        hangar_details_view_has_unapplied_changes (HangarDetailsView *self);
const char     *hangar_details_view_get_status            (HangarDetailsView *self);
gboolean        hangar_details_view_get_status_is_error   (HangarDetailsView *self);

G_END_DECLS
