/* hangar-vnc-clipboard-private.h — the side channel's parser without a
 * socket, for tests and the fuzz target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-vnc-clipboard.h"

G_BEGIN_DECLS

HangarVncClipboard *_hangar_vnc_clipboard_new_detached (const char         *password);
gboolean            _hangar_vnc_clipboard_receive      (HangarVncClipboard *self,
                                                        const guint8       *buffer,
                                                        gsize               n);
gsize               _hangar_vnc_clipboard_take_output  (HangarVncClipboard *self);

G_END_DECLS
