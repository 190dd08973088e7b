/* console-guest.c — throw-away libvirt guests for the console tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Guests live on qemu:///system, named hangar-test-KIND-PID. A watchdog
 * process removes them when the test process ends in any way, even by a
 * failed assertion's abort(); guests left by dead test processes are
 * swept before new ones are made.
 */
#include "config.h"

#include "console-guest.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define URI "qemu:///system"

struct _ConsoleGuest
{
  virConnectPtr conn;
  virDomainPtr domain;
  char *name;
  char *dir;
  char *serial_path;
  GPid watchdog;
  int watchdog_fd;
  /* With a password, the graphics fd is opened without skipping auth. */
  gboolean has_password;
};

static void
set_virt_error (GError    **error,
                const char *what)
{
  virErrorPtr err = virGetLastError ();

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
               err != NULL && err->message != NULL ? err->message : "unknown libvirt error");
}

static void
quiet_libvirt (void           *data,
               virErrorPtr     err)
{
  /* Errors are returned to callers; don't print them on stderr too. */
}

gboolean
console_guest_available (char **why_not)
{
  virConnectPtr conn;

  virSetErrorFunc (NULL, quiet_libvirt);
  conn = virConnectOpen (URI);
  if (conn == NULL)
    {
      virErrorPtr err = virGetLastError ();

      *why_not = g_strdup_printf ("cannot open %s (run tools/start-daemons): %s", URI,
                                  err != NULL ? err->message : "?");
      return FALSE;
    }
  virConnectClose (conn);

  if (!g_file_test ("/usr/bin/qemu-system-x86_64", G_FILE_TEST_IS_EXECUTABLE))
    {
      *why_not = g_strdup ("qemu-system-x86_64 is not installed");
      return FALSE;
    }

  return TRUE;
}

/* Guests of test processes that died without cleaning up. */
static void
sweep_stale (virConnectPtr conn)
{
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);

  for (int i = 0; i < n; i++)
    {
      const char *name = virDomainGetName (domains[i]);
      const char *dash;
      gint64 pid;

      if (g_str_has_prefix (name, "hangar-test-") &&
          (dash = strrchr (name, '-')) != NULL &&
          (pid = g_ascii_strtoll (dash + 1, NULL, 10)) > 0 &&
          kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_test_message ("Removing stale guest %s", name);
          virDomainDestroy (domains[i]);
          virDomainUndefine (domains[i]);
        }
      virDomainFree (domains[i]);
    }
  free (domains);
}

/* Forks `sh` that waits for our end of a pipe to close (at our exit,
 * however it happens) and then removes the guest. */
static void
start_watchdog (ConsoleGuest *guest)
{
  g_autofree char *script = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
  int stdin_fd = -1;
  g_autoptr(GError) error = NULL;

  script = g_strdup_printf ("cat >/dev/null; "
                            "virsh -q -c %s destroy %s >/dev/null 2>&1; "
                            "virsh -q -c %s undefine %s >/dev/null 2>&1; "
                            "rm -rf '%s'",
                            URI, guest->name, URI, guest->name, guest->dir);
  argv[2] = script;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &guest->watchdog, &stdin_fd, NULL, NULL, &error))
    {
      g_test_message ("No cleanup watchdog: %s", error->message);
      return;
    }

  guest->watchdog_fd = stdin_fd;
}

static gboolean
ensure_tiny_linux (char   **kernel,
                   char   **initrd,
                   GError **error)
{
  const char *cache = g_getenv ("HANGAR_TEST_CACHE");
  g_autofree char *cache_dir = NULL;
  g_autofree char *script = g_build_filename (TEST_SUPPORT_SRCDIR, "make-tiny-guest.sh", NULL);
  g_autofree char *err_out = NULL;
  int status;

  /* Shared between build trees when we may write there (we run as root
   * to reach the system daemon); else next to the build. */
  if (cache != NULL && *cache != '\0')
    cache_dir = g_strdup (cache);
  else if (access ("/var/cache", W_OK) == 0)
    cache_dir = g_strdup ("/var/cache/hangar-test");
  else
    cache_dir = g_build_filename (TEST_SUPPORT_BUILDDIR, "tiny-guest", NULL);

  {
    const char *argv[] = { script, cache_dir, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, &err_out, &status, error))
      return FALSE;
  }

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "make-tiny-guest.sh failed: %s", err_out);
      return FALSE;
    }

  *kernel = g_build_filename (cache_dir, "vmlinuz", NULL);
  *initrd = g_build_filename (cache_dir, "initrd.img", NULL);

  return TRUE;
}

static ConsoleGuest *
console_guest_new_full (ConsoleGuestGraphics   graphics,
                        ConsoleGuestKind       kind,
                        const char            *password,
                        GError               **error)
{
  g_autoptr(ConsoleGuest) guest = g_new0 (ConsoleGuest, 1);
  g_autoptr(GString) xml = g_string_new (NULL);
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  gboolean linux_guest = kind != CONSOLE_GUEST_FIRMWARE && kind != CONSOLE_GUEST_FIRMWARE_USBREDIR;
  static guint counter;

  guest->watchdog_fd = -1;
  virSetErrorFunc (NULL, quiet_libvirt);

  if (linux_guest && !ensure_tiny_linux (&kernel, &initrd, error))
    return NULL;

  guest->conn = virConnectOpen (URI);
  if (guest->conn == NULL)
    {
      set_virt_error (error, "Opening " URI);
      return NULL;
    }
  sweep_stale (guest->conn);

  guest->name = g_strdup_printf ("hangar-test-%s%u-%d",
                                 graphics == CONSOLE_GUEST_VNC ? "vnc" : "spice",
                                 counter++, (int) getpid ());
  /* A directory the qemu user can write its serial log into. */
  guest->dir = g_build_filename (g_get_tmp_dir (), guest->name, NULL);
  g_mkdir_with_parents (guest->dir, 0777);
  g_chmod (guest->dir, 0777);
  guest->serial_path = g_build_filename (guest->dir, "serial.log", NULL);

  start_watchdog (guest);

  /* TCG: a Linux kernel hangs under nested KVM on these machines, and
   * SeaBIOS is quick either way. */
  g_string_append_printf (xml,
                          "<domain type='qemu'>\n"
                          "  <name>%s</name>\n"
                          "  <memory unit='MiB'>%u</memory>\n"
                          "  <vcpu>1</vcpu>\n"
                          "  <os>\n"
                          "    <type arch='x86_64' machine='pc'>hvm</type>\n",
                          guest->name, linux_guest ? 192 : 64);
  /* hangar.kms=1 tells the guest's /init to start mini-kms, hangar.tone=1
   * mini-tone; hangar.noxfer=1 has mini-vdagent refuse files. */
  if (linux_guest)
    g_string_append_printf (xml,
                            "    <kernel>%s</kernel>\n"
                            "    <initrd>%s</initrd>\n"
                            "    <cmdline>console=ttyS0 console=tty1 quiet%s</cmdline>\n",
                            kernel, initrd,
                            kind == CONSOLE_GUEST_LINUX_KMS ? " hangar.kms=1"
                            : kind == CONSOLE_GUEST_LINUX_SOUND ? " hangar.tone=1"
                            : kind == CONSOLE_GUEST_LINUX_AGENT_NO_FILES ? " hangar.noxfer=1" : "");
  else
    g_string_append (xml, "    <boot dev='hd'/>\n");
  g_string_append_printf (xml,
                          "  </os>\n"
                          "  <features><acpi/></features>\n"
                          "  <on_poweroff>destroy</on_poweroff>\n"
                          "  <devices>\n"
                          "    <serial type='file'>\n"
                          "      <source path='%s'/>\n"
                          "      <target port='0'/>\n"
                          "    </serial>\n",
                          guest->serial_path);
  guest->has_password = password != NULL;
  if (graphics == CONSOLE_GUEST_VNC)
    g_string_append_printf (xml, "    <graphics type='vnc' listen='127.0.0.1' autoport='yes'%s%s%s/>\n",
                            password ? " passwd='" : "", password ? password : "",
                            password ? "'" : "");
  else
    g_string_append_printf (xml, "    <graphics type='spice' autoport='yes'%s%s%s>\n"
                            "      <listen type='address' address='127.0.0.1'/>\n"
                            "    </graphics>\n",
                            password ? " passwd='" : "", password ? password : "",
                            password ? "'" : "");
  if (kind == CONSOLE_GUEST_LINUX_TABLET)
    g_string_append (xml, "    <input type='tablet' bus='usb'/>\n");
  if (kind == CONSOLE_GUEST_FIRMWARE_USBREDIR)
    g_string_append (xml,
                     "    <controller type='usb' model='qemu-xhci'/>\n"
                     "    <redirdev bus='usb' type='spicevmc'/>\n"
                     "    <redirdev bus='usb' type='spicevmc'/>\n");
  /* libvirt adds the virtio-serial controller the channel needs. Only
   * here: with an agent, the server may move the pointer to client mode,
   * which the plain guests' tests do not expect.
   *
   * On SPICE the agent's port goes to the SPICE server, and on through
   * the main channel to the client. VNC has no agent protocol: QEMU's
   * own qemu-vdagent chardev plays the SPICE client's part towards the
   * guest's agent and joins the guest's clipboard to QEMU's, which the
   * VNC server shares as cut text. Its mouse is left off: the agent
   * would have to inject events through uinput, which mini-vdagent does
   * not, and the pointer tests expect QEMU's own PS/2 mouse and tablet.
   *
   * The KMS guest has the SPICE agent's port too: spice-client-glib sends
   * a monitor config only once an agent is there, and then the SPICE
   * server hands it to QEMU's display (the virtio GPU) rather than to the
   * agent, as the guest's display can take it. */
  if ((kind == CONSOLE_GUEST_LINUX_AGENT || kind == CONSOLE_GUEST_LINUX_AGENT_NO_FILES ||
       kind == CONSOLE_GUEST_LINUX_KMS) &&
      graphics == CONSOLE_GUEST_SPICE)
    g_string_append (xml,
                     "    <channel type='spicevmc'>\n"
                     "      <target type='virtio' name='com.redhat.spice.0'/>\n"
                     "    </channel>\n");
  else if (kind == CONSOLE_GUEST_LINUX_AGENT)
    g_string_append (xml,
                     "    <channel type='qemu-vdagent'>\n"
                     "      <source>\n"
                     "        <clipboard copypaste='yes'/>\n"
                     "        <mouse mode='server'/>\n"
                     "      </source>\n"
                     "      <target type='virtio' name='com.redhat.spice.0'/>\n"
                     "    </channel>\n");
  /* virtio on x86 is virtio-vga: VGA until the guest's driver loads,
   * then a virtio GPU whose display size QEMU passes on from clients. */
  if (kind == CONSOLE_GUEST_LINUX_KMS)
    g_string_append (xml, "    <video><model type='virtio' heads='1'/></video>\n");
  else
    g_string_append (xml, "    <video><model type='vga'/></video>\n");
  if (kind == CONSOLE_GUEST_LINUX_SOUND)
    g_string_append (xml, "    <sound model='ac97'/>\n");
  g_string_append (xml,
                   "    <memballoon model='none'/>\n"
                   "  </devices>\n"
                   "</domain>\n");

  guest->domain = virDomainDefineXML (guest->conn, xml->str);
  if (guest->domain == NULL)
    {
      set_virt_error (error, "Defining the test guest");
      return NULL;
    }

  if (!console_guest_start (guest, error))
    return NULL;

  return g_steal_pointer (&guest);
}

ConsoleGuest *
console_guest_new (ConsoleGuestGraphics   graphics,
                   ConsoleGuestKind       kind,
                   GError               **error)
{
  return console_guest_new_full (graphics, kind, NULL, error);
}

/* A firmware guest whose display asks for @password. */
ConsoleGuest *
console_guest_new_with_password (ConsoleGuestGraphics   graphics,
                                 const char            *password,
                                 GError               **error)
{
  return console_guest_new_full (graphics, CONSOLE_GUEST_FIRMWARE, password, error);
}

/* A machine defined elsewhere (by Hangar's own wizard, say), named
 * hangar-test-…-PID: the tiny Linux kernel and initramfs and a serial log
 * are added to its definition, everything else stays as it was, and it
 * is started. It is removed like the guests made here. */
ConsoleGuest *
console_guest_adopt_tiny_linux (const char  *name,
                                GError     **error)
{
  g_autoptr(ConsoleGuest) guest = g_new0 (ConsoleGuest, 1);
  g_autoptr(GString) xml = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *boot = NULL;
  g_autofree char *serial = NULL;
  char *defined;
  const char *at;

  guest->watchdog_fd = -1;
  virSetErrorFunc (NULL, quiet_libvirt);

  if (!ensure_tiny_linux (&kernel, &initrd, error))
    return NULL;

  guest->conn = virConnectOpen (URI);
  if (guest->conn == NULL)
    {
      set_virt_error (error, "Opening " URI);
      return NULL;
    }
  guest->name = g_strdup (name);
  guest->domain = virDomainLookupByName (guest->conn, name);
  if (guest->domain == NULL)
    {
      set_virt_error (error, "Looking the machine up");
      return NULL;
    }
  guest->dir = g_build_filename (g_get_tmp_dir (), guest->name, NULL);
  g_mkdir_with_parents (guest->dir, 0777);
  g_chmod (guest->dir, 0777);
  guest->serial_path = g_build_filename (guest->dir, "serial.log", NULL);
  start_watchdog (guest);

  defined = virDomainGetXMLDesc (guest->domain, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  if (defined == NULL)
    {
      set_virt_error (error, "Reading the machine's definition");
      return NULL;
    }
  xml = g_string_new (defined);
  free (defined);

  boot = g_strdup_printf ("\n    <kernel>%s</kernel>\n"
                          "    <initrd>%s</initrd>\n"
                          "    <cmdline>console=ttyS0 console=tty1 quiet</cmdline>",
                          kernel, initrd);
  serial = g_strdup_printf ("  <serial type='file'>\n"
                            "      <source path='%s'/>\n"
                            "      <target port='0'/>\n"
                            "    </serial>\n  ",
                            guest->serial_path);
  at = strstr (xml->str, "</type>");
  g_assert_nonnull (at);
  g_string_insert (xml, at - xml->str + strlen ("</type>"), boot);
  at = strstr (xml->str, "</devices>");
  g_assert_nonnull (at);
  g_string_insert (xml, at - xml->str, serial);

  virDomainFree (guest->domain);
  guest->domain = virDomainDefineXML (guest->conn, xml->str);
  if (guest->domain == NULL)
    {
      set_virt_error (error, "Redefining the machine with the tiny Linux");
      return NULL;
    }

  if (!console_guest_start (guest, error))
    return NULL;

  return g_steal_pointer (&guest);
}

const char *
console_guest_get_name (ConsoleGuest *guest)
{
  return guest->name;
}

gboolean
console_guest_start (ConsoleGuest  *guest,
                     GError       **error)
{
  if (virDomainCreate (guest->domain) < 0)
    {
      set_virt_error (error, "Starting the test guest");
      return FALSE;
    }

  return TRUE;
}

gboolean
console_guest_destroy (ConsoleGuest  *guest,
                       GError       **error)
{
  if (virDomainDestroy (guest->domain) < 0)
    {
      set_virt_error (error, "Destroying the test guest");
      return FALSE;
    }

  return TRUE;
}

/* A socket to the guest's graphics server, through libvirt: no TCP port
 * involved. */
int
console_guest_open_graphics (ConsoleGuest  *guest,
                             GError       **error)
{
  int fd = virDomainOpenGraphicsFD (guest->domain, 0,
                                    guest->has_password ? 0 : VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);

  if (fd < 0)
    set_virt_error (error, "Opening the guest's graphics");

  return fd;
}

static int
collect_stream (virStreamPtr  stream,
                const char   *data,
                size_t        len,
                void         *opaque)
{
  g_byte_array_append (opaque, (const guint8 *) data, len);
  return (int) len;
}

/* libvirt's own screenshot of the guest, decoded (PNG or PPM). */
GdkTexture *
console_guest_screenshot (ConsoleGuest  *guest,
                          GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  virStreamPtr stream;
  char *mime;

  stream = virStreamNew (guest->conn, 0);
  mime = virDomainScreenshot (guest->domain, stream, 0, 0);
  if (mime == NULL)
    {
      set_virt_error (error, "Taking a screenshot");
      virStreamFree (stream);
      return NULL;
    }
  free (mime);

  if (virStreamRecvAll (stream, collect_stream, data) < 0 || virStreamFinish (stream) < 0)
    {
      set_virt_error (error, "Reading the screenshot");
      virStreamAbort (stream);
      virStreamFree (stream);
      return NULL;
    }
  virStreamFree (stream);

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return gdk_texture_new_from_bytes (bytes, error);
}

char *
console_guest_read_serial (ConsoleGuest *guest)
{
  char *contents = NULL;

  if (!g_file_get_contents (guest->serial_path, &contents, NULL, NULL))
    return g_strdup ("");

  return contents;
}

void
console_guest_free (ConsoleGuest *guest)
{
  if (guest == NULL)
    return;

  if (guest->domain != NULL)
    {
      virDomainDestroy (guest->domain);
      virDomainUndefine (guest->domain);
      virDomainFree (guest->domain);
    }
  if (guest->conn != NULL)
    virConnectClose (guest->conn);

  /* The watchdog has nothing left to do; let it finish. */
  if (guest->watchdog_fd >= 0)
    {
      close (guest->watchdog_fd);
      waitpid (guest->watchdog, NULL, 0);
      g_spawn_close_pid (guest->watchdog);
    }

  if (guest->dir != NULL)
    {
      g_unlink (guest->serial_path);
      g_rmdir (guest->dir);
    }

  g_free (guest->serial_path);
  g_free (guest->dir);
  g_free (guest->name);
  g_free (guest);
}

/* What QEMU's human monitor answers to @hmp_command (through virsh, as
 * an administrator would ask): QEMU's own view, e.g. of which SPICE
 * channels a client has open. */
char *
console_guest_monitor (ConsoleGuest  *guest,
                       const char    *hmp_command,
                       GError       **error)
{
  const char *argv[] = { "virsh", "-q", "-c", URI, "qemu-monitor-command", guest->name,
                         "--hmp", hmp_command, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, error))
    return NULL;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "virsh qemu-monitor-command %s: %s",
                   hmp_command, err);
      return NULL;
    }
  return g_steal_pointer (&out);
}
