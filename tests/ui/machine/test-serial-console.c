/* test-serial-console.c — the text console widget against a real guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tiny Linux guest on qemu:///system (TCG) whose only console is its
 * serial port: the widget shows its boot, a line typed through the
 * terminal's input path comes back answered, and destroying the guest
 * leaves the widget disconnected with a reason. Also the error paths on
 * libvirt's test driver and the device list from domain XML.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libvirt-glib/libvirt-glib.h>
#include <libvirt/virterror.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hangar-serial-console.h"

#define URI "qemu:///system"

static void
quiet_libvirt (void        *data,
               virErrorPtr  err)
{
  /* Failures reach the code that asked; keep them off stderr. */
}

static void
drop_log (const char     *log_domain,
          GLogLevelFlags  log_level,
          const char     *message,
          gpointer        user_data)
{
}

/* Runs the main loop until @done says so or @seconds pass. */
static gboolean
wait_for (gboolean (*done) (gpointer data),
          gpointer   data,
          guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

/* Everything in the terminal, scrollback included. */
static char *
terminal_text (VteTerminal *terminal)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (terminal));
  glong first = (glong) gtk_adjustment_get_lower (vadjustment);
  glong last = (glong) gtk_adjustment_get_upper (vadjustment);

  return vte_terminal_get_text_range (terminal, first, 0, last, vte_terminal_get_column_count (terminal),
                                      NULL, NULL, NULL);
}

typedef struct
{
  HangarSerialConsole *console;
  const char *needle;
  guint disconnects;
  char *reason;
  GArray *states;
} Watch;

static void
on_disconnected (HangarSerialConsole *console,
                 const char          *reason,
                 Watch               *watch)
{
  watch->disconnects++;
  g_free (watch->reason);
  watch->reason = g_strdup (reason);
}

static void
on_state (HangarSerialConsole *console,
          GParamSpec          *pspec,
          Watch               *watch)
{
  HangarSerialConsoleState state = hangar_serial_console_get_state (console);

  g_array_append_val (watch->states, state);
}

static void
watch_init (Watch               *watch,
            HangarSerialConsole *console)
{
  watch->console = console;
  watch->states = g_array_new (FALSE, FALSE, sizeof (HangarSerialConsoleState));
  g_signal_connect (console, "disconnected", G_CALLBACK (on_disconnected), watch);
  g_signal_connect (console, "notify::state", G_CALLBACK (on_state), watch);
}

static void
watch_clear (Watch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->console, watch);
  g_clear_pointer (&watch->reason, g_free);
  g_clear_pointer (&watch->states, g_array_unref);
}

static gboolean
is_connected (gpointer data)
{
  Watch *watch = data;

  return hangar_serial_console_get_state (watch->console) == HANGAR_SERIAL_CONSOLE_STATE_CONNECTED;
}

static gboolean
got_disconnected (gpointer data)
{
  Watch *watch = data;

  return watch->disconnects > 0;
}

static gboolean
terminal_shows (gpointer data)
{
  Watch *watch = data;
  g_autofree char *text = terminal_text (hangar_serial_console_get_terminal (watch->console));

  return text != NULL && strstr (text, watch->needle) != NULL;
}

/* Paints the widget into a PNG in the test log directory. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("HANGAR_TEST_LOGDIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  for (guint tries = 0; node == NULL && tries < 200; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      while (g_main_context_iteration (NULL, FALSE))
        ;
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (width > 0 && height > 0)
        {
          gdk_paintable_snapshot (paintable, snapshot, width, height);
          node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
        }
      if (node == NULL)
        g_usleep (10000);
    }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The guest ------------------------------------------------------------ */

typedef struct
{
  virConnectPtr conn;
  virDomainPtr domain;
  char *name;
  GPid watchdog;
  int watchdog_fd;
} SerialGuest;

/* Guests of test processes that died before cleaning up (named like the
 * console tests' guests, which sweep ours the same way). */
static void
sweep_stale (virConnectPtr conn)
{
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);

  for (int i = 0; i < n; i++)
    {
      const char *name = virDomainGetName (domains[i]);
      const char *dash = strrchr (name, '-');
      gint64 pid;

      if (g_str_has_prefix (name, "hangar-test-serial") && dash != NULL &&
          (pid = g_ascii_strtoll (dash + 1, NULL, 10)) > 0 &&
          kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          virDomainDestroy (domains[i]);
          virDomainUndefine (domains[i]);
        }
      virDomainFree (domains[i]);
    }
  free (domains);
}

/* A shell that destroys the guest once our end of its stdin closes: when
 * we exit by any route, an abort() on a failed assertion included. */
static void
start_watchdog (SerialGuest *guest)
{
  g_autofree char *script = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
  g_autoptr(GError) error = NULL;

  script = g_strdup_printf ("cat >/dev/null; virsh -q -c %s destroy %s >/dev/null 2>&1",
                            URI, guest->name);
  argv[2] = script;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &guest->watchdog, &guest->watchdog_fd, NULL, NULL,
                                 &error))
    {
      g_test_message ("No cleanup watchdog: %s", error->message);
      guest->watchdog_fd = -1;
    }
}

static void
serial_guest_free (SerialGuest *guest)
{
  if (guest->domain != NULL)
    {
      virDomainDestroy (guest->domain);
      virDomainFree (guest->domain);
    }
  if (guest->conn != NULL)
    virConnectClose (guest->conn);
  if (guest->watchdog_fd >= 0)
    {
      close (guest->watchdog_fd);
      waitpid (guest->watchdog, NULL, 0);
      g_spawn_close_pid (guest->watchdog);
    }
  g_free (guest->name);
  g_free (guest);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SerialGuest, serial_guest_free)

static char *
cache_dir (void)
{
  const char *cache = g_getenv ("HANGAR_TEST_CACHE");

  if (cache != NULL && *cache != '\0')
    return g_strdup (cache);
  if (access ("/var/cache", W_OK) == 0)
    return g_strdup ("/var/cache/hangar-test");
  return g_build_filename (SERIAL_TEST_BUILDDIR, "tiny-guest", NULL);
}

/* Starts, paused, a transient guest whose console is its serial port:
 * paused so nothing it prints is lost before the console is open. */
static SerialGuest *
serial_guest_new (void)
{
  g_autoptr(SerialGuest) guest = g_new0 (SerialGuest, 1);
  g_autofree char *script = g_build_filename (SERIAL_TEST_SRCDIR, "make-serial-guest.sh", NULL);
  g_autofree char *cache = cache_dir ();
  g_autofree char *kernel = g_build_filename (cache, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (cache, "serial-initrd.img", NULL);
  g_autofree char *xml = NULL;
  g_autofree char *err_out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", script, cache, NULL };
  static guint counter;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err_out, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("make-serial-guest.sh failed: %s", err_out);

  guest->watchdog_fd = -1;
  guest->conn = virConnectOpen (URI);
  g_assert_nonnull (guest->conn);
  sweep_stale (guest->conn);

  guest->name = g_strdup_printf ("hangar-test-serial%u-%d", counter++, (int) getpid ());
  start_watchdog (guest);

  /* TCG: a Linux kernel hangs under nested KVM here (docs/DESIGN.md). No
   * graphics: the serial port is the only console, as for the machines
   * this page is the default for. */
  xml = g_strdup_printf ("<domain type='qemu'>\n"
                         "  <name>%s</name>\n"
                         "  <memory unit='MiB'>192</memory>\n"
                         "  <vcpu>1</vcpu>\n"
                         "  <os>\n"
                         "    <type arch='x86_64' machine='pc'>hvm</type>\n"
                         "    <kernel>%s</kernel>\n"
                         "    <initrd>%s</initrd>\n"
                         "    <cmdline>console=ttyS0</cmdline>\n"
                         "  </os>\n"
                         "  <features><acpi/></features>\n"
                         "  <on_poweroff>destroy</on_poweroff>\n"
                         "  <devices>\n"
                         "    <serial type='pty'><target port='0'/></serial>\n"
                         "    <console type='pty'><target type='serial' port='0'/></console>\n"
                         "    <memballoon model='none'/>\n"
                         "  </devices>\n"
                         /* This host's devpts has ptmxmode=000: only root
                          * can open a new pty, and QEMU opens the guest's. */
                         "  <seclabel type='static' model='dac' relabel='no'>\n"
                         "    <label>+0:+0</label>\n"
                         "  </seclabel>\n"
                         "</domain>\n",
                         guest->name, kernel, initrd);

  guest->domain = virDomainCreateXML (guest->conn, xml, VIR_DOMAIN_START_PAUSED);
  if (guest->domain == NULL)
    g_error ("Starting the test guest: %s", virGetLastErrorMessage ());

  return g_steal_pointer (&guest);
}

static char *
serial_guest_uuid (SerialGuest *guest)
{
  char uuid[VIR_UUID_STRING_BUFLEN];

  g_assert_cmpint (virDomainGetUUIDString (guest->domain, uuid), ==, 0);
  return g_strdup (uuid);
}

static gboolean
guest_available (void)
{
  virConnectPtr conn = virConnectOpen (URI);

  if (conn == NULL)
    {
      g_autofree char *why = g_strdup_printf ("cannot open %s (run tools/start-daemons): %s",
                                              URI, virGetLastErrorMessage ());
      g_test_skip (why);
      return FALSE;
    }
  virConnectClose (conn);

  if (!g_file_test ("/usr/bin/qemu-system-x86_64", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("qemu-system-x86_64 is not installed");
      return FALSE;
    }
  return TRUE;
}

/* Tests ------------------------------------------------------------------ */

static void
test_real_guest (void)
{
  g_autoptr(SerialGuest) guest = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *xml = NULL;
  g_auto(GStrv) devices = NULL;
  GtkWidget *window;
  GtkWidget *widget;
  HangarSerialConsole *console;
  VteTerminal *terminal;
  Watch watch = { 0 };
  g_autoptr(GError) error = NULL;

  if (!guest_available ())
    return;

  guest = serial_guest_new ();
  uuid = serial_guest_uuid (guest);

  /* The live XML names the console the widget can attach to. */
  xml = virDomainGetXMLDesc (guest->domain, 0);
  devices = hangar_serial_console_list_devices (xml, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (devices, ((const char *[]) { "serial0", NULL }));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 520);
  widget = hangar_serial_console_new ();
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
  console = HANGAR_SERIAL_CONSOLE (widget);
  terminal = hangar_serial_console_get_terminal (console);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  watch_init (&watch, console);

  hangar_serial_console_open (console, guest->conn, uuid, NULL);
  g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                   HANGAR_SERIAL_CONSOLE_STATE_CONNECTING);
  g_assert_true (wait_for (is_connected, &watch, 30));
  g_assert_cmpuint (watch.disconnects, ==, 0);
  g_assert_null (hangar_serial_console_get_dev_name (console));

  /* Boot from the first line the kernel prints to /init's greeting. */
  g_assert_cmpint (virDomainResume (guest->domain), ==, 0);
  watch.needle = "hangar-serial: ready";
  if (!wait_for (terminal_shows, &watch, 180))
    {
      g_autofree char *text = terminal_text (terminal);
      g_error ("The guest's greeting never showed; the terminal has:\n%s", text);
    }
  watch.needle = "Linux version";
  g_assert_true (terminal_shows (&watch));

  /* Typed as the keyboard types: through VTE's commit signal. */
  gtk_widget_grab_focus (widget);
  vte_terminal_feed_child (terminal, "hello-serial\r", -1);
  watch.needle = "hangar-serial: got [hello-serial]";
  if (!wait_for (terminal_shows, &watch, 60))
    {
      g_autofree char *text = terminal_text (terminal);
      g_error ("The guest did not answer; the terminal has:\n%s", text);
    }

  screenshot (widget, "serial-console.png");

  /* Another client takes the console over (as `virsh console --force`
   * would): the widget lets go and says so. */
  {
    virStreamPtr other = virStreamNew (guest->conn, 0);

    g_assert_cmpint (virDomainOpenConsole (guest->domain, NULL, other, VIR_DOMAIN_CONSOLE_FORCE), ==, 0);
    g_assert_true (wait_for (got_disconnected, &watch, 30));
    g_test_message ("taken over: %s", watch.reason);
    g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                     HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);
    g_assert_false (hangar_serial_console_get_held_elsewhere (console));

    /* Opening again while that session holds it (by its alias this
     * time) does not steal it: the widget says so and waits. */
    watch.disconnects = 0;
    hangar_serial_console_open (console, guest->conn, uuid, "serial0");
    g_assert_true (wait_for (got_disconnected, &watch, 30));
    g_test_message ("held elsewhere: %s", watch.reason);
    g_assert_true (hangar_serial_console_get_held_elsewhere (console));
    g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                     HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);
    /* The other session still has it: it can still write to the guest. */
    g_assert_cmpint (virStreamSend (other, "\r", 1), ==, 1);

    /* Take Over, as the user asked: now the other session is cut off. */
    watch.disconnects = 0;
    hangar_serial_console_take_over (console);
    g_assert_true (wait_for (is_connected, &watch, 30));
    g_assert_false (hangar_serial_console_get_held_elsewhere (console));
    g_assert_cmpstr (hangar_serial_console_get_dev_name (console), ==, "serial0");
    virStreamAbort (other);
    virStreamFree (other);
  }

  vte_terminal_feed_child (terminal, "once-more\r", -1);
  watch.needle = "hangar-serial: got [once-more]";
  if (!wait_for (terminal_shows, &watch, 60))
    {
      g_autofree char *text = terminal_text (terminal);
      g_error ("The guest did not answer after taking over; the terminal has:\n%s", text);
    }

  /* The machine goes away under the console. */
  g_assert_cmpint (virDomainDestroy (guest->domain), ==, 0);
  g_assert_true (wait_for (got_disconnected, &watch, 30));
  g_assert_cmpuint (watch.disconnects, ==, 1);
  g_assert_nonnull (watch.reason);
  g_assert_cmpstr (watch.reason, !=, "");
  g_test_message ("disconnected: %s", watch.reason);
  g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                   HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);
  /* The reason is on the screen too, below what the guest said (VTE
   * parses what it is fed a moment later). */
  watch.needle = watch.reason;
  g_assert_true (wait_for (terminal_shows, &watch, 10));
  watch.needle = "hangar-serial: got [hello-serial]";
  g_assert_true (terminal_shows (&watch));

  /* Typing into a dead console changes nothing and breaks nothing. */
  vte_terminal_feed_child (terminal, "ignored\r", -1);
  screenshot (widget, "serial-console-disconnected.png");

  /* Connected, taken over, refused while held elsewhere, taken back,
   * gone with the machine. */
  {
    const int expected[] = { HANGAR_SERIAL_CONSOLE_STATE_CONNECTING,
                             HANGAR_SERIAL_CONSOLE_STATE_CONNECTED,
                             HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED,
                             HANGAR_SERIAL_CONSOLE_STATE_CONNECTING,
                             HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED,
                             HANGAR_SERIAL_CONSOLE_STATE_CONNECTING,
                             HANGAR_SERIAL_CONSOLE_STATE_CONNECTED,
                             HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED };

    g_assert_cmpuint (watch.states->len, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < watch.states->len; i++)
      g_assert_cmpint (g_array_index (watch.states, int, i), ==, expected[i]);
  }

  watch_clear (&watch);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (widget);
}

/* Opening fails in the worker; the widget says why and stays usable. */
static void
test_open_fails (void)
{
  virConnectPtr conn;
  GtkWidget *widget = g_object_ref_sink (hangar_serial_console_new ());
  HangarSerialConsole *console = HANGAR_SERIAL_CONSOLE (widget);
  Watch watch = { 0 };

  conn = virConnectOpen ("test:///default");
  g_assert_nonnull (conn);
  watch_init (&watch, console);

  /* No such machine. */
  hangar_serial_console_open (console, conn, "00000000-0000-0000-0000-00000000dead", "serial0");
  /* The widget holds its own reference to the connection. */
  virConnectClose (conn);
  g_assert_cmpstr (hangar_serial_console_get_dev_name (console), ==, "serial0");
  g_assert_true (wait_for (got_disconnected, &watch, 10));
  g_test_message ("reason: %s", watch.reason);
  g_assert_nonnull (strstr (watch.reason, "Could not open the console"));
  g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                   HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);

  /* The test driver's machine exists but its driver has no consoles. */
  conn = virConnectOpen ("test:///default");
  watch.disconnects = 0;
  hangar_serial_console_open (console, conn, "6695eb01-f6a4-8304-79aa-97f2502e193f", NULL);
  virConnectClose (conn);
  g_assert_true (wait_for (got_disconnected, &watch, 10));
  g_test_message ("reason: %s", watch.reason);
  g_assert_cmpuint (watch.disconnects, ==, 1);

  watch_clear (&watch);
  g_assert_finalize_object (widget);
}

/* Closed while the worker runs: nothing arrives afterwards. */
static void
test_close_while_connecting (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  GtkWidget *widget = g_object_ref_sink (hangar_serial_console_new ());
  HangarSerialConsole *console = HANGAR_SERIAL_CONSOLE (widget);
  Watch watch = { 0 };
  gint64 until;

  watch_init (&watch, console);
  hangar_serial_console_open (console, conn, "6695eb01-f6a4-8304-79aa-97f2502e193f", NULL);
  hangar_serial_console_close (console);
  g_assert_cmpint (hangar_serial_console_get_state (console), ==,
                   HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED);

  /* Opened and dropped by disposal, too. */
  hangar_serial_console_open (console, conn, "6695eb01-f6a4-8304-79aa-97f2502e193f", NULL);
  virConnectClose (conn);

  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  /* The second open's failure still arrives: it was not closed. */
  g_assert_cmpuint (watch.disconnects, ==, 1);

  /* Dropped with an open in flight: the task keeps the widget alive until
   * the worker is done, then it goes. */
  conn = virConnectOpen ("test:///default");
  hangar_serial_console_open (console, conn, "6695eb01-f6a4-8304-79aa-97f2502e193f", NULL);
  virConnectClose (conn);
  watch_clear (&watch);
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
  g_object_unref (widget);
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (widget != NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (widget);
}

static void
test_list_devices (void)
{
  const char *live =
    "<domain type='qemu' id='3'>\n"
    "  <name>x</name>\n"
    "  <metadata><h:note xmlns:h='http://example.org/h'><serial type='pty'>"
    "<alias name='not-a-device'/></serial></h:note></metadata>\n"
    "  <devices>\n"
    "    <serial type='pty'>\n"
    "      <source path='/dev/pts/4'/>\n"
    "      <target type='isa-serial' port='0'><model name='isa-serial'/></target>\n"
    "      <alias name='serial0'/>\n"
    "    </serial>\n"
    "    <serial type='file'>\n"
    "      <source path='/tmp/log'/>\n"
    "      <target port='1'/>\n"
    "      <alias name='serial1'/>\n"
    "    </serial>\n"
    "    <console type='pty' tty='/dev/pts/4'>\n"
    "      <source path='/dev/pts/4'/>\n"
    "      <target type='serial' port='0'/>\n"
    "      <alias name='serial0'/>\n"
    "    </console>\n"
    "    <console type='pty'>\n"
    "      <target type='virtio' port='1'/>\n"
    "      <alias name='console1'/>\n"
    "    </console>\n"
    "  </devices>\n"
    "</domain>\n";
  const char *inactive =
    "<domain type='qemu'><name>x</name><devices>"
    "<serial type='pty'><target port='0'/></serial>"
    "<console type='pty'><target type='serial' port='0'/></console>"
    "</devices></domain>";
  g_auto(GStrv) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = hangar_serial_console_list_devices (live, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (devices, ((const char *[]) { "serial0", "console1", NULL }));
  g_clear_pointer (&devices, g_strfreev);

  devices = hangar_serial_console_list_devices (inactive, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (devices, ((const char *[]) { NULL }));
  g_clear_pointer (&devices, g_strfreev);

  devices = hangar_serial_console_list_devices ("<domain><devices>", &error);
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE);
  g_assert_null (devices);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  /* libvirt-glib narrates every event-handle change at debug level
   * without a log domain; keep the TAP output readable. */
  g_log_set_handler (NULL, G_LOG_LEVEL_DEBUG, drop_log, NULL);

  /* libvirt's events on the GLib main loop, before any connection. */
  gvir_event_register ();
  virSetErrorFunc (NULL, quiet_libvirt);

  g_test_add_func ("/hangar/serial-console/list-devices", test_list_devices);
  g_test_add_func ("/hangar/serial-console/open-fails", test_open_fails);
  g_test_add_func ("/hangar/serial-console/close-while-connecting", test_close_while_connecting);
  g_test_add_func ("/hangar/serial-console/real-guest", test_real_guest);

  return g_test_run ();
}
