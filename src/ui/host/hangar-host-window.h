/* hangar-host-window.h — one host's details in a window of its own: overview,
 * virtual networks, storage and network interfaces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_HOST_WINDOW (hangar_host_window_get_type ())

G_DECLARE_FINAL_TYPE (HangarHostWindow, hangar_host_window, HANGAR, HOST_WINDOW,
                      AdwApplicationWindow)

HangarHostWindow *hangar_host_window_new             (GtkApplication   *application,
                                                      HangarConnection *connection);
void              hangar_host_window_present_for     (GtkApplication   *application,
                                                      HangarConnection *connection);
HangarConnection *hangar_host_window_get_connection  (HangarHostWindow *self);
const char       *hangar_host_window_get_page        (HangarHostWindow *self);
void              hangar_host_window_set_page        (HangarHostWindow *self,
                                                      const char       *page);

/* What the pages show, for tests and for whoever embeds them. */
gboolean          hangar_host_window_is_busy         (HangarHostWindow *self);
gboolean          hangar_host_window_has_overview    (HangarHostWindow *self);
guint             hangar_host_window_get_n_usage_samples (HangarHostWindow *self);
GListModel       *hangar_host_window_get_networks    (HangarHostWindow *self);
GListModel       *hangar_host_window_get_pools       (HangarHostWindow *self);
GListModel       *hangar_host_window_get_volumes     (HangarHostWindow *self);
GListModel       *hangar_host_window_get_interfaces  (HangarHostWindow *self);
guint             hangar_host_window_get_n_pool_listings (HangarHostWindow *self);
const char       *hangar_host_window_get_selected_pool (HangarHostWindow *self);
const char       *hangar_host_window_get_interfaces_message (HangarHostWindow *self);
GtkWindow        *hangar_host_window_get_form        (HangarHostWindow *self);
GtkWidget        *hangar_host_window_get_networks_page   (HangarHostWindow *self);
GtkWidget        *hangar_host_window_get_storage_page    (HangarHostWindow *self);
GtkWidget        *hangar_host_window_get_interfaces_page (HangarHostWindow *self);

G_END_DECLS
