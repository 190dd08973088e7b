/* test-os-download-pool.c — a downloaded OS image into a storage pool of
 * the real system libvirtd (virStorageVolUpload): the bytes arrive whole,
 * progress is told, and a pool too small for the image says so and keeps
 * nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/mount.h>

#include <glib/gstdio.h>

#include "hangar-credential-request.h"
#include "hangar-os-download-pool.h"
#include "hangar-test-util.h"
#include "host-test-util.h"

#define PREFIX     "hangar-osdltest-"
/* The private test host's daemon over TCP with SASL (tools/start-sasl-libvirtd):
 * the remote path, for real. */
#define REMOTE_URI "qemu+tcp://127.0.0.1/system"
#define USER       "hangartest"
#define PASSWORD   "hangar-test-password"
#define IMAGE_SIZE (3 * 1024 * 1024 + 4321)

static HangarConnection *connection;
static char *tmp_dir;
static char *image;
static char *image_sha256;

static void
on_progress (guint64  sent,
             guint64  total,
             gpointer data)
{
  guint64 *last = data;

  g_assert_cmpuint (total, ==, IMAGE_SIZE);
  g_assert_cmpuint (sent, >=, *last);
  *last = sent;
}

static char *
upload_on (HangarConnection *on,
           const char  *pool,
           const char  *name,
           guint64     *last,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_os_download_upload_async (on, pool, image, name, NULL, on_progress, last,
                                   hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 120000));
  return hangar_os_download_upload_finish (on, result, error);
}

static char *
upload (const char  *pool,
        const char  *name,
        guint64     *last,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_os_download_upload_async (connection, pool, image, name, NULL, on_progress, last,
                                   hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 120000));
  return hangar_os_download_upload_finish (connection, result, error);
}

static void
test_upload_default_pool (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *back = g_build_filename (tmp_dir, "back.iso", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sum = NULL;
  gsize length = 0;
  guint64 last = 0;

  path = upload (NULL, PREFIX "debian.iso", &last, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpuint (last, ==, IMAGE_SIZE);

  /* libvirt knows it, with the file's size and bytes. */
  g_assert_true (host_virsh (&out, "vol-info --pool default %s --bytes", PREFIX "debian.iso"));
  {
    g_autofree char *bytes = g_strdup_printf ("%u bytes", IMAGE_SIZE);
    g_assert_nonnull (strstr (out, bytes));
  }
  g_assert_true (host_virsh (NULL, "vol-download --pool default %s %s", PREFIX "debian.iso", back));
  g_assert_true (g_file_get_contents (back, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, IMAGE_SIZE);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpstr (sum, ==, image_sha256);

  /* The same name again: refused, the first one untouched. */
  g_clear_pointer (&path, g_free);
  path = upload (NULL, PREFIX "debian.iso", &last, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (host_virsh (NULL, "vol-info --pool default %s", PREFIX "debian.iso"));

  g_assert_true (host_virsh (NULL, "vol-delete --pool default %s", PREFIX "debian.iso"));
}

static void
test_upload_full_pool (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "small", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  guint64 last = 0;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  /* A 1 MiB filesystem, in the private test host's mount namespace. */
  if (mount ("tmpfs", dir, "tmpfs", 0, "size=1m") != 0)
    {
      g_test_skip ("cannot mount a small tmpfs here");
      return;
    }
  g_assert_true (host_virsh (NULL, "pool-create-as %s dir --target %s", PREFIX "small", dir));

  path = upload (PREFIX "small", "debian.iso", &last, &error);
  g_assert_null (path);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, PREFIX "small"));
  g_assert_true (host_virsh (&out, "vol-list %s", PREFIX "small"));
  g_assert_null (strstr (out, "debian.iso"));
  g_clear_error (&error);

  /* No such pool. */
  path = upload (PREFIX "missing", "debian.iso", &last, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_assert_true (host_virsh (NULL, "pool-destroy %s", PREFIX "small"));
  g_assert_cmpint (umount (dir), ==, 0);
}

static gboolean
on_authenticate (HangarConnection        *remote,
                 HangarCredentialRequest *request,
                 gpointer                 data)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < hangar_credential_request_get_n_fields (request); i++)
    {
      HangarCredentialKind kind = hangar_credential_request_get_kind (request, i);

      g_strv_builder_add (values, kind == HANGAR_CREDENTIAL_USERNAME ? USER
                                  : kind == HANGAR_CREDENTIAL_PASSWORD ? PASSWORD : "");
    }
  strv = g_strv_builder_end (values);
  hangar_credential_request_reply (request, (const char * const *) strv);
  return TRUE;
}

/* A remote host: the bytes go over libvirt's stream, not the file system. */
static void
test_upload_remote (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tools",
                                              "start-sasl-libvirtd", NULL);
  g_autofree char *command = g_strdup_printf ("bash %s", script);
  g_autoptr(HangarConnection) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *back = g_build_filename (tmp_dir, "back-remote.iso", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sum = NULL;
  gsize length = 0;
  guint64 last = 0;
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  remote = hangar_connection_new (REMOTE_URI);
  g_signal_connect (remote, "authenticate", G_CALLBACK (on_authenticate), NULL);
  hangar_connection_open (remote);
  g_assert_true (hangar_test_wait (host_test_connection_settled, remote, 30000));
  g_assert_cmpint (hangar_connection_get_state (remote), ==, HANGAR_CONNECTION_STATE_CONNECTED);
  g_assert_false (hangar_connection_is_local (remote));

  path = upload_on (remote, NULL, PREFIX "remote.iso", &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last, ==, IMAGE_SIZE);
  g_assert_true (host_virsh (NULL, "vol-download --pool default %s %s", PREFIX "remote.iso", back));
  g_assert_true (g_file_get_contents (back, &contents, &length, NULL));
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpstr (sum, ==, image_sha256);
  g_assert_true (host_virsh (NULL, "vol-delete --pool default %s", PREFIX "remote.iso"));
  hangar_connection_close (remote);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree guchar *data = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  /* Credentials come from the handler, never from a user's auth.conf. */
  g_unsetenv ("LIBVIRT_AUTH_FILE");
  g_test_init (&argc, &argv, NULL);

  if (getuid () != 0)
    {
      g_test_skip ("needs root and the private test host");
      return g_test_run ();
    }

  tmp_dir = g_dir_make_tmp ("hangar-osdl-pool-XXXXXX", NULL);
  image = g_build_filename (tmp_dir, "debian.iso", NULL);
  data = g_malloc (IMAGE_SIZE);
  for (gsize i = 0; i < IMAGE_SIZE; i++)
    data[i] = g_rand_int (rand) & 0xff;
  g_assert_true (g_file_set_contents (image, (char *) data, IMAGE_SIZE, NULL));
  image_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, IMAGE_SIZE);

  /* Left over by a run that crashed. */
  hangar_test_virsh (HOST_TEST_URI, NULL, "vol-delete --pool default %s", PREFIX "debian.iso");
  hangar_test_virsh (HOST_TEST_URI, NULL, "pool-destroy %s", PREFIX "small");
  hangar_test_virsh (HOST_TEST_URI, NULL, "vol-delete --pool default %s", PREFIX "remote.iso");

  connection = host_test_connect ();
  g_test_add_func ("/os-download-pool/upload", test_upload_default_pool);
  g_test_add_func ("/os-download-pool/full", test_upload_full_pool);
  g_test_add_func ("/os-download-pool/remote", test_upload_remote);
  status = g_test_run ();

  hangar_connection_close (connection);
  g_clear_object (&connection);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return status;
}
