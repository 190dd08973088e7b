/* test-console-tls.c — review finding M7, end to end: a SPICE display with
 * a TLS port, on a host reached over the network (qemu+tcp), is shown over
 * TLS, the server checked against the CA libvirt uses for that host.
 *
 * tools/test-host makes a throw-away CA, gives QEMU a server certificate
 * it signed (spice_tls = 1 in the private qemu.conf) and leaves the CA's
 * certificate in $HANGAR_TEST_PKI/client/cacert.pem, another CA's in
 * $HANGAR_TEST_PKI/wrong/cacert.pem. A disk-less guest listens on
 * 127.0.0.1 with defaultMode='secure', so its plain port refuses every
 * channel. The test reaches it as qemu+tcp://127.0.0.1/system?pkipath=DIR
 * (libvirtd's SASL TCP listener, tools/start-sasl-libvirtd), lets
 * libhangar choose the route (hangar_console_plan_new) and connects a
 * HangarSpiceSession the way the machine window does: with the right CA
 * frames arrive; with the wrong one the session fails with a message
 * naming the CA, and nothing is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hangar-spice-session.h"
#include "hangar-vm-console.h"
#include "hangar-test-util.h"

#define LOCAL_URI "qemu:///system"
#define TCP_URI   "qemu+tcp://127.0.0.1/system"
#define USER      "hangartest"
#define PASSWORD  "hangar-test-password"

static char *guest;
static const char *pki;

typedef struct
{
  gboolean  connected;
  GError   *error;
  char     *reason;
  gboolean  ended;
} Outcome;

static void
on_connected (HangarConsoleSession *session,
              Outcome              *outcome)
{
  outcome->connected = TRUE;
}

static void
on_error (HangarConsoleSession *session,
          const GError         *error,
          Outcome              *outcome)
{
  if (outcome->error == NULL)
    outcome->error = g_error_copy (error);
}

static void
on_disconnected (HangarConsoleSession *session,
                 const char           *reason,
                 Outcome              *outcome)
{
  outcome->ended = TRUE;
  g_free (outcome->reason);
  outcome->reason = g_strdup (reason);
}

/* SeaBIOS has drawn something: a pixel that is not black. */
static gboolean
shows_frames (gpointer data)
{
  HangarConsoleSession *session = data;
  guint width = 0, height = 0;
  gsize stride = 0;
  g_autoptr(GBytes) bytes = hangar_console_session_get_framebuffer (session, &width, &height,
                                                                    &stride);
  const guint8 *pixels;

  if (bytes == NULL || width == 0 || height == 0)
    return FALSE;
  pixels = g_bytes_get_data (bytes, NULL);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      if ((pixels[y * stride + x * 4] | pixels[y * stride + x * 4 + 1]
           | pixels[y * stride + x * 4 + 2]) != 0)
        return TRUE;
  return FALSE;
}

static gboolean
failed (gpointer data)
{
  Outcome *outcome = data;

  return outcome->error != NULL || outcome->ended;
}

static int
auth_cb (virConnectCredentialPtr cred,
         unsigned int            ncred,
         void                   *cbdata)
{
  for (unsigned int i = 0; i < ncred; i++)
    {
      const char *value = cred[i].type == VIR_CRED_AUTHNAME ? USER
                          : cred[i].type == VIR_CRED_PASSPHRASE ? PASSWORD : "";

      cred[i].result = strdup (value);
      cred[i].resultlen = strlen (value);
    }
  return 0;
}

/* The guest's graphics as a remote connection with @pkipath reads them,
 * and the route libhangar chooses for them. */
static HangarConsolePlan *
plan_for (const char          *pkipath,
          HangarGraphicsInfo **info_out)
{
  int types[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
  virConnectAuth auth = { types, G_N_ELEMENTS (types), auth_cb, NULL };
  g_autofree char *uri = g_strdup_printf ("%s?pkipath=%s", TCP_URI, pkipath);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  HangarGraphicsInfo *info;
  virConnectPtr conn;
  virDomainPtr dom;
  char *raw;

  conn = virConnectOpenAuth (uri, &auth, 0);
  if (conn == NULL)
    g_error ("%s: %s", uri, virGetLastErrorMessage ());
  dom = virDomainLookupByName (conn, guest);
  g_assert_nonnull (dom);
  raw = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_SECURE);
  g_assert_nonnull (raw);
  xml = g_strdup (raw);
  free (raw);
  virDomainFree (dom);
  virConnectClose (conn);

  info = hangar_graphics_info_parse (xml, &error);
  g_assert_no_error (error);
  g_test_message ("graphics: port %d, tlsPort %d, listen %s, secure only %d",
                  info->port, info->tls_port, info->listen, info->secure_only);
  *info_out = info;
  return hangar_console_plan_new (info, uri, FALSE, NULL);
}

static gboolean
guest_ready (void)
{
  g_autofree char *out = NULL;

  return hangar_test_virsh (LOCAL_URI, &out, "domstate %s", guest)
         && g_str_has_prefix (out, "running");
}

static void
start_guest (void)
{
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  guest = g_strdup_printf ("hangar-tls-%d", (int) getpid ());
  xml = g_strdup_printf (
    "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>"
    "<on_poweroff>destroy</on_poweroff><devices>"
    "<graphics type='spice' autoport='yes' defaultMode='secure'>"
    "<listen type='address' address='127.0.0.1'/></graphics>"
    "<video><model type='vga'/></video><memballoon model='none'/>"
    "</devices></domain>", guest);
  path = g_build_filename (g_get_tmp_dir (), "hangar-tls-guest.xml", NULL);
  g_assert_true (g_file_set_contents (path, xml, -1, &error));
  g_assert_true (hangar_test_virsh (LOCAL_URI, NULL, "create %s", path));
  g_assert_true (guest_ready ());
  g_unlink (path);
}

static void
stop_guest (void)
{
  if (guest != NULL)
    hangar_test_virsh (LOCAL_URI, NULL, "destroy %s", guest);
  g_clear_pointer (&guest, g_free);
}

/* spice-client-glib says a failed TLS handshake with warnings of its own
 * ("SSL_connect: …", spice-common's "Error in certificate chain
 * verification"); the test looks at the session's error instead. */
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

/* Printed plainly: GLib's own handler would print a fatal-looking line
 * that TAP takes for a bail-out, even when the message is let through. */
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
test_tls_right_ca (void)
{
  g_autofree char *client = g_build_filename (pki, "client", NULL);
  g_autofree char *expected_ca = g_build_filename (client, "cacert.pem", NULL);
  g_autoptr(HangarGraphicsInfo) info = NULL;
  g_autoptr(HangarConsolePlan) plan = plan_for (client, &info);
  g_autoptr(HangarConsoleSession) session = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  g_test_log_set_fatal_handler (tls_warning_not_fatal, NULL);
  g_assert_cmpint (info->tls_port, >, 0);
  g_assert_true (info->secure_only);
  g_assert_cmpint (plan->route, ==, HANGAR_CONSOLE_ROUTE_TCP);
  g_assert_true (plan->tls);
  g_assert_cmpint (plan->tls_port, ==, info->tls_port);
  g_assert_cmpstr (plan->host, ==, "127.0.0.1");
  g_assert_cmpstr (plan->ca_file, ==, expected_ca);
  g_assert_true (plan->encrypted);
  g_assert_false (plan->confirm_listen);

  session = hangar_spice_session_new ();
  g_signal_connect (session, "connected", G_CALLBACK (on_connected), &outcome);
  g_signal_connect (session, "error", G_CALLBACK (on_error), &outcome);
  g_signal_connect (session, "disconnected", G_CALLBACK (on_disconnected), &outcome);
  g_assert_true (hangar_spice_session_connect_tls (HANGAR_SPICE_SESSION (session), plan->host,
                                                   plan->tls_port, plan->ca_file, &error));
  g_assert_no_error (error);
  if (!hangar_test_wait (shows_frames, session, 90000))
    g_error ("no frame over TLS after 90 s (connected %d, error %s, ended: %s)",
             outcome.connected, outcome.error ? outcome.error->message : "none",
             outcome.reason ? outcome.reason : "no");
  g_assert_true (outcome.connected);
  g_assert_null (outcome.error);
  g_signal_handlers_disconnect_by_data (session, &outcome);
  hangar_console_session_disconnect (session);
  g_clear_pointer (&outcome.reason, g_free);
}

static void
test_tls_wrong_ca (void)
{
  g_autofree char *wrong = g_build_filename (pki, "wrong", NULL);
  g_autoptr(HangarGraphicsInfo) info = NULL;
  g_autoptr(HangarConsolePlan) plan = plan_for (wrong, &info);
  g_autoptr(HangarConsoleSession) session = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  g_test_log_set_fatal_handler (tls_warning_not_fatal, NULL);
  g_assert_true (plan->tls);
  session = hangar_spice_session_new ();
  g_signal_connect (session, "connected", G_CALLBACK (on_connected), &outcome);
  g_signal_connect (session, "error", G_CALLBACK (on_error), &outcome);
  g_signal_connect (session, "disconnected", G_CALLBACK (on_disconnected), &outcome);
  g_assert_true (hangar_spice_session_connect_tls (HANGAR_SPICE_SESSION (session), plan->host,
                                                   plan->tls_port, plan->ca_file, &error));
  g_assert_true (hangar_test_wait (failed, &outcome, 60000));
  g_assert_false (outcome.connected);
  g_assert_nonnull (outcome.error);
  g_test_message ("wrong CA: %s", outcome.error->message);
  g_assert_error (outcome.error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (outcome.error->message, plan->ca_file));
  g_assert_false (shows_frames (session));
  g_signal_handlers_disconnect_by_data (session, &outcome);
  hangar_console_session_disconnect (session);
  g_clear_error (&outcome.error);
  g_clear_pointer (&outcome.reason, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *ca = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  pki = g_getenv ("HANGAR_TEST_PKI");
  ca = pki != NULL ? g_build_filename (pki, "client", "cacert.pem", NULL) : NULL;
  if (ca == NULL || !g_file_test (ca, G_FILE_TEST_EXISTS))
    {
      g_print ("1..0 # SKIP no test CA: run through tools/test (tools/test-host makes it)\n");
      return 0;
    }
  hangar_test_tolerate_spice_teardown ();
  g_log_set_handler ("Spice", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL,
                     print_tls_warning, NULL);
  g_log_set_handler ("GSpice", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL,
                     print_tls_warning, NULL);
  g_test_add_func ("/console-tls/right-ca", test_tls_right_ca);
  g_test_add_func ("/console-tls/wrong-ca", test_tls_wrong_ca);
  start_guest ();
  status = g_test_run ();
  stop_guest ();
  return status;
}
