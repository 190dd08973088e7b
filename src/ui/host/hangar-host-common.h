/* hangar-host-common.h — small things the host window's pages share: row
 * buttons, list replacement, toasts, errors and the one open form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-host-form-dialog.h"

G_BEGIN_DECLS

gboolean   hangar_host_cancelled      (const GError          *error);
void       hangar_host_store_replace  (GListStore            *store,
                                       GPtrArray             *rows);
char      *hangar_host_format_bytes   (guint64                bytes);
GtkWidget *hangar_host_action_button  (const char            *icon_name,
                                       const char            *tooltip,
                                       const char            *action,
                                       const char            *target);
GtkWindow *hangar_host_page_window    (GtkWidget             *page);
void       hangar_host_toast          (GtkWidget             *inside,
                                       const char            *text);
void       hangar_host_show_error     (GtkWidget             *page,
                                       const char            *heading,
                                       const GError          *error);
void       hangar_host_set_form       (HangarHostFormDialog **slot,
                                       HangarHostFormDialog  *form);

G_END_DECLS
