/* test-express-install.c — an express install end to end on the real
 * system libvirtd.
 *
 * tests/support/make-fake-debian-iso.sh makes an ISO that libosinfo takes
 * for Debian 11's netinst, carrying the tiny test kernel and an initramfs
 * whose /init plays the installer: it prints the user and host name it
 * finds in /preseed.cfg to the serial port and powers off. The creator
 * reads the kernel and initrd out of the ISO, appends the generated
 * preseed to the initrd, starts the install boot and deletes both files;
 * after the "install" the machine's definition boots from its disk.
 * Windows 11's answers go on a disc of their own, in the install boot
 * only.
 * Failures (an image without an installer, an OS without a script, a
 * failed start) leave nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hangar-connection.h"
#include "hangar-express.h"
#include "hangar-host-info.h"
#include "hangar-os.h"
#include "hangar-vm-creator.h"
#include "hangar-test-util.h"
#include "wizard-test-util.h"

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

static HangarExpressConfig *
pt_br_config (void)
{
  HangarExpressConfig *config = hangar_express_config_new ();

  config->user_name = g_strdup ("maria");
  config->full_name = g_strdup ("Maria da Silva");
  config->password = g_strdup ("senha-do-usuario");
  config->admin_password = g_strdup ("");
  config->host_name = g_strdup ("maquina-teste");
  config->language = g_strdup ("pt_BR");
  config->keyboard = g_strdup ("pt_BR");
  config->time_zone = g_strdup ("America/Sao_Paulo");
  return config;
}

static HangarDomainSpec *
new_spec (const char *suffix,
          const char *iso)
{
  HangarDomainSpec *spec = hangar_domain_spec_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoOs) os = NULL;

  spec->connection_kind = host->kind;
  hangar_domain_spec_set_caps (spec, host->caps);
  spec->name = g_strdup_printf (WIZTEST_PREFIX "%s", suffix);
  spec->memory_mib = 256;
  spec->vcpus = 1;
  spec->network_mode = HANGAR_NETWORK_NONE;
  spec->install_method = HANGAR_INSTALL_ISO;
  spec->iso_path = g_strdup (iso);
  spec->disk_mode = HANGAR_DISK_NEW;
  spec->disk_capacity_gib = 1;
  /* The tiny kernel runs under TCG (nested KVM here refuses it). */
  spec->force_emulation = TRUE;
  os = hangar_os_identify_iso (hangar_os_get_db (NULL), iso, NULL, &error);
  g_assert_no_error (error);
  if (os != NULL)
    hangar_domain_spec_set_os (spec, os);
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
run_creator (const HangarDomainSpec    *spec,
             const HangarExpressConfig *config,
             GPtrArray                 *steps,
             GError                   **error)
{
  g_autoptr(HangarVmCreator) creator = hangar_vm_creator_new (connection, spec);
  g_autoptr(GAsyncResult) result = NULL;
  char *uuid;

  hangar_vm_creator_set_express (creator, config);
  if (steps != NULL)
    g_signal_connect (creator, "notify::step", G_CALLBACK (on_step), steps);
  hangar_vm_creator_run_async (creator, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 180000));
  uuid = hangar_vm_creator_run_finish (creator, result, error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return uuid;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("missing “%s” in:\n%s", needle, haystack);
  g_assert_nonnull (strstr (haystack, needle));
}

static void
assert_nothing_left (const char *name)
{
  g_autoptr(GPtrArray) volumes = wiztest_list_volumes ();

  g_assert_false (wiztest_domain_exists (name));
  for (guint i = 0; i < volumes->len; i++)
    g_test_message ("left behind: %s", (char *) g_ptr_array_index (volumes, i));
  g_assert_cmpuint (volumes->len, ==, 0);
}

static char *
fake_debian_iso (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tests", "support",
                                              "make-fake-debian-iso.sh", NULL);
  const char *cache = g_getenv ("HANGAR_TEST_CACHE");
  g_autofree char *dir = g_strdup (cache && *cache ? cache : "/var/cache/hangar-test");
  g_autofree char *cached = g_build_filename (dir, "fake-debian-11.iso", NULL);
  g_autofree char *data = NULL;
  char *copy = g_build_filename (tmp_dir, "fake-debian-11.iso", NULL);
  const char *argv[] = { "sh", script, dir, NULL };
  g_autoptr(GError) error = NULL;
  gsize len;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* A copy of its own, readable by QEMU's user. */
  g_assert_true (g_file_get_contents (cached, &data, &len, NULL));
  g_assert_true (g_file_set_contents (copy, data, len, NULL));
  g_chmod (copy, 0644);
  return copy;
}

static gboolean
domain_stopped (const char *name)
{
  g_autofree char *state = wiztest_virsh ("domstate %s", name);

  return state != NULL && strstr (state, "shut off") != NULL;
}

/* Asks virsh twice a second; in between, the main loop runs, so the
 * connection answers libvirt's keepalives. */
static gboolean
domain_stopped_cond (gpointer data)
{
  static gint64 last;
  gint64 now = g_get_monotonic_time ();

  if (now - last < G_USEC_PER_SEC / 2)
    return FALSE;
  last = now;
  return domain_stopped (data);
}

static void
test_install (void)
{
  g_autofree char *iso = fake_debian_iso ();
  g_autoptr(HangarDomainSpec) spec = new_spec ("express", iso);
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_dir = g_build_filename (tmp_dir, "serial", NULL);
  g_autofree char *log_path = g_build_filename (log_dir, "install.log", NULL);
  g_autofree char *uuid = NULL;
  g_autofree char *live = NULL;
  g_autofree char *inactive = NULL;
  g_autofree char *serial = NULL;

  g_assert_nonnull (spec->os);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (spec->os)), ==, "debian11");
  g_assert_true (hangar_express_os_supported (spec->os));

  g_assert_cmpint (g_mkdir_with_parents (log_dir, 0777), ==, 0);
  g_chmod (log_dir, 0777);
  g_setenv ("HANGAR_VM_CREATOR_INSTALL_SERIAL_LOG", log_path, TRUE);
  uuid = run_creator (spec, config, steps, &error);
  g_unsetenv ("HANGAR_VM_CREATOR_INSTALL_SERIAL_LOG");
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  g_assert_true (g_ptr_array_find_with_equal_func (steps, "Preparing the automatic installation",
                                                   g_str_equal, NULL));

  /* The install boot started the installer's kernel with the answers'
   * arguments; the files it came from are gone already (the initrd
   * holds the password). */
  live = wiztest_virsh ("dumpxml " WIZTEST_PREFIX "express");
  if (live != NULL && strstr (live, "<kernel>") != NULL)
    {
      assert_contains (live, "-install-kernel</kernel>");
      assert_contains (live, "debconf/priority=critical");
    }
  volumes = wiztest_list_volumes ();
  for (guint i = 0; i < volumes->len; i++)
    {
      g_test_message ("volume: %s", (char *) g_ptr_array_index (volumes, i));
      g_assert_null (strstr (g_ptr_array_index (volumes, i), "-install-"));
    }
  g_assert_cmpuint (volumes->len, ==, 1);

  /* The "installer" reads its answers and powers off. */
  g_assert_true (hangar_test_wait (domain_stopped_cond, (gpointer) WIZTEST_PREFIX "express",
                                   120000));
  g_assert_true (g_file_get_contents (log_path, &serial, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("serial: %s", serial);
  assert_contains (serial, "preseed user=maria host=maquina-teste");
  assert_contains (serial, "keyboard-configuration/xkb-keymap=br");

  /* Afterwards the machine is the persistent definition: the disk, no
   * installer kernel. */
  inactive = wiztest_virsh ("dumpxml --inactive " WIZTEST_PREFIX "express");
  g_assert_nonnull (inactive);
  g_assert_null (strstr (inactive, "<kernel>"));
  g_assert_null (strstr (inactive, "<initrd>"));
  g_assert_null (strstr (inactive, "<cmdline>"));
  assert_contains (inactive, "<boot dev='hd'/>");
  g_assert_null (strstr (inactive, "senha"));

  wiztest_cleanup ();
  assert_nothing_left (WIZTEST_PREFIX "express");
}

/* Windows 11 (an ISO libosinfo takes for it; nothing boots from it):
 * the answers go on a disc of their own in the install boot only, and
 * the file is gone once QEMU has it open. */
static void
test_windows (void)
{
  g_autofree char *tree = g_build_filename (tmp_dir, "win-tree", NULL);
  g_autofree char *boot = g_build_filename (tree, "boot.img", NULL);
  g_autofree char *iso = g_build_filename (tmp_dir, "win11.iso", NULL);
  g_autofree char *boot_data = g_malloc0 (2048);
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-V", "CCCOMA_X64FRE_EN-US_DV9",
                         "-publisher", "MICROSOFT CORPORATION", "-b", "boot.img",
                         "-no-emul-boot", "-boot-load-size", "4", "-o", iso, tree, NULL };
  g_autoptr(HangarDomainSpec) spec = NULL;
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *live = NULL;
  g_autofree char *inactive = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (boot, boot_data, 2048, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_chmod (iso, 0644);

  spec = new_spec ("express-win", iso);
  g_assert_nonnull (spec->os);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (spec->os)), ==, "win11");
  g_assert_true (hangar_express_os_supported (spec->os));
  uuid = run_creator (spec, config, NULL, &error);
  g_assert_no_error (error);

  live = wiztest_virsh ("dumpxml " WIZTEST_PREFIX "express-win");
  g_assert_nonnull (live);
  assert_contains (live, "/" WIZTEST_PREFIX "express-win-install-answers.iso'");
  g_assert_null (strstr (live, "<kernel>"));
  inactive = wiztest_virsh ("dumpxml --inactive " WIZTEST_PREFIX "express-win");
  g_assert_nonnull (inactive);
  g_assert_null (strstr (inactive, "-install-answers"));
  assert_contains (inactive, "win11.iso");
  volumes = wiztest_list_volumes ();
  for (guint i = 0; i < volumes->len; i++)
    {
      g_test_message ("volume: %s", (char *) g_ptr_array_index (volumes, i));
      g_assert_null (strstr (g_ptr_array_index (volumes, i), "-install-"));
    }
  g_assert_cmpuint (volumes->len, ==, 1);

  wiztest_cleanup ();
  assert_nothing_left (WIZTEST_PREFIX "express-win");
}

/* Identified as Debian 11 but holds no installer: a clear message, and
 * nothing made is left. */
static void
test_no_installer (void)
{
  g_autofree char *iso = wiztest_make_iso (tmp_dir, "Debian 11.6.0 amd64 n");
  g_autoptr(HangarDomainSpec) spec = new_spec ("express-empty", iso);
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = run_creator (spec, config, NULL, &error);

  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_EXPRESS);
  assert_contains (error->message, "install.amd/vmlinuz");
  assert_nothing_left (WIZTEST_PREFIX "express-empty");
}

/* An OS without an install script, and bad answers: refused before
 * anything is made. */
static void
test_refused (void)
{
  g_autofree char *iso = wiztest_make_iso (tmp_dir, "HANGAR UNKNOWN OS");
  g_autoptr(HangarDomainSpec) spec = new_spec ("express-unknown", iso);
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  g_assert_null (spec->os);
  uuid = run_creator (spec, config, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_EXPRESS);
  assert_nothing_left (WIZTEST_PREFIX "express-unknown");
  g_clear_error (&error);

  {
    g_autofree char *debian = wiztest_make_iso (tmp_dir, "Debian 11.6.0 amd64 n");
    g_autoptr(HangarDomainSpec) spec2 = new_spec ("express-bad", debian);

    g_free (config->host_name);
    config->host_name = g_strdup ("-bad-");
    uuid = run_creator (spec2, config, NULL, &error);
    g_assert_null (uuid);
    g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_EXPRESS);
    assert_contains (error->message, "host name");
    assert_nothing_left (WIZTEST_PREFIX "express-bad");
  }
}

/* The start fails (a test hook): the kernel and initrd volumes, the
 * disk and the definition all go. */
static void
test_start_fails (void)
{
  g_autofree char *iso = fake_debian_iso ();
  g_autoptr(HangarDomainSpec) spec = new_spec ("express-fail", iso);
  g_autoptr(HangarExpressConfig) config = pt_br_config ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  g_setenv ("HANGAR_VM_CREATOR_FAIL_AT", "start", TRUE);
  uuid = run_creator (spec, config, NULL, &error);
  g_unsetenv ("HANGAR_VM_CREATOR_FAIL_AT");
  g_assert_null (uuid);
  g_assert_error (error, HANGAR_VM_CREATOR_ERROR, HANGAR_VM_CREATOR_STEP_START);
  assert_nothing_left (WIZTEST_PREFIX "express-fail");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* As virsh does: a connection the daemon closed is an error to read,
   * not a death. */
  signal (SIGPIPE, SIG_IGN);
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
  g_chmod (tmp_dir, 0755);
  setup_connection ();

  g_test_add_func ("/hangar/express/install/debian11", test_install);
  g_test_add_func ("/hangar/express/install/windows", test_windows);
  g_test_add_func ("/hangar/express/install/no-installer", test_no_installer);
  g_test_add_func ("/hangar/express/install/refused", test_refused);
  g_test_add_func ("/hangar/express/install/start-fails", test_start_fails);

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
