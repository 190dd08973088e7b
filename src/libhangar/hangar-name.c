/* hangar-name.c — machine names: what libvirt and Hangar accept, and suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-name.h"

G_DEFINE_QUARK (hangar-name-error-quark, hangar_name_error)

/**
 * hangar_name_validate:
 * @name: a machine name as the user typed it
 *
 * Checks @name against the rules libvirt's QEMU driver enforces (no "/",
 * not empty) and the ones that keep the machine usable afterwards: the
 * name becomes part of file names (disk image, NVRAM, logs), so it may not
 * start with a dot, hold control characters or be very long. Each mistake
 * gets its own message.
 */
gboolean
hangar_name_validate (const char  *name,
                      GError     **error)
{
  glong n_chars;
  gsize len;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_EMPTY,
                           _("Give the machine a name."));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_ENCODING,
                           _("The name is not valid UTF-8 text."));
      return FALSE;
    }

  len = strlen (name);
  n_chars = g_utf8_strlen (name, -1);
  /* Counted in bytes as well: file names are limited in bytes. */
  if (n_chars > HANGAR_NAME_MAX_LENGTH || len > HANGAR_NAME_MAX_LENGTH * 2)
    {
      g_set_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_TOO_LONG,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The name may be at most %d character long.",
                                "The name may be at most %d characters long.",
                                HANGAR_NAME_MAX_LENGTH),
                   HANGAR_NAME_MAX_LENGTH);
      return FALSE;
    }

  if (strchr (name, '/') != NULL)
    {
      g_set_error_literal (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_SLASH,
                           _("The name may not contain “/”."));
      return FALSE;
    }

  if (name[0] == '.')
    {
      g_set_error_literal (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_LEADING_DOT,
                           _("The name may not start with “.”: files named after it "
                             "would be hidden."));
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          g_set_error_literal (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_CONTROL,
                               _("The name may not contain tabs, line breaks or other "
                                 "control characters."));
          return FALSE;
        }
    }

  /* libvirt would take these, but a name that differs from another only by
   * a trailing space is a trap on the command line. */
  if (g_unichar_isspace (g_utf8_get_char (name)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (name + len))))
    {
      g_set_error_literal (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_SPACE_AT_END,
                           _("The name may not start or end with a space."));
      return FALSE;
    }

  return TRUE;
}

/**
 * hangar_name_validate_new:
 * @name: a name for a machine about to be created
 * @existing: (nullable) (array zero-terminated=1): the names already used on
 *   the connection
 *
 * Like hangar_name_validate(), and also refuses a name already taken.
 * libvirt compares names exactly, and so does this.
 */
gboolean
hangar_name_validate_new (const char         *name,
                          const char * const *existing,
                          GError            **error)
{
  if (!hangar_name_validate (name, error))
    return FALSE;

  if (existing != NULL && g_strv_contains (existing, name))
    {
      g_set_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_TAKEN,
                   _("There is already a machine called “%s” on this connection."), name);
      return FALSE;
    }

  return TRUE;
}

/**
 * hangar_name_suggest:
 * @os_short_id: (nullable): libosinfo's short id of the guest OS, such as
 *   "debian11", or %NULL when the OS is not known
 * @existing: (nullable) (array zero-terminated=1): names already used
 *
 * Suggests a name that is valid and free: the short id itself, then
 * "ID-2", "ID-3" and so on.
 *
 * Returns: (transfer full): the suggestion
 */
char *
hangar_name_suggest (const char         *os_short_id,
                     const char * const *existing)
{
  g_autofree char *base = NULL;

  if (os_short_id != NULL && hangar_name_validate (os_short_id, NULL))
    base = g_strdup (os_short_id);
  else
    base = g_strdup ("vm");

  if (existing == NULL || !g_strv_contains (existing, base))
    return g_steal_pointer (&base);

  for (guint i = 2; ; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s-%u", base, i);

      if (!g_strv_contains (existing, candidate))
        return g_steal_pointer (&candidate);
    }
}
