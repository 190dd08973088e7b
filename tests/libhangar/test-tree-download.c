/* test-tree-download.c — what a network install may fetch (review
 * finding M2): redirects, paths inside the tree, .treeinfo checksums.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <gio/gio.h>

#include "hangar-tree-download.h"

static void
test_same_origin (void)
{
  static const struct { const char *tree; const char *url; gboolean ok; } cases[] = {
    { "https://mirror.example/tree/", "https://mirror.example/other/path", TRUE },
    { "https://mirror.example/tree/", "https://MIRROR.example:443/tree/x", TRUE },
    { "http://127.0.0.1:8000/t/", "http://127.0.0.1:8000/t/images/vmlinuz", TRUE },
    /* A downgrade to plaintext. */
    { "https://mirror.example/tree/", "http://mirror.example/tree/x", FALSE },
    /* Not even an upgrade leaves the scheme the user chose. */
    { "http://mirror.example/tree/", "https://mirror.example/tree/x", FALSE },
    { "https://mirror.example/tree/", "https://evil.example/tree/x", FALSE },
    { "https://mirror.example/tree/", "https://mirror.example:8443/tree/x", FALSE },
    { "http://127.0.0.1:8000/t/", "http://127.0.0.2:8000/t/x", FALSE },
    { "http://127.0.0.1:8000/t/", "ftp://127.0.0.1:8000/t/x", FALSE },
    { "http://127.0.0.1:8000/t/", "not a url", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = hangar_tree_download_same_origin (cases[i].tree, cases[i].url, &error);

      g_test_message ("%s → %s: %s", cases[i].tree, cases[i].url,
                      error ? error->message : "allowed");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    }
}

static void
test_inside_tree (void)
{
  static const struct { const char *tree; const char *url; gboolean ok; } cases[] = {
    { "https://m.example/fedora/", "https://m.example/fedora/images/pxeboot/vmlinuz", TRUE },
    { "https://m.example/fedora", "https://m.example/fedora/images/vmlinuz", TRUE },
    { "https://m.example/", "https://m.example/images/vmlinuz", TRUE },
    { "https://m.example/my%20tree/", "https://m.example/my%20tree/k", TRUE },
    /* Another host, another scheme. */
    { "https://m.example/fedora/", "http://m.example/fedora/images/vmlinuz", FALSE },
    { "https://m.example/fedora/", "https://evil.example/fedora/images/vmlinuz", FALSE },
    /* Above the root, or beside it with a shared prefix. */
    { "https://m.example/fedora/", "https://m.example/images/vmlinuz", FALSE },
    { "https://m.example/fedora/", "https://m.example/fedora-evil/vmlinuz", FALSE },
    { "https://m.example/fedora/", "https://m.example/fedora", FALSE },
    /* Dot steps left in, plain or encoded (a server may decode them). */
    { "https://m.example/fedora/", "https://m.example/fedora/../etc/k", FALSE },
    { "https://m.example/fedora/", "https://m.example/fedora/%2e%2e/k", FALSE },
    { "https://m.example/fedora/", "https://m.example/fedora/a%2f..%2f..%2fk", FALSE },
    { "https://m.example/fedora/", "https://m.example/fedora/%zz", FALSE },
    { "https://m.example/fedora/", "https://m.example/fedora/a%00b", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = hangar_tree_download_inside_tree (cases[i].tree, cases[i].url, &error);

      g_test_message ("%s ∋ %s: %s", cases[i].tree, cases[i].url,
                      error ? error->message : "inside");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    }
}

#define SHA256_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static void
test_parse_checksum (void)
{
  static const char *const bad[] = {
    "", "sha256", "9f86d081", "sha256:", "sha256:abc", "sha256:" SHA256_A "00",
    "sha256:zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "crc32:12345678", ("sha1:" SHA256_A),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  GChecksumType type = G_CHECKSUM_MD5;

  g_assert_true (hangar_treeinfo_parse_checksum ("sha256:" SHA256_A, &type, &hex, &error));
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, G_CHECKSUM_SHA256);
  g_assert_cmpstr (hex, ==, SHA256_A);
  g_clear_pointer (&hex, g_free);

  /* Upper case and spaces as hand-written files have them. */
  g_assert_true (hangar_treeinfo_parse_checksum (" SHA256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B"
                                                 "2B0B822CD15D6C15B0F00A08 ", &type, &hex, &error));
  g_assert_cmpstr (hex, ==, SHA256_A);
  g_clear_pointer (&hex, g_free);

  g_assert_true (hangar_treeinfo_parse_checksum ("md5:d41d8cd98f00b204e9800998ecf8427e",
                                                 &type, &hex, &error));
  g_assert_cmpint (type, ==, G_CHECKSUM_MD5);
  g_clear_pointer (&hex, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (hangar_treeinfo_parse_checksum (bad[i], &type, &hex, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_test_message ("%s", error->message);
      g_assert_null (hex);
      g_clear_error (&error);
    }
}

static void
test_find_checksum (void)
{
  static const char treeinfo[] =
    "[general]\nfamily = Fedora\nversion = 37\narch = x86_64\n\n"
    "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n\n"
    "[checksums]\n"
    "images/pxeboot/vmlinuz = sha256:" SHA256_A "\n"
    "images/pxeboot/initrd.img = sha256:nothex\n"
    "./images/boot.iso = sha256:" SHA256_A "\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  GChecksumType type;

  g_assert_true (hangar_treeinfo_find_checksum (treeinfo, sizeof treeinfo - 1,
                                                "images/pxeboot/vmlinuz", &type, &hex, &error));
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, G_CHECKSUM_SHA256);
  g_assert_cmpstr (hex, ==, SHA256_A);
  g_clear_pointer (&hex, g_free);

  g_assert_true (hangar_treeinfo_find_checksum (treeinfo, sizeof treeinfo - 1,
                                                "images/boot.iso", &type, &hex, &error));
  g_assert_cmpstr (hex, ==, SHA256_A);
  g_clear_pointer (&hex, g_free);

  /* Listed but not checkable: refused, not skipped. */
  g_assert_false (hangar_treeinfo_find_checksum (treeinfo, sizeof treeinfo - 1,
                                                 "images/pxeboot/initrd.img", &type, &hex,
                                                 &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Not listed, or no [checksums] at all: nothing to check. */
  g_assert_false (hangar_treeinfo_find_checksum (treeinfo, sizeof treeinfo - 1,
                                                 "images/other", &type, &hex, &error));
  g_assert_no_error (error);
  g_assert_false (hangar_treeinfo_find_checksum ("[general]\nfamily = Fedora\n", (gsize) -1,
                                                 "images/pxeboot/vmlinuz", &type, &hex, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_treeinfo_find_checksum ("not a key file", (gsize) -1,
                                                 "images/pxeboot/vmlinuz", &type, &hex, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/wizard/tree-download/same-origin", test_same_origin);
  g_test_add_func ("/hangar/wizard/tree-download/inside-tree", test_inside_tree);
  g_test_add_func ("/hangar/wizard/tree-download/parse-checksum", test_parse_checksum);
  g_test_add_func ("/hangar/wizard/tree-download/find-checksum", test_find_checksum);
  return g_test_run ();
}
