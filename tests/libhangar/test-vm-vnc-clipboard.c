/* test-vm-vnc-clipboard.c — a VNC console's clipboard channel in Add
 * Hardware, and switching a machine's display between VNC and SPICE.
 *
 * The pure parts (the checks, the switched XML) without a daemon; adding
 * the channel and switching on real guests of the system daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#define DETAILS_PREFIX "hangar-d9-"
#include "details-test-util.h"
#include "hangar-domain-spec.h"
#include "hangar-vm-hardware.h"

#define VDAGENT "/domain/devices/channel[@type='qemu-vdagent' and target/@name='com.redhat.spice.0'" \
                " and source/clipboard/@copypaste='yes']"
#define SPICEVMC "/domain/devices/channel[@type='spicevmc' and target/@name='com.redhat.spice.0']"

static HangarConnection *connection;

/* What the wizard gave SPICE machines: its channel, USB redirection, and
 * the audio backend libvirt adds. */
#define SPICE_DEVICES \
  "<graphics type='spice'><listen type='none'/><image compression='off'/></graphics>" \
  "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>" \
  "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>" \
  "<redirdev bus='usb' type='spicevmc'/><redirdev bus='usb' type='spicevmc'/>" \
  "<sound model='ich9'><audio id='1'/></sound><audio id='1' type='spice'/>" \
  "<video><model type='vga'/></video><memballoon model='none'/>"

static char *
domain (const char *devices)
{
  return g_strdup_printf ("<domain type='qemu'><name>switch</name>"
                          "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                          "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                          "<devices>%s</devices></domain>", devices);
}

static guint
xcount (const char *xml,
        const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarVmConfig) config = hangar_vm_config_new_from_xml (xml, NULL, &error);
  g_autofree char *expr = g_strdup_printf ("count(%s)", path);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  value = hangar_vm_config_query (config, FALSE, expr);
  return value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static char *
xstr (const char *xml,
      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarVmConfig) config = hangar_vm_config_new_from_xml (xml, NULL, &error);

  g_assert_no_error (error);
  return hangar_vm_config_query (config, FALSE, path);
}

/* ---- without a daemon ---- */

static void
test_check (void)
{
  HangarHardwareSpec spec = { .kind = HANGAR_HW_CHANNEL, .type = (char *) "qemu-vdagent" };
  HangarHardwareSpec other = { .kind = HANGAR_HW_CHANNEL, .type = (char *) "qemu-ga" };
  g_autofree char *vnc = domain ("<graphics type='vnc'><listen type='none'/></graphics>");
  g_autofree char *vnc_with = domain ("<graphics type='vnc'><listen type='none'/></graphics>"
                                      HANGAR_QEMU_VDAGENT_CHANNEL_XML);
  g_autofree char *vnc_spicevmc = domain ("<graphics type='vnc'/><channel type='spicevmc'>"
                                          "<target type='virtio' name='com.redhat.spice.0'/></channel>");
  g_autofree char *spice = domain (SPICE_DEVICES);
  g_autofree char *none = domain ("");
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  /* The device itself. */
  xml = hangar_hardware_device_xml (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml, ==, HANGAR_QEMU_VDAGENT_CHANNEL_XML);

  g_assert_true (hangar_hardware_check (&spec, vnc, &error));
  g_assert_no_error (error);
  /* Other devices are not its business. */
  g_assert_true (hangar_hardware_check (&other, spice, &error));
  g_assert_no_error (error);

  g_assert_false (hangar_hardware_check (&spec, vnc_with, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("has one: %s", error->message);
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);

  g_assert_false (hangar_hardware_check (&spec, spice, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("SPICE: %s", error->message);
  g_assert_nonnull (strstr (error->message, "VNC"));
  g_clear_error (&error);

  g_assert_false (hangar_hardware_check (&spec, none, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_assert_false (hangar_hardware_check (&spec, vnc_spicevmc, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_test_message ("port taken: %s", error->message);
  g_clear_error (&error);
}

static void
test_switch_xml (void)
{
  g_autofree char *spice = domain (SPICE_DEVICES);
  g_autofree char *vnc = NULL;
  g_autofree char *back = NULL;
  g_autofree char *again = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *remote_spice = NULL;
  g_autofree char *old_qemu = NULL;
  g_autofree char *password = NULL;
  g_autofree char *audio = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  /* To VNC: SPICE's channel, redirection and audio go; QEMU's agent comes. */
  vnc = hangar_vm_config_switch_console_xml (spice, "vnc", FALSE, TRUE, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_test_message ("to VNC:\n%s", vnc);
  g_assert_cmpuint (xcount (vnc, "/domain/devices/graphics"), ==, 1);
  g_assert_cmpuint (xcount (vnc, "/domain/devices/graphics[@type='vnc']/listen[@type='none']"), ==, 1);
  g_assert_cmpuint (xcount (vnc, "/domain/devices/graphics/@passwd"), ==, 0);
  g_assert_cmpuint (xcount (vnc, VDAGENT), ==, 1);
  g_assert_cmpuint (xcount (vnc, "//*[@type='spicevmc']"), ==, 0);
  g_assert_cmpuint (xcount (vnc, "/domain/devices/redirdev"), ==, 0);
  g_assert_cmpuint (xcount (vnc, "/domain/devices/channel[target/@name='org.qemu.guest_agent.0']"), ==, 1);
  audio = xstr (vnc, "string(/domain/devices/audio/@type)");
  g_assert_cmpstr (audio, ==, "none");

  /* Already VNC: nothing to do. */
  again = hangar_vm_config_switch_console_xml (vnc, "vnc", FALSE, TRUE, &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);
  g_assert_cmpstr (again, ==, vnc);

  /* And back to SPICE: its agent channel and redirection again, no QEMU agent. */
  back = hangar_vm_config_switch_console_xml (vnc, "spice", FALSE, TRUE, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_test_message ("back to SPICE:\n%s", back);
  g_assert_cmpuint (xcount (back, "/domain/devices/graphics"), ==, 1);
  g_assert_cmpuint (xcount (back, "/domain/devices/graphics[@type='spice']/listen[@type='none']"), ==, 1);
  g_assert_cmpuint (xcount (back, "/domain/devices/graphics/image[@compression='off']"), ==, 1);
  g_assert_cmpuint (xcount (back, SPICEVMC), ==, 1);
  g_assert_cmpuint (xcount (back, "/domain/devices/channel[@type='qemu-vdagent']"), ==, 0);
  g_assert_cmpuint (xcount (back, "/domain/devices/redirdev[@bus='usb' and @type='spicevmc']"), ==, 2);
  g_clear_pointer (&audio, g_free);
  audio = xstr (back, "string(/domain/devices/audio/@type)");
  g_assert_cmpstr (audio, ==, "spice");

  /* A remote host: its loopback, a new password VNC reads whole. */
  remote = hangar_vm_config_switch_console_xml (spice, "vnc", TRUE, TRUE, NULL, &error);
  g_assert_no_error (error);
  password = xstr (remote, "string(/domain/devices/graphics/@passwd)");
  g_assert_cmpuint (strlen (password), ==, 8);
  g_assert_cmpuint (xcount (remote, "/domain/devices/graphics[@autoport='yes']"
                                    "/listen[@type='address' and @address='127.0.0.1']"), ==, 1);
  remote_spice = hangar_vm_config_switch_console_xml (remote, "spice", TRUE, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&password, g_free);
  password = xstr (remote_spice, "string(/domain/devices/graphics/@passwd)");
  g_assert_cmpuint (strlen (password), ==, 16);

  /* A QEMU without its own agent: VNC without a clipboard, no error. */
  old_qemu = hangar_vm_config_switch_console_xml (spice, "vnc", FALSE, FALSE, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpuint (xcount (old_qemu, "/domain/devices/channel[target/@name='com.redhat.spice.0']"), ==, 0);

  /* Nothing to switch, or nothing to switch to. */
  {
    g_autofree char *none = domain ("");
    g_autofree char *out = hangar_vm_config_switch_console_xml (none, "vnc", FALSE, TRUE, NULL, &error);

    g_assert_null (out);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);
    out = hangar_vm_config_switch_console_xml (spice, "rdp", FALSE, TRUE, NULL, &error);
    g_assert_null (out);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
}

/* ---- on the system daemon ---- */

static HangarApplyFlags
add (HangarVm            *vm,
     HangarHardwareSpec  *spec,
     GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_vm_add_hardware_async (vm, spec, NULL, hangar_test_async_ready, &result);
  return details_apply_wait (vm, &result, NULL, error);
}

static guint
count (const char *name,
       gboolean    live,
       const char *path)
{
  g_autofree char *expr = g_strdup_printf ("count(%s)", path);
  g_autofree char *value = details_xpath (name, live, expr);

  return value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static void
test_add (void)
{
  g_autofree char *vnc_name = details_define_guest ("vnc", NULL,
                                                    "<graphics type='vnc'><listen type='none'/></graphics>");
  g_autofree char *spice_name = details_define_guest ("spice", NULL, SPICE_DEVICES);
  g_autoptr(HangarVm) vnc = details_wait_vm (connection, vnc_name);
  g_autoptr(HangarVm) spice = details_wait_vm (connection, spice_name);
  HangarHardwareSpec spec = { .kind = HANGAR_HW_CHANNEL, .type = (char *) "qemu-vdagent" };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (add (vnc, &spec, NULL), ==, HANGAR_APPLY_CONFIG);
  g_assert_cmpuint (count (vnc_name, FALSE, VDAGENT), ==, 1);

  /* A second one is refused, and the definition keeps one. */
  g_assert_cmpint (add (vnc, &spec, &error), ==, HANGAR_APPLY_NONE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (count (vnc_name, FALSE, "/domain/devices/channel"), ==, 1);

  /* A SPICE machine has no use for it. */
  g_assert_cmpint (add (spice, &spec, &error), ==, HANGAR_APPLY_NONE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpuint (count (spice_name, FALSE, "/domain/devices/channel[@type='qemu-vdagent']"), ==, 0);
}

static HangarApplyFlags
switch_console (HangarVm    *vm,
                const char  *protocol,
                char       **note)
{
  g_autoptr(GAsyncResult) result = NULL;

  hangar_vm_config_set_console_async (vm, protocol, NULL, hangar_test_async_ready, &result);
  return details_apply_wait (vm, &result, note, NULL);
}

static void
test_switch (void)
{
  g_autofree char *name = details_define_guest ("switch", NULL, SPICE_DEVICES);
  g_autoptr(HangarVm) vm = details_wait_vm (connection, name);
  g_autofree char *note = NULL;
  HangarApplyFlags flags;

  /* Stopped: the definition changes, nothing waits. */
  flags = switch_console (vm, "vnc", &note);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG);
  g_assert_null (note);
  g_assert_cmpuint (count (name, FALSE, "/domain/devices/graphics[@type='vnc']"), ==, 1);
  g_assert_cmpuint (count (name, FALSE, "/domain/devices/graphics[@type='spice']"), ==, 0);
  g_assert_cmpuint (count (name, FALSE, VDAGENT), ==, 1);
  g_assert_cmpuint (count (name, FALSE, "//*[@type='spicevmc']"), ==, 0);

  /* The same again changes nothing. */
  g_assert_cmpint (switch_console (vm, "vnc", NULL), ==, HANGAR_APPLY_NONE);

  /* Running: for the next boot; the running machine keeps its VNC. */
  g_assert_true (details_virsh (NULL, "start %s", name));
  flags = switch_console (vm, "spice", &note);
  g_assert_cmpint (flags, ==, HANGAR_APPLY_CONFIG | HANGAR_APPLY_NEEDS_RESTART);
  g_assert_nonnull (note);
  g_test_message ("note: %s", note);
  g_assert_nonnull (strstr (note, "next boot"));
  g_assert_cmpuint (count (name, FALSE, "/domain/devices/graphics[@type='spice']"), ==, 1);
  g_assert_cmpuint (count (name, FALSE, SPICEVMC), ==, 1);
  g_assert_cmpuint (count (name, FALSE, "/domain/devices/channel[@type='qemu-vdagent']"), ==, 0);
  g_assert_cmpuint (count (name, TRUE, "/domain/devices/graphics[@type='vnc']"), ==, 1);
  g_assert_cmpuint (count (name, TRUE, VDAGENT), ==, 1);

  /* …and boots with SPICE next time. */
  g_assert_true (details_virsh (NULL, "destroy %s", name));
  g_assert_true (details_virsh (NULL, "start %s", name));
  g_assert_cmpuint (count (name, TRUE, "/domain/devices/graphics[@type='spice']"), ==, 1);
  g_assert_cmpuint (count (name, TRUE, SPICEVMC), ==, 1);
  details_virsh (NULL, "destroy %s", name);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  details_init ();
  connection = details_connect ();

  g_test_add_func ("/hangar/details/vnc-clipboard/check", test_check);
  g_test_add_func ("/hangar/details/vnc-clipboard/switch-xml", test_switch_xml);
  g_test_add_func ("/hangar/details/vnc-clipboard/add", test_add);
  g_test_add_func ("/hangar/details/vnc-clipboard/switch", test_switch);

  status = g_test_run ();
  hangar_connection_close (connection);
  g_clear_object (&connection);
  details_cleanup ();
  return status;
}
