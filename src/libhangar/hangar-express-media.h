/* hangar-express-media.h — files read out of an ISO image, and the small
 * cpio archive that carries an install script into an initrd.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HangarIsoFile HangarIsoFile;

HangarIsoFile *hangar_iso_file_open     (const char     *iso_path,
                                         const char     *member,
                                         GCancellable   *cancellable,
                                         GError        **error);
guint64        hangar_iso_file_get_size (HangarIsoFile  *file);
gssize         hangar_iso_file_read     (HangarIsoFile  *file,
                                         void           *buffer,
                                         gsize           size,
                                         GError        **error);
void           hangar_iso_file_close    (HangarIsoFile  *file);

GBytes        *hangar_express_make_cpio (const char     *file_name,
                                         const char     *contents,
                                         GError        **error);
gsize          hangar_express_initrd_padding (guint64    initrd_size);
GBytes        *hangar_express_make_answers_iso (const char *file_name,
                                                const char *contents,
                                                GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarIsoFile, hangar_iso_file_close)

G_END_DECLS
