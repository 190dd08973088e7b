/* hangar-networks-page.h — a host's virtual networks: list, start, stop,
 * autostart, delete and create them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_NETWORKS_PAGE (hangar_networks_page_get_type ())

G_DECLARE_FINAL_TYPE (HangarNetworksPage, hangar_networks_page, HANGAR, NETWORKS_PAGE,
                      AdwPreferencesPage)

HangarConnection *hangar_networks_page_get_connection (HangarNetworksPage *self);
void              hangar_networks_page_set_connection (HangarNetworksPage *self,
                                                       HangarConnection   *connection);
void              hangar_networks_page_load           (HangarNetworksPage *self);
void              hangar_networks_page_reload         (HangarNetworksPage *self);
gboolean          hangar_networks_page_is_busy        (HangarNetworksPage *self);
GListModel       *hangar_networks_page_get_networks   (HangarNetworksPage *self);
GtkWindow        *hangar_networks_page_get_form       (HangarNetworksPage *self);

G_END_DECLS
