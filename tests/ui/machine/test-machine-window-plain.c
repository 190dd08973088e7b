/* test-machine-window-plain.c — review finding M7 in the machine window: a
 * display reached in plain text off this machine, at an address that is
 * not its host's; and a SPICE display with a TLS port, shown over TLS.
 *
 * The private test host's libvirtd is reached as a remote one,
 * qemu+tcp://127.0.0.1/system (SASL, typed into the credentials dialog),
 * and its guest's VNC server, with a password in its XML, listens on
 * 192.168.122.1 (the "default" network's bridge): not the URI's host,
 * not loopback, and nothing encrypts the way there. The window must ask
 * before connecting, naming both addresses; say the console is not
 * encrypted; and not send the XML's password by itself: the user is asked,
 * and may send the saved one once. Declining the address connects to
 * nothing.
 *
 * A SPICE display with defaultMode='secure' on the same remote connection,
 * its URI naming the private host's CA (pkipath), is shown over TLS with
 * no warning; with another CA the window says which CA refused it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>

#include <adwaita.h>

#include "hangar-credential-request.h"
#include "hangar-display.h"
#include "hangar-credentials-dialog.h"
#include "hangar-machine-window.h"
#include "hangar-machine-window-private.h"
#include "hangar-vm.h"
#include "hangar-test-app.h"
#include "hangar-test-util.h"

#define LOCAL_URI "qemu:///system"
#define TCP_URI   "qemu+tcp://127.0.0.1/system"
#define LISTEN    "192.168.122.1"
#define USER      "hangartest"
#define PASSWORD  "hangar-test-password"

static char *guest;

static void
create_guest (void)
{
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;

  guest = g_strdup_printf ("hangar-plain-%d", (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                         "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                         "<os><type arch='x86_64'>hvm</type></os>"
                         "<devices><graphics type='vnc' autoport='yes' listen='" LISTEN "'"
                         " passwd='hangarpw'/>"
                         "<video><model type='vga'/></video></devices></domain>", guest);
  path = g_strdup_printf ("%s/%s.xml", g_get_tmp_dir (), guest);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (hangar_test_virsh (LOCAL_URI, NULL, "create %s", path));
  g_unlink (path);
}

static void
remove_guest (void)
{
  hangar_test_virsh (LOCAL_URI, NULL, "destroy %s", guest);
  g_clear_pointer (&guest, g_free);
}

static HangarMachineWindow *
machine_window (void)
{
  return (HangarMachineWindow *) hangar_test_find_toplevel (HANGAR_TYPE_MACHINE_WINDOW);
}

static AdwMessageDialog *
message_dialog (void)
{
  return (AdwMessageDialog *) hangar_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

/* The SASL login, typed into the credentials dialog as a person would. */
static gboolean
step_login (HangarTestRun *run)
{
  GtkWidget *dialog = hangar_test_find_toplevel (HANGAR_TYPE_CREDENTIALS_DIALOG);
  HangarCredentialsDialog *credentials;

  if (dialog == NULL || !gtk_widget_get_mapped (dialog))
    return FALSE;
  credentials = HANGAR_CREDENTIALS_DIALOG (dialog);
  gtk_editable_set_text (hangar_credentials_dialog_get_username_row (credentials), USER);
  gtk_editable_set_text (hangar_credentials_dialog_get_password_row (credentials), PASSWORD);
  hangar_credentials_dialog_set_remember (credentials, FALSE);
  g_assert_true (gtk_widget_activate_action (dialog, "credentials.connect", NULL));
  return TRUE;
}

static gboolean
step_address_asked (HangarTestRun *run)
{
  AdwMessageDialog *dialog = message_dialog ();
  HangarMachineWindow *window = machine_window ();
  const char *body;

  if (dialog == NULL)
    {
      /* Nothing may be shown or sent before the user answers. */
      if (window != NULL)
        g_assert_false (hangar_machine_window_is_console_connected (window));
      return FALSE;
    }
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("asked: %s", body);
  g_assert_nonnull (strstr (body, LISTEN));
  g_assert_nonnull (strstr (body, "127.0.0.1"));
  g_assert_false (hangar_machine_window_is_console_connected (window));
  adw_message_dialog_response (dialog, run->data != NULL ? "cancel" : "connect");
  return TRUE;
}

/* Reached the server in plain text: the saved (XML) password was not
 * sent, the user is asked and may send it once. */
static gboolean
step_password_asked (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  const char *subtitle;

  if (g_strcmp0 (hangar_machine_window_get_page (window), "password") != 0)
    return FALSE;
  subtitle = adw_view_switcher_title_get_subtitle (window->window_title);
  g_test_message ("subtitle: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, "Console not encrypted"));
  g_assert_true (window->console_plaintext);
  g_assert_true (gtk_widget_get_visible (window->send_saved_button));
  g_free (hangar_test_screenshot (GTK_WIDGET (window), "machine-window-plain-password.png"));
  g_signal_emit_by_name (window->send_saved_button, "clicked");
  return TRUE;
}

static gboolean
step_console_up (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  if (!hangar_machine_window_is_console_connected (window)
      || g_strcmp0 (hangar_machine_window_get_page (window), "console") != 0)
    return FALSE;
  /* Once: the next connection asks again. */
  g_assert_null (window->password_once);
  g_assert_nonnull (strstr (adw_view_switcher_title_get_subtitle (window->window_title),
                            "Console not encrypted"));
  return TRUE;
}

static gboolean
step_declined (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();

  if (g_strcmp0 (hangar_machine_window_get_page (window), "message") != 0)
    return FALSE;
  g_assert_false (hangar_machine_window_is_console_connected (window));
  return TRUE;
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
test_confirm_and_send_once (void)
{
  const HangarTestStep steps[] = {
    step_login, step_address_asked, step_password_asked, step_console_up, step_close_all, NULL,
  };
  HangarTestRun run = { 0 };
  const char *argv[] = { "hangar", "--connect", TCP_URI, "--show-domain-console", NULL, NULL };

  create_guest ();
  argv[4] = guest;
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  remove_guest ();
}

static void
test_decline (void)
{
  const HangarTestStep steps[] = {
    step_login, step_address_asked, step_declined, step_close_all, NULL,
  };
  /* run.data set: the first step declines. */
  HangarTestRun run = { .data = GINT_TO_POINTER (1) };
  const char *argv[] = { "hangar", "--connect", TCP_URI, "--show-domain-console", NULL, NULL };

  create_guest ();
  argv[4] = guest;
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 60000), ==, 0);
  remove_guest ();
}

/* --- SPICE over TLS through the window -------------------------------------------- */

static const char *tls_pkipath;  /* the CA folder the connection's URI names */

static void
create_tls_guest (void)
{
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;

  guest = g_strdup_printf ("hangar-plain-tls-%d", (int) getpid ());
  xml = g_strdup_printf ("<domain type='qemu'><name>%s</name>"
                         "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                         "<os><type arch='x86_64'>hvm</type></os>"
                         "<devices><graphics type='spice' autoport='yes' defaultMode='secure'>"
                         "<listen type='address' address='127.0.0.1'/></graphics>"
                         "<video><model type='qxl'/></video></devices></domain>", guest);
  path = g_strdup_printf ("%s/%s.xml", g_get_tmp_dir (), guest);
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  g_assert_true (hangar_test_virsh (LOCAL_URI, NULL, "create %s", path));
  g_unlink (path);
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

static gboolean
step_tls_console_up (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  const char *subtitle;

  if (window == NULL || !hangar_machine_window_is_console_connected (window)
      || g_strcmp0 (hangar_machine_window_get_page (window), "console") != 0
      || !display_shows_something (window))
    return FALSE;
  /* The server's plain port refuses every channel (defaultMode='secure'):
   * what is shown came over TLS; nothing says "not encrypted". */
  subtitle = adw_view_switcher_title_get_subtitle (window->window_title);
  g_assert_null (strstr (subtitle, "Console not encrypted"));
  g_assert_false (window->console_plaintext);
  g_free (hangar_test_screenshot (GTK_WIDGET (window), "machine-window-spice-tls.png"));
  return TRUE;
}

static gboolean
step_tls_refused (HangarTestRun *run)
{
  HangarMachineWindow *window = machine_window ();
  const char *description;

  if (window == NULL || g_strcmp0 (hangar_machine_window_get_page (window), "message") != 0)
    return FALSE;
  description = adw_status_page_get_description (window->message_page);
  g_test_message ("refused: %s", description);
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, tls_pkipath));
  g_assert_false (hangar_machine_window_is_console_connected (window));
  return TRUE;
}

static gboolean
is_tls_warning (const char *log_domain,
                const char *message)
{
  return (g_strcmp0 (log_domain, "GSpice") == 0 || g_strcmp0 (log_domain, "Spice") == 0)
         && message != NULL
         && (strstr (message, "SSL") != NULL || strstr (message, "certificate") != NULL);
}

static gboolean
tls_warning_not_fatal (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  return !is_tls_warning (log_domain, message)
         && !hangar_test_is_spice_teardown (log_domain, message);
}

/* Printed plainly: GLib's own handler would print a line TAP takes for a
 * bail-out, even when the message is let through. */
static void
print_tls_warning (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  if (is_tls_warning (log_domain, message))
    g_printerr ("%s: %s (expected with the wrong CA)\n", log_domain, message);
  else if (hangar_test_is_spice_teardown (log_domain, message))
    g_printerr ("%s: %s (spice-client-glib teardown, ignored)\n", log_domain, message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static void
run_tls (const char           *ca_folder,
         const HangarTestStep *steps)
{
  HangarTestRun run = { 0 };
  g_autofree char *uri = NULL;
  const char *argv[] = { "hangar", "--connect", NULL, "--show-domain-console", NULL, NULL };

  hangar_test_tolerate_spice_teardown ();
  g_test_log_set_fatal_handler (tls_warning_not_fatal, NULL);
  tls_pkipath = ca_folder;
  uri = g_strdup_printf ("%s?pkipath=%s", TCP_URI, ca_folder);
  create_tls_guest ();
  argv[2] = uri;
  argv[4] = guest;
  g_assert_cmpint (hangar_test_run_app (&run, argv, steps, 90000), ==, 0);
  remove_guest ();
}

static void
test_tls (void)
{
  const HangarTestStep steps[] = { step_login, step_tls_console_up, step_close_all, NULL };
  g_autofree char *folder = g_build_filename (g_getenv ("HANGAR_TEST_PKI"), "client", NULL);

  run_tls (folder, steps);
}

static void
test_tls_wrong_ca (void)
{
  const HangarTestStep steps[] = { step_login, step_tls_refused, step_close_all, NULL };
  g_autofree char *folder = g_build_filename (g_getenv ("HANGAR_TEST_PKI"), "wrong", NULL);

  run_tls (folder, steps);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("HANGAR_TEST_PKI") == NULL)
    {
      g_print ("1..0 # SKIP needs the private test host (tools/test)\n");
      return 0;
    }
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hangar/machine-window-plain/confirm-and-send-once", test_confirm_and_send_once);
  g_test_add_func ("/hangar/machine-window-plain/decline", test_decline);
  g_test_add_func ("/hangar/machine-window-plain/spice-tls", test_tls);
  g_test_add_func ("/hangar/machine-window-plain/spice-tls-wrong-ca", test_tls_wrong_ca);
  g_log_set_handler ("Spice", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL,
                     print_tls_warning, NULL);
  g_log_set_handler ("GSpice", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, print_tls_warning, NULL);
  return g_test_run ();
}
