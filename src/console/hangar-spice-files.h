/* hangar-spice-files.h — files into a SPICE guest's agent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <spice-client.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_FILE_TRANSFER (hangar_file_transfer_get_type ())

G_DECLARE_FINAL_TYPE (HangarFileTransfer, hangar_file_transfer, HANGAR, FILE_TRANSFER, GObject)

const char *hangar_file_transfer_get_name        (HangarFileTransfer *self);
double      hangar_file_transfer_get_progress    (HangarFileTransfer *self);
guint64     hangar_file_transfer_get_total_bytes (HangarFileTransfer *self);
gboolean    hangar_file_transfer_get_finished    (HangarFileTransfer *self);
void        hangar_file_transfer_cancel          (HangarFileTransfer *self);

/* The files a SPICE session sends, for that session. */
typedef struct _HangarSpiceFiles HangarSpiceFiles;

typedef void (*HangarSpiceFilesFinished) (HangarFileTransfer *transfer,
                                          const GError       *error,
                                          gpointer            data);

HangarSpiceFiles *hangar_spice_files_new      (GListStore              *transfers,
                                               HangarSpiceFilesFinished finished,
                                               gpointer                 data);
void              hangar_spice_files_free     (HangarSpiceFiles        *self);
void              hangar_spice_files_set_main (HangarSpiceFiles        *self,
                                               SpiceMainChannel        *main);
gboolean          hangar_spice_files_check    (HangarSpiceFiles        *self,
                                               gboolean                 connected,
                                               GError                 **error);
gboolean          hangar_spice_files_send     (HangarSpiceFiles        *self,
                                               GFile                  **files,
                                               guint                    n_files,
                                               GError                 **error);

G_END_DECLS
