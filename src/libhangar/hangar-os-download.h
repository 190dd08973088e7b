/* hangar-os-download.h — downloads an OS image over HTTP(S) with libsoup:
 * progress, pause and resume (Range), cancel, checksum verification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_DOWNLOAD_ERROR (hangar_download_error_quark ())

typedef enum
{
  HANGAR_DOWNLOAD_ERROR_HTTP,      /* the server answered with an error */
  HANGAR_DOWNLOAD_ERROR_NETWORK,   /* no answer, or the connection broke */
  HANGAR_DOWNLOAD_ERROR_TRUNCATED, /* the body ended early: resumable */
  HANGAR_DOWNLOAD_ERROR_TOO_BIG,
  HANGAR_DOWNLOAD_ERROR_REDIRECT,  /* too many, or from https to http */
  HANGAR_DOWNLOAD_ERROR_CHECKSUM,  /* the file is not what the checksum says */
} HangarDownloadError;

typedef enum
{
  HANGAR_DOWNLOAD_IDLE,
  HANGAR_DOWNLOAD_RUNNING,
  HANGAR_DOWNLOAD_VERIFYING,
  HANGAR_DOWNLOAD_PAUSED,
  HANGAR_DOWNLOAD_DONE,
  HANGAR_DOWNLOAD_FAILED,
  HANGAR_DOWNLOAD_CANCELLED,
} HangarDownloadState;

/* Nothing an OS image needs comes near it; a server cannot fill the disk. */
#define HANGAR_DOWNLOAD_MAX_BYTES    (G_GINT64_CONSTANT (64) << 30)
#define HANGAR_DOWNLOAD_MAX_CHECKSUM (G_GINT64_CONSTANT (1) << 20)

#define HANGAR_TYPE_OS_DOWNLOADER (hangar_os_downloader_get_type ())
G_DECLARE_FINAL_TYPE (HangarOsDownloader, hangar_os_downloader, HANGAR, OS_DOWNLOADER, GObject)

GQuark              hangar_download_error_quark            (void);

HangarOsDownloader *hangar_os_downloader_new               (const char          *url,
                                                            const char          *destination,
                                                            const char          *sha256);
const char         *hangar_os_downloader_get_url           (HangarOsDownloader  *self);
const char         *hangar_os_downloader_get_destination   (HangarOsDownloader  *self);
char               *hangar_os_downloader_get_partial_path  (HangarOsDownloader  *self);
HangarDownloadState hangar_os_downloader_get_state         (HangarOsDownloader  *self);
guint64             hangar_os_downloader_get_received      (HangarOsDownloader  *self);
guint64             hangar_os_downloader_get_total         (HangarOsDownloader  *self);
double              hangar_os_downloader_get_rate          (HangarOsDownloader  *self);
gint64              hangar_os_downloader_get_seconds_left  (HangarOsDownloader  *self);
gboolean            hangar_os_downloader_get_verified      (HangarOsDownloader  *self);
const char         *hangar_os_downloader_get_checksum_url  (HangarOsDownloader  *self);
guint               hangar_os_downloader_get_requests      (HangarOsDownloader  *self);
gboolean            hangar_os_downloader_get_resumed       (HangarOsDownloader  *self);

void                hangar_os_downloader_start_async       (HangarOsDownloader  *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            hangar_os_downloader_start_finish      (HangarOsDownloader  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
void                hangar_os_downloader_pause             (HangarOsDownloader  *self);
void                hangar_os_downloader_cancel            (HangarOsDownloader  *self);
void                hangar_os_downloader_discard           (HangarOsDownloader  *self);

void                hangar_os_download_query_size_async    (const char          *url,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gint64              hangar_os_download_query_size_finish   (GAsyncResult        *result,
                                                            GError             **error);

gboolean            hangar_os_download_find_checksum       (const char          *sums,
                                                            gsize                length,
                                                            const char          *file_name,
                                                            char               **sha256);

G_END_DECLS
