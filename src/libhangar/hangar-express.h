/* hangar-express.h — express (unattended) installs: the answers the user
 * gives once, checked, and the OS's own install script filled with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define HANGAR_EXPRESS_ERROR (hangar_express_error_quark ())

/* The code says which answer is wrong, so the form can show the message
 * next to its field. */
typedef enum
{
  HANGAR_EXPRESS_ERROR_USER_NAME,
  HANGAR_EXPRESS_ERROR_FULL_NAME,
  HANGAR_EXPRESS_ERROR_PASSWORD,
  HANGAR_EXPRESS_ERROR_ADMIN_PASSWORD,
  HANGAR_EXPRESS_ERROR_HOST_NAME,
  HANGAR_EXPRESS_ERROR_LANGUAGE,
  HANGAR_EXPRESS_ERROR_TIME_ZONE,
  HANGAR_EXPRESS_ERROR_NO_SCRIPT,
  HANGAR_EXPRESS_ERROR_MEDIA,
  HANGAR_EXPRESS_ERROR_GENERATE,
} HangarExpressError;

typedef struct
{
  char *user_name;
  char *full_name;       /* nullable */
  char *password;
  char *admin_password;  /* nullable or empty: the user's password */
  char *host_name;
  char *language;        /* a locale without codeset: pt_BR */
  char *keyboard;        /* a locale too (libosinfo maps it to an XKB layout: pt_BR → br) */
  char *time_zone;       /* an Olson name: America/Sao_Paulo */
  char *profile;         /* OSINFO_INSTALL_SCRIPT_PROFILE_DESKTOP or _JEOS */
} HangarExpressConfig;

/* What the creator needs to boot a Linux installer with its answers. */
typedef struct
{
  char *script;          /* the generated preseed, kickstart or autounattend */
  char *file_name;       /* where the installer looks for it: preseed.cfg */
  char *cmdline;         /* nullable: kernel arguments that point the installer at it */
  OsinfoInstallScriptInjectionMethod method;
} HangarExpressScript;

GQuark               hangar_express_error_quark        (void);

HangarExpressConfig *hangar_express_config_new         (void);
HangarExpressConfig *hangar_express_config_new_from_desktop (void);
HangarExpressConfig *hangar_express_config_copy        (const HangarExpressConfig *config);
void                 hangar_express_config_free        (HangarExpressConfig       *config);
gboolean             hangar_express_config_check       (const HangarExpressConfig *config,
                                                        GError                   **error);

char                *hangar_express_language_from_locale (const char *locale);
char                *hangar_express_desktop_language   (void);
char                *hangar_express_desktop_time_zone  (void);

gboolean             hangar_express_check_user_name    (const char  *user_name,
                                                        GError     **error);
gboolean             hangar_express_check_host_name    (const char  *host_name,
                                                        GError     **error);
char                *hangar_express_host_name_from     (const char  *machine_name);

OsinfoInstallScript *hangar_express_find_script        (OsinfoOs    *os,
                                                        const char  *profile,
                                                        GError     **error);
gboolean             hangar_express_os_has_script      (OsinfoOs    *os);
gboolean             hangar_express_os_supported       (OsinfoOs    *os);
OsinfoMedia         *hangar_express_find_media         (OsinfoOs    *os,
                                                        const char  *arch);

HangarExpressScript *hangar_express_generate           (OsinfoOs                  *os,
                                                        OsinfoMedia               *media,
                                                        const HangarExpressConfig *config,
                                                        const char                *arch,
                                                        GError                   **error);
void                 hangar_express_script_free        (HangarExpressScript       *script);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarExpressConfig, hangar_express_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarExpressScript, hangar_express_script_free)

G_END_DECLS
