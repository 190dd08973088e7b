/* test-wizard-vnc-clipboard.c — a VNC machine made by Hangar's wizard has
 * a clipboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VNC has no agent protocol of its own: a guest's clipboard reaches a VNC
 * client only through QEMU's qemu-vdagent on the SPICE agent's port. This
 * test makes a machine the way the New Machine wizard does
 * (HangarVmCreator with the wizard's choices: a Linux OS, the VNC
 * console), with no XML written by hand: the channel must come from the
 * domain builder. Only the guest's kernel, initramfs and a serial log are
 * then added to its definition, since the wizard has nothing to install
 * here: the tiny Linux guest, whose agent (mini-vdagent) logs on the
 * serial port what reaches the guest's clipboard. Then, through the
 * machine window as a user opens it (--show-domain-console):
 *
 *  - text another X client (xclip) puts on the desktop's clipboard
 *    reaches the guest's clipboard;
 *  - text copied in the guest ("copy TEXT" typed on its console) is what
 *    xclip then reads.
 *
 * tests/console/test-machine-window-clipboard.c tests the same both ways,
 * and more, on a guest whose channel the test fixture writes.
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "console-guest.h"
#include "console-test-util.h"
#include "hangar-connection.h"
#include "hangar-host-info.h"
#include "hangar-machine-window.h"
#include "hangar-os.h"
#include "hangar-vm-creator.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"
#define FROM_DESKTOP "desktop → wizard's guest, ça va"
#define FROM_GUEST "from-the-wizard-guest, café"
/* Typed in the guest: its shell turns octal escapes into bytes. */
#define FROM_GUEST_TYPED "from-the-wizard-guest, caf\\303\\251"

/* How long a step may take; the guest boots under software emulation. */
#define STEP_TIMEOUT_MS 90000

typedef struct
{
  ConsoleGuest *guest;
  /* What `xclip -o` printed, once it has. */
  char *desktop_text;
  gboolean reading;
} ClipboardTest;

static ClipboardTest test;

static HangarMachineWindow *
machine_window (void)
{
  return (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
}

/* ---- the machine, as the wizard makes it ---- */

static gboolean
is_settled (gpointer data)
{
  return hangar_connection_get_state (data) != HANGAR_CONNECTION_STATE_CONNECTING;
}

/* Returns the new machine's definition, or NULL (the test then skips)
 * where this host's QEMU has no qemu-vdagent. */
static char *
create_with_wizard (const char *name)
{
  g_autoptr(HangarConnection) connection = hangar_connection_new (URI);
  g_autoptr(HangarHostInfo) host = NULL;
  g_autoptr(HangarDomainSpec) spec = hangar_domain_spec_new ();
  g_autoptr(HangarVmCreator) creator = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  OsinfoDb *db;
  virConnectPtr conn;
  virDomainPtr dom;
  char *xml;

  hangar_connection_open (connection);
  g_assert_true (hangar_test_wait (is_settled, connection, 20000));
  g_assert_cmpint (hangar_connection_get_state (connection), ==, HANGAR_CONNECTION_STATE_CONNECTED);
  hangar_host_info_query_async (connection, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 20000));
  host = hangar_host_info_query_finish (connection, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  if (!host->caps->has_qemu_vdagent)
    {
      hangar_connection_close (connection);
      return NULL;
    }

  /* The wizard's choices: a current Linux, nothing to install from, no
   * disk or network (nothing here needs them), the VNC console. */
  db = hangar_os_get_db (&error);
  g_assert_no_error (error);
  spec->connection_kind = host->kind;
  hangar_domain_spec_set_caps (spec, host->caps);
  hangar_domain_spec_set_os (spec, hangar_os_find (db, "linux2022"));
  hangar_domain_spec_apply_os_defaults (spec);
  spec->install_method = HANGAR_INSTALL_MANUAL;
  spec->name = g_strdup (name);
  spec->memory_mib = 256;
  spec->vcpus = 1;
  spec->disk_mode = HANGAR_DISK_NONE;
  spec->network_mode = HANGAR_NETWORK_NONE;
  spec->firmware = HANGAR_FIRMWARE_BIOS;
  spec->secure_boot = spec->tpm = FALSE;
  /* A Linux kernel hangs under nested KVM on these machines. */
  spec->force_emulation = TRUE;
  spec->console = HANGAR_CONSOLE_VNC;

  creator = hangar_vm_creator_new (connection, spec);
  hangar_vm_creator_set_start (creator, FALSE);
  hangar_vm_creator_run_async (creator, NULL, hangar_test_async_ready, &result);
  g_assert_true (hangar_test_wait (hangar_test_result_ready, &result, 120000));
  uuid = hangar_vm_creator_run_finish (creator, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  hangar_connection_close (connection);

  conn = virConnectOpen (URI);
  g_assert_nonnull (conn);
  dom = virDomainLookupByUUIDString (conn, uuid);
  g_assert_nonnull (dom);
  xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  g_assert_nonnull (xml);
  virDomainFree (dom);
  virConnectClose (conn);
  g_test_message ("The wizard's definition:\n%s", xml);
  return xml;
}

/* ---- the steps ---- */

/* Whether the guest's serial log has a line starting with @line; before
 * the step times out, the log goes to the test's output. */
static gboolean
serial_has_line (HangarTestRun *run,
                 const char    *line)
{
  g_autofree char *log = console_guest_read_serial (test.guest);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], line))
      return TRUE;
  if (g_get_monotonic_time () - run->step_started > (STEP_TIMEOUT_MS - 1000) * 1000ll)
    g_test_message ("No \"%s\" yet; serial log:\n%s", line, log);
  return FALSE;
}

static void
xclip_read_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("xclip -o: \"%s\"", out);
  g_free (test.desktop_text);
  test.desktop_text = g_steal_pointer (&out);
  test.reading = FALSE;
  g_object_unref (object);
}

/* Asynchronously: the selection's owner may be this very process, whose
 * main loop must answer xclip's request. */
static void
xclip_read (void)
{
  const char *argv[] = { "xclip", "-o", "-selection", "clipboard", NULL };
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);

  g_assert_no_error (error);
  test.reading = TRUE;
  g_subprocess_communicate_utf8_async (process, NULL, NULL, xclip_read_done, NULL);
}

static gboolean
step_console_up (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  return window != NULL && hangar_machine_window_is_console_connected (window)
         && g_strcmp0 (hangar_machine_window_get_page (window), "console") == 0;
}

/* The guest's agent has heard QEMU's capabilities: from then on
 * clipboard changes reach it. */
static gboolean
step_agent_up (HangarTestRun *run)
{
  return serial_has_line (run, "hangar-agent: client capabilities");
}

static gboolean
step_window_active (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  if (gtk_window_is_active (GTK_WINDOW (window)))
    return TRUE;
  gtk_window_present (GTK_WINDOW (window));
  return FALSE;
}

/* xclip stays to own the selection until another client takes it; it
 * must not keep the test's output open (meson waits for it). */
static gboolean
step_desktop_copies (HangarTestRun *run)
{
  const char *argv[] = { "xclip", "-i", "-selection", "clipboard", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                            | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                            | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                      &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, FROM_DESKTOP, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return TRUE;
}

static gboolean
step_guest_has_it (HangarTestRun *run)
{
  return serial_has_line (run, "hangar-agent: clipboard " FROM_DESKTOP);
}

static gboolean
step_guest_copies (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  console_test_type_text (HANGAR_DISPLAY (hangar_machine_window_get_display (window)),
                          "copy " FROM_GUEST_TYPED "\n");
  return TRUE;
}

static gboolean
step_desktop_has_it (HangarTestRun *run)
{
  if (test.reading)
    return FALSE;
  if (g_strcmp0 (test.desktop_text, FROM_GUEST) == 0)
    return TRUE;
  /* Not yet (or still the desktop's own text): ask again. */
  xclip_read ();
  return FALSE;
}

static gboolean
step_close_all (HangarTestRun *run)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (run->app));
  g_autofree char *shot = hangar_test_screenshot (GTK_WIDGET (machine_window ()),
                                                  "wizard-vnc-clipboard.png");

  /* Taking the selection ends the xclip that owned it. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (machine_window ())), "done");

  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);
  return TRUE;
}

static void
test_wizard_vnc_clipboard (void)
{
  const HangarTestStep steps[] = {
    step_console_up, step_agent_up, step_window_active,
    step_desktop_copies, step_guest_has_it,
    step_guest_copies, step_desktop_has_it,
    step_close_all, NULL,
  };
  HangarTestRun run = { 0 };
  /* hangar-test-…-PID: the console tests' sweep removes it should this
   * process die before it does. */
  g_autofree char *name = g_strdup_printf ("hangar-test-wizard-vnc-%d", (int) getpid ());
  const char *argv[] = { "hangar", "--connect", URI, "--show-domain-console", name, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;
  g_autofree char *xclip_path = g_find_program_in_path ("xclip");
  g_autofree char *xml = NULL;

  if (!console_guest_available (&why_not))
    {
      g_test_skip (why_not);
      return;
    }
  if (xclip_path == NULL)
    {
      g_test_skip ("xclip is not installed (tools/setup installs it)");
      return;
    }

  xml = create_with_wizard (name);
  if (xml == NULL)
    {
      g_test_skip ("this host's QEMU has no qemu-vdagent (QEMU 6.1 and later have)");
      return;
    }
  /* The console and its clipboard channel are the wizard's, not SPICE's. */
  g_assert_nonnull (strstr (xml, "<graphics type='vnc'"));
  g_assert_nonnull (strstr (xml, "<channel type='qemu-vdagent'>"));
  g_assert_nonnull (strstr (xml, "<clipboard copypaste='yes'/>"));
  g_assert_nonnull (strstr (xml, "<target type='virtio' name='com.redhat.spice.0'"));
  g_assert_null (strstr (xml, "spicevmc"));

  test.guest = console_guest_adopt_tiny_linux (name, &error);
  g_assert_no_error (error);

  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, STEP_TIMEOUT_MS), ==, 0);

  g_clear_pointer (&test.guest, console_guest_free);
  g_clear_pointer (&test.desktop_text, g_free);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/wizard/vnc-clipboard", test_wizard_vnc_clipboard);

  return g_test_run ();
}
