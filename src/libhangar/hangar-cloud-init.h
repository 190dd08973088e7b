/* hangar-cloud-init.h — a cloud image's first-boot settings as a NoCloud seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_CLOUD_INIT_ERROR (hangar_cloud_init_error_quark ())

typedef enum
{
  HANGAR_CLOUD_INIT_ERROR_USER_NAME,
  HANGAR_CLOUD_INIT_ERROR_PASSWORD,
  HANGAR_CLOUD_INIT_ERROR_SSH_KEY,
  HANGAR_CLOUD_INIT_ERROR_HOST_NAME,
  HANGAR_CLOUD_INIT_ERROR_INSTANCE_ID,
  HANGAR_CLOUD_INIT_ERROR_NO_LOGIN,   /* neither a password nor a key */
  HANGAR_CLOUD_INIT_ERROR_SEED,       /* the ISO could not be written */
} HangarCloudInitError;

/* What cloud-init sets up on the first boot. */
typedef struct
{
  char *user_name;
  char *password;     /* nullable; only its SHA-512 crypt hash goes into the seed */
  char *ssh_key;      /* nullable; one public key line */
  char *host_name;
  char *instance_id;  /* nullable: one is made up when the seed is written */
} HangarCloudInit;

#define HANGAR_TYPE_CLOUD_INIT (hangar_cloud_init_get_type ())

GType            hangar_cloud_init_get_type         (void) G_GNUC_CONST;
GQuark           hangar_cloud_init_error_quark      (void);

HangarCloudInit *hangar_cloud_init_new              (void);
HangarCloudInit *hangar_cloud_init_copy             (const HangarCloudInit *config);
void             hangar_cloud_init_free             (HangarCloudInit       *config);

gboolean         hangar_cloud_init_check_user_name  (const char            *user_name,
                                                     GError               **error);
gboolean         hangar_cloud_init_check_password   (const char            *password,
                                                     GError               **error);
gboolean         hangar_cloud_init_check_ssh_key    (const char            *ssh_key,
                                                     GError               **error);
gboolean         hangar_cloud_init_check_host_name  (const char            *host_name,
                                                     GError               **error);
gboolean         hangar_cloud_init_check            (const HangarCloudInit *config,
                                                     GError               **error);

char            *hangar_cloud_init_default_ssh_key  (const char            *home_dir);

char            *hangar_cloud_init_user_data        (const HangarCloudInit *config,
                                                     const char            *salt,
                                                     GError               **error);
char            *hangar_cloud_init_meta_data        (const HangarCloudInit *config,
                                                     GError               **error);
GBytes          *hangar_cloud_init_build_seed       (const HangarCloudInit *config,
                                                     const char            *salt,
                                                     GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarCloudInit, hangar_cloud_init_free)

G_END_DECLS
