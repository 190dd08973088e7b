/* hangar-file-transfer.h — one file on its way into a guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_FILE_TRANSFER (hangar_file_transfer_get_type ())

G_DECLARE_FINAL_TYPE (HangarFileTransfer, hangar_file_transfer, HANGAR, FILE_TRANSFER, GObject)

const char *hangar_file_transfer_get_name        (HangarFileTransfer *self);
double      hangar_file_transfer_get_progress    (HangarFileTransfer *self);
guint64     hangar_file_transfer_get_total_bytes (HangarFileTransfer *self);
gboolean    hangar_file_transfer_get_finished    (HangarFileTransfer *self);
void        hangar_file_transfer_cancel          (HangarFileTransfer *self);

/* For the session that made it. */
HangarFileTransfer *_hangar_file_transfer_new    (GObject            *task);
void        _hangar_file_transfer_fail           (HangarFileTransfer *self,
                                                  const GError       *error);

G_END_DECLS
