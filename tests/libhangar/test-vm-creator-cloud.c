/* test-vm-creator-cloud.c — a machine from a cloud image, on the real system libvirtd.
 *
 * A small qcow2 made with qemu-img stands for the cloud image. The
 * creator copies it into the default pool as a standalone disk grown to
 * the size asked, uploads the NoCloud seed beside it and defines the
 * machine with the seed as a CD-ROM. The test then boots that machine:
 * a real cloud image boots its own boot loader and runs cloud-init; an
 * empty qcow2 has neither, so the test gives the definition the kernel
 * and initramfs of make-cloud-guest.sh, whose /init finds the CD-ROM
 * labelled cidata, reads user-data and meta-data as cloud-init's NoCloud
 * datasource does, and prints the user, key, host name and disk size to
 * the serial log. Failures (a step made to fail, an image with a backing
 * file, a size smaller than the image, a user name refused) leave
 * neither disk nor seed nor machine behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-host-info.h"
#include "hangar-vm-creator.h"
#include "hangar-test-util.h"
#include "wizard-test-util.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define NAME WIZTEST_PREFIX "cloud"
#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKx6NvlYkTQAJO/9xtuXHkExma74LvIcrn3WABWX+ge " \
            "maria@casa"

static char *tmp_dir;
static HangarConnection *connection;
static HangarHostInfo *host;

static gboolean
is_settled (gpointer data)
{
  return hangar_connection_get_state (data) != HANGAR_CONNECTION_STATE_CONNECTING;
}

static void
setup_connection (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  connection = hangar_connection_new (WIZTEST_URI);
  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (is_settled, connection, 20000));
  g_assert_cmpint (hangar_connection_get_state (connection), ==, HANGAR_CONNECTION_STATE_CONNECTED);

  hangar_host_info_query_async (connection, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 20000));
  host = hangar_host_info_query_finish (connection, result, &error);
  g_assert_no_error (error);
}

/* qemu-img create, with extra options (a backing file). */
static char *
make_image (const char *file_name,
            const char *size,
            const char *options)
{
  g_autofree char *path = g_build_filename (tmp_dir, file_name, NULL);
  g_autofree char *command = g_strdup_printf ("qemu-img create -q -f qcow2 %s %s %s",
                                              options ? options : "", path, size);
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&path);
}

static HangarDomainSpec *
new_spec (const char *image)
{
  HangarDomainSpec *spec = hangar_domain_spec_new ();

  spec->connection_kind = host->kind;
  hangar_domain_spec_set_caps (spec, host->caps);
  spec->name = g_strdup (NAME);
  spec->memory_mib = 256;
  spec->vcpus = 1;
  spec->network_mode = HANGAR_NETWORK_NONE;
  /* Nested KVM here refuses the host's CPU model (MSR 0x10a). */
  spec->force_emulation = TRUE;
  spec->install_method = HANGAR_INSTALL_CLOUD;
  spec->cloud_image_path = g_strdup (image);
  spec->disk_capacity_gib = 1;
  spec->cloud_init = hangar_cloud_init_new ();
  spec->cloud_init->user_name = g_strdup ("maria");
  spec->cloud_init->password = g_strdup ("segredo \"forte\"");
  spec->cloud_init->ssh_key = g_strdup (KEY);
  spec->cloud_init->host_name = g_strdup ("nuvem-1");
  return spec;
}

static void
on_step (HangarVmCreator *creator,
         GParamSpec      *pspec,
         GPtrArray       *steps)
{
  g_ptr_array_add (steps, g_strdup (hangar_vm_creator_get_step (creator)));
}

static char *
run_creator (const HangarDomainSpec  *spec,
             GPtrArray               *steps,
             GError                 **error)
{
  g_autoptr(HangarVmCreator) creator = hangar_vm_creator_new (connection, spec);
  g_autoptr(GAsyncResult) result = NULL;
  char *uuid;

  /* Defined, not started: the test adds the stand-in boot first. */
  hangar_vm_creator_set_start (creator, FALSE);
  if (steps != NULL)
    g_signal_connect (creator, "notify::step", G_CALLBACK (on_step), steps);
  hangar_vm_creator_run_async (creator, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 120000));
  uuid = hangar_vm_creator_run_finish (creator, result, error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return uuid;
}

static void
assert_nothing_left (void)
{
  g_autoptr(GPtrArray) volumes = wiztest_list_volumes ();

  g_assert_false (wiztest_domain_exists (NAME));
  for (guint i = 0; i < volumes->len; i++)
    g_test_message ("left behind: %s", (char *) g_ptr_array_index (volumes, i));
  g_assert_cmpuint (volumes->len, ==, 0);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("%s\nmissing: %s", haystack, needle);
  g_assert_nonnull (strstr (haystack, needle));
}

static char *
cloud_guest_dir (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "support",
                                              "make-cloud-guest.sh", NULL);
  const char *cache = g_getenv ("HANGAR_TEST_CACHE");
  char *dir = g_strdup (cache && *cache ? cache : "/var/cache/hangar-test");
  const char *argv[] = { "sh", script, dir, NULL };
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    g_clear_pointer (&dir, g_free);
  return dir;
}

typedef struct
{
  const char *path;
} SerialWait;

static gboolean
serial_done (gpointer data)
{
  SerialWait *wait = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (wait->path, &text, NULL, NULL) && strstr (text, "cloud done");
}

/* Gives the machine the stand-in guest's kernel, its initramfs and a
 * serial log, then starts it and waits for its report. */
static char *
boot_stand_in (const char *guest)
{
  g_autofree char *xml = wiztest_virsh ("dumpxml --inactive " NAME);
  g_autofree char *serial_dir = g_build_filename (tmp_dir, "serial", NULL);
  g_autofree char *serial = g_build_filename (serial_dir, "serial.log", NULL);
  g_autofree char *xml_path = g_build_filename (tmp_dir, "cloud.xml", NULL);
  g_autofree char *boot = NULL;
  g_autofree char *serial_xml = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GString) edited = NULL;
  SerialWait wait = { serial };
  char *log = NULL;
  const char *at;

  g_assert_nonnull (xml);
  g_mkdir_with_parents (serial_dir, 0777);
  g_chmod (serial_dir, 0777);
  g_chmod (tmp_dir, 0755);
  edited = g_string_new (xml);
  boot = g_strdup_printf ("\n    <kernel>%s/cloud-vmlinuz</kernel>\n"
                          "    <initrd>%s/cloud-initrd.img</initrd>\n"
                          "    <cmdline>console=ttyS0 quiet</cmdline>",
                          guest, guest);
  serial_xml = g_strdup_printf ("  <serial type='file'><source path='%s'/>"
                                "<target port='0'/></serial>\n  ", serial);
  at = strstr (edited->str, "</type>");
  g_assert_nonnull (at);
  g_string_insert (edited, at - edited->str + strlen ("</type>"), boot);
  /* Its own serial port only: the definition's pty one would take port 0. */
  while ((at = strstr (edited->str, "<serial type='pty'>")) != NULL)
    {
      const char *end = strstr (at, "</serial>");

      g_assert_nonnull (end);
      g_string_erase (edited, at - edited->str, end + strlen ("</serial>") - at);
    }
  while ((at = strstr (edited->str, "<console type='pty'>")) != NULL)
    {
      const char *end = strstr (at, "</console>");

      g_assert_nonnull (end);
      g_string_erase (edited, at - edited->str, end + strlen ("</console>") - at);
    }
  at = strstr (edited->str, "</devices>");
  g_string_insert (edited, at - edited->str, serial_xml);
  g_assert_true (g_file_set_contents (xml_path, edited->str, -1, NULL));

  out = wiztest_virsh ("define %s", xml_path);
  g_assert_nonnull (out);
  g_free (out);
  out = wiztest_virsh ("start " NAME);
  g_assert_nonnull (out);
  /* TCG: the kernel reaches /init in a few seconds, the CD-ROM a few more. */
  g_assert_true (hangar_test_wait (serial_done, &wait, 120000));
  g_assert_true (g_file_get_contents (serial, &log, NULL, NULL));
  g_unlink (serial);
  g_rmdir (serial_dir);
  g_unlink (xml_path);
  return log;
}

static void
test_cloud (void)
{
  g_autofree char *image = make_image ("cloud.qcow2", "64M", NULL);
  g_autoptr(HangarDomainSpec) spec = new_spec (image);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *info = NULL;
  g_autofree char *guest = NULL;
  g_autofree char *log = NULL;
  g_autofree char *disk = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *seed_data = NULL;
  g_autofree char *command = NULL;
  int status = -1;

  uuid = run_creator (spec, steps, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  g_assert_true (g_ptr_array_find_with_equal_func (steps, "Writing the cloud-init settings",
                                                   g_str_equal, NULL));

  /* The disk and the seed, side by side in the default pool. */
  volumes = wiztest_list_volumes ();
  g_assert_cmpuint (volumes->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (volumes, "default/" NAME ".qcow2",
                                                   g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (volumes, "default/" NAME "-cidata.iso",
                                                   g_str_equal, NULL));
  xml = wiztest_virsh ("dumpxml --inactive " NAME);
  disk = g_strdup ("/var/lib/libvirt/images/" NAME ".qcow2");
  seed = g_strdup ("/var/lib/libvirt/images/" NAME "-cidata.iso");
  assert_contains (xml, "<source file='" "/var/lib/libvirt/images/" NAME ".qcow2'/>");
  assert_contains (xml, "<backingStore/>");
  assert_contains (xml, "device='cdrom'");
  assert_contains (xml, "<source file='" "/var/lib/libvirt/images/" NAME "-cidata.iso'/>");

  /* The asked size, and a copy that stands alone. */
  g_assert_cmpuint (wiztest_volume_capacity (disk), ==, 1 * GIB);
  command = g_strdup_printf ("qemu-img info --output=json %s", disk);
  g_assert_true (g_spawn_command_line_sync (command, &info, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_null (strstr (info, "backing-filename"));
  assert_contains (info, "\"format\": \"qcow2\"");

  /* The password is in the seed as its hash only. */
  g_assert_true (g_file_get_contents (seed, &seed_data, NULL, NULL));
  g_assert_null (g_strstr_len (seed_data, 4 * 1024 * 1024, "segredo"));

  guest = cloud_guest_dir ();
  if (guest == NULL)
    {
      wiztest_cleanup ();
      g_test_skip ("No guest to boot (make-cloud-guest.sh failed)");
      return;
    }
  log = boot_stand_in (guest);
  g_test_message ("%s", log);
  /* The primary descriptor's id, upper case in ISO 9660; cloud-init
   * accepts CIDATA as well as the Joliet id "cidata" blkid reports. */
  assert_contains (log, "cloud label=CIDATA");
  assert_contains (log, "cloud user=maria key=" KEY);
  assert_contains (log, "cloud hostname=nuvem-1");
  assert_contains (log, "cloud disk=1073741824");
  wiztest_cleanup ();
  assert_nothing_left ();
}

static void
assert_refused (HangarDomainSpec *spec,
                const char       *fail_at,
                int               step,
                const char       *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  if (fail_at != NULL)
    g_setenv ("HANGAR_VM_CREATOR_FAIL_AT", fail_at, TRUE);
  uuid = run_creator (spec, NULL, &error);
  g_unsetenv ("HANGAR_VM_CREATOR_FAIL_AT");
  g_assert_null (uuid);
  g_test_message ("refused: %s", error->message);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, step);
  if (expect != NULL)
    assert_contains (error->message, expect);
  assert_nothing_left ();
}

static void
test_cloud_fails (void)
{
  g_autofree char *image = make_image ("small.qcow2", "64M", NULL);
  g_autofree char *large = make_image ("large.qcow2", "3G", NULL);
  g_autofree char *backed = NULL;
  g_autofree char *options = g_strdup_printf ("-F qcow2 -b %s", image);
  g_autoptr(HangarDomainSpec) spec = new_spec (image);

  backed = make_image ("backed.qcow2", "64M", options);
  wiztest_cleanup ();

  /* After the disk and the seed are made: both go. */
  assert_refused (spec, "define", HANGAR_VM_CREATOR_STEP_DEFINE, NULL);
  /* While the seed is written. */
  assert_refused (spec, "disk", HANGAR_VM_CREATOR_STEP_DISK, NULL);

  /* An image that reads another file is never copied. */
  g_free (spec->cloud_image_path);
  spec->cloud_image_path = g_strdup (backed);
  assert_refused (spec, NULL, HANGAR_VM_CREATOR_STEP_CONVERT, "backing");

  /* A disk smaller than the image would cut its file system. */
  g_free (spec->cloud_image_path);
  spec->cloud_image_path = g_strdup (large);
  assert_refused (spec, NULL, HANGAR_VM_CREATOR_STEP_CONVERT, "choose at least");

  /* Settings the seed cannot carry: nothing is copied. */
  g_free (spec->cloud_image_path);
  spec->cloud_image_path = g_strdup (image);
  g_free (spec->cloud_init->user_name);
  spec->cloud_init->user_name = g_strdup ("maria: root");
  assert_refused (spec, NULL, HANGAR_VM_CREATOR_STEP_CONVERT, "user name");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!wiztest_daemon_running ())
    {
      g_test_skip ("The system libvirtd is not running");
      return g_test_run ();
    }

  wiztest_cleanup ();
  tmp_dir = g_dir_make_tmp ("hangar-wiztest-XXXXXX", &error);
  g_assert_no_error (error);
  setup_connection ();

  g_test_add_func ("/hangar/wizard/creator/cloud", test_cloud);
  g_test_add_func ("/hangar/wizard/creator/cloud-fails", test_cloud_fails);

  ret = g_test_run ();

  wiztest_cleanup ();
  g_clear_pointer (&host, hangar_host_info_free);
  hangar_connection_close (connection);
  g_clear_object (&connection);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", tmp_dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return ret;
}
