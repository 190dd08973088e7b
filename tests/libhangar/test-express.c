/* test-express.c — express installs without a daemon: the answers'
 * checks and defaults, the generated preseed, kickstart and autounattend
 * against golden files, files read out of an ISO and the cpio archive
 * that carries the answers into an initrd.
 *
 * Golden files are in tests/libhangar/express/; after a deliberate change,
 * HANGAR_UPDATE_GOLDEN=1 rewrites them (then read the diff).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <locale.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "hangar-express-media.h"
#include "hangar-express.h"
#include "hangar-os.h"

static OsinfoDb *db;

/* Fixed answers: a Brazilian user, nothing random. */
static HangarExpressConfig *
pt_br_config (void)
{
  HangarExpressConfig *config = hangar_express_config_new ();

  g_free (config->profile);
  config->profile = g_strdup ("desktop");
  config->user_name = g_strdup ("maria");
  config->full_name = g_strdup ("Maria da Silva");
  config->password = g_strdup ("senha-do-usuario");
  config->admin_password = g_strdup ("senha-do-admin");
  config->host_name = g_strdup ("maquina-teste");
  config->language = g_strdup ("pt_BR");
  config->keyboard = g_strdup ("pt_BR");
  config->time_zone = g_strdup ("America/Sao_Paulo");
  return config;
}

static void
test_checks (void)
{
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  const char *good_users[] = { "maria", "m", "joao-silva", "a_b9", NULL };
  const char *bad_users[] = { "", "Maria", "9lives", "-x", "maria silva", "josé", "root",
                              "abcdefghijklmnopqrstu", NULL };
  const char *good_hosts[] = { "maquina", "a", "web-01", "A1", NULL };
  const char *bad_hosts[] = { "", "-a", "a-", "a.b", "a_b", "máquina",
                              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL };

  for (guint i = 0; good_users[i]; i++)
    g_assert_true (hangar_express_check_user_name (good_users[i], NULL));
  for (guint i = 0; bad_users[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (hangar_express_check_user_name (bad_users[i], &error));
      g_assert_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_USER_NAME);
    }
  for (guint i = 0; good_hosts[i]; i++)
    g_assert_true (hangar_express_check_host_name (good_hosts[i], NULL));
  for (guint i = 0; bad_hosts[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (hangar_express_check_host_name (bad_hosts[i], &error));
      g_assert_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_HOST_NAME);
    }

  g_assert_true (hangar_express_config_check (config, NULL));
  {
    g_autoptr(GError) error = NULL;

    g_clear_pointer (&config->password, g_free);
    config->password = g_strdup ("");
    g_assert_false (hangar_express_config_check (config, &error));
    g_assert_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_PASSWORD);
  }
  {
    g_autoptr(GError) error = NULL;

    g_free (config->password);
    config->password = g_strdup ("x");
    g_free (config->time_zone);
    config->time_zone = g_strdup ("../../etc/passwd");
    g_assert_false (hangar_express_config_check (config, &error));
    g_assert_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_TIME_ZONE);
  }

  g_assert_cmpstr (hangar_express_host_name_from ("Debian 11 (2)"), ==, "debian-11-2");
  g_assert_cmpstr (hangar_express_host_name_from ("--"), ==, "machine");
}

static void
test_desktop_defaults (void)
{
  g_autofree char *lang = hangar_express_language_from_locale ("pt_BR.UTF-8");
  g_autofree char *euro = hangar_express_language_from_locale ("de_DE@euro");

  g_assert_cmpstr (lang, ==, "pt_BR");
  g_assert_cmpstr (euro, ==, "de_DE");
  g_assert_null (hangar_express_language_from_locale ("C"));
  g_assert_null (hangar_express_language_from_locale ("C.UTF-8"));
  g_assert_null (hangar_express_language_from_locale ("../x"));

  /* A child with a Brazilian desktop: its language and time zone. */
  if (g_test_subprocess ())
    {
      g_autoptr(HangarExpressConfig) config = hangar_express_config_new_from_desktop ();

      g_print ("lang=%s kbd=%s tz=%s\n", config->language, config->keyboard, config->time_zone);
      return;
    }
  {
    const char *envp_add[][2] = {
      { "LANGUAGE", "" }, { "LC_ALL", "" }, { "LC_MESSAGES", "" }, { "LANG", "pt_BR.UTF-8" },
      { "TZ", "America/Sao_Paulo" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (envp_add); i++)
      g_setenv (envp_add[i][0], envp_add[i][1], TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stdout ("*lang=pt_BR kbd=pt_BR tz=America/Sao_Paulo*");
  }
}

static void
check_golden (const char *name,
              const char *text)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "libhangar", "express", name, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("HANGAR_UPDATE_GOLDEN"), "1") == 0)
    {
      g_assert_true (g_file_set_contents (path, text, -1, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_get_contents (path, &expected, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
}

static void
check_no_host_data (const char *text)
{
  const char *host = g_get_host_name ();
  const char *user = g_get_user_name ();

  /* Nothing of the machine that made it: the tests' host and user are
   * different from the answers', so a leak would show. */
  if (strlen (host) > 3 && g_strcmp0 (host, "localhost") != 0)
    g_assert_null (strstr (text, host));
  if (strlen (user) > 3)
    g_assert_null (strstr (text, g_strdup_printf ("/home/%s", user)));
}

static void
test_golden (gconstpointer data)
{
  const char *const *row = data;   /* short id, golden file, method, file name */
  OsinfoOs *os = hangar_os_find (db, row[0]);
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(HangarExpressScript) script = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (os);
  g_assert_true (hangar_express_os_has_script (os));
  g_assert_true (hangar_express_os_supported (os));
  media = hangar_express_find_media (os, "x86_64");
  g_assert_nonnull (media);
  script = hangar_express_generate (os, media, config, "x86_64", &error);
  g_assert_no_error (error);
  g_assert_nonnull (script);
  g_assert_cmpstr (script->file_name, ==, row[3]);
  g_assert_cmpint (script->method, ==, atoi (row[2]));
  /* The answers are in it. */
  g_assert_nonnull (strstr (script->script, "maria"));
  g_assert_nonnull (strstr (script->script, "maquina-teste"));
  /* Windows' script takes no time zone; its language is PT-BR. */
  if (script->method == OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD)
    g_assert_nonnull (strstr (script->script, "America/Sao_Paulo"));
  else
    g_assert_nonnull (strstr (script->script, "PT-BR"));
  check_no_host_data (script->script);
  check_golden (row[1], script->script);
  if (script->method == OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD)
    {
      g_autofree char *cmd = g_strdup_printf ("%s\n", script->cmdline);

      g_assert_nonnull (script->cmdline);
      check_golden (g_strdup_printf ("%s.cmdline", row[1]), cmd);
    }
}

static void
test_unknown_os (void)
{
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(GError) error = NULL;
  OsinfoOs *generic = hangar_os_find_generic (db, "linux");

  g_assert_null (hangar_express_generate (NULL, NULL, config, "x86_64", &error));
  g_assert_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_NO_SCRIPT);
  g_clear_error (&error);
  g_assert_false (hangar_express_os_supported (generic));
  g_assert_false (hangar_express_os_has_script (generic));
  g_assert_null (hangar_express_generate (generic, NULL, config, "x86_64", &error));
  g_assert_error (error, HANGAR_EXPRESS_ERROR, HANGAR_EXPRESS_ERROR_NO_SCRIPT);
}

/* The archive the kernel will unpack: one file at the root, its text,
 * owner-only, and nothing after the trailer. */
static void
test_cpio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hangar_express_make_cpio ("preseed.cfg", "d-i x string y\n", &error);
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  char buf[64] = { 0 };
  gsize size;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &size);
  g_assert_true (g_str_has_prefix (data, "070701"));
  g_assert_nonnull (memmem (data, size, "TRAILER!!!", 10));
  g_assert_cmpuint (size % 4, ==, 0);
  archive_read_support_format_cpio (a);
  g_assert_cmpint (archive_read_open_memory (a, data, size), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_read_next_header (a, &entry), ==, ARCHIVE_OK);
  g_assert_cmpstr (archive_entry_pathname (entry), ==, "preseed.cfg");
  g_assert_cmpint (archive_entry_perm (entry), ==, 0600);
  g_assert_cmpint (archive_read_data (a, buf, sizeof buf), ==, 15);
  g_assert_cmpstr (buf, ==, "d-i x string y\n");
  g_assert_cmpint (archive_read_next_header (a, &entry), ==, ARCHIVE_EOF);
  archive_read_free (a);

  g_assert_cmpuint (hangar_express_initrd_padding (512), ==, 0);
  g_assert_cmpuint (hangar_express_initrd_padding (513), ==, 511);
  g_assert_cmpuint (hangar_express_initrd_padding (1000), ==, 24);
}

/* Windows' answers on a disc of their own, read back with libarchive
 * and with this file's own ISO reader. */
static void
test_answers_iso (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) iso = hangar_express_make_answers_iso ("autounattend.xml", "<unattend/>\n",
                                                           &error);
  g_autofree char *path = NULL;
  g_autoptr(HangarIsoFile) file = NULL;
  char buf[64] = { 0 };
  int fd;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (iso), >=, 16 * 2048);
  g_assert_cmpuint (g_bytes_get_size (iso) % 2048, ==, 0);
  fd = g_file_open_tmp ("hangar-answers-XXXXXX.iso", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (iso, NULL), g_bytes_get_size (iso),
                                      NULL));
  file = hangar_iso_file_open (path, "autounattend.xml", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hangar_iso_file_get_size (file), ==, 12);
  g_assert_cmpint (hangar_iso_file_read (file, buf, sizeof buf, &error), ==, 12);
  g_assert_cmpstr (buf, ==, "<unattend/>\n");
  /* Windows reads Joliet: the name keeps its case and length. */
  {
    g_autofree char *data = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    /* "autounattend.xml" in UCS-2 big-endian, as Joliet stores it. */
    g_assert_nonnull (memmem (data, len, "\0a\0u\0t\0o\0u\0n\0a\0t\0t\0e\0n\0d", 24));
  }
  g_unlink (path);
}

/* A real ISO (xorriso), read without mounting it. */
static void
test_iso_read (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hangar-express-XXXXXX", NULL);
  g_autofree char *tree = g_build_filename (dir, "tree", NULL);
  g_autofree char *sub = g_build_filename (tree, "install.amd", NULL);
  g_autofree char *kernel = g_build_filename (sub, "vmlinuz", NULL);
  g_autofree char *iso = g_build_filename (dir, "t.iso", NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(HangarIsoFile) file = NULL;
  char buf[7];
  gssize n;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (kernel, "kernel bytes, 25 of them\n", -1, NULL));
  cmd = g_strdup_printf ("xorriso -as mkisofs -quiet -R -J -V TEST -o '%s' '%s'", iso, tree);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  file = hangar_iso_file_open (iso, "install.amd/vmlinuz", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hangar_iso_file_get_size (file), ==, 25);
  while ((n = hangar_iso_file_read (file, buf, sizeof buf, &error)) > 0)
    g_string_append_len (text, buf, n);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpstr (text->str, ==, "kernel bytes, 25 of them\n");

  g_assert_null (hangar_iso_file_open (iso, "install.amd/initrd.gz", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (hangar_iso_file_open (kernel, "install.amd/vmlinuz", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);

  g_unlink (iso);
  g_unlink (kernel);
  g_rmdir (sub);
  g_rmdir (tree);
  g_rmdir (dir);
}

static const char *debian11[] = { "debian11", "debian11-pt_BR.preseed", "8", "preseed.cfg" };
static const char *fedora37[] = { "fedora37", "fedora37-pt_BR.ks", "8", "fedora.ks" };
static const char *win11[] = { "win11", "win11-pt_BR.autounattend.xml", "1", "autounattend.xml" };

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  db = hangar_os_get_db (&error);
  g_assert_no_error (error);

  g_test_add_func ("/hangar/express/checks", test_checks);
  g_test_add_func ("/hangar/express/desktop-defaults", test_desktop_defaults);
  g_test_add_data_func ("/hangar/express/golden/debian11", debian11, test_golden);
  g_test_add_data_func ("/hangar/express/golden/fedora37", fedora37, test_golden);
  g_test_add_data_func ("/hangar/express/golden/win11", win11, test_golden);
  g_test_add_func ("/hangar/express/unknown-os", test_unknown_os);
  g_test_add_func ("/hangar/express/cpio", test_cpio);
  g_test_add_func ("/hangar/express/iso-read", test_iso_read);
  g_test_add_func ("/hangar/express/answers-iso", test_answers_iso);
  return g_test_run ();
}
