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

#include "hangar-os-download-pool.h"
#include "hangar-test-util.h"
#include "host-test-util.h"

#define PREFIX     "hangar-osdltest-"
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

int
main (int   argc,
      char *argv[])
{
  g_autofree guchar *data = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  int status;

  setlocale (LC_ALL, "C.UTF-8");
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

  connection = host_test_connect ();
  g_test_add_func ("/os-download-pool/upload", test_upload_default_pool);
  g_test_add_func ("/os-download-pool/full", test_upload_full_pool);
  status = g_test_run ();

  hangar_connection_close (connection);
  g_clear_object (&connection);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return status;
}
