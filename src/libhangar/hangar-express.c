/* hangar-express.c — express (unattended) installs: the answers the user
 * gives once, checked, and the OS's own install script filled with them.
 *
 * The scripts are libosinfo's (OsinfoInstallScript: Debian's preseed,
 * Fedora's kickstart, Windows' autounattend); Hangar only chooses one,
 * fills an OsinfoInstallConfig and asks for the text and for the kernel
 * arguments that point the installer at it. Defaults come from the
 * desktop: its language, keyboard (libosinfo maps a locale to an XKB
 * layout) and time zone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-express.h"

G_DEFINE_QUARK (hangar-express-error-quark, hangar_express_error)

/* Longest user name useradd and Windows both take. */
#define USER_NAME_MAX 20

HangarExpressConfig *
hangar_express_config_new (void)
{
  HangarExpressConfig *config = g_new0 (HangarExpressConfig, 1);

  config->profile = g_strdup (OSINFO_INSTALL_SCRIPT_PROFILE_DESKTOP);
  return config;
}

/**
 * hangar_express_config_new_from_desktop:
 *
 * Returns: (transfer full): a config with the desktop's language, keyboard
 *   and time zone and the user's own login and full name as suggestions;
 *   no password
 */
HangarExpressConfig *
hangar_express_config_new_from_desktop (void)
{
  HangarExpressConfig *config = hangar_express_config_new ();
  const char *real_name = g_get_real_name ();
  g_autofree char *login = g_ascii_strdown (g_get_user_name (), -1);

  if (hangar_express_check_user_name (login, NULL) && !g_str_equal (login, "root"))
    config->user_name = g_steal_pointer (&login);
  else
    config->user_name = g_strdup ("");
  config->full_name = g_strdup (g_strcmp0 (real_name, "Unknown") == 0 ? "" : real_name);
  config->password = g_strdup ("");
  config->admin_password = g_strdup ("");
  config->host_name = g_strdup ("");
  config->language = hangar_express_desktop_language ();
  config->keyboard = g_strdup (config->language);
  config->time_zone = hangar_express_desktop_time_zone ();
  return config;
}

HangarExpressConfig *
hangar_express_config_copy (const HangarExpressConfig *config)
{
  HangarExpressConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (HangarExpressConfig, 1);
  copy->user_name = g_strdup (config->user_name);
  copy->full_name = g_strdup (config->full_name);
  copy->password = g_strdup (config->password);
  copy->admin_password = g_strdup (config->admin_password);
  copy->host_name = g_strdup (config->host_name);
  copy->language = g_strdup (config->language);
  copy->keyboard = g_strdup (config->keyboard);
  copy->time_zone = g_strdup (config->time_zone);
  copy->profile = g_strdup (config->profile);
  return copy;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

void
hangar_express_config_free (HangarExpressConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->user_name);
  g_free (config->full_name);
  free_secret (config->password);
  free_secret (config->admin_password);
  g_free (config->host_name);
  g_free (config->language);
  g_free (config->keyboard);
  g_free (config->time_zone);
  g_free (config->profile);
  g_free (config);
}

void
hangar_express_script_free (HangarExpressScript *script)
{
  if (script == NULL)
    return;
  free_secret (script->script);
  g_free (script->file_name);
  g_free (script->cmdline);
  g_free (script);
}

/* --- the desktop's defaults -------------------------------------------------- */

/**
 * hangar_express_language_from_locale:
 * @locale: a POSIX locale name: pt_BR.UTF-8, de_DE@euro, C
 *
 * Returns: (transfer full) (nullable): the language and territory
 *   (pt_BR), or %NULL for C, POSIX and names that are no language
 */
char *
hangar_express_language_from_locale (const char *locale)
{
  g_autofree char *lang = NULL;
  char *cut;

  if (locale == NULL || locale[0] == '\0')
    return NULL;
  lang = g_strdup (locale);
  if ((cut = strpbrk (lang, ".@")) != NULL)
    *cut = '\0';
  if (g_str_equal (lang, "C") || g_str_equal (lang, "POSIX") || lang[0] == '\0')
    return NULL;
  for (const char *p = lang; *p != '\0'; p++)
    if (!g_ascii_isalpha (*p) && *p != '_')
      return NULL;
  return g_steal_pointer (&lang);
}

/**
 * hangar_express_desktop_language:
 *
 * Returns: (transfer full): the desktop's language with its territory
 *   (pt_BR), en_US when the desktop has none
 */
char *
hangar_express_desktop_language (void)
{
  const char * const *names = g_get_language_names ();

  /* The first name with a territory: g_get_language_names() lists
   * pt_BR.UTF-8, pt_BR, pt.UTF-8, pt, C for LANG=pt_BR.UTF-8. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *lang = hangar_express_language_from_locale (names[i]);

      if (lang != NULL && strchr (lang, '_') != NULL)
        return g_steal_pointer (&lang);
    }
  return g_strdup ("en_US");
}

static gboolean
is_olson_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[0] == '/' || name[0] == ':')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/_+-", *p) == NULL)
      return FALSE;
  return strstr (name, "..") == NULL;
}

/**
 * hangar_express_desktop_time_zone:
 *
 * Returns: (transfer full): the desktop's time zone as an Olson name
 *   (America/Sao_Paulo), from $TZ, the local zone's identifier,
 *   /etc/timezone or /etc/localtime's link; UTC when none says
 */
char *
hangar_express_desktop_time_zone (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  const char *id = g_time_zone_get_identifier (zone);
  g_autofree char *contents = NULL;
  g_autofree char *link = NULL;

  if (is_olson_name (id) && !g_str_equal (id, "localtime"))
    return g_strdup (id);
  if (g_file_get_contents ("/etc/timezone", &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (is_olson_name (contents))
        return g_steal_pointer (&contents);
    }
  if ((link = g_file_read_link ("/etc/localtime", NULL)) != NULL)
    {
      const char *zoneinfo = strstr (link, "zoneinfo/");

      if (zoneinfo != NULL && is_olson_name (zoneinfo + strlen ("zoneinfo/")))
        return g_strdup (zoneinfo + strlen ("zoneinfo/"));
    }
  return g_strdup ("UTC");
}

/* --- checks -------------------------------------------------------------------- */

/**
 * hangar_express_check_user_name:
 *
 * The rules Debian's adduser and Fedora's useradd share, short enough for
 * Windows: a lower-case letter, then lower-case letters, digits, “-” or
 * “_”; not root.
 */
gboolean
hangar_express_check_user_name (const char  *user_name,
                                GError     **error)
{
  if (user_name == NULL || user_name[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_USER_NAME,
                           _("Enter a user name."));
      return FALSE;
    }
  if (strlen (user_name) > USER_NAME_MAX)
    {
      g_set_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_USER_NAME,
                   ngettext ("A user name has at most %d character.",
                             "A user name has at most %d characters.", USER_NAME_MAX),
                   USER_NAME_MAX);
      return FALSE;
    }
  if (!g_ascii_islower (user_name[0]))
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_USER_NAME,
                           _("A user name starts with a lower-case letter (a–z)."));
      return FALSE;
    }
  for (const char *p = user_name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      {
        g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_USER_NAME,
                             _("A user name may only hold lower-case letters (a–z), digits, "
                               "“-” and “_”."));
        return FALSE;
      }
  if (g_str_equal (user_name, "root") || g_str_equal (user_name, "administrator"))
    {
      g_set_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_USER_NAME,
                   _("“%s” is the system’s own account: choose another user name."), user_name);
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_express_check_host_name:
 *
 * One label of RFC 1123: 1–63 letters, digits and “-”, not starting or
 * ending with “-”. (Windows takes no more than 15 characters, and no
 * dots; one label suits both.)
 */
gboolean
hangar_express_check_host_name (const char  *host_name,
                                GError     **error)
{
  gsize len = host_name ? strlen (host_name) : 0;

  if (len == 0)
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_HOST_NAME,
                           _("Enter a host name."));
      return FALSE;
    }
  if (len > 63)
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_HOST_NAME,
                           _("A host name has at most 63 characters."));
      return FALSE;
    }
  for (const char *p = host_name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_HOST_NAME,
                             _("A host name may only hold letters (a–z), digits and “-”."));
        return FALSE;
      }
  if (host_name[0] == '-' || host_name[len - 1] == '-')
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_HOST_NAME,
                           _("A host name cannot start or end with “-”."));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_express_host_name_from:
 * @machine_name: the machine's name in Hangar
 *
 * Returns: (transfer full): a valid host name made from @machine_name
 *   (“Debian 11 (2)” → debian-11-2), or “machine”
 */
char *
hangar_express_host_name_from (const char *machine_name)
{
  g_autoptr(GString) name = g_string_new (NULL);

  for (const char *p = machine_name ? machine_name : ""; *p != '\0' && name->len < 63; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (name, g_ascii_tolower (*p));
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && name->str[name->len - 1] == '-')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_assign (name, "machine");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/**
 * hangar_express_config_check:
 *
 * Returns: %FALSE with @error's code naming the field that is wrong
 */
gboolean
hangar_express_config_check (const HangarExpressConfig *config,
                             GError                   **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (!hangar_express_check_user_name (config->user_name, error))
    return FALSE;
  if (config->full_name != NULL && strpbrk (config->full_name, ":\n\r") != NULL)
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_FULL_NAME,
                           _("A full name cannot hold “:” or line breaks."));
      return FALSE;
    }
  if (config->password == NULL || config->password[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_PASSWORD,
                           _("Enter a password."));
      return FALSE;
    }
  if (strpbrk (config->password, "\n\r") != NULL ||
      (config->admin_password != NULL && strpbrk (config->admin_password, "\n\r") != NULL))
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR,
                           strpbrk (config->password, "\n\r") != NULL
                           ? HANGAR_EXPRESS_ERROR_PASSWORD : HANGAR_EXPRESS_ERROR_ADMIN_PASSWORD,
                           _("A password cannot hold line breaks."));
      return FALSE;
    }
  if (!hangar_express_check_host_name (config->host_name, error))
    return FALSE;
  if (hangar_express_language_from_locale (config->language) == NULL)
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_LANGUAGE,
                           _("Choose a language."));
      return FALSE;
    }
  if (!is_olson_name (config->time_zone))
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_TIME_ZONE,
                           _("Choose a time zone, such as America/Sao_Paulo."));
      return FALSE;
    }
  return TRUE;
}

/* --- the OS's script -------------------------------------------------------------- */

static OsinfoInstallScript *
pick_script (OsinfoInstallScriptList *list,
             const char              *profile)
{
  OsinfoInstallScript *fallback = NULL;
  guint n = list ? osinfo_list_get_length (OSINFO_LIST (list)) : 0;

  for (guint i = 0; i < n; i++)
    {
      OsinfoInstallScript *script =
        OSINFO_INSTALL_SCRIPT (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *p = osinfo_install_script_get_profile (script);

      if (g_strcmp0 (p, profile) == 0)
        return g_object_ref (script);
      if (fallback == NULL)
        fallback = script;
    }
  return fallback ? g_object_ref (fallback) : NULL;
}

/**
 * hangar_express_find_script:
 * @profile: (nullable): desktop (the default) or jeos; the other one is
 *   taken when the OS has only that one
 *
 * Returns: (transfer full) (nullable): the OS's install script, or %NULL
 *   with @error set when it has none
 */
OsinfoInstallScript *
hangar_express_find_script (OsinfoOs    *os,
                            const char  *profile,
                            GError     **error)
{
  g_autoptr(OsinfoInstallScriptList) list = NULL;
  OsinfoInstallScript *script;

  if (os == NULL)
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_NO_SCRIPT,
                           _("The operating system is not known: it cannot be installed "
                             "automatically."));
      return NULL;
    }
  /* Newer releases inherit their parent's scripts (Windows 11 has
   * Windows 10's): follow derives-from. */
  script = NULL;
  for (OsinfoProduct *product = OSINFO_PRODUCT (os); product != NULL && script == NULL;)
    {
      g_autoptr(OsinfoProductList) parents = NULL;

      g_clear_object (&list);
      list = osinfo_os_get_install_script_list (OSINFO_OS (product));
      script = pick_script (list, profile ? profile : OSINFO_INSTALL_SCRIPT_PROFILE_DESKTOP);
      parents = osinfo_product_get_related (product, OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM);
      product = osinfo_list_get_length (OSINFO_LIST (parents)) > 0
                ? OSINFO_PRODUCT (osinfo_list_get_nth (OSINFO_LIST (parents), 0)) : NULL;
      /* Only within one distribution: the generic “linux2022” derives
       * from Ubuntu 22.04, whose preseed would not suit Debian 12. */
      if (product != NULL && g_strcmp0 (osinfo_os_get_distro (OSINFO_OS (product)),
                                        osinfo_os_get_distro (os)) != 0)
        product = NULL;
    }
  if (script == NULL)
    g_set_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_NO_SCRIPT,
                 _("%s cannot be installed automatically."), osinfo_product_get_name (OSINFO_PRODUCT (os)));
  return script;
}

/* Linux installers get their answers in the initrd (no second disk);
 * Windows reads autounattend.xml from a CD or a floppy. */
static gboolean
choose_injection (OsinfoInstallScript                *script,
                  OsinfoInstallScriptInjectionMethod *method)
{
  unsigned int methods = osinfo_install_script_get_injection_methods (script);
  static const OsinfoInstallScriptInjectionMethod order[] = {
    OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD,
    OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_CDROM,
    OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_FLOPPY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (methods & order[i])
      {
        *method = order[i];
        return TRUE;
      }
  return FALSE;
}

/**
 * hangar_express_os_has_script:
 *
 * Returns: whether @os has a script that takes its answers in the
 *   initrd, from a CD or a floppy
 */
gboolean
hangar_express_os_has_script (OsinfoOs *os)
{
  g_autoptr(OsinfoInstallScript) script = hangar_express_find_script (os, NULL, NULL);
  OsinfoInstallScriptInjectionMethod method;

  return script != NULL && choose_injection (script, &method);
}

/**
 * hangar_express_os_supported:
 *
 * Returns: whether Hangar can install @os by itself: its script goes
 *   into the installer's initrd (Linux) or on a CD (Windows); not the
 *   floppy-only ones (Windows XP and older)
 */
gboolean
hangar_express_os_supported (OsinfoOs *os)
{
  g_autoptr(OsinfoInstallScript) script = hangar_express_find_script (os, NULL, NULL);
  OsinfoInstallScriptInjectionMethod method;

  return script != NULL && choose_injection (script, &method) &&
         method != OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_FLOPPY;
}

/* osinfo_media_supports_installer_script() also says no when the media's
 * own OS lists no script, though it inherits one (Windows 11): only the
 * media's explicit “no” counts here. */
static gboolean
media_takes_script (OsinfoMedia *media)
{
  return osinfo_entity_get_param_value_boolean_with_default (OSINFO_ENTITY (media),
                                                             OSINFO_MEDIA_PROP_INSTALLER_SCRIPT,
                                                             TRUE);
}

/**
 * hangar_express_find_media:
 * @arch: the guest's architecture: x86_64
 *
 * Returns: (transfer full) (nullable): @os's first installer media for
 *   @arch that takes an install script, for the golden-file tests and
 *   for an OS chosen from the list rather than detected
 */
OsinfoMedia *
hangar_express_find_media (OsinfoOs   *os,
                           const char *arch)
{
  g_autoptr(OsinfoMediaList) list = osinfo_os_get_media_list (os);
  guint n = osinfo_list_get_length (OSINFO_LIST (list));

  for (guint i = 0; i < n; i++)
    {
      OsinfoMedia *media = OSINFO_MEDIA (osinfo_list_get_nth (OSINFO_LIST (list), i));

      if (g_strcmp0 (osinfo_media_get_architecture (media), arch) == 0 &&
          osinfo_media_get_installer (media) && !osinfo_media_get_live (media) &&
          media_takes_script (media))
        return g_object_ref (media);
    }
  return NULL;
}

static OsinfoInstallConfig *
make_install_config (const HangarExpressConfig *config,
                     const char                *arch)
{
  OsinfoInstallConfig *ic = osinfo_install_config_new ("http://hangar.example/express");
  const char *admin = config->admin_password && config->admin_password[0]
                      ? config->admin_password : config->password;

  osinfo_install_config_set_hardware_arch (ic, arch);
  osinfo_install_config_set_user_login (ic, config->user_name);
  osinfo_install_config_set_user_realname (ic, config->full_name && config->full_name[0]
                                               ? config->full_name : config->user_name);
  osinfo_install_config_set_user_password (ic, config->password);
  osinfo_install_config_set_admin_password (ic, admin);
  /* The one user is the machine's owner: sudo on Linux, an
   * administrator on Windows. */
  osinfo_install_config_set_user_administrator (ic, TRUE);
  osinfo_install_config_set_user_autologin (ic, FALSE);
  osinfo_install_config_set_hostname (ic, config->host_name);
  osinfo_install_config_set_l10n_language (ic, config->language);
  osinfo_install_config_set_l10n_keyboard (ic, config->keyboard && config->keyboard[0]
                                               ? config->keyboard : config->language);
  osinfo_install_config_set_l10n_timezone (ic, config->time_zone);
  /* Unsigned drivers (virtio-win's) may be installed. */
  osinfo_install_config_set_driver_signing (ic, FALSE);
  return ic;
}

/**
 * hangar_express_generate:
 * @media: (nullable): the detected install media; scripts that differ by
 *   media (netinst or DVD) need it
 * @arch: the guest's architecture
 *
 * Fills @os's script with @config. Reads only libosinfo's database.
 *
 * Returns: (transfer full) (nullable): the script, its file name and the
 *   kernel arguments, or %NULL with @error set
 */
HangarExpressScript *
hangar_express_generate (OsinfoOs                  *os,
                         OsinfoMedia               *media,
                         const HangarExpressConfig *config,
                         const char                *arch,
                         GError                   **error)
{
  g_autoptr(OsinfoInstallScript) script = NULL;
  g_autoptr(OsinfoInstallConfig) ic = NULL;
  g_autoptr(HangarExpressScript) out = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *file_name;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (arch != NULL, NULL);

  if (!hangar_express_config_check (config, error))
    return NULL;
  if ((script = hangar_express_find_script (os, config->profile, error)) == NULL)
    return NULL;
  if (media != NULL && (!media_takes_script (media) || osinfo_media_get_live (media)))
    {
      g_set_error_literal (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_MEDIA,
                           _("This installation image cannot be installed automatically: "
                             "it is a live image or takes no answers file."));
      return NULL;
    }

  out = g_new0 (HangarExpressScript, 1);
  if (!choose_injection (script, &out->method))
    {
      g_set_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_NO_SCRIPT,
                   _("%s cannot be installed automatically."),
                   osinfo_product_get_name (OSINFO_PRODUCT (os)));
      return NULL;
    }
  osinfo_install_script_set_preferred_injection_method (script, out->method);
  ic = make_install_config (config, arch);

  if (media != NULL)
    out->script = osinfo_install_script_generate_for_media (script, media, ic, NULL, &local_error);
  else
    out->script = osinfo_install_script_generate (script, os, ic, NULL, &local_error);
  if (out->script == NULL)
    {
      g_set_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_GENERATE,
                   _("The installation answers could not be written: %s"), local_error->message);
      return NULL;
    }

  file_name = osinfo_install_script_get_expected_filename (script);
  out->file_name = g_strdup (file_name ? file_name : osinfo_install_script_get_output_filename (script));
  if (media != NULL)
    out->cmdline = osinfo_install_script_generate_command_line_for_media (script, media, ic);
  else
    out->cmdline = osinfo_install_script_generate_command_line (script, os, ic);
  if (out->cmdline != NULL)
    g_strstrip (out->cmdline);
  return g_steal_pointer (&out);
}
