/* hangar-askpass.h — ssh's passwords, passphrases and host keys, asked in Hangar's windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_ASKPASS (hangar_askpass_get_type ())

G_DECLARE_FINAL_TYPE (HangarAskpass, hangar_askpass, HANGAR, ASKPASS, GObject)

/* What ssh asks for. */
typedef enum
{
  HANGAR_ASKPASS_SECRET,    /* a password, passphrase or PIN: typed, hidden */
  HANGAR_ASKPASS_HOST_KEY,  /* an unknown host key: yes or no, with its fingerprint */
  HANGAR_ASKPASS_CONFIRM,   /* a yes-or-no question (SSH_ASKPASS_PROMPT=confirm) */
} HangarAskpassKind;

HangarAskpassKind  hangar_askpass_classify        (const char     *question,
                                                   const char     *prompt_hint);
gboolean           hangar_askpass_prepare         (GError        **error);
HangarAskpass     *hangar_askpass_start           (GtkApplication *app);
HangarAskpass     *hangar_askpass_get_default     (void);
const char        *hangar_askpass_get_socket_path (HangarAskpass  *self);
const char        *hangar_askpass_get_program     (HangarAskpass  *self);
GtkWindow         *hangar_askpass_get_dialog      (HangarAskpass  *self);
guint              hangar_askpass_get_n_asked     (HangarAskpass  *self);

G_END_DECLS
