/* hangar-interfaces-page.h — a host's network interfaces, read only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_INTERFACES_PAGE (hangar_interfaces_page_get_type ())

G_DECLARE_FINAL_TYPE (HangarInterfacesPage, hangar_interfaces_page, HANGAR, INTERFACES_PAGE,
                      AdwPreferencesPage)

HangarConnection *hangar_interfaces_page_get_connection (HangarInterfacesPage *self);
void              hangar_interfaces_page_set_connection (HangarInterfacesPage *self,
                                                         HangarConnection     *connection);
void              hangar_interfaces_page_load           (HangarInterfacesPage *self);
void              hangar_interfaces_page_reload         (HangarInterfacesPage *self);
gboolean          hangar_interfaces_page_is_busy        (HangarInterfacesPage *self);
GListModel       *hangar_interfaces_page_get_interfaces (HangarInterfacesPage *self);
const char       *hangar_interfaces_page_get_message    (HangarInterfacesPage *self);

G_END_DECLS
