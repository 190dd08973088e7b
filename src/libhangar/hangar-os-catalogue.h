/* hangar-os-catalogue.h — what libosinfo knows how to download: install
 * media and cloud images with a URL, for one architecture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <osinfo/osinfo.h>

G_BEGIN_DECLS

typedef enum
{
  HANGAR_OS_DOWNLOAD_INSTALLER,   /* an installer ISO */
  HANGAR_OS_DOWNLOAD_LIVE,        /* a live ISO (osinfo_media_get_live) */
  HANGAR_OS_DOWNLOAD_CLOUD_IMAGE, /* a disk image for cloud-init */
  HANGAR_OS_DOWNLOAD_DISK_IMAGE,  /* a disk image without cloud-init */
} HangarOsDownloadKind;

typedef struct
{
  OsinfoOs             *os;           /* the system it installs */
  char                 *os_id;        /* "http://debian.org/debian/11" */
  char                 *short_id;     /* "debian11" */
  char                 *name;         /* "Debian 11" */
  char                 *distro;       /* "debian", the family it is grouped by */
  char                 *version;      /* "11" */
  char                 *release_date; /* "2021-08-14", or NULL */
  char                 *variant;      /* "Workstation", or NULL */
  char                 *url;
  char                 *arch;
  char                 *format;       /* a disk image's format ("qcow2"), or NULL */
  HangarOsDownloadKind  kind;
  gboolean              newest;       /* the newest release of its distro here */
} HangarOsDownload;

GType             hangar_os_download_get_type   (void) G_GNUC_CONST;
HangarOsDownload *hangar_os_download_copy       (const HangarOsDownload *download);
void              hangar_os_download_free       (HangarOsDownload       *download);
const char       *hangar_os_download_kind_label (HangarOsDownloadKind    kind);
char             *hangar_os_download_file_name  (const HangarOsDownload *download);
gboolean          hangar_os_download_matches    (const HangarOsDownload *download,
                                                 const char             *text);
gboolean          hangar_os_download_is_cloud_qcow2 (const HangarOsDownload *download);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarOsDownload, hangar_os_download_free)

GPtrArray        *hangar_os_catalogue           (OsinfoDb               *db,
                                                 const char             *arch);
char             *hangar_os_catalogue_db_version (const char            *path);
char             *hangar_os_catalogue_notice    (const char             *db_version);

G_END_DECLS
