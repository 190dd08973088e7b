/* hangar-host-key-dialog.h — an unknown ssh host key, for the user to accept or refuse.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_HOST_KEY_DIALOG (hangar_host_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarHostKeyDialog, hangar_host_key_dialog, HANGAR, HOST_KEY_DIALOG,
                      AdwMessageDialog)

/* The dialog's responses. */
#define HANGAR_HOST_KEY_ACCEPT "accept"
#define HANGAR_HOST_KEY_REFUSE "refuse"

gboolean    hangar_host_key_parse                  (const char           *question,
                                                    char                **host,
                                                    char                **key_type,
                                                    char                **fingerprint);
GtkWidget  *hangar_host_key_dialog_new             (GtkWindow            *parent,
                                                    const char           *question);
const char *hangar_host_key_dialog_get_host        (HangarHostKeyDialog  *self);
const char *hangar_host_key_dialog_get_key_type    (HangarHostKeyDialog  *self);
const char *hangar_host_key_dialog_get_fingerprint (HangarHostKeyDialog  *self);

G_END_DECLS
