/* hangar-credentials-dialog.h — asks for what a host wants before it lets us in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-credential-request.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CREDENTIALS_DIALOG (hangar_credentials_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HangarCredentialsDialog, hangar_credentials_dialog, HANGAR,
                      CREDENTIALS_DIALOG, AdwWindow)

GtkWidget               *hangar_credentials_dialog_new            (GtkWindow               *parent,
                                                                   HangarCredentialRequest *request);
HangarCredentialRequest *hangar_credentials_dialog_get_request    (HangarCredentialsDialog *self);
GtkEditable             *hangar_credentials_dialog_get_username_row (HangarCredentialsDialog *self);
GtkEditable             *hangar_credentials_dialog_get_password_row (HangarCredentialsDialog *self);
GtkEditable             *hangar_credentials_dialog_get_row        (HangarCredentialsDialog *self,
                                                                   guint                    field);
gboolean                 hangar_credentials_dialog_get_remember   (HangarCredentialsDialog *self);
void                     hangar_credentials_dialog_set_remember   (HangarCredentialsDialog *self,
                                                                   gboolean                 remember);
void                     hangar_credentials_dialog_set_can_remember (HangarCredentialsDialog *self,
                                                                     gboolean                 can);
const char              *hangar_credentials_dialog_get_error_text (HangarCredentialsDialog *self);
gboolean                 hangar_credentials_dialog_submit         (HangarCredentialsDialog *self);

G_END_DECLS
