/* test-console-usb.c — USB redirection into SPICE guests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These machines have no USB bus (no /sys/bus/usb): the desktop's device
 * list is empty. spice-client-glib's shared CD is a USB device it
 * emulates itself from an image file, with no libusb device under it, so
 * the whole path of a device — listed, redirected over a channel, seen by
 * QEMU on the guest's USB bus, given back — is taken with one:
 *
 *  - usb: a guest with two redirection channels (as the wizard makes a
 *    SPICE machine): both counted free; a shared CD image goes into the
 *    guest (QEMU's own monitor shows a redirection port attached, at
 *    the drive's speed, on the guest's USB bus) and one
 *    channel is then in use; a third image, with both channels taken, is
 *    refused with the reason; given back, the device leaves the guest.
 *  - usb-none: a guest without redirection channels: none counted, and a
 *    CD image is refused saying so.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "console-session-fixture.h"
#include "console-test-util.h"
#include "hangar-spice-session.h"
#include "hangar-test-util.h"

static guint
uint_prop (gpointer    object,
           const char *name)
{
  guint value = 0;

  g_object_get (object, name, &value, NULL);
  return value;
}

static gboolean
two_free_channels (gpointer data)
{
  return uint_prop (data, "usb-channels") == 2 && uint_prop (data, "usb-free-channels") == 2;
}

typedef struct
{
  Fixture *f;
  guint count;
} MonitorWait;

/* The redirected devices QEMU has on the guest's USB bus. Its usb-redir
 * ports are always listed; one is attached, at the device's speed, only
 * while the client has a device on it: "info qtree" then says
 * "addr 0.0, port 2, speed 480, name USB Redirection Device, attached". */
static guint
qemu_redirected (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tree = console_guest_monitor (f->guest, "info qtree", &error);
  guint count = 0;

  g_assert_no_error (error);
  for (const char *p = tree; (p = strstr (p, "name USB Redirection Device, attached")) != NULL; p++)
    count++;
  return count;
}

static gboolean
qemu_has_redirected (gpointer data)
{
  MonitorWait *w = data;

  return qemu_redirected (w->f) == w->count;
}

typedef struct
{
  GListModel *devices;
  const char *name;
  gboolean redirected;
} DeviceWait;

static HangarUsbDevice *
find_named (GListModel *devices,
            const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(HangarUsbDevice) device = g_list_model_get_item (devices, i);

      if (strstr (hangar_usb_device_get_name (device), name) != NULL)
        return device;  /* the list keeps it */
    }
  return NULL;
}

static gboolean
device_in_state (gpointer data)
{
  DeviceWait *w = data;
  HangarUsbDevice *device = find_named (w->devices, w->name);

  return device != NULL && !hangar_usb_device_get_busy (device) &&
         hangar_usb_device_get_redirected (device) == w->redirected;
}

static char *
make_image (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc0 (2 * 1024 * 1024);

  g_assert_true (g_file_set_contents (path, data, 2 * 1024 * 1024, NULL));
  return g_steal_pointer (&path);
}

static void
test_usb (Fixture       *f,
          gconstpointer  data)
{
  HangarSpiceSession *session;
  GListModel *devices;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;

  if (!start_guest (f, CONSOLE_GUEST_FIRMWARE_USBREDIR))
    return;
  session = HANGAR_SPICE_SESSION (f->session);
  devices = hangar_spice_session_get_usb_devices (session);

  connect_session (f);
  wait_first_frame (f);
  g_assert_true (console_test_wait_until (two_free_channels, session, 30000));
  /* Nothing of this desktop's is redirected by itself. */
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(HangarUsbDevice) device = g_list_model_get_item (devices, i);

      g_test_message ("desktop device: %s", hangar_usb_device_get_name (device));
      g_assert_false (hangar_usb_device_get_redirected (device));
    }

  dir = g_dir_make_tmp ("hangar-usb-XXXXXX", &error);
  g_assert_no_error (error);
  one = make_image (dir, "one.iso");
  two = make_image (dir, "two.iso");
  three = make_image (dir, "three.iso");

  /* The image goes in as a USB CD drive, over one channel. */
  g_assert_true (hangar_spice_session_share_cd (session, one, &error));
  g_assert_no_error (error);
  {
    DeviceWait in = { devices, "(one.iso)", TRUE };
    MonitorWait seen = { f, 1 };
    HangarUsbDevice *device;

    /* Nothing on the guest's bus before. */
    g_assert_cmpuint (qemu_redirected (f), ==, 0);

    g_assert_true (console_test_wait_until (device_in_state, &in, 30000));
    device = find_named (devices, "(one.iso)");
    g_test_message ("listed as \"%s\"", hangar_usb_device_get_name (device));
    g_assert_true (hangar_usb_device_get_shared_cd (device));
    g_assert_null (hangar_usb_device_get_problem (device));
    g_assert_cmpuint (uint_prop (session, "usb-free-channels"), ==, 1);
    g_assert_true (console_test_wait_until (qemu_has_redirected, &seen, 30000));
  }

  /* A second one takes the other channel; a third finds none. */
  g_assert_true (hangar_spice_session_share_cd (session, two, &error));
  {
    DeviceWait in = { devices, "(two.iso)", TRUE };
    MonitorWait seen = { f, 2 };

    g_assert_true (console_test_wait_until (device_in_state, &in, 30000));
    g_assert_true (console_test_wait_until (qemu_has_redirected, &seen, 30000));
  }
  g_assert_cmpuint (uint_prop (session, "usb-free-channels"), ==, 0);
  g_assert_false (hangar_spice_session_share_cd (session, three, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("third image: %s", error->message);
  g_clear_error (&error);

  /* Given back, the first leaves the guest's bus; its channel is free. */
  {
    DeviceWait out = { devices, "(one.iso)", FALSE };
    MonitorWait one_left = { f, 1 };
    MonitorWait gone = { f, 0 };

    hangar_spice_session_set_usb_redirected (session, find_named (devices, "(one.iso)"), FALSE);
    g_assert_true (console_test_wait_until (device_in_state, &out, 30000));
    g_assert_cmpuint (uint_prop (session, "usb-free-channels"), ==, 1);
    /* The second is still there. */
    g_assert_true (console_test_wait_until (qemu_has_redirected, &one_left, 30000));
    hangar_spice_session_set_usb_redirected (session, find_named (devices, "(two.iso)"), FALSE);
    g_assert_true (console_test_wait_until (qemu_has_redirected, &gone, 30000));
    g_assert_true (console_test_wait_until (two_free_channels, session, 30000));
  }

  g_assert_null (f->error);
  g_unlink (one);
  g_unlink (two);
  g_unlink (three);
  g_rmdir (dir);
}

static void
test_usb_none (Fixture       *f,
               gconstpointer  data)
{
  HangarSpiceSession *session;
  g_autoptr(GError) error = NULL;

  if (!start_guest (f, CONSOLE_GUEST_FIRMWARE))
    return;
  session = HANGAR_SPICE_SESSION (f->session);

  connect_session (f);
  wait_first_frame (f);
  console_test_iterate (1000);
  g_assert_cmpuint (uint_prop (session, "usb-channels"), ==, 0);
  g_assert_cmpuint (uint_prop (session, "usb-free-channels"), ==, 0);
  g_assert_false (hangar_spice_session_share_cd (session, "/etc/hostname", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "no USB redirection channels"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/hangar/console/spice/usb", Fixture, &spice,
              fixture_setup, test_usb, fixture_teardown);
  g_test_add ("/hangar/console/spice/usb-none", Fixture, &spice,
              fixture_setup, test_usb_none, fixture_teardown);

  return g_test_run ();
}
