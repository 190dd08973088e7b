/* test-cloud-init.c — the NoCloud seed: checks, user-data and meta-data, the cidata ISO.
 *
 * The documents are compared with golden files in tests/libhangar/cloud-init/
 * (HANGAR_UPDATE_GOLDEN=1 rewrites them), parsed back by a real YAML parser
 * (python3-yaml) to see that quotes and colons in a key's comment stay
 * inside their value, and the ISO is read back with libarchive and with
 * xorriso.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "hangar-cloud-init.h"

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKx6NvlYkTQAJO/9xtuXHkExma74LvIcrn3WABWX+ge"
/* A comment with everything YAML would read as syntax if it were bare. */
#define KEY_COMMENT "maria \"laptop\": casa #1 \\ 'x'"
#define PASSWORD "s3nh@ \"forte\": #1"
#define SALT "hangartestsalt"

static HangarCloudInit *
make_config (void)
{
  HangarCloudInit *config = hangar_cloud_init_new ();

  config->user_name = g_strdup ("maria");
  config->password = g_strdup (PASSWORD);
  config->ssh_key = g_strdup (KEY " " KEY_COMMENT);
  config->host_name = g_strdup ("maquina-1");
  config->instance_id = g_strdup ("iid-hangar-test");
  return config;
}

static void
check_golden (const char *text,
              const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "libhangar", "cloud-init", name, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("HANGAR_UPDATE_GOLDEN"), "1") == 0)
    {
      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
      return;
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
}

/* Parses @yaml with python3-yaml and prints "KEY=VALUE" lines of what
 * @expr (Python, over the document d) gives. */
static char *
parse_yaml (const char *yaml,
            const char *expr)
{
  g_autofree char *script = g_strdup_printf ("import sys, yaml\n"
                                             "d = yaml.safe_load(sys.stdin.read())\n"
                                             "print(%s, end='')\n", expr);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "/usr/bin/python3", "-c", script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, yaml, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return out;
}

static void
test_user_data_golden (void)
{
  g_autoptr(HangarCloudInit) config = make_config ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user_data = hangar_cloud_init_user_data (config, SALT, &error);
  g_autofree char *meta_data = NULL;
  g_autofree char *parsed = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (user_data, "#cloud-config\n"));
  /* Only the hash goes in. */
  g_assert_null (strstr (user_data, "s3nh@"));
  g_assert_nonnull (strstr (user_data, "$6$" SALT "$"));
  check_golden (user_data, "user-data");

  meta_data = hangar_cloud_init_meta_data (config, &error);
  g_assert_no_error (error);
  check_golden (meta_data, "meta-data");

  parsed = parse_yaml (user_data, "'\\n'.join([d['hostname'], d['users'][0]['name'], "
                                  "d['users'][0]['ssh_authorized_keys'][0], "
                                  "str(d['users'][0]['lock_passwd']), str(len(d)), "
                                  "str(len(d['users'][0]))])");
  if (parsed == NULL)
    {
      g_test_message ("no /usr/bin/python3: YAML not parsed back");
      return;
    }
  g_assert_cmpstr (parsed, ==, "maquina-1\nmaria\n" KEY " " KEY_COMMENT "\nFalse\n3\n6");
  g_free (parsed);

  /* The hash is the password's: crypt(3) agrees. */
  parsed = parse_yaml (user_data, "d['users'][0]['passwd']");
  g_assert_true (g_str_has_prefix (parsed, "$6$" SALT "$"));
  g_free (parsed);
  parsed = parse_yaml (meta_data, "d['instance-id'] + ' ' + d['local-hostname']");
  g_assert_cmpstr (parsed, ==, "iid-hangar-test maquina-1");
}

static void
test_user_data_key_only (void)
{
  g_autoptr(HangarCloudInit) config = make_config ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user_data = NULL;
  g_autofree char *meta_data = NULL;
  g_autofree char *other = NULL;

  g_clear_pointer (&config->password, g_free);
  user_data = hangar_cloud_init_user_data (config, NULL, &error);
  g_assert_no_error (error);
  check_golden (user_data, "user-data-key-only");

  /* Without an instance id, each seed gets a new one. */
  g_clear_pointer (&config->instance_id, g_free);
  meta_data = hangar_cloud_init_meta_data (config, &error);
  other = hangar_cloud_init_meta_data (config, &error);
  g_assert_true (g_str_has_prefix (meta_data, "instance-id: \"iid-"));
  g_assert_cmpstr (meta_data, !=, other);
}

static void
test_random_salt (void)
{
  g_autoptr(HangarCloudInit) config = make_config ();
  g_autofree char *a = hangar_cloud_init_user_data (config, NULL, NULL);
  g_autofree char *b = hangar_cloud_init_user_data (config, NULL, NULL);

  g_assert_nonnull (strstr (a, "passwd: \"$6$"));
  g_assert_cmpstr (a, !=, b);
}

typedef struct
{
  const char *field;
  const char *value;
  int         code;
} BadCase;

static const BadCase bad_cases[] = {
  { "user", "", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "ma\"ria", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "maria: x", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "maria\nroot", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "Maria", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "1maria", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "root", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "user", "abcdefghijklmnopqrstuvwxyzabcdefg", HANGAR_CLOUD_INIT_ERROR_USER_NAME },
  { "password", "a\nb", HANGAR_CLOUD_INIT_ERROR_PASSWORD },
  { "password", "a\tb", HANGAR_CLOUD_INIT_ERROR_PASSWORD },
  { "key", KEY "\nssh-ed25519 AAAA", HANGAR_CLOUD_INIT_ERROR_SSH_KEY },
  { "key", KEY " a\nb", HANGAR_CLOUD_INIT_ERROR_SSH_KEY },
  { "key", "hello world", HANGAR_CLOUD_INIT_ERROR_SSH_KEY },
  { "key", "ssh-rsa " "AAAAC3NzaC1lZDI1NTE5AAAAIMKx6NvlYkTQAJO/9xtuXHkExma74LvIcrn3WABWX+ge",
    HANGAR_CLOUD_INIT_ERROR_SSH_KEY },
  { "key", "ssh-ed25519 AAAAC3Nz\"aC1l", HANGAR_CLOUD_INIT_ERROR_SSH_KEY },
  { "key", "-----BEGIN OPENSSH PRIVATE KEY-----", HANGAR_CLOUD_INIT_ERROR_SSH_KEY },
  { "host", "", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "host", "web:1", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "host", "web_1", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "host", "-web", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "host", "web..local", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "host", "web\"1", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "host", "web\n1", HANGAR_CLOUD_INIT_ERROR_HOST_NAME },
  { "instance", "iid: x", HANGAR_CLOUD_INIT_ERROR_INSTANCE_ID },
  { "nologin", NULL, HANGAR_CLOUD_INIT_ERROR_NO_LOGIN },
};

static void
test_rejected (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *bad = &bad_cases[i];
      g_autoptr(HangarCloudInit) config = make_config ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) seed = NULL;
      char **field = NULL;

      if (g_str_equal (bad->field, "user"))
        field = &config->user_name;
      else if (g_str_equal (bad->field, "password"))
        field = &config->password;
      else if (g_str_equal (bad->field, "key"))
        field = &config->ssh_key;
      else if (g_str_equal (bad->field, "host"))
        field = &config->host_name;
      else if (g_str_equal (bad->field, "instance"))
        field = &config->instance_id;
      else
        {
          g_clear_pointer (&config->password, g_free);
          config->ssh_key = (g_free (config->ssh_key), g_strdup (""));
        }
      if (field != NULL)
        {
          g_free (*field);
          *field = g_strdup (bad->value);
        }

      g_test_message ("case %u: %s", i, bad->value ? bad->value : bad->field);
      g_assert_false (hangar_cloud_init_check (config, &error));
      g_assert_error (error, HANGAR_CLOUD_INIT_ERROR, bad->code);
      /* A message a person can read, not the value echoed raw. */
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_clear_error (&error);
      g_assert_null (hangar_cloud_init_user_data (config, SALT, &error));
      g_assert_error (error, HANGAR_CLOUD_INIT_ERROR, bad->code);
      g_clear_error (&error);
      seed = hangar_cloud_init_build_seed (config, SALT, &error);
      g_assert_null (seed);
      g_assert_error (error, HANGAR_CLOUD_INIT_ERROR, bad->code);
    }
}

static void
test_default_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("hangar-cloud-home-XXXXXX", &error);
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *ed = g_build_filename (ssh, "id_ed25519.pub", NULL);
  g_autofree char *rsa = g_build_filename (ssh, "id_rsa.pub", NULL);
  g_autofree char *key = NULL;

  g_assert_no_error (error);
  g_assert_null (hangar_cloud_init_default_ssh_key (home));
  g_assert_cmpint (g_mkdir (ssh, 0700), ==, 0);
  /* A damaged id_ed25519.pub is passed over for the next one. */
  g_file_set_contents (ed, "ssh-ed25519 broken\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (rsa, KEY " me@here\nsecond line\n", -1, &error);
  g_assert_no_error (error);
  key = hangar_cloud_init_default_ssh_key (home);
  g_assert_cmpstr (key, ==, KEY " me@here");

  g_unlink (ed);
  g_unlink (rsa);
  g_rmdir (ssh);
  g_rmdir (home);
}

/* The volume ids of the primary (sector 16, ISO 9660's upper case) and
 * the Joliet (sector 17, UCS-2) descriptors. Linux's blkid, which
 * cloud-init's ds-identify asks, reports the Joliet one: "cidata". */
static void
check_volume_ids (GBytes *iso)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (iso, &size);
  const guint8 *joliet = data + 17 * 2048;
  g_autofree char *primary = NULL;
  g_autofree char *joliet_id = NULL;

  g_assert_cmpuint (size, >, 18 * 2048);
  g_assert_cmpint (data[16 * 2048], ==, 1);
  g_assert_cmpmem (data + 16 * 2048 + 1, 5, "CD001", 5);
  primary = g_strstrip (g_strndup ((const char *) data + 16 * 2048 + 40, 32));
  g_assert_cmpstr (primary, ==, "CIDATA");

  g_assert_cmpint (joliet[0], ==, 2);
  g_assert_cmpmem (joliet + 88, 2, "%/", 2);
  joliet_id = g_convert ((const char *) joliet + 40, 32, "UTF-8", "UTF-16BE", NULL, NULL, NULL);
  g_assert_nonnull (joliet_id);
  g_strstrip (joliet_id);
  g_assert_cmpstr (joliet_id, ==, "cidata");

  /* Rock Ridge's NM entry: the name as it is, not "USER_DAT.;1". */
  g_assert_nonnull (memmem (data, size, "NM\x0e\x01\x00user-data", 14));
}

static void
test_seed_iso (void)
{
  g_autoptr(HangarCloudInit) config = make_config ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) seed = hangar_cloud_init_build_seed (config, SALT, &error);
  g_autofree char *user_data = hangar_cloud_init_user_data (config, SALT, NULL);
  g_autofree char *meta_data = hangar_cloud_init_meta_data (config, NULL);
  struct archive *archive;
  struct archive_entry *entry;
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize size;
  const guint8 *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (seed, &size);
  g_assert_cmpuint (size % 2048, ==, 0);
  g_assert_cmpuint (size, <, 1024 * 1024);
  g_assert_null (memmem (data, size, "s3nh@", 5));

  check_volume_ids (seed);

  archive = archive_read_new ();
  archive_read_support_format_iso9660 (archive);
  g_assert_cmpint (archive_read_open_memory (archive, data, size), ==, ARCHIVE_OK);
  while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      g_autoptr(GString) contents = g_string_new (NULL);
      char buf[4096];
      la_ssize_t n;

      g_test_message ("entry %s", archive_entry_pathname (entry));
      if (archive_entry_filetype (entry) != AE_IFREG)
        continue;
      while ((n = archive_read_data (archive, buf, sizeof buf)) > 0)
        g_string_append_len (contents, buf, n);
      g_assert_cmpint (n, ==, 0);
      g_hash_table_insert (found, g_strdup (archive_entry_pathname (entry)),
                           g_string_free (g_steal_pointer (&contents), FALSE));
    }
  archive_read_free (archive);
  /* Rock Ridge names, exactly: cloud-init opens "user-data", not
   * "USER_DAT.;1". */
  g_assert_cmpuint (g_hash_table_size (found), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (found, "user-data"), ==, user_data);
  g_assert_cmpstr (g_hash_table_lookup (found, "meta-data"), ==, meta_data);
}

/* A second, independent reader: xorriso (tools/setup installs it). */
static void
test_seed_iso_xorriso (void)
{
  g_autoptr(HangarCloudInit) config = make_config ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) seed = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *out = NULL;
  g_autofree char *extracted = NULL;
  g_autofree char *user_data = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *xorriso = g_find_program_in_path ("xorriso");
  int status;

  if (xorriso == NULL)
    {
      g_test_skip ("xorriso is not installed");
      return;
    }
  seed = hangar_cloud_init_build_seed (config, SALT, &error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("hangar-seed-XXXXXX", &error);
  g_assert_no_error (error);
  iso = g_build_filename (dir, "seed.iso", NULL);
  out = g_build_filename (dir, "out", NULL);
  g_file_set_contents (iso, g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { xorriso, "-indev", iso, "-pvd_info", "-osirrox", "on",
                           "-extract", "/", out, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text,
                  &stderr_text, &status, &error);
    g_assert_no_error (error);
    g_test_message ("%s%s", stdout_text, stderr_text);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_true (g_regex_match_simple ("^Volume id *: 'CIDATA'$", stderr_text,
                                       G_REGEX_MULTILINE, 0));

  extracted = g_build_filename (out, "user-data", NULL);
  g_file_get_contents (extracted, &user_data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user_data, ==, hangar_cloud_init_user_data (config, SALT, NULL));
  g_unlink (extracted);
  g_free (extracted);
  extracted = g_build_filename (out, "meta-data", NULL);
  g_assert_true (g_file_test (extracted, G_FILE_TEST_IS_REGULAR));
  g_unlink (extracted);
  g_rmdir (out);
  g_unlink (iso);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/cloud-init/user-data/golden", test_user_data_golden);
  g_test_add_func ("/hangar/cloud-init/user-data/key-only", test_user_data_key_only);
  g_test_add_func ("/hangar/cloud-init/user-data/random-salt", test_random_salt);
  g_test_add_func ("/hangar/cloud-init/rejected", test_rejected);
  g_test_add_func ("/hangar/cloud-init/default-key", test_default_key);
  g_test_add_func ("/hangar/cloud-init/seed/libarchive", test_seed_iso);
  g_test_add_func ("/hangar/cloud-init/seed/xorriso", test_seed_iso_xorriso);

  return g_test_run ();
}
