/* test-machine-window-clipboard.c — the desktop's clipboard and a guest's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The machine window joins the desktop's clipboard (the X server's
 * CLIPBOARD selection here) to the guest's. This test opens the console
 * of the tiny Linux guest, whose agent (mini-vdagent) logs what reaches
 * the guest's clipboard on its serial port, the way a user does
 * (--show-domain-console), and uses another X client, xclip, as the rest
 * of the desktop:
 *
 *  - text xclip puts on the clipboard must reach the guest's clipboard;
 *  - text copied in the guest ("copy TEXT" typed on its console makes its
 *    agent grab the clipboard) must be what xclip then reads;
 *  - while another window is the active one, neither crosses: what the
 *    desktop copies reaches the guest, and what the guest copies reaches
 *    the desktop, only when the user comes back to the machine's window
 *    (review finding M6);
 *  - with Share Clipboard turned off for the machine, nothing crosses,
 *    and the choice is remembered for the machine's UUID.
 *
 * Over SPICE the guest's agent talks to the SPICE client; over VNC to
 * QEMU's qemu-vdagent, whose clipboard QEMU's VNC server shares.
 */
#include "config.h"

#include <locale.h>

#include "console-guest.h"
#include "console-test-util.h"
#include "hangar-machine-window.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"

#define URI "qemu:///system"
#define FROM_DESKTOP "desktop → guest, ça va"
#define FROM_GUEST "from-the-guest, café"
/* Typed in the guest: its shell turns octal escapes into bytes. */
#define FROM_GUEST_TYPED "from-the-guest, caf\\303\\251"

#define AWAY_DESKTOP "copied-elsewhere-on-the-desktop"
#define AWAY_GUEST "copied-in-the-guest-while-away"
#define OFF_DESKTOP "copied-on-the-desktop-not-shared"
#define OFF_GUEST "copied-in-the-guest-not-shared"
/* How long nothing may cross for a test to believe nothing will. */
#define QUIET_MS 5000

/* How long a step may take; the guest boots under software emulation. */
#define STEP_TIMEOUT_MS 90000

typedef struct
{
  const Protocol *protocol;
  ConsoleGuest *guest;
  /* What `xclip -o` printed, once it has. */
  char *desktop_text;
  gboolean reading;
  /* Another window of this desktop, to be active instead of the
   * machine's. */
  GtkWidget *elsewhere;
} ClipboardTest;

static ClipboardTest test;

static HangarMachineWindow *
machine_window (void)
{
  return (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
}

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

/* xclip, run as the desktop's other program: it owns the selection until
 * another client takes it, and leaves when one does. */
static void
xclip (const char * const *argv,
       const char         *input)
{
  g_autoptr(GError) error = NULL;
  /* xclip stays to own the selection until another client takes it:
   * it must not keep the test's output open (meson waits for it). When
   * nothing takes it, as after the unshared copy, it lives on; the
   * test's closing step takes the selection back. */
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                            | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                            | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                      &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
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

/* The guest's agent has heard its peer's capabilities (SPICE's client
 * may ask for the agent's own too): from then on clipboard changes
 * reach it. */
static gboolean
step_agent_up (HangarTestRun *run)
{
  return serial_has_line (run, "hangar-agent: client capabilities");
}

static gboolean
step_desktop_copies (HangarTestRun *run)
{
  const char *argv[] = { "xclip", "-i", "-selection", "clipboard", NULL };

  xclip (argv, FROM_DESKTOP);
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
step_window_active (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  if (gtk_window_is_active (GTK_WINDOW (window)))
    return TRUE;
  gtk_window_present (GTK_WINDOW (window));
  return FALSE;
}

/* The user goes to another window (the window manager makes it active). */
static gboolean
step_go_elsewhere (HangarTestRun *run)
{
  if (test.elsewhere == NULL)
    {
      test.elsewhere = gtk_window_new ();
      gtk_window_set_title (GTK_WINDOW (test.elsewhere), "Elsewhere");
      gtk_window_set_default_size (GTK_WINDOW (test.elsewhere), 300, 200);
      gtk_window_present (GTK_WINDOW (test.elsewhere));
    }
  return gtk_window_is_active (GTK_WINDOW (test.elsewhere))
         && !gtk_window_is_active (GTK_WINDOW (machine_window ()));
}

/* …and comes back to the machine's window. */
static gboolean
step_come_back (HangarTestRun *run)
{
  if (test.elsewhere != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (test.elsewhere));
      test.elsewhere = NULL;
    }
  return step_window_active (run);
}

static gboolean
step_desktop_copies_away (HangarTestRun *run)
{
  const char *argv[] = { "xclip", "-i", "-selection", "clipboard", NULL };

  xclip (argv, AWAY_DESKTOP);
  return TRUE;
}

static gboolean
quiet_long_enough (HangarTestRun *run)
{
  return g_get_monotonic_time () - run->step_started > QUIET_MS * 1000ll;
}

/* For QUIET_MS the guest's agent hears nothing of the desktop's copy. */
static gboolean
step_guest_lacks_away (HangarTestRun *run)
{
  g_autofree char *log = console_guest_read_serial (test.guest);

  g_assert_null (strstr (log, "hangar-agent: clipboard " AWAY_DESKTOP));
  return quiet_long_enough (run);
}

static gboolean
step_guest_has_away (HangarTestRun *run)
{
  return serial_has_line (run, "hangar-agent: clipboard " AWAY_DESKTOP);
}

static gboolean
step_guest_copies_away (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  console_test_type_text (HANGAR_DISPLAY (hangar_machine_window_get_display (window)),
                          "copy " AWAY_GUEST "\n");
  return TRUE;
}

/* The guest's agent has taken the clipboard (its peer then asks for the
 * text at once). */
static gboolean
step_guest_grabbed_away (HangarTestRun *run)
{
  return serial_has_line (run, "hangar-agent: grabbed " AWAY_GUEST);
}

/* For QUIET_MS the desktop keeps its own text. */
static gboolean
desktop_keeps_own (HangarTestRun *run,
                   const char    *guest_text)
{
  if (test.reading)
    return FALSE;
  g_assert_cmpstr (test.desktop_text, !=, guest_text);
  if (quiet_long_enough (run))
    return TRUE;
  xclip_read ();
  return FALSE;
}

static gboolean
step_desktop_lacks_away (HangarTestRun *run)
{
  return desktop_keeps_own (run, AWAY_GUEST);
}

static gboolean
desktop_has (HangarTestRun *run,
             const char    *text)
{
  if (test.reading)
    return FALSE;
  if (g_strcmp0 (test.desktop_text, text) == 0)
    return TRUE;
  xclip_read ();
  return FALSE;
}

static gboolean
step_desktop_has_away (HangarTestRun *run)
{
  return desktop_has (run, AWAY_GUEST);
}

/* Console ▸ Share Clipboard, turned off; remembered for this machine. */
static gboolean
step_stop_sharing (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GVariant) choices = NULL;
  gboolean share = TRUE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "console.share-clipboard", NULL));
  choices = g_settings_get_value (settings, "share-clipboard");
  g_assert_true (g_variant_lookup (choices, hangar_vm_get_uuid (hangar_machine_window_get_vm (window)), "b", &share));
  g_assert_false (share);
  return TRUE;
}

static gboolean
step_desktop_copies_unshared (HangarTestRun *run)
{
  const char *argv[] = { "xclip", "-i", "-selection", "clipboard", NULL };

  xclip (argv, OFF_DESKTOP);
  return TRUE;
}

static gboolean
step_guest_copies_unshared (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  console_test_type_text (HANGAR_DISPLAY (hangar_machine_window_get_display (window)),
                          "copy " OFF_GUEST "\n");
  return TRUE;
}

static gboolean
step_guest_grabbed_unshared (HangarTestRun *run)
{
  return serial_has_line (run, "hangar-agent: grabbed " OFF_GUEST);
}

/* Neither way, for QUIET_MS, though the user is in the machine's window. */
static gboolean
step_nothing_crosses (HangarTestRun *run)
{
  g_autofree char *log = console_guest_read_serial (test.guest);

  g_assert_null (strstr (log, "hangar-agent: clipboard " OFF_DESKTOP));
  return desktop_keeps_own (run, OFF_GUEST);
}

static gboolean
step_close_all (HangarTestRun *run)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (run->app));
  g_autofree char *name = g_strdup_printf ("machine-window-clipboard-%s.png", test.protocol->name);
  g_autofree char *shot = hangar_test_screenshot (GTK_WIDGET (machine_window ()), name);

  /* Taking the selection ends the last xclip. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (machine_window ())), "done");

  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);
  return TRUE;
}

static void
run_clipboard (gconstpointer data)
{
  const HangarTestStep steps[] = {
    step_console_up, step_agent_up, step_window_active,
    step_desktop_copies, step_guest_has_it,
    step_guest_copies, step_desktop_has_it,
    /* Copies while the user is in another window wait for their return. */
    step_go_elsewhere, step_desktop_copies_away, step_guest_lacks_away,
    step_come_back, step_guest_has_away,
    step_go_elsewhere, step_guest_copies_away, step_guest_grabbed_away, step_desktop_lacks_away,
    step_come_back, step_desktop_has_away,
    /* Not shared: nothing crosses. */
    step_stop_sharing, step_desktop_copies_unshared, step_guest_copies_unshared,
    step_guest_grabbed_unshared, step_nothing_crosses,
    step_close_all, NULL,
  };
  HangarTestRun run = { 0 };
  const char *argv[] = { "hangar", "--connect", URI, "--show-domain-console", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;
  g_autofree char *xclip_path = g_find_program_in_path ("xclip");

  test.protocol = data;
  if (test.protocol->graphics == CONSOLE_GUEST_SPICE)
    hangar_test_tolerate_spice_teardown ();
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

  test.guest = console_guest_new (test.protocol->graphics, CONSOLE_GUEST_LINUX_AGENT, &error);
  g_assert_no_error (error);
  argv[4] = console_guest_get_name (test.guest);

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

  g_test_add_data_func ("/hangar/machine-window/clipboard/spice", &spice, run_clipboard);
  g_test_add_data_func ("/hangar/machine-window/clipboard/vnc", &vnc, run_clipboard);

  return g_test_run ();
}
