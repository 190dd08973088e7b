/* hangar-credential-request.h — one question for credentials, from libvirt to the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_CREDENTIAL_REQUEST (hangar_credential_request_get_type ())

G_DECLARE_FINAL_TYPE (HangarCredentialRequest, hangar_credential_request, HANGAR,
                      CREDENTIAL_REQUEST, GObject)

/* What one field asks for; how a dialog shows it. */
typedef enum
{
  HANGAR_CREDENTIAL_USERNAME,    /* a user name, shown as typed */
  HANGAR_CREDENTIAL_PASSWORD,    /* a password or passphrase, hidden */
  HANGAR_CREDENTIAL_TEXT,        /* any other answer, shown as typed */
  HANGAR_CREDENTIAL_SECRET_TEXT, /* any other answer, hidden */
} HangarCredentialKind;

const char           *hangar_credential_request_get_uri            (HangarCredentialRequest *self);
const char           *hangar_credential_request_get_display_name   (HangarCredentialRequest *self);
const char           *hangar_credential_request_get_previous_error (HangarCredentialRequest *self);
guint                 hangar_credential_request_get_n_fields       (HangarCredentialRequest *self);
HangarCredentialKind  hangar_credential_request_get_kind           (HangarCredentialRequest *self,
                                                                    guint                    i);
const char           *hangar_credential_request_get_prompt         (HangarCredentialRequest *self,
                                                                    guint                    i);
const char           *hangar_credential_request_get_challenge      (HangarCredentialRequest *self,
                                                                    guint                    i);
const char           *hangar_credential_request_get_default        (HangarCredentialRequest *self,
                                                                    guint                    i);
int                   hangar_credential_request_get_libvirt_type   (HangarCredentialRequest *self,
                                                                    guint                    i);
gboolean              hangar_credential_request_is_finished        (HangarCredentialRequest *self);
void                  hangar_credential_request_reply              (HangarCredentialRequest *self,
                                                                    const char * const      *values);
void                  hangar_credential_request_cancel             (HangarCredentialRequest *self);

/* For hangar-connection-auth.c: the open thread's side. */
typedef enum
{
  HANGAR_CREDENTIAL_WAIT_ANSWERED,
  HANGAR_CREDENTIAL_WAIT_REFUSED,    /* the user said Cancel, or nobody could be asked */
  HANGAR_CREDENTIAL_WAIT_CANCELLED,  /* the connection was closed meanwhile */
} HangarCredentialWait;

HangarCredentialRequest *_hangar_credential_request_new       (const char              *uri,
                                                               const char              *display_name,
                                                               const char              *previous_error);
void                     _hangar_credential_request_add_field (HangarCredentialRequest *self,
                                                               int                      libvirt_type,
                                                               const char              *prompt,
                                                               const char              *challenge,
                                                               const char              *defresult);
HangarCredentialWait     _hangar_credential_request_wait      (HangarCredentialRequest *self,
                                                               GCancellable            *cancellable);
const char              *_hangar_credential_request_get_value (HangarCredentialRequest *self,
                                                               guint                    i);

G_END_DECLS
