/* hangar-os-download-dialog.h — "Download an OS": the catalogue libosinfo
 * knows how to download, with search, and one download with progress,
 * pause and cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_OS_DOWNLOAD_DIALOG (hangar_os_download_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HangarOsDownloadDialog, hangar_os_download_dialog, HANGAR, OS_DOWNLOAD_DIALOG, AdwWindow)

HangarOsDownloadDialog *hangar_os_download_dialog_new (GtkWindow  *parent,
                                                       const char *folder);

G_END_DECLS
