/* test-machine-window.c — a machine's console window on real VNC and SPICE guests.
 *
 * Opens the console the way a user does (--show-domain-console), waits for
 * the guest's firmware screen, then stops the guest under it (the window
 * must say so, without a critical warning) and starts it again (the
 * console must come back by itself). Also kills libvirtd under an open
 * console: the window must say the connection is lost, then follow the
 * machine's new object and bring its console back by itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <glib/gstdio.h>

#include <adwaita.h>

#include "hangar-connection.h"
#include "hangar-details-view.h"
#include "hangar-display.h"
#include "hangar-machine-window.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"

static char *guest;
static const char *kind;

static gboolean
virsh (const char *args)
{
  return hangar_test_virsh (URI, NULL, "%s", args);
}

/* Guests of runs that died (their pid is gone) are removed first: each is
 * a running QEMU holding memory. */
static void
remove_stale_guests (void)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) names = NULL;
  int status = -1;

  if (!g_spawn_command_line_sync ("virsh -q -c " URI " list --all --name", &out, NULL, &status,
                                  NULL) || status != 0)
    return;
  names = g_strsplit (out, "\n", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *dash;
      gint64 pid;

      if (!g_str_has_prefix (names[i], "hangar-mw-") || (dash = strrchr (names[i], '-')) == NULL)
        continue;
      if (!g_ascii_string_to_signed (dash + 1, 10, 1, G_MAXINT, &pid, NULL)
          || kill ((pid_t) pid, 0) == 0)
        continue;
      {
        g_autofree char *destroy = g_strdup_printf ("destroy %s", names[i]);
        g_autofree char *undefine = g_strdup_printf ("undefine %s", names[i]);

        virsh (destroy);
        virsh (undefine);
      }
    }
}

static void
create_guest_full (const char *graphics,
                   const char *password);

static void
create_guest (const char *graphics)
{
  create_guest_full (graphics, NULL);
}

static void
create_guest_full (const char *graphics,
                   const char *password)
{
  g_autofree char *passwd = password ? g_strdup_printf (" passwd='%s'", password) : g_strdup ("");
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  g_autofree char *args = NULL;

  remove_stale_guests ();
  guest = g_strdup_printf ("hangar-mw-%s-%d", graphics, (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                         "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                         "<os><type arch='x86_64'>hvm</type></os>"
                         "<devices><graphics type='%s' autoport='yes' listen='127.0.0.1'%s/>"
                         "<video><model type='%s'/></video></devices></domain>",
                         guest, graphics, passwd,
                         g_str_equal (graphics, "spice") ? "qxl" : "vga");
  path = g_strdup_printf ("%s/%s.xml", g_get_tmp_dir (), guest);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  args = g_strdup_printf ("define %s", path);
  g_assert_true (virsh (args));
  g_unlink (path);
  g_free (args);
  args = g_strdup_printf ("start %s", guest);
  g_assert_true (virsh (args));
}

static void
remove_guest (void)
{
  g_autofree char *destroy = g_strdup_printf ("destroy %s", guest);
  g_autofree char *undefine = g_strdup_printf ("undefine %s", guest);

  virsh (destroy);
  virsh (undefine);
  g_clear_pointer (&guest, g_free);
}

static HangarMachineWindow *
machine_window (void)
{
  return (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
}

/* The firmware prints white text on black: some pixels must be lit. */
static gboolean
display_shows_something (HangarMachineWindow *window)
{
  HangarDisplay *display = HANGAR_DISPLAY (hangar_machine_window_get_display (window));
  g_autoptr(GdkTexture) texture = hangar_display_get_screenshot (display);
  g_autofree guint8 *pixels = NULL;
  gsize stride;
  int width, height;
  guint lit = 0;

  if (texture == NULL)
    return FALSE;
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * stride + x * 4;
        if (p[0] > 128 || p[1] > 128 || p[2] > 128)
          lit++;
      }
  return lit > 100;
}

/* Whether a label showing @text is on screen under @root. */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_is_drawable (child)
          && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        return TRUE;
      if (shows_label (child, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
step_console_up (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  g_autofree char *name = NULL;
  g_autofree char *shot = NULL;

  if (window == NULL || !hangar_machine_window_is_console_connected (window))
    return FALSE;
  if (g_strcmp0 (hangar_machine_window_get_page (window), "console") != 0
      || !display_shows_something (window))
    return FALSE;

  g_assert_cmpstr (hangar_vm_get_name (hangar_machine_window_get_vm (window)), ==, guest);
  /* The header says which machine this is, whether the page switcher or
   * the title has the middle of it. */
  g_assert_true (shows_label (GTK_WIDGET (window), guest));
  name = g_strdup_printf ("machine-window-%s.png", kind);
  shot = hangar_test_screenshot (GTK_WIDGET (window), name);

  /* Pull the plug under the open console. */
  {
    g_autofree char *args = g_strdup_printf ("destroy %s", guest);
    g_assert_true (virsh (args));
  }
  return TRUE;
}

static gboolean
step_off_page (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  g_autofree char *name = NULL;
  g_autofree char *shot = NULL;

  if (g_strcmp0 (hangar_machine_window_get_page (window), "off") != 0)
    return FALSE;
  g_assert_false (hangar_machine_window_is_console_connected (window));
  name = g_strdup_printf ("machine-window-%s-off.png", kind);
  shot = hangar_test_screenshot (GTK_WIDGET (window), name);

  /* Start it from the window's own Start button action. */
  gtk_widget_activate_action (GTK_WIDGET (window), "vm.start", NULL);
  return TRUE;
}

static gboolean
step_console_back (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  return hangar_machine_window_is_console_connected (window)
         && g_strcmp0 (hangar_machine_window_get_page (window), "console") == 0
         && display_shows_something (window);
}

static gboolean
step_close_all (HangarTestRun *run)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (run->app));

  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);
  return TRUE;
}

static void
run_console_on (const char *graphics,
                const char *uri)
{
  const HangarTestStep steps[] = {
    step_console_up, step_off_page, step_console_back, step_close_all, NULL,
  };
  HangarTestRun run = { 0 };
  const char *argv[] = { "hangar", "--connect", uri, "--show-domain-console", NULL, NULL };

  create_guest (graphics);
  argv[4] = guest;
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  remove_guest ();
}

static void
run_console (const char *graphics)
{
  kind = graphics;
  run_console_on (graphics, URI);
}

static void
test_vnc (void)
{
  run_console ("vnc");
}

static void
test_spice (void)
{
  hangar_test_tolerate_spice_teardown ();
  run_console ("spice");
}

/* The same host reached as a remote one: libvirt over ssh, the console
 * through ssh -W tunnels sharing one login (tools/start-sshd runs a private
 * sshd on 127.0.0.1 with a key for root). */
static char *
ssh_uri (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("HANGAR_SOURCE_DIR"), "tools",
                                              "start-sshd", NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) words = NULL;
  int status = -1;
  const char *argv[] = { script, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status,
                               NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  words = g_strsplit (g_strstrip (out), " ", 2);
  g_assert_cmpuint (g_strv_length (words), ==, 2);
  return g_strdup_printf ("qemu+ssh://root@127.0.0.1:%s/system?keyfile=%s&no_verify=1",
                          words[0], words[1]);
}

static void
test_ssh_vnc (void)
{
  g_autofree char *uri = ssh_uri ();

  kind = "ssh-vnc";
  run_console_on ("vnc", uri);
}

static void
test_ssh_spice (void)
{
  g_autofree char *uri = ssh_uri ();

  kind = "ssh-spice";
  hangar_test_tolerate_spice_teardown ();
  run_console_on ("spice", uri);
}

/* --- a display with a password, reached as from a remote host ---------------------- */

static GtkEditable *
find_password_entry (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found;

      if (ADW_IS_PASSWORD_ENTRY_ROW (child))
        return GTK_EDITABLE (child);
      if ((found = find_password_entry (child)) != NULL)
        return found;
    }
  return NULL;
}

static void
enter_password (HangarMachineWindow *window,
                const char          *password)
{
  GtkEditable *entry = find_password_entry (GTK_WIDGET (window));

  g_assert_nonnull (entry);
  gtk_editable_set_text (entry, password);
  g_signal_emit_by_name (entry, "entry-activated");
}

static gboolean
step_password_asked (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  g_autofree char *shot = NULL;

  if (window == NULL || g_strcmp0 (hangar_machine_window_get_page (window), "password") != 0)
    return FALSE;
  shot = hangar_test_screenshot (GTK_WIDGET (window), "machine-window-password.png");
  enter_password (window, "wrong");
  run->data = NULL;
  return TRUE;
}

static gboolean
step_password_rejected (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  /* Asked again after the server said no. */
  if (g_strcmp0 (hangar_machine_window_get_page (window), "password") != 0)
    return FALSE;
  if (run->data == NULL)
    {
      /* The page may not have left "password" at all yet: wait a moment. */
      run->data = GINT_TO_POINTER (1);
      return FALSE;
    }
  enter_password (window, "hangarpw");
  return TRUE;
}

static void
test_vnc_password (void)
{
  const HangarTestStep steps[] = {
    step_password_asked, step_password_rejected, step_console_back, step_close_all, NULL,
  };
  HangarTestRun run = { 0 };
  const char *argv[] = { "hangar", "--connect", URI, "--show-domain-console", NULL, NULL };

  kind = "vnc-password";
  create_guest_full ("vnc", "hangarpw");
  argv[4] = guest;
  g_setenv ("HANGAR_CONSOLE_FORCE_TCP", "1", TRUE);
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  g_unsetenv ("HANGAR_CONSOLE_FORCE_TCP");
  remove_guest ();
}

/* --- libvirtd killed under an open console ---------------------------------------- */

#define LIBVIRTD_PIDFILE "/run/libvirtd.pid"

typedef struct
{
  HangarVm *old_vm;     /* a reference, so a new object cannot reuse its address */
  char     *flag;       /* created when the daemon may come back */
  gint64    killed_at;
  gint64    restart_at;
} Restart;

static Restart restart;

/* The status page the window shows, or NULL. */
static AdwStatusPage *
find_visible_status_page (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwStatusPage *found;

      if (!gtk_widget_get_mapped (child))
        continue;
      if (ADW_IS_STATUS_PAGE (child))
        return ADW_STATUS_PAGE (child);
      if ((found = find_visible_status_page (child)) != NULL)
        return found;
    }
  return NULL;
}

/* The daemon is killed and brought back by a separate shell, so it comes
 * back even if this test fails: when the test creates the flag file or
 * dies, or 20 s after the kill at the latest. Guests keep running
 * meanwhile. The shell gets a plain environment: the daemon it starts must
 * not inherit this test's G_DEBUG=fatal-warnings or its session bus. */
static void
kill_libvirtd (void)
{
  g_autofree char *pid = NULL;
  g_autofree char *script = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
  const char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                         "LC_ALL=C", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (LIBVIRTD_PIDFILE, &pid, NULL, NULL));
  g_strstrip (pid);
  g_assert_true (g_ascii_string_to_signed (pid, 10, 2, G_MAXINT, NULL, NULL));
  restart.flag = g_strdup_printf ("%s/hangar-mw-restart-%d", g_get_tmp_dir (), (int) getpid ());
  g_unlink (restart.flag);
  /* The daemon comes back with the arguments it ran with: the test host's
   * listens on TCP too (--listen), and the tests after this one use that. */
  script = g_strdup_printf (
    "cmd=$(tr '\\0' ' ' < /proc/%s/cmdline); [ -n \"$cmd\" ] || cmd='libvirtd -d'; "
    "kill %s || exit 1; "
    "for i in $(seq 100); do kill -0 %s 2>/dev/null || break; sleep 0.05; done; "
    "for i in $(seq 200); do [ -e '%s' ] && break; kill -0 %d 2>/dev/null || break; "
    "sleep 0.1; done; "
    "for i in $(seq 60); do virsh -c " URI " version >/dev/null 2>&1 && exit 0; "
    "$cmd; sleep 0.5; done; exit 1",
    pid, pid, pid, restart.flag, (int) getpid ());
  argv[2] = script;
  g_assert_true (g_spawn_async ("/", (char **) argv, (char **) envp,
                                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, NULL, &error));
  restart.killed_at = g_get_monotonic_time ();
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
step_console_up_before_kill (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  if (window == NULL || !hangar_machine_window_is_console_connected (window)
      || g_strcmp0 (hangar_machine_window_get_page (window), "console") != 0
      || !display_shows_something (window))
    return FALSE;

  restart.old_vm = g_object_ref (hangar_machine_window_get_vm (window));
  g_assert_cmpstr (hangar_vm_get_name (restart.old_vm), ==, guest);

  /* The Details page was opened once: it must follow the new object too.
   * Then back to the console, where the user waits. */
  hangar_machine_window_show_details (window);
  g_assert_nonnull (hangar_machine_window_get_details (window));
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK)), "console");

  kill_libvirtd ();
  return TRUE;
}

static gboolean
step_connection_lost (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  HangarConnection *connection = hangar_vm_get_connection (restart.old_vm);
  AdwStatusPage *page;
  g_autofree char *shot = NULL;

  if (g_strcmp0 (hangar_machine_window_get_page (window), "message") != 0)
    return FALSE;

  /* Never “deleted”: the machine only left the list with its connection. */
  page = find_visible_status_page (GTK_WIDGET (window));
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Connection Lost — Reconnecting…");
  g_assert_nonnull (connection);
  g_assert_cmpint (hangar_connection_get_state (connection), !=,
                   HANGAR_CONNECTION_STATE_CONNECTED);
  /* The drop's reason, as the connection gave it. */
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "libvirt daemon stopped"));
  g_assert_false (hangar_machine_window_is_console_connected (window));
  g_assert_true (hangar_machine_window_get_vm (window) == restart.old_vm);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "vm.force-off", NULL));
  g_test_message ("connection lost shown %.0f ms after the kill: %s",
                  (g_get_monotonic_time () - restart.killed_at) / 1000.0,
                  adw_status_page_get_description (page));
  shot = hangar_test_screenshot (GTK_WIDGET (window), "machine-window-connection-lost.png");

  /* Let the daemon come back. */
  g_assert_true (g_file_set_contents (restart.flag, "", 0, NULL));
  restart.restart_at = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
step_console_restored (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  HangarVm *vm = hangar_machine_window_get_vm (window);
  HangarConnection *connection = hangar_vm_get_connection (vm);
  g_autofree char *shot = NULL;
  double seconds;

  if (!hangar_machine_window_is_console_connected (window)
      || g_strcmp0 (hangar_machine_window_get_page (window), "console") != 0
      || !display_shows_something (window))
    return FALSE;

  seconds = (g_get_monotonic_time () - restart.restart_at) / (double) G_USEC_PER_SEC;
  g_test_message ("console back with a frame %.1f s after libvirtd was started again "
                  "(%.1f s after the kill)", seconds,
                  (g_get_monotonic_time () - restart.killed_at) / (double) G_USEC_PER_SEC);
  g_assert_cmpfloat (seconds, <, 30);

  /* The same window, now on the machine's new object. */
  g_assert_true (vm != restart.old_vm);
  g_assert_nonnull (connection);
  g_assert_true (hangar_connection_lookup_vm (connection, hangar_vm_get_uuid (vm)) == vm);
  g_assert_cmpstr (hangar_vm_get_uuid (vm), ==, hangar_vm_get_uuid (restart.old_vm));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, guest);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "vm.open", NULL));
  g_assert_nonnull (hangar_machine_window_get_details (window));
  g_assert_true (hangar_details_view_get_vm (
    HANGAR_DETAILS_VIEW (hangar_machine_window_get_details (window))) == vm);
  shot = hangar_test_screenshot (GTK_WIDGET (window), "machine-window-reconnected.png");

  /* Opening it from the main window raises this window, not a second one. */
  {
    HangarWindow *main_window = hangar_test_run_window (run);
    guint machine_windows = 0;

    g_assert_true (hangar_window_select_vm (main_window, vm));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "vm.open", NULL));
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l; l = l->next)
      if (HANGAR_IS_MACHINE_WINDOW (l->data))
        {
          g_assert_true (l->data == (gpointer) window);
          machine_windows++;
        }
    g_assert_cmpuint (machine_windows, ==, 1);
  }
  return TRUE;
}

static void
test_vnc_libvirtd_restart (void)
{
  const HangarTestStep steps[] = {
    step_console_up_before_kill, step_connection_lost, step_console_restored, step_close_all,
    NULL,
  };
  HangarTestRun run = { 0 };
  const char *argv[] = { "hangar", "--connect", URI, "--show-domain-console", NULL, NULL };

  if (!g_file_test (LIBVIRTD_PIDFILE, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("libvirtd was not started with a pid file (tools/start-daemons does)");
      return;
    }
  kind = "vnc-restart";
  create_guest ("vnc");
  argv[4] = guest;
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  g_unlink (restart.flag);
  g_clear_pointer (&restart.flag, g_free);
  g_clear_object (&restart.old_vm);
  remove_guest ();
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/machine-window/vnc", test_vnc);
  g_test_add_func ("/hangar/machine-window/spice", test_spice);
  g_test_add_func ("/hangar/machine-window/vnc-password", test_vnc_password);
  g_test_add_func ("/hangar/machine-window/vnc-libvirtd-restart", test_vnc_libvirtd_restart);
  g_test_add_func ("/hangar/machine-window/ssh-vnc", test_ssh_vnc);
  g_test_add_func ("/hangar/machine-window/ssh-spice", test_ssh_spice);

  return g_test_run ();
}
