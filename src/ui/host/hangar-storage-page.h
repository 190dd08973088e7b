/* hangar-storage-page.h — a host's storage: its pools and the volumes of the
 * selected pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_STORAGE_PAGE (hangar_storage_page_get_type ())

G_DECLARE_FINAL_TYPE (HangarStoragePage, hangar_storage_page, HANGAR, STORAGE_PAGE,
                      AdwPreferencesPage)

HangarConnection *hangar_storage_page_get_connection      (HangarStoragePage *self);
void              hangar_storage_page_set_connection      (HangarStoragePage *self,
                                                           HangarConnection  *connection);
void              hangar_storage_page_load                (HangarStoragePage *self);
void              hangar_storage_page_reload              (HangarStoragePage *self);
gboolean          hangar_storage_page_is_busy             (HangarStoragePage *self);
GListModel       *hangar_storage_page_get_pools           (HangarStoragePage *self);
GListModel       *hangar_storage_page_get_volumes         (HangarStoragePage *self);
guint             hangar_storage_page_get_n_pool_listings (HangarStoragePage *self);
const char       *hangar_storage_page_get_selected_pool   (HangarStoragePage *self);
GtkWindow        *hangar_storage_page_get_form            (HangarStoragePage *self);

G_END_DECLS
