/* hangar-cloud-init.c — a cloud image's first-boot settings as a NoCloud seed.
 *
 * Cloud images (Debian's genericcloud, Fedora Cloud, Ubuntu's cloud
 * images) have no installer and no user: cloud-init makes one on the
 * first boot from a "datasource". The NoCloud datasource is a small ISO
 * 9660 volume labelled "cidata" holding two files, user-data (a
 * #cloud-config YAML document) and meta-data (the instance id and host
 * name). This file checks what the user typed, writes the two documents
 * and the ISO, with libarchive's ISO 9660 writer (Rock Ridge and Joliet,
 * so the names are exactly "user-data" and "meta-data") — no genisoimage,
 * no root.
 *
 * Every value is written as a YAML double-quoted scalar with its
 * backslashes and quotes escaped, and anything that YAML could not carry
 * on one line (control characters, line breaks) is refused before that,
 * so a user name or key can never add keys of its own to the document.
 *
 * The password itself never goes into the seed: only its SHA-512 crypt
 * hash does (cloud-init's "passwd"). The seed stays attached as a CD-ROM
 * after the first boot (cloud-init reads it again on each boot to see
 * whether the instance id changed); it holds no secret but the hash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <crypt.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>

#include "hangar-cloud-init.h"
#include "hangar-secret.h"

G_DEFINE_QUARK (hangar-cloud-init-error-quark, hangar_cloud_init_error)

G_DEFINE_BOXED_TYPE (HangarCloudInit, hangar_cloud_init, hangar_cloud_init_copy,
                     hangar_cloud_init_free)

/* useradd's limit (LOGIN_NAME_MAX is 256, but utmp keeps 32). */
#define MAX_USER_NAME 32
/* An ssh public key line; an RSA 16384-bit key is about 2,800 bytes. */
#define MAX_SSH_KEY   8192
#define MAX_PASSWORD  1024

HangarCloudInit *
hangar_cloud_init_new (void)
{
  return g_new0 (HangarCloudInit, 1);
}

HangarCloudInit *
hangar_cloud_init_copy (const HangarCloudInit *config)
{
  HangarCloudInit *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = hangar_cloud_init_new ();
  copy->user_name = g_strdup (config->user_name);
  copy->password = g_strdup (config->password);
  copy->ssh_key = g_strdup (config->ssh_key);
  copy->host_name = g_strdup (config->host_name);
  copy->instance_id = g_strdup (config->instance_id);
  return copy;
}

void
hangar_cloud_init_free (HangarCloudInit *config)
{
  if (config == NULL)
    return;
  g_free (config->user_name);
  hangar_secret_free (config->password);
  g_free (config->ssh_key);
  g_free (config->host_name);
  g_free (config->instance_id);
  g_free (config);
}

/* --- checks ------------------------------------------------------------------ */

static gboolean
has_control (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/**
 * hangar_cloud_init_check_user_name:
 *
 * The account cloud-init makes: what useradd accepts on every
 * distribution (a lower-case letter or underscore, then lower-case
 * letters, digits, “_” and “-”), and not one the image already has.
 */
gboolean
hangar_cloud_init_check_user_name (const char  *user_name,
                                   GError     **error)
{
  static const char *taken[] = { "root", "daemon", "bin", "sys", "nobody", NULL };

  if (user_name == NULL || user_name[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_USER_NAME,
                           _("Enter a user name."));
      return FALSE;
    }
  if (strlen (user_name) > MAX_USER_NAME)
    {
      g_set_error (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_USER_NAME,
                   _("The user name is longer than %d characters."), MAX_USER_NAME);
      return FALSE;
    }
  if (!(g_ascii_islower (user_name[0]) || user_name[0] == '_'))
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_USER_NAME,
                           _("The user name must start with a lower-case letter."));
      return FALSE;
    }
  for (const char *p = user_name; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '-'))
      {
        g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_USER_NAME,
                             _("The user name may hold only lower-case letters, digits, "
                               "“-” and “_”."));
        return FALSE;
      }
  if (g_strv_contains (taken, user_name))
    {
      g_set_error (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_USER_NAME,
                   _("“%s” is an account the system already has. Choose another user name."),
                   user_name);
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_cloud_init_check_password:
 * @password: (nullable): %NULL or empty for none
 */
gboolean
hangar_cloud_init_check_password (const char  *password,
                                  GError     **error)
{
  if (password == NULL || password[0] == '\0')
    return TRUE;
  if (strlen (password) > MAX_PASSWORD)
    {
      g_set_error (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_PASSWORD,
                   _("The password is longer than %d characters."), MAX_PASSWORD);
      return FALSE;
    }
  if (!g_utf8_validate (password, -1, NULL) || has_control (password))
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_PASSWORD,
                           _("The password may not hold line breaks or other control "
                             "characters."));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_cloud_init_check_ssh_key:
 * @ssh_key: (nullable): one line of an OpenSSH public key file
 *   (“ssh-ed25519 AAAA… comment”); %NULL or empty for none
 */
gboolean
hangar_cloud_init_check_ssh_key (const char  *ssh_key,
                                 GError     **error)
{
  static const char *types[] = {
    "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com", NULL
  };
  g_auto(GStrv) fields = NULL;
  gsize decoded_len = 0;
  g_autofree guchar *decoded = NULL;

  if (ssh_key == NULL || ssh_key[0] == '\0')
    return TRUE;
  if (strlen (ssh_key) > MAX_SSH_KEY || !g_utf8_validate (ssh_key, -1, NULL) ||
      has_control (ssh_key))
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_SSH_KEY,
                           _("The ssh key must be one line of a public key file "
                             "(such as ~/.ssh/id_ed25519.pub)."));
      return FALSE;
    }
  fields = g_strsplit (ssh_key, " ", 3);
  if (g_strv_length (fields) < 2 || !g_strv_contains (types, fields[0]))
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_SSH_KEY,
                           _("This is not an ssh public key: it should start with its type, "
                             "such as “ssh-ed25519”, followed by the key."));
      return FALSE;
    }
  /* The key's blob names its type again: a pasted private key or a
   * truncated line fails here. */
  for (const char *p = fields[1]; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '+' || *p == '/' || *p == '='))
      goto bad_blob;
  decoded = g_base64_decode (fields[1], &decoded_len);
  if (decoded_len < 4 + strlen (fields[0]) ||
      GUINT32_FROM_BE (*(guint32 *) decoded) != strlen (fields[0]) ||
      memcmp (decoded + 4, fields[0], strlen (fields[0])) != 0)
    goto bad_blob;
  return TRUE;

bad_blob:
  g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_SSH_KEY,
                       _("The ssh key is damaged or incomplete. Copy the whole line of the "
                         ".pub file."));
  return FALSE;
}

/**
 * hangar_cloud_init_check_host_name:
 *
 * A host name as RFC 1123 has it: labels of letters, digits and “-”, not
 * starting or ending with “-”, at most 63 characters each, 253 in all.
 */
gboolean
hangar_cloud_init_check_host_name (const char  *host_name,
                                   GError     **error)
{
  g_auto(GStrv) labels = NULL;

  if (host_name == NULL || host_name[0] == '\0')
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_HOST_NAME,
                           _("Enter a host name."));
      return FALSE;
    }
  if (strlen (host_name) > 253)
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_HOST_NAME,
                           _("The host name is longer than 253 characters."));
      return FALSE;
    }
  labels = g_strsplit (host_name, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      if (len == 0 || len > 63)
        {
          g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_HOST_NAME,
                               _("Each part of the host name between dots must have 1 to 63 "
                                 "characters."));
          return FALSE;
        }
      for (const char *p = label; *p; p++)
        if (!(g_ascii_isalnum (*p) || *p == '-'))
          {
            g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR,
                                 HANGAR_CLOUD_INIT_ERROR_HOST_NAME,
                                 _("The host name may hold only letters, digits, “-” and dots."));
            return FALSE;
          }
      if (label[0] == '-' || label[len - 1] == '-')
        {
          g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_HOST_NAME,
                               _("A part of the host name may not start or end with “-”."));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_instance_id (const char  *instance_id,
                   GError     **error)
{
  if (instance_id == NULL)
    return TRUE;
  if (instance_id[0] == '\0' || strlen (instance_id) > 128)
    goto bad;
  for (const char *p = instance_id; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.'))
      goto bad;
  return TRUE;

bad:
  g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_INSTANCE_ID,
                       _("The instance id may hold only letters, digits, “-”, “_” and dots."));
  return FALSE;
}

/**
 * hangar_cloud_init_check:
 *
 * Every field, and that there is a way to log in: a password, a key or
 * both.
 */
gboolean
hangar_cloud_init_check (const HangarCloudInit  *config,
                         GError                **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (!hangar_cloud_init_check_user_name (config->user_name, error) ||
      !hangar_cloud_init_check_password (config->password, error) ||
      !hangar_cloud_init_check_ssh_key (config->ssh_key, error) ||
      !hangar_cloud_init_check_host_name (config->host_name, error) ||
      !check_instance_id (config->instance_id, error))
    return FALSE;
  if ((config->password == NULL || config->password[0] == '\0') &&
      (config->ssh_key == NULL || config->ssh_key[0] == '\0'))
    {
      g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_NO_LOGIN,
                           _("Give a password, an ssh key or both: cloud images have no "
                             "other way to log in."));
      return FALSE;
    }
  return TRUE;
}

/**
 * hangar_cloud_init_default_ssh_key:
 * @home_dir: (nullable): the home folder; %NULL for the user's
 *
 * Returns: (transfer full) (nullable): the first line of
 *   ~/.ssh/id_ed25519.pub, id_ecdsa.pub or id_rsa.pub that is a valid
 *   public key, or %NULL
 */
char *
hangar_cloud_init_default_ssh_key (const char *home_dir)
{
  static const char *names[] = { "id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub" };

  if (home_dir == NULL)
    home_dir = g_get_home_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (home_dir, ".ssh", names[i], NULL);
      g_autofree char *contents = NULL;
      char *newline;

      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      if ((newline = strchr (contents, '\n')) != NULL)
        *newline = '\0';
      g_strstrip (contents);
      if (hangar_cloud_init_check_ssh_key (contents, NULL) && contents[0] != '\0')
        return g_steal_pointer (&contents);
    }
  return NULL;
}

/* --- the documents ------------------------------------------------------------- */

/* A YAML double-quoted scalar. The checks refused control characters, so
 * only the backslash and the quote need escaping. */
static void
append_quoted (GString    *out,
               const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
hash_password (const char  *password,
               const char  *salt,
               GError     **error)
{
  g_autofree char *setting = NULL;
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  char *hash;

  if (salt != NULL)
    setting = g_strdup_printf ("$6$%s", salt);
  else
    {
      char buf[CRYPT_GENSALT_OUTPUT_SIZE];

      /* NULL random bytes: libcrypt reads them from the kernel. */
      if (crypt_gensalt_rn ("$6$", 0, NULL, 0, buf, sizeof buf) == NULL)
        goto fail;
      setting = g_strdup (buf);
    }
  hash = crypt_r (password, setting, data);
  if (hash == NULL || hash[0] == '*')
    goto fail;
  hash = g_strdup (hash);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return hash;

fail:
  explicit_bzero (data, sizeof *data);
  g_free (data);
  g_set_error_literal (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_PASSWORD,
                       _("The password could not be hashed."));
  return NULL;
}

/**
 * hangar_cloud_init_user_data:
 * @salt: (nullable): the password hash's salt; %NULL for a random one
 *   (tests give one so the document is always the same)
 *
 * Returns: (transfer full): the #cloud-config document, or %NULL with
 *   @error set when @config does not pass hangar_cloud_init_check()
 */
char *
hangar_cloud_init_user_data (const HangarCloudInit  *config,
                             const char             *salt,
                             GError                **error)
{
  g_autoptr(GString) out = NULL;
  gboolean has_password;

  g_return_val_if_fail (config != NULL, NULL);

  if (!hangar_cloud_init_check (config, error))
    return NULL;
  has_password = config->password != NULL && config->password[0] != '\0';

  out = g_string_new ("#cloud-config\n");
  g_string_append (out, "hostname: ");
  append_quoted (out, config->host_name);
  g_string_append (out, "\nusers:\n  - name: ");
  append_quoted (out, config->user_name);
  g_string_append (out, "\n    shell: /bin/bash\n");
  /* Administrator through a sudo rule of its own, not a group: Debian's
   * is "sudo", Fedora's "wheel". A user with a password types it for
   * sudo; one with a key only has none to type. */
  g_string_append_printf (out, "    sudo: \"ALL=(ALL) %sALL\"\n", has_password ? "" : "NOPASSWD:");
  if (has_password)
    {
      g_autofree char *hash = hash_password (config->password, salt, error);

      if (hash == NULL)
        return NULL;
      g_string_append (out, "    lock_passwd: false\n    passwd: ");
      append_quoted (out, hash);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append (out, "    lock_passwd: true\n");
  if (config->ssh_key != NULL && config->ssh_key[0] != '\0')
    {
      g_string_append (out, "    ssh_authorized_keys:\n      - ");
      append_quoted (out, config->ssh_key);
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "ssh_pwauth: %s\n", has_password ? "true" : "false");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * hangar_cloud_init_meta_data:
 *
 * Returns: (transfer full): the meta-data document: the instance id (a
 *   new one each time when @config has none) and the host name
 */
char *
hangar_cloud_init_meta_data (const HangarCloudInit  *config,
                             GError                **error)
{
  g_autoptr(GString) out = g_string_new ("instance-id: ");
  g_autofree char *made_up = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  if (!hangar_cloud_init_check_host_name (config->host_name, error) ||
      !check_instance_id (config->instance_id, error))
    return NULL;
  if (config->instance_id == NULL)
    made_up = g_strdup_printf ("iid-%s", g_uuid_string_random ());
  append_quoted (out, config->instance_id ? config->instance_id : made_up);
  g_string_append (out, "\nlocal-hostname: ");
  append_quoted (out, config->host_name);
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* --- the seed ISO ---------------------------------------------------------------- */

static la_ssize_t
write_to_array (struct archive *archive,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  g_byte_array_append (user_data, buffer, length);
  return length;
}

static gboolean
add_file (struct archive  *archive,
          const char      *name,
          const char      *contents)
{
  struct archive_entry *entry = archive_entry_new ();
  gsize length = strlen (contents);
  gboolean ok;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, length);
  archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);
  ok = archive_write_header (archive, entry) == ARCHIVE_OK &&
       archive_write_data (archive, contents, length) == (la_ssize_t) length;
  archive_entry_free (entry);
  return ok;
}

/**
 * hangar_cloud_init_build_seed:
 * @salt: (nullable): as for hangar_cloud_init_user_data()
 *
 * Returns: (transfer full): the NoCloud seed: an ISO 9660 image labelled
 *   “cidata” with user-data and meta-data, a few hundred KiB
 */
GBytes *
hangar_cloud_init_build_seed (const HangarCloudInit  *config,
                              const char             *salt,
                              GError                **error)
{
  g_autofree char *user_data = NULL;
  g_autofree char *meta_data = NULL;
  g_autoptr(GByteArray) iso = NULL;
  struct archive *archive;
  gboolean ok;

  g_return_val_if_fail (config != NULL, NULL);

  if ((user_data = hangar_cloud_init_user_data (config, salt, error)) == NULL ||
      (meta_data = hangar_cloud_init_meta_data (config, error)) == NULL)
    return NULL;

  iso = g_byte_array_new ();
  archive = archive_write_new ();
  ok = archive_write_set_format_iso9660 (archive) == ARCHIVE_OK &&
       archive_write_set_format_option (archive, "iso9660", "volume-id", "cidata") == ARCHIVE_OK &&
       archive_write_set_format_option (archive, "iso9660", "joliet", "1") == ARCHIVE_OK &&
       archive_write_set_format_option (archive, "iso9660", "rockridge", "1") == ARCHIVE_OK &&
       /* No padding to a 10 KiB block: the image is sectors, nothing more. */
       archive_write_set_bytes_per_block (archive, 2048) == ARCHIVE_OK &&
       archive_write_open (archive, iso, NULL, write_to_array, NULL) == ARCHIVE_OK &&
       add_file (archive, "user-data", user_data) &&
       add_file (archive, "meta-data", meta_data) &&
       archive_write_close (archive) == ARCHIVE_OK;
  if (!ok)
    g_set_error (error, HANGAR_CLOUD_INIT_ERROR, HANGAR_CLOUD_INIT_ERROR_SEED,
                 _("The cloud-init seed could not be written: %s"),
                 archive_error_string (archive) ? archive_error_string (archive) : "?");
  archive_write_free (archive);
  hangar_secret_wipe (user_data);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&iso));
}
