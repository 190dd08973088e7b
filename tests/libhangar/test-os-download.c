/* test-os-download.c — the "Download an OS" catalogue from the real
 * osinfo-db and from a test overlay, and the downloader against
 * os-download-server.py on 127.0.0.1: checksums, resume, errors, pause
 * and cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hangar-os.h"
#include "hangar-os-catalogue.h"
#include "hangar-os-download.h"

#define FILE_SIZE (3 * 1024 * 1024 + 12345)

static char *tmp_dir;      /* the test's own folder, XDG_CONFIG_HOME too */
static char *served;       /* what the server serves */
static char *downloads;    /* where files land */
static GSubprocess *server;
static guint16 port;
static char *file_sha256;

/* --- helpers ---------------------------------------------------------------------------------- */

static void
start_server (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests",
                                              "libhangar", "os-download-server.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                             "python3", script, served, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port = (guint16) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (port, >, 0);
}

static char *
url_for (const char *steps,
         const char *name)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s%s", port, steps, name);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint count = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    count++;
  return count;
}

static void
empty_downloads (void)
{
  g_autoptr(GDir) d = g_dir_open (downloads, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (downloads, name, NULL);

      g_unlink (path);
    }
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  guint progress;
  gboolean pause_at_progress;
  gboolean cancel_at_progress;
  guint64 max_seen;
  guint64 total_seen;
  double rate_seen;
  gint64 left_seen;
} Run;

static void
on_progress (HangarOsDownloader *downloader,
             gpointer            data)
{
  Run *run = data;
  guint64 received = hangar_os_downloader_get_received (downloader);

  run->progress++;
  run->max_seen = MAX (run->max_seen, received);
  run->total_seen = MAX (run->total_seen, hangar_os_downloader_get_total (downloader));
  run->rate_seen = MAX (run->rate_seen, hangar_os_downloader_get_rate (downloader));
  run->left_seen = MAX (run->left_seen, hangar_os_downloader_get_seconds_left (downloader));

  /* Part of the file is there, and more is to come. */
  if (received > 256 * 1024 && hangar_os_downloader_get_state (downloader) == HANGAR_DOWNLOAD_RUNNING)
    {
      if (run->pause_at_progress)
        {
          run->pause_at_progress = FALSE;
          hangar_os_downloader_pause (downloader);
        }
      if (run->cancel_at_progress)
        {
          run->cancel_at_progress = FALSE;
          hangar_os_downloader_cancel (downloader);
        }
    }
}

static void
on_finished (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Run *run = data;

  run->ok = hangar_os_downloader_start_finish (HANGAR_OS_DOWNLOADER (source), result, &run->error);
  run->done = TRUE;
}

/* Starts (or resumes) @downloader and waits for it, on a main context of
 * the test's own so progress arrives as in the application. */
static void
run_download (HangarOsDownloader *downloader,
              Run                *run)
{
  gulong id = g_signal_connect (downloader, "progress", G_CALLBACK (on_progress), run);

  run->done = FALSE;
  run->ok = FALSE;
  g_clear_error (&run->error);
  hangar_os_downloader_start_async (downloader, NULL, on_finished, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  /* The last progress report may still be queued. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (downloader, id);
}

static HangarOsDownloader *
new_downloader (const char *steps,
                const char *name,
                const char *sha256)
{
  g_autofree char *url = url_for (steps, name);
  g_autofree char *destination = g_build_filename (downloads, name, NULL);

  empty_downloads ();
  return hangar_os_downloader_new (url, destination, sha256);
}

static void
assert_file_ok (HangarOsDownloader *downloader)
{
  g_autofree char *contents = NULL;
  g_autofree char *sum = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (hangar_os_downloader_get_destination (downloader),
                                      &contents, &length, NULL));
  g_assert_cmpuint (length, ==, FILE_SIZE);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpstr (sum, ==, file_sha256);
  /* Only the file: no .part left. */
  g_assert_cmpuint (count_files (downloads), ==, 1);
}

/* --- the catalogue ---------------------------------------------------------------------------- */

static void
assert_grouped_newest_first (GPtrArray *list)
{
  for (guint i = 1; i < list->len; i++)
    {
      HangarOsDownload *a = list->pdata[i - 1];
      HangarOsDownload *b = list->pdata[i];

      g_assert_cmpint (g_strcmp0 (a->distro, b->distro), <=, 0);
      if (g_strcmp0 (a->distro, b->distro) == 0)
        g_assert_cmpint (g_strcmp0 (a->release_date, b->release_date), >=, 0);
      else
        g_assert_true (b->newest);
    }
}

static const HangarOsDownload *
find_entry (GPtrArray            *list,
            const char           *short_id,
            HangarOsDownloadKind  kind)
{
  for (guint i = 0; i < list->len; i++)
    {
      HangarOsDownload *d = list->pdata[i];

      if (g_strcmp0 (d->short_id, short_id) == 0 && d->kind == kind)
        return d;
    }
  return NULL;
}

static void
test_catalogue_system (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoDb) db = hangar_os_load_db (NULL, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) aarch64 = NULL;
  g_autofree char *version = hangar_os_catalogue_db_version (NULL);
  g_autofree char *notice = hangar_os_catalogue_notice (version);
  g_autofree char *old_notice = hangar_os_catalogue_notice ("20221203");
  const HangarOsDownload *fedora_live;
  const HangarOsDownload *ubuntu_cloud;
  const HangarOsDownload *first_fedora = NULL;
  guint installers = 0, lives = 0, clouds = 0;

  g_assert_no_error (error);
  list = hangar_os_catalogue (db, "x86_64");
  g_assert_cmpuint (list->len, >, 100);
  assert_grouped_newest_first (list);

  for (guint i = 0; i < list->len; i++)
    {
      HangarOsDownload *d = list->pdata[i];

      g_assert_cmpstr (d->arch, ==, "x86_64");
      g_assert_true (g_str_has_prefix (d->url, "http"));
      g_assert_nonnull (d->name);
      installers += d->kind == HANGAR_OS_DOWNLOAD_INSTALLER;
      lives += d->kind == HANGAR_OS_DOWNLOAD_LIVE;
      clouds += d->kind == HANGAR_OS_DOWNLOAD_CLOUD_IMAGE;
      if (first_fedora == NULL && g_strcmp0 (d->distro, "fedora") == 0)
        first_fedora = d;
      /* Debian 12 is newer than the database. */
      g_assert_cmpstr (d->short_id, !=, "debian12");
    }
  g_assert_cmpuint (installers, >, 0);
  g_assert_cmpuint (lives, >, 0);
  g_assert_cmpuint (clouds, >, 0);

  /* Fedora 37 is the newest Fedora the 2022 database knows: first. */
  g_assert_nonnull (first_fedora);
  g_assert_cmpstr (first_fedora->short_id, ==, "fedora37");
  g_assert_true (first_fedora->newest);
  fedora_live = find_entry (list, "fedora37", HANGAR_OS_DOWNLOAD_LIVE);
  g_assert_nonnull (fedora_live);
  g_assert_cmpstr (fedora_live->variant, ==, "Fedora Workstation 37");
  g_assert_true (g_str_has_suffix (fedora_live->url, "Fedora-Workstation-Live-x86_64-37-1.7.iso"));
  {
    g_autofree char *name = hangar_os_download_file_name (fedora_live);
    g_assert_cmpstr (name, ==, "Fedora-Workstation-Live-x86_64-37-1.7.iso");
  }
  g_assert_false (find_entry (list, "fedora36", HANGAR_OS_DOWNLOAD_LIVE)->newest);

  ubuntu_cloud = find_entry (list, "ubuntu22.04", HANGAR_OS_DOWNLOAD_CLOUD_IMAGE);
  g_assert_nonnull (ubuntu_cloud);
  g_assert_cmpstr (ubuntu_cloud->format, ==, "qcow2");
  g_assert_nonnull (find_entry (list, "ubuntu22.04", HANGAR_OS_DOWNLOAD_LIVE));
  g_assert_nonnull (find_entry (list, "debian11", HANGAR_OS_DOWNLOAD_INSTALLER));

  /* What the wizard's Cloud image source can take: a qcow2 cloud image's
   * own file, not install media, another format or an archive. */
  g_assert_true (hangar_os_download_is_cloud_qcow2 (ubuntu_cloud));
  g_assert_false (hangar_os_download_is_cloud_qcow2 (fedora_live));
  {
    g_autoptr(HangarOsDownload) other = hangar_os_download_copy (ubuntu_cloud);

    g_free (other->format);
    other->format = g_strdup ("raw");
    g_assert_false (hangar_os_download_is_cloud_qcow2 (other));
    g_free (other->format);
    other->format = g_strdup ("qcow2");
    g_free (other->url);
    other->url = g_strdup ("https://example.org/images/cloud.qcow2.xz");
    g_assert_false (hangar_os_download_is_cloud_qcow2 (other));
    other->kind = HANGAR_OS_DOWNLOAD_DISK_IMAGE;
    g_free (other->url);
    other->url = g_strdup ("https://example.org/images/disk.qcow2");
    g_assert_false (hangar_os_download_is_cloud_qcow2 (other));
    other->kind = HANGAR_OS_DOWNLOAD_CLOUD_IMAGE;
    g_assert_true (hangar_os_download_is_cloud_qcow2 (other));
  }

  /* Search: every word, any case, the kind too. */
  g_assert_true (hangar_os_download_matches (fedora_live, "FEDORA live 37"));
  g_assert_true (hangar_os_download_matches (fedora_live, "  "));
  g_assert_false (hangar_os_download_matches (fedora_live, "fedora 36"));
  g_assert_true (hangar_os_download_matches (ubuntu_cloud, "ubuntu cloud"));

  /* Another architecture: other entries, none for x86_64. */
  aarch64 = hangar_os_catalogue (db, "aarch64");
  g_assert_cmpuint (aarch64->len, >, 0);
  for (guint i = 0; i < aarch64->len; i++)
    g_assert_cmpstr (((HangarOsDownload *) aarch64->pdata[i])->arch, ==, "aarch64");

  /* The database's age, said in the list. */
  g_assert_nonnull (version);
  g_assert_true (g_str_has_prefix (version, "20"));
  {
    g_autofree char *year = g_strndup (version, 4);
    g_assert_nonnull (strstr (notice, year));
  }
  g_assert_nonnull (strstr (old_notice, "2022"));
  g_assert_nonnull (strstr (old_notice, "Debian 12"));
}

static const char overlay_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<libosinfo version=\"0.0.1\">\n"
  "  <os id=\"http://hangar.test/hangartest/1\">\n"
  "    <short-id>hangartest1</short-id>\n"
  "    <name>Hangar Test OS 1</name>\n"
  "    <version>1</version>\n"
  "    <vendor>Hangar</vendor>\n"
  "    <family>linux</family>\n"
  "    <distro>hangartest</distro>\n"
  "    <release-date>2022-11-01</release-date>\n"
  "    <media arch=\"x86_64\">\n"
  "      <url>http://127.0.0.1:%u/hangartest-1.iso</url>\n"
  "      <iso><volume-id>HANGARTEST 1</volume-id></iso>\n"
  "    </media>\n"
  "    <media arch=\"aarch64\">\n"
  "      <url>http://127.0.0.1:%u/hangartest-1-arm.iso</url>\n"
  "      <iso><volume-id>HANGARTEST 1 ARM</volume-id></iso>\n"
  "    </media>\n"
  "  </os>\n"
  "</libosinfo>\n";

/* A test database overlay in the user's osinfo folder (XDG_CONFIG_HOME
 * points into the test's folder): the system database plus one OS whose
 * media come from the local server. */
static void
test_catalogue_overlay (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "osinfo", "os", "hangar.test", NULL);
  g_autofree char *file = g_build_filename (dir, "hangartest-1.xml", NULL);
  g_autofree char *xml = g_strdup_printf (overlay_xml, port, port);
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoDb) db = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *url = url_for ("", "hangartest-1.iso");
  const HangarOsDownload *entry;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, xml, -1, NULL));

  db = hangar_os_load_db (NULL, &error);
  g_assert_no_error (error);
  list = hangar_os_catalogue (db, "x86_64");
  entry = find_entry (list, "hangartest1", HANGAR_OS_DOWNLOAD_INSTALLER);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->url, ==, url);
  g_assert_cmpstr (entry->name, ==, "Hangar Test OS 1");
  g_assert_true (entry->newest);
  g_assert_nonnull (find_entry (list, "fedora37", HANGAR_OS_DOWNLOAD_LIVE));
  {
    g_autofree char *name = hangar_os_download_file_name (entry);
    g_assert_cmpstr (name, ==, "hangartest-1.iso");
  }

  g_unlink (file);
}

/* --- checksum files ---------------------------------------------------------------------------- */

static void
test_find_checksum (void)
{
  const char *a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  const char *b = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  g_autofree char *gnu = g_strdup_printf ("%s  other.iso\n%s *debian.iso\n", a, b);
  g_autofree char *bsd = g_strdup_printf ("# comment\nSHA256 (debian.iso) = %s\n"
                                          "SHA256 (other.iso) = %s\n", a, b);
  g_autofree char *alone = g_strdup_printf ("%s\n", a);
  g_autofree char *found = NULL;

  g_assert_true (hangar_os_download_find_checksum (gnu, strlen (gnu), "debian.iso", &found));
  g_assert_cmpstr (found, ==, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  g_clear_pointer (&found, g_free);
  g_assert_true (hangar_os_download_find_checksum (bsd, strlen (bsd), "debian.iso", &found));
  g_assert_cmpstr (found, ==, a);
  g_clear_pointer (&found, g_free);
  g_assert_true (hangar_os_download_find_checksum (alone, strlen (alone), "x.iso", &found));
  g_assert_cmpstr (found, ==, a);
  g_clear_pointer (&found, g_free);
  g_assert_false (hangar_os_download_find_checksum (gnu, strlen (gnu), "debian", &found));
  g_assert_false (hangar_os_download_find_checksum (gnu, strlen (gnu), "ebian.iso", &found));
  g_assert_false (hangar_os_download_find_checksum ("short  debian.iso\n", 18, "debian.iso", &found));
}

/* --- downloads -------------------------------------------------------------------------------- */

static void
test_download_verified (void)
{
  g_autoptr(HangarOsDownloader) d = new_downloader ("", "image.iso", NULL);
  g_autofree char *sums = url_for ("", "SHA256SUMS");
  Run run = { 0 };

  run_download (d, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_DONE);
  g_assert_true (hangar_os_downloader_get_verified (d));
  g_assert_cmpstr (hangar_os_downloader_get_checksum_url (d), ==, sums);
  g_assert_cmpuint (run.progress, >=, 2);
  g_assert_cmpuint (run.max_seen, ==, FILE_SIZE);
  g_assert_cmpuint (run.total_seen, ==, FILE_SIZE);
  g_assert_false (hangar_os_downloader_get_resumed (d));
  assert_file_ok (d);

  /* The file is there now: a second download does not overwrite it. */
  run_download (d, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_file_ok (d);
  g_clear_error (&run.error);
}

static void
test_download_checksum_forms (void)
{
  Run run = { 0 };

  /* Fedora's CHECKSUM next to the file, found after a redirect. */
  {
    g_autoptr(HangarOsDownloader) d = new_downloader ("moved/fedora/", "image.iso", NULL);
    g_autofree char *checksum = url_for ("fedora/", "CHECKSUM");

    run_download (d, &run);
    g_assert_no_error (run.error);
    g_assert_true (hangar_os_downloader_get_verified (d));
    g_assert_cmpstr (hangar_os_downloader_get_checksum_url (d), ==, checksum);
    assert_file_ok (d);
  }
  /* None anywhere: kept, and said to be unverified. */
  {
    g_autoptr(HangarOsDownloader) d = new_downloader ("nosums/", "image.iso", NULL);

    run_download (d, &run);
    g_assert_no_error (run.error);
    g_assert_true (run.ok);
    g_assert_false (hangar_os_downloader_get_verified (d));
    assert_file_ok (d);
  }
  /* The database's checksum wins over the server's. */
  {
    g_autoptr(HangarOsDownloader) d = new_downloader ("nosums/", "image.iso", file_sha256);

    run_download (d, &run);
    g_assert_no_error (run.error);
    g_assert_true (hangar_os_downloader_get_verified (d));
    assert_file_ok (d);
  }
}

static void
test_download_checksum_mismatch (void)
{
  Run run = { 0 };

  {
    g_autoptr(HangarOsDownloader) d = new_downloader ("badsums/", "image.iso", NULL);

    run_download (d, &run);
    g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_CHECKSUM);
    g_assert_nonnull (strstr (run.error->message, "checksum"));
    g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_FAILED);
    g_assert_cmpuint (count_files (downloads), ==, 0);
    g_clear_error (&run.error);
  }
  {
    g_autoptr(HangarOsDownloader) d = new_downloader ("", "image.iso", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    run_download (d, &run);
    g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_CHECKSUM);
    g_assert_cmpuint (count_files (downloads), ==, 0);
    g_clear_error (&run.error);
  }
}

static void
test_download_resume_after_cut (void)
{
  g_autoptr(HangarOsDownloader) d = new_downloader ("cut/", "image.iso", NULL);
  g_autofree char *part = hangar_os_downloader_get_partial_path (d);
  GStatBuf st;
  Run run = { 0 };

  /* The server closes the connection half way. */
  run_download (d, &run);
  g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TRUNCATED);
  g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_FAILED);
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, FILE_SIZE / 2);
  g_assert_false (g_file_test (hangar_os_downloader_get_destination (d), G_FILE_TEST_EXISTS));

  /* Again: only the rest is asked for (206), and the whole file checks. */
  run_download (d, &run);
  g_assert_no_error (run.error);
  g_assert_true (hangar_os_downloader_get_resumed (d));
  g_assert_true (hangar_os_downloader_get_verified (d));
  g_assert_cmpuint (hangar_os_downloader_get_requests (d), ==, 2);
  assert_file_ok (d);
}

static void
test_download_resume_refused (void)
{
  g_autoptr(HangarOsDownloader) d = new_downloader ("cut/norange/", "image.iso", NULL);
  Run run = { 0 };

  run_download (d, &run);
  g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_TRUNCATED);
  g_clear_error (&run.error);

  /* A 200 instead of 206: the file starts over, and still checks. */
  run_download (d, &run);
  g_assert_no_error (run.error);
  g_assert_false (hangar_os_downloader_get_resumed (d));
  g_assert_true (hangar_os_downloader_get_verified (d));
  assert_file_ok (d);
}

static void
test_download_pause_resume (void)
{
  g_autoptr(HangarOsDownloader) d = new_downloader ("slow/", "image.iso", NULL);
  g_autofree char *part = hangar_os_downloader_get_partial_path (d);
  GStatBuf st;
  Run run = { 0 };

  run.pause_at_progress = TRUE;
  run_download (d, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_PAUSED);
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (st.st_size, <, FILE_SIZE);
  /* Rate and time left were known while it ran. */
  g_assert_cmpfloat (run.rate_seen, >, 0);
  g_assert_cmpint (run.left_seen, >, 0);

  run_download (d, &run);
  g_assert_no_error (run.error);
  g_assert_true (hangar_os_downloader_get_resumed (d));
  assert_file_ok (d);
}

static void
test_download_cancel (void)
{
  g_autoptr(HangarOsDownloader) d = new_downloader ("slow/", "image.iso", NULL);
  Run run = { 0 };

  /* While bytes flow. */
  run.cancel_at_progress = TRUE;
  run_download (d, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_CANCELLED);
  g_assert_cmpuint (count_files (downloads), ==, 0);
  g_clear_error (&run.error);

  /* Paused, then cancelled. */
  run.pause_at_progress = TRUE;
  run_download (d, &run);
  g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_PAUSED);
  g_assert_cmpuint (count_files (downloads), ==, 1);
  hangar_os_downloader_cancel (d);
  g_assert_cmpint (hangar_os_downloader_get_state (d), ==, HANGAR_DOWNLOAD_CANCELLED);
  g_assert_cmpuint (count_files (downloads), ==, 0);
  g_clear_error (&run.error);
}

static void
test_download_errors (void)
{
  Run run = { 0 };

  /* Not on the server. */
  {
    g_autoptr(HangarOsDownloader) d = new_downloader ("", "missing.iso", NULL);

    run_download (d, &run);
    g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP);
    g_assert_nonnull (strstr (run.error->message, "404"));
    g_assert_cmpuint (count_files (downloads), ==, 0);
    g_clear_error (&run.error);
  }
  /* Nobody listens. */
  {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autofree char *url = NULL;
    g_autofree char *destination = g_build_filename (downloads, "closed.iso", NULL);
    g_autoptr(HangarOsDownloader) d = NULL;

    /* A port that was free a moment ago, bound but not listening. */
    g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
    bound = g_socket_get_local_address (socket, NULL);
    url = g_strdup_printf ("http://127.0.0.1:%u/closed.iso",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    d = hangar_os_downloader_new (url, destination, NULL);
    run_download (d, &run);
    g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_NETWORK);
    g_assert_nonnull (strstr (run.error->message, "127.0.0.1"));
    g_assert_cmpuint (count_files (downloads), ==, 0);
    g_clear_error (&run.error);
  }
  /* Not http. */
  {
    g_autofree char *destination = g_build_filename (downloads, "x.iso", NULL);
    g_autoptr(HangarOsDownloader) d = hangar_os_downloader_new ("ftp://127.0.0.1/x.iso",
                                                                destination, NULL);

    run_download (d, &run);
    g_assert_error (run.error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP);
    g_assert_cmpuint (count_files (downloads), ==, 0);
    g_clear_error (&run.error);
  }
}

static void
size_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static gint64
query_size (const char  *url,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_os_download_query_size_async (url, NULL, size_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return hangar_os_download_query_size_finish (result, error);
}

static void
test_query_size (void)
{
  g_autofree char *url = url_for ("moved/", "image.iso");
  g_autofree char *missing = url_for ("", "missing.iso");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (query_size (url, &error), ==, FILE_SIZE);
  g_assert_no_error (error);
  g_assert_cmpint (query_size (missing, &error), ==, -1);
  g_assert_error (error, HANGAR_DOWNLOAD_ERROR, HANGAR_DOWNLOAD_ERROR_HTTP);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *image = NULL;
  g_autofree guchar *data = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  tmp_dir = g_dir_make_tmp ("hangar-os-download-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  /* Before GLib reads it: the test's OS database overlay lives here. */
  g_setenv ("XDG_CONFIG_HOME", tmp_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  served = g_build_filename (tmp_dir, "served", NULL);
  downloads = g_build_filename (tmp_dir, "downloads", NULL);
  g_assert_cmpint (g_mkdir (served, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (downloads, 0700), ==, 0);
  data = g_malloc (FILE_SIZE);
  for (gsize i = 0; i < FILE_SIZE; i++)
    data[i] = g_rand_int (rand) & 0xff;
  image = g_build_filename (served, "image.iso", NULL);
  g_assert_true (g_file_set_contents (image, (char *) data, FILE_SIZE, NULL));
  file_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, FILE_SIZE);
  start_server ();

  g_test_add_func ("/os-download/catalogue/system", test_catalogue_system);
  g_test_add_func ("/os-download/catalogue/overlay", test_catalogue_overlay);
  g_test_add_func ("/os-download/find-checksum", test_find_checksum);
  g_test_add_func ("/os-download/verified", test_download_verified);
  g_test_add_func ("/os-download/checksum-forms", test_download_checksum_forms);
  g_test_add_func ("/os-download/checksum-mismatch", test_download_checksum_mismatch);
  g_test_add_func ("/os-download/resume-after-cut", test_download_resume_after_cut);
  g_test_add_func ("/os-download/resume-refused", test_download_resume_refused);
  g_test_add_func ("/os-download/pause-resume", test_download_pause_resume);
  g_test_add_func ("/os-download/cancel", test_download_cancel);
  g_test_add_func ("/os-download/errors", test_download_errors);
  g_test_add_func ("/os-download/query-size", test_query_size);
  status = g_test_run ();

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&server);
  empty_downloads ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return status;
}
