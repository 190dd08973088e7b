/* test-install-checks.c — the wizard's field checks on real files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hangar-install-checks.h"
#include "hangar-json.h"

static char *tmp_dir;

static char *
write_file (const char *name,
            goffset     size,
            goffset     at,
            const void *bytes,
            gsize       len)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree guint8 *data = g_malloc0 (size);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (at + (goffset) len, <=, size);
  if (len > 0)
    memcpy (data + at, bytes, len);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
make_iso (const char *name)
{
  /* Sector 16: type 1 (primary volume descriptor), "CD001". */
  return write_file (name, 17 * 2048, 16 * 2048, "\001CD001\001", 7);
}

static void
test_iso (void)
{
  g_autofree char *iso = make_iso ("debian.iso");
  g_autofree char *udf = write_file ("udf.iso", 17 * 2048, 16 * 2048, "\000BEA01\001", 7);
  g_autofree char *text = write_file ("notes.iso", 100, 0, "hello", 5);
  g_autofree char *zeros = write_file ("zeros.iso", 40000, 0, NULL, 0);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.iso", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_install_check_iso (iso, &error));
  g_assert_no_error (error);
  g_assert_true (hangar_install_check_iso (udf, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_install_check_iso (text, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_NOT_ISO);
  g_clear_error (&error);

  g_assert_false (hangar_install_check_iso (zeros, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_NOT_ISO);
  g_clear_error (&error);

  g_assert_false (hangar_install_check_iso (missing, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.iso"));
  g_clear_error (&error);

  g_assert_false (hangar_install_check_iso ("", &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (hangar_install_check_iso (tmp_dir, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE);
  g_clear_error (&error);

  /* Permissions mean nothing to root. */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (iso, 0), ==, 0);
      g_assert_false (hangar_install_check_iso (iso, &error));
      g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE);
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (iso, 0644), ==, 0);
    }

  g_assert_cmpint (g_remove (iso), ==, 0);
  g_assert_cmpint (g_remove (udf), ==, 0);
  g_assert_cmpint (g_remove (text), ==, 0);
  g_assert_cmpint (g_remove (zeros), ==, 0);
}

static void
expect_format (const char       *path,
               HangarDiskFormat  expected)
{
  g_autoptr(GError) error = NULL;
  HangarDiskFormat format = -1;

  g_assert_true (hangar_install_check_image (path, &format, &error));
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, expected);
}

static void
expect_unknown (const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (hangar_install_check_image (path, NULL, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNKNOWN_FORMAT);
  g_test_message ("%s: %s", path, error->message);
}

static void
test_image_headers (void)
{
  guint8 vdi[0x44] = "<<< Oracle VM VirtualBox Disk Image >>>\n";
  g_autofree char *qcow2 = NULL;
  g_autofree char *vdi_path = NULL;
  g_autofree char *vmdk = NULL;
  g_autofree char *vmdk_text = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *raw_odd = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *iso = NULL;

  vdi[0x40] = 0x7f; vdi[0x41] = 0x10; vdi[0x42] = 0xda; vdi[0x43] = 0xbe;

  qcow2 = write_file ("a.qcow2", 4096, 0, "QFI\xfb\0\0\0\3", 8);
  vdi_path = write_file ("a.vdi", 4096, 0, vdi, sizeof vdi);
  vmdk = write_file ("a.vmdk", 4096, 0, "KDMV", 4);
  vmdk_text = write_file ("b.vmdk", 512, 0, "# Disk DescriptorFile\n", 22);
  raw = write_file ("a.img", 1 << 20, 0, NULL, 0);
  raw_odd = write_file ("b.img", 1000, 0, NULL, 0);
  unknown = write_file ("a.bin", 4096, 0, NULL, 0);
  iso = make_iso ("installer.iso");

  expect_format (qcow2, HANGAR_DISK_FORMAT_QCOW2);
  expect_format (vdi_path, HANGAR_DISK_FORMAT_VDI);
  expect_format (vmdk, HANGAR_DISK_FORMAT_VMDK);
  {
    g_autoptr(GError) error = NULL;

    /* A descriptor names other files as its data: refused by its header. */
    g_assert_false (hangar_install_check_image (vmdk_text, NULL, &error));
    g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE);
  }
  expect_format (raw, HANGAR_DISK_FORMAT_RAW);
  expect_unknown (raw_odd);
  expect_unknown (unknown);
  expect_unknown (iso);

  /* A VDI banner without the signature is not a VDI. */
  vdi[0x40] = 0;
  g_free (vdi_path);
  vdi_path = write_file ("c.vdi", 4096, 0, vdi, sizeof vdi);
  expect_unknown (vdi_path);

  for (const char *p = "a.qcow2\0a.vdi\0c.vdi\0a.vmdk\0b.vmdk\0a.img\0b.img\0a.bin\0"
                       "installer.iso\0";
       *p != '\0'; p += strlen (p) + 1)
    {
      g_autofree char *full = g_build_filename (tmp_dir, p, NULL);

      g_assert_cmpint (g_remove (full), ==, 0);
    }
}

/* Images made by qemu-img itself, when it is installed. */
static void
test_image_qemu_img (void)
{
  const char *formats[][2] = {
    { "qcow2", "real.qcow2" },
    { "vdi", "real.vdi" },
    { "vmdk", "real.vmdk" },
    { "raw", "real.img" },
  };
  const HangarDiskFormat expected[] = {
    HANGAR_DISK_FORMAT_QCOW2, HANGAR_DISK_FORMAT_VDI, HANGAR_DISK_FORMAT_VMDK,
    HANGAR_DISK_FORMAT_RAW,
  };
  g_autofree char *qemu_img = g_find_program_in_path ("qemu-img");

  if (qemu_img == NULL)
    {
      g_test_skip ("qemu-img is not installed");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, formats[i][1], NULL);
      const char *argv[] = { qemu_img, "create", "-q", "-f", formats[i][0], path, "64M", NULL };
      g_autoptr(GError) error = NULL;
      int status;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_spawn_check_wait_status (status, &error);
      g_assert_no_error (error);

      expect_format (path, expected[i]);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

static gboolean
qemu_img (const char *args)
{
  g_autofree char *command = g_strdup_printf ("qemu-img %s", args);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static void
expect_inspect (const char       *path,
                HangarDiskFormat  format,
                gboolean          accepted,
                const char       *says)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = hangar_install_inspect_image (path, format, NULL, &error);

  if (error != NULL)
    g_test_message ("%s: %s", path, error->message);
  g_assert_cmpint (ok, ==, accepted);
  if (accepted)
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE);
  g_assert_nonnull (strstr (error->message, says));
}

/* Images that name other files of the host (review H1), made by qemu-img
 * itself: refused by what qemu-img says about them, whatever their
 * header looked like. Images that stand alone pass. */
static void
test_image_external_files (void)
{
  g_autofree char *qemu = g_find_program_in_path ("qemu-img");
  g_autofree char *marker = NULL;
  g_autofree char *descriptor = NULL;
  g_autofree char *descriptor_text = NULL;
  g_autofree char *backed = NULL;
  g_autofree char *data_file = NULL;
  g_autofree char *args = NULL;
  const char *clean[][2] = {
    { "qcow2", "clean.qcow2" }, { "vmdk", "clean.vmdk" }, { "vdi", "clean.vdi" },
    { "raw", "clean.img" },
  };
  const HangarDiskFormat clean_formats[] = {
    HANGAR_DISK_FORMAT_QCOW2, HANGAR_DISK_FORMAT_VMDK, HANGAR_DISK_FORMAT_VDI,
    HANGAR_DISK_FORMAT_RAW,
  };

  if (qemu == NULL)
    {
      g_test_skip ("qemu-img is not installed");
      return;
    }

  marker = write_file ("marker", 65536, 0, "HANGAR-SECRET-MARKER", 20);

  descriptor = g_build_filename (tmp_dir, "evil.vmdk", NULL);
  descriptor_text = g_strdup_printf ("# Disk DescriptorFile\nversion=1\nCID=fffffffe\n"
                                     "parentCID=ffffffff\ncreateType=\"monolithicFlat\"\n\n"
                                     "RW 128 FLAT \"%s\" 0\n\nddb.adapterType = \"ide\"\n",
                                     marker);
  g_assert_true (g_file_set_contents (descriptor, descriptor_text, -1, NULL));
  expect_inspect (descriptor, HANGAR_DISK_FORMAT_VMDK, FALSE, "monolithicFlat");

  backed = g_build_filename (tmp_dir, "evil.qcow2", NULL);
  g_free (args);
  args = g_strdup_printf ("create -q -f qcow2 -b %s -F raw %s", marker, backed);
  g_assert_true (qemu_img (args));
  expect_inspect (backed, HANGAR_DISK_FORMAT_QCOW2, FALSE, marker);
  /* Read as raw it is only bytes, but the header check calls it qcow2. */
  {
    HangarDiskFormat format = HANGAR_DISK_FORMAT_RAW;

    g_assert_true (hangar_install_check_image (backed, &format, NULL));
    g_assert_cmpint (format, ==, HANGAR_DISK_FORMAT_QCOW2);
  }

  data_file = g_build_filename (tmp_dir, "evil-data.qcow2", NULL);
  g_free (args);
  args = g_strdup_printf ("create -q -f qcow2 -o data_file=%s/data.raw %s 1M", tmp_dir, data_file);
  g_assert_true (qemu_img (args));
  expect_inspect (data_file, HANGAR_DISK_FORMAT_QCOW2, FALSE, "data.raw");

  for (guint i = 0; i < G_N_ELEMENTS (clean); i++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, clean[i][1], NULL);

      g_free (args);
      args = g_strdup_printf ("create -q -f %s %s 1M", clean[i][0], path);
      g_assert_true (qemu_img (args));
      expect_inspect (path, clean_formats[i], TRUE, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }

  /* qemu-img refuses, and says why. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (hangar_install_inspect_image (marker, HANGAR_DISK_FORMAT_QCOW2, NULL,
                                                  &error));
    g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_UNREADABLE);
    g_clear_error (&error);
    g_assert_false (hangar_install_inspect_image ("relative.qcow2", HANGAR_DISK_FORMAT_QCOW2,
                                                  NULL, &error));
    g_assert_nonnull (error);
  }

  for (const char *p = "marker\0evil.vmdk\0evil.qcow2\0evil-data.qcow2\0data.raw\0";
       *p != '\0'; p += strlen (p) + 1)
    {
      g_autofree char *full = g_build_filename (tmp_dir, p, NULL);

      g_assert_cmpint (g_remove (full), ==, 0);
    }
}

/* What qemu-img might print, and what no JSON is. */
static void
test_image_info (void)
{
  static const char *refused[] = {
    "", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{} x", "\"\\x\"", "\"a\nb\"",
    "\"\\ud800\"", "\"\\u0000\"", "01", "1.", "-", "tru", "{\"a\":1,}", "nul",
  };
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = NULL;
  const char *s = NULL;
  gint64 n = 0;

  value = hangar_json_parse ("{\"a\": [1, -2.5e3, true, null, \"\\u00e9\\ud83d\\ude00\\n\"],"
                             " \"b\": {\"c\": 18446744073709551615}}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT));
  {
    g_autoptr(GVariant) a = g_variant_lookup_value (value, "a", G_VARIANT_TYPE ("av"));
    g_autoptr(GVariant) first = NULL;
    g_autoptr(GVariant) last = NULL;

    g_assert_nonnull (a);
    g_assert_cmpuint (g_variant_n_children (a), ==, 5);
    g_variant_get_child (a, 0, "v", &first);
    g_variant_get (first, "x", &n);
    g_assert_cmpint (n, ==, 1);
    g_variant_get_child (a, 4, "v", &last);
    g_variant_get (last, "&s", &s);
    g_assert_cmpstr (s, ==, "\u00e9\U0001F600\n");
  }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GVariant) bad = hangar_json_parse (refused[i], -1, &error);

      g_assert_null (bad);
      g_assert_error (error, HANGAR_JSON_ERROR, 0);
      g_clear_error (&error);
    }

  /* Nesting is bounded. */
  deep = g_strnfill (100000, '[');
  g_assert_null (hangar_json_parse (deep, -1, &error));
  g_assert_error (error, HANGAR_JSON_ERROR, 0);
  g_clear_error (&error);

  /* A VMDK whose only extent is another file, as qemu-img would print it. */
  g_assert_false (hangar_install_check_image_info (
    "{\"format\": \"vmdk\", \"filename\": \"/i/a.vmdk\", \"format-specific\": {\"type\": "
    "\"vmdk\", \"data\": {\"create-type\": \"monolithicSparse\", \"extents\": "
    "[{\"filename\": \"/home/u/.ssh/id_ed25519\"}]}}}", -1, "/i/a.vmdk",
    HANGAR_DISK_FORMAT_VMDK, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE);
  g_assert_nonnull (strstr (error->message, "id_ed25519"));
  g_clear_error (&error);
  /* Two extents, even if one is the file. */
  g_assert_false (hangar_install_check_image_info (
    "{\"format\": \"vmdk\", \"format-specific\": {\"data\": {\"create-type\": "
    "\"monolithicSparse\", \"extents\": [{\"filename\": \"/i/a.vmdk\"}, "
    "{\"filename\": \"/i/a.vmdk\"}]}}}", -1, "/i/a.vmdk", HANGAR_DISK_FORMAT_VMDK, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE);
  g_clear_error (&error);
  /* Not what it was asked to read as. */
  g_assert_false (hangar_install_check_image_info ("{\"format\": \"raw\"}", -1, "/i/a.qcow2",
                                                   HANGAR_DISK_FORMAT_QCOW2, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_EXTERNAL_FILE);
  g_clear_error (&error);
  g_assert_true (hangar_install_check_image_info ("{\"format\": \"qcow2\", \"format-specific\": "
                                                  "{\"data\": {\"compat\": \"1.1\"}}}", -1,
                                                  "/i/a.qcow2", HANGAR_DISK_FORMAT_QCOW2, &error));
  g_assert_no_error (error);
}

/* The details' memory form refuses what the wizard refuses: 0 and more
 * than the host has, in either field. */
static void
test_memory_allocation (void)
{
  g_autoptr(GError) error = NULL;
  gboolean current = TRUE;

  g_assert_true (hangar_check_memory_allocation (1024, 2048, 8192, &current, &error));
  g_assert_no_error (error);
  g_assert_false (current);
  g_assert_true (hangar_check_memory_allocation (8192, 8192, 8192, NULL, &error));
  g_assert_true (hangar_check_memory_allocation (1, 1, 0, NULL, &error));
  g_assert_no_error (error);

  /* 0 in the maximum: not “silently 1 MiB”. */
  g_assert_false (hangar_check_memory_allocation (0, 0, 8192, &current, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL);
  g_assert_false (current);
  g_clear_error (&error);

  g_assert_false (hangar_check_memory_allocation (0, 2048, 8192, &current, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL);
  g_assert_true (current);
  g_clear_error (&error);

  /* 10 TiB on an 8 GiB host: saved, the machine could never start. */
  g_assert_false (hangar_check_memory_allocation (1024, G_GUINT64_CONSTANT (10) << 20, 8192,
                                                  &current, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE);
  g_assert_false (current);
  g_assert_nonnull (strstr (error->message, "8.0\u00a0GiB"));
  g_clear_error (&error);

  g_assert_false (hangar_check_memory_allocation (4096, 2048, 8192, &current, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE);
  g_assert_true (current);
  g_clear_error (&error);

  /* An unknown host size: only 0 is refused. */
  g_assert_true (hangar_check_memory_allocation (1024, G_GUINT64_CONSTANT (10) << 20, 0,
                                                 NULL, &error));
  g_assert_no_error (error);
}

static void
test_sizes (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hangar_install_check_memory (2048, 8192, &error));
  g_assert_no_error (error);
  g_assert_true (hangar_install_check_memory (8192, 8192, &error));
  g_assert_true (hangar_install_check_memory (2048, 0, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_install_check_memory (0, 8192, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL);
  g_clear_error (&error);

  g_assert_false (hangar_install_check_memory (8193, 8192, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "8.0\u00a0GiB"));
  g_clear_error (&error);

  g_assert_true (hangar_install_check_disk_size (20, G_GUINT64_CONSTANT (20) << 30, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_install_check_disk_size (0, G_GUINT64_CONSTANT (20) << 30, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_SMALL);
  g_clear_error (&error);

  g_assert_false (hangar_install_check_disk_size (21, G_GUINT64_CONSTANT (20) << 30, &error));
  g_assert_error (error, HANGAR_INSTALL_CHECK_ERROR, HANGAR_INSTALL_CHECK_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "20.0\u00a0GiB"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("hangar-checks-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/hangar/wizard/checks/memory-allocation", test_memory_allocation);
  g_test_add_func ("/hangar/wizard/checks/iso", test_iso);
  g_test_add_func ("/hangar/wizard/checks/image-headers", test_image_headers);
  g_test_add_func ("/hangar/wizard/checks/image-qemu-img", test_image_qemu_img);
  g_test_add_func ("/hangar/wizard/checks/image-external-files", test_image_external_files);
  g_test_add_func ("/hangar/wizard/checks/image-info", test_image_info);
  g_test_add_func ("/hangar/wizard/checks/sizes", test_sizes);

  ret = g_test_run ();

  g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
  g_free (tmp_dir);
  return ret;
}
