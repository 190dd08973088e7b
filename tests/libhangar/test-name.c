/* test-name.c — machine name rules and suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "hangar-name.h"

static void
test_validate (void)
{
  g_autofree char *longest = g_strnfill (HANGAR_NAME_MAX_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (HANGAR_NAME_MAX_LENGTH + 1, 'a');
  struct { const char *name; int code; } cases[] = {
    { "debian12", -1 },
    { "Windows 11 (work)", -1 },
    { "fedora-37_test.2", -1 },
    { "Ünïcödé-ñame", -1 },
    { "a.b", -1 },
    { longest, -1 },
    { NULL, HANGAR_NAME_ERROR_EMPTY },
    { "", HANGAR_NAME_ERROR_EMPTY },
    { too_long, HANGAR_NAME_ERROR_TOO_LONG },
    { "a/b", HANGAR_NAME_ERROR_SLASH },
    { "/", HANGAR_NAME_ERROR_SLASH },
    { ".hidden", HANGAR_NAME_ERROR_LEADING_DOT },
    { "..", HANGAR_NAME_ERROR_LEADING_DOT },
    { "tab\there", HANGAR_NAME_ERROR_CONTROL },
    { "line\nbreak", HANGAR_NAME_ERROR_CONTROL },
    { "del\x7f", HANGAR_NAME_ERROR_CONTROL },
    { " leading", HANGAR_NAME_ERROR_SPACE_AT_END },
    { "trailing ", HANGAR_NAME_ERROR_SPACE_AT_END },
    { "bad\xff" "utf8", HANGAR_NAME_ERROR_ENCODING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = hangar_name_validate (cases[i].name, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "ok");
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, HANGAR_NAME_ERROR, cases[i].code);
        }
    }
}

static void
test_validate_messages_differ (void)
{
  const char *bad[] = { "", "a/b", ".a", "a\tb", "a " };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* A specific message for each mistake, not one "invalid name". */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (hangar_name_validate (bad[i], &error));
      g_assert_false (g_hash_table_contains (seen, error->message));
      g_hash_table_add (seen, g_strdup (error->message));
    }
}

static void
test_validate_new (void)
{
  const char *existing[] = { "debian12", "win11", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_name_validate_new ("fedora37", existing, &error));
  g_assert_no_error (error);
  g_assert_true (hangar_name_validate_new ("fedora37", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_name_validate_new ("debian12", existing, &error));
  g_assert_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_TAKEN);
  g_assert_nonnull (strstr (error->message, "debian12"));
  g_clear_error (&error);

  /* libvirt compares names exactly. */
  g_assert_true (hangar_name_validate_new ("Debian12", existing, &error));
  g_assert_no_error (error);

  /* Invalid beats taken. */
  g_assert_false (hangar_name_validate_new ("", existing, &error));
  g_assert_error (error, HANGAR_NAME_ERROR, HANGAR_NAME_ERROR_EMPTY);
}

static void
test_suggest (void)
{
  const char *none[] = { NULL };
  const char *one[] = { "debian12", NULL };
  const char *two[] = { "debian12", "debian12-2", NULL };
  const char *gap[] = { "debian12", "debian12-3", NULL };
  const char *vm[] = { "vm", NULL };
  struct { const char *id; const char * const *existing; const char *expected; } cases[] = {
    { "debian12", NULL, "debian12" },
    { "debian12", none, "debian12" },
    { "debian12", one, "debian12-2" },
    { "debian12", two, "debian12-3" },
    { "debian12", gap, "debian12-2" },
    { "win11", two, "win11" },
    { NULL, NULL, "vm" },
    { NULL, vm, "vm-2" },
    { "", NULL, "vm" },
    { ".bad", NULL, "vm" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = hangar_name_suggest (cases[i].id, cases[i].existing);

      g_assert_cmpstr (name, ==, cases[i].expected);
      g_assert_true (hangar_name_validate_new (name, cases[i].existing, NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/wizard/name/validate", test_validate);
  g_test_add_func ("/hangar/wizard/name/messages-differ", test_validate_messages_differ);
  g_test_add_func ("/hangar/wizard/name/validate-new", test_validate_new);
  g_test_add_func ("/hangar/wizard/name/suggest", test_suggest);

  return g_test_run ();
}
