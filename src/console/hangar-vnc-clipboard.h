/* hangar-vnc-clipboard.h — the guest's clipboard from QEMU's VNC server,
 * over a connection of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_VNC_CLIPBOARD (hangar_vnc_clipboard_get_type ())

G_DECLARE_FINAL_TYPE (HangarVncClipboard, hangar_vnc_clipboard, HANGAR, VNC_CLIPBOARD, GObject)

HangarVncClipboard *hangar_vnc_clipboard_new              (int                 fd,
                                                           const char         *password);
HangarVncClipboard *hangar_vnc_clipboard_new_for_address  (GSocketAddress     *address,
                                                           const char         *password);
void                hangar_vnc_clipboard_note_client_text (HangarVncClipboard *self,
                                                           const char         *text);
void                hangar_vnc_clipboard_close            (HangarVncClipboard *self);

G_END_DECLS
