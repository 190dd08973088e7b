/* hangar-rfb.h — RFB pieces gvnc does not have: VNC Authentication's
 * response and Extended Clipboard data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Extended Clipboard flags (RFB community specification): formats in
 * the low 16 bits, actions in the high 8. */
#define HANGAR_RFB_CLIPBOARD_TEXT    (1u << 0)
#define HANGAR_RFB_CLIPBOARD_CAPS    (1u << 24)
#define HANGAR_RFB_CLIPBOARD_REQUEST (1u << 25)
#define HANGAR_RFB_CLIPBOARD_PEEK    (1u << 26)
#define HANGAR_RFB_CLIPBOARD_NOTIFY  (1u << 27)
#define HANGAR_RFB_CLIPBOARD_PROVIDE (1u << 28)

/* The pseudo-encoding a client announces to get them. */
#define HANGAR_RFB_ENCODING_EXTENDED_CLIPBOARD ((gint32) 0xc0a1e5ce)

/* The most text we take from a server (and tell it so in our caps). */
#define HANGAR_RFB_CLIPBOARD_MAX_TEXT (8 * 1024 * 1024)

guint hangar_rfb_version_minor            (const guint8   version[12]);
void  hangar_rfb_vnc_auth_response        (const char    *password,
                                           const guint8   challenge[16],
                                           guint8         response[16]);
char *hangar_rfb_clipboard_text_normalize (const char    *text,
                                           gsize          len);
char *hangar_rfb_clipboard_provided_text  (guint32        flags,
                                           const guint8  *data,
                                           gsize          len,
                                           GError       **error);

G_END_DECLS
