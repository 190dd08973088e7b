/* hangar-plain-text.h — text that is shown as it is, never read as markup.
 *
 * Names of machines, pools and volumes, libvirt's and ssh's messages, HTTP
 * status lines and servers' prompts come from outside. Several libadwaita
 * 1.2 widgets read their text as Pango markup (toast titles, status page
 * descriptions, preferences row titles and subtitles by default), where
 * such text could hide itself or show a link that opens a web page
 * (preferences groups read their title and description as markup too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *hangar_toast_new_plain                   (const char    *text);
void      hangar_status_page_set_plain_description (AdwStatusPage *page,
                                                    const char    *text);
gpointer  hangar_row_plain                         (gpointer       row);
void      hangar_group_set_plain_title             (AdwPreferencesGroup *group,
                                                    const char          *text);
void      hangar_group_set_plain_description       (AdwPreferencesGroup *group,
                                                    const char          *text);

G_END_DECLS
