/* hangar-spice-usb.c — the desktop's USB devices, redirected into a
 * SPICE guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * spice-client-glib's SpiceUsbDeviceManager (one per SPICE session) lists
 * the desktop's USB devices (libusb) and redirects each over one of the
 * guest's USB redirection channels (usbredir). It can also make a USB CD
 * drive of an image file ("shared CD"), which needs no USB device on the
 * desktop at all.
 *
 * Each device is a HangarUsbDevice in the session's list: its name,
 * whether it is redirected into this guest, and otherwise why it cannot
 * be (no free channel, not allowed...) or which other machine's console
 * has it. That last one is known within this process only: the consoles
 * register here what they redirected.
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-spice-usb.h"

/* --- HangarUsbDevice ---------------------------------------------------- */

struct _HangarUsbDevice
{
  GObject parent_instance;

  SpiceUsbDevice *device;
  char *name;
  char *key;         /* bus-address: the same device for every console */
  gboolean redirected;
  gboolean busy;
  gboolean shared_cd;
  char *problem;
  char *used_by;
};

G_DEFINE_FINAL_TYPE (HangarUsbDevice, hangar_usb_device, G_TYPE_OBJECT)

enum
{
  DEV_PROP_0,
  DEV_PROP_NAME,
  DEV_PROP_REDIRECTED,
  DEV_PROP_BUSY,
  DEV_PROP_PROBLEM,
  DEV_PROP_USED_BY,
  DEV_N_PROPS
};

static GParamSpec *device_properties[DEV_N_PROPS];

static void
hangar_usb_device_finalize (GObject *object)
{
  HangarUsbDevice *self = HANGAR_USB_DEVICE (object);

  if (self->device != NULL)
    g_boxed_free (SPICE_TYPE_USB_DEVICE, self->device);
  g_free (self->name);
  g_free (self->key);
  g_free (self->problem);
  g_free (self->used_by);

  G_OBJECT_CLASS (hangar_usb_device_parent_class)->finalize (object);
}

static void
hangar_usb_device_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HangarUsbDevice *self = HANGAR_USB_DEVICE (object);

  switch (prop_id)
    {
    case DEV_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case DEV_PROP_REDIRECTED:
      g_value_set_boolean (value, self->redirected);
      break;
    case DEV_PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case DEV_PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case DEV_PROP_USED_BY:
      g_value_set_string (value, self->used_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_usb_device_class_init (HangarUsbDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hangar_usb_device_finalize;
  object_class->get_property = hangar_usb_device_get_property;

  device_properties[DEV_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEV_PROP_REDIRECTED] =
    g_param_spec_boolean ("redirected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  device_properties[DEV_PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  device_properties[DEV_PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  device_properties[DEV_PROP_USED_BY] =
    g_param_spec_string ("used-by", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, DEV_N_PROPS, device_properties);
}

static void
hangar_usb_device_init (HangarUsbDevice *self)
{
}

static HangarUsbDevice *
usb_device_new (SpiceUsbDeviceManager *manager,
                SpiceUsbDevice        *device)
{
  HangarUsbDevice *self = g_object_new (HANGAR_TYPE_USB_DEVICE, NULL);
  /* spice-client-glib formats with (manufacturer, product, vendor ID,
   * product ID, bus, address), every one used (glibc refuses a skipped
   * positional argument): split on a separator no name has. */
  g_autofree char *all = spice_usb_device_get_description (device, "%s\x1f%s\x1f%04x\x1f%04x\x1f%d\x1f%d");
  g_auto(GStrv) parts = g_strsplit (all, "\x1f", -1);
  g_autofree char *name = NULL;

  g_assert (g_strv_length (parts) == 6);
  name = g_strstrip (g_strdup_printf ("%s %s", parts[0], parts[1]));
  self->device = g_boxed_copy (SPICE_TYPE_USB_DEVICE, device);
  self->name = *name ? g_steal_pointer (&name) : spice_usb_device_get_description (device, NULL);
  self->key = g_strdup_printf ("%s-%s", parts[4], parts[5]);
  self->shared_cd = spice_usb_device_manager_is_device_shared_cd (manager, device);
  return self;
}

static void
set_string (char       **field,
            const char  *value,
            GObject     *object,
            GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);
}

static void
set_boolean (gboolean   *field,
             gboolean    value,
             GObject    *object,
             GParamSpec *pspec)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
}

const char *
hangar_usb_device_get_name (HangarUsbDevice *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_DEVICE (self), NULL);
  return self->name;
}

gboolean
hangar_usb_device_get_redirected (HangarUsbDevice *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_DEVICE (self), FALSE);
  return self->redirected;
}

/* Being redirected or given back: the answer is on its way. */
gboolean
hangar_usb_device_get_busy (HangarUsbDevice *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_DEVICE (self), FALSE);
  return self->busy;
}

/* Why the device cannot be redirected into this guest now, for the user;
 * NULL when it can (or is). */
const char *
hangar_usb_device_get_problem (HangarUsbDevice *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_DEVICE (self), NULL);
  return self->problem;
}

/* The name of the other machine whose console has the device, if any. */
const char *
hangar_usb_device_get_used_by (HangarUsbDevice *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_DEVICE (self), NULL);
  return self->used_by;
}

/* A CD image made a USB drive by this console, not a device of the desktop. */
gboolean
hangar_usb_device_get_shared_cd (HangarUsbDevice *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_DEVICE (self), FALSE);
  return self->shared_cd;
}

/* --- the consoles of this process ----------------------------------------- */

struct _HangarSpiceUsb
{
  SpiceUsbDeviceManager *manager;  /* the SPICE session's; NULL without USB support */
  GListStore *devices;             /* HangarUsbDevice, the session's list */
  GPtrArray *channels;             /* the guest's usbredir channels */
  char *owner;                     /* the machine's name, for other consoles */
  guint serial;                    /* tells a finished request whether we are still here */
  guint cds_to_redirect;           /* shared CDs on their way into the list */
  HangarSpiceUsbChanged changed;
  HangarSpiceUsbFailed failed;
  gpointer data;
};

/* Every live console's USB, and what each redirected: device key → the
 * HangarSpiceUsb that has it. */
static GList *consoles;
static GHashTable *in_use;
static guint next_serial = 1;

static HangarUsbDevice *
find_device (HangarSpiceUsb *self,
             SpiceUsbDevice *device,
             guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarUsbDevice) item = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

      if (item->device == device)
        {
          if (position != NULL)
            *position = i;
          return item;  /* the list keeps it */
        }
    }

  return NULL;
}

/* Records in in_use what this console redirected, and forgets what it gave
 * back. */
static void
register_devices (HangarSpiceUsb *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarUsbDevice) item = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

      if (item->shared_cd)
        continue;
      if (item->redirected)
        g_hash_table_replace (in_use, g_strdup (item->key), self);
      else if (g_hash_table_lookup (in_use, item->key) == self)
        g_hash_table_remove (in_use, item->key);
    }
}

static void
refresh_states (HangarSpiceUsb *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarUsbDevice) item = g_list_model_get_item (G_LIST_MODEL (self->devices), i);
      g_autoptr(GError) error = NULL;
      HangarSpiceUsb *holder = item->shared_cd ? NULL : g_hash_table_lookup (in_use, item->key);
      gboolean redirected = self->manager != NULL &&
                            spice_usb_device_manager_is_device_connected (self->manager, item->device);
      const char *problem = NULL;

      if (!redirected && holder != NULL && holder != self)
        problem = NULL;  /* said by used-by */
      else if (!redirected && !item->busy && self->manager != NULL &&
               !spice_usb_device_manager_can_redirect_device (self->manager, item->device, &error))
        problem = error->message;

      set_boolean (&item->redirected, redirected, G_OBJECT (item), device_properties[DEV_PROP_REDIRECTED]);
      set_string (&item->problem, problem, G_OBJECT (item), device_properties[DEV_PROP_PROBLEM]);
      set_string (&item->used_by, !redirected && holder != NULL && holder != self ? holder->owner : NULL,
                  G_OBJECT (item), device_properties[DEV_PROP_USED_BY]);
    }
}

/* Something changed in this console: every console's view follows, as a
 * device this one took or gave back shows in the others. */
static void
changed (HangarSpiceUsb *self)
{
  register_devices (self);
  for (GList *l = consoles; l != NULL; l = l->next)
    {
      HangarSpiceUsb *console = l->data;

      refresh_states (console);
      if (console->changed != NULL)
        console->changed (console->data);
    }
}

static gboolean
still_here (HangarSpiceUsb *self,
            guint           serial)
{
  return g_list_find (consoles, self) != NULL && self->serial == serial;
}

/* --- requests --------------------------------------------------------------- */

typedef struct
{
  HangarSpiceUsb *usb;
  guint serial;
  HangarUsbDevice *device;
  gboolean connect;
} Request;

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (request->connect)
    ok = spice_usb_device_manager_connect_device_finish (SPICE_USB_DEVICE_MANAGER (source), result, &error);
  else
    ok = spice_usb_device_manager_disconnect_device_finish (SPICE_USB_DEVICE_MANAGER (source), result, &error);

  set_boolean (&request->device->busy, FALSE, G_OBJECT (request->device), device_properties[DEV_PROP_BUSY]);
  if (still_here (request->usb, request->serial))
    {
      HangarSpiceUsb *self = request->usb;

      if (!ok && self->failed != NULL)
        self->failed (request->device, error, self->data);
      changed (self);
    }
  g_object_unref (request->device);
  g_free (request);
}

void
hangar_spice_usb_set_redirected (HangarSpiceUsb  *self,
                                 HangarUsbDevice *device,
                                 gboolean         redirected)
{
  Request *request;

  g_return_if_fail (self != NULL);
  g_return_if_fail (HANGAR_IS_USB_DEVICE (device));

  if (self->manager == NULL || device->busy || device->redirected == redirected)
    return;

  request = g_new0 (Request, 1);
  request->usb = self;
  request->serial = self->serial;
  request->device = g_object_ref (device);
  request->connect = redirected;
  set_boolean (&device->busy, TRUE, G_OBJECT (device), device_properties[DEV_PROP_BUSY]);
  if (redirected)
    spice_usb_device_manager_connect_device_async (self->manager, device->device, NULL,
                                                   request_done, request);
  else
    spice_usb_device_manager_disconnect_device_async (self->manager, device->device, NULL,
                                                      request_done, request);
  changed (self);
}

/* --- the manager's signals ---------------------------------------------- */

static void
on_device_added (SpiceUsbDeviceManager *manager,
                 SpiceUsbDevice        *device,
                 HangarSpiceUsb        *self)
{
  g_autoptr(HangarUsbDevice) item = NULL;

  if (find_device (self, device, NULL) != NULL)
    return;
  item = usb_device_new (manager, device);
  g_list_store_append (self->devices, item);
  changed (self);
  /* A CD image the user shared is meant for the guest. */
  if (item->shared_cd && self->cds_to_redirect > 0)
    {
      self->cds_to_redirect--;
      hangar_spice_usb_set_redirected (self, item, TRUE);
    }
}

static void
on_device_removed (SpiceUsbDeviceManager *manager,
                   SpiceUsbDevice        *device,
                   HangarSpiceUsb        *self)
{
  guint position;
  HangarUsbDevice *item = find_device (self, device, &position);

  if (item == NULL)
    return;
  if (g_hash_table_lookup (in_use, item->key) == self)
    g_hash_table_remove (in_use, item->key);
  g_list_store_remove (self->devices, position);
  changed (self);
}

static void
on_device_failed (SpiceUsbDeviceManager *manager,
                  SpiceUsbDevice        *device,
                  GError                *error,
                  HangarSpiceUsb        *self)
{
  HangarUsbDevice *item = find_device (self, device, NULL);

  if (item != NULL && self->failed != NULL)
    self->failed (item, error, self->data);
  changed (self);
}

/* --- the session's part --------------------------------------------------- */

HangarSpiceUsb *
hangar_spice_usb_new (SpiceSession          *spice,
                      GListStore            *devices,
                      const char            *owner,
                      gboolean               auto_redirect,
                      HangarSpiceUsbChanged  changed_func,
                      HangarSpiceUsbFailed   failed_func,
                      gpointer               data)
{
  HangarSpiceUsb *self = g_new0 (HangarSpiceUsb, 1);
  g_autoptr(GError) error = NULL;

  if (in_use == NULL)
    in_use = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->devices = g_object_ref (devices);
  self->channels = g_ptr_array_new ();
  self->owner = g_strdup (owner);
  self->serial = next_serial++;
  self->changed = changed_func;
  self->failed = failed_func;
  self->data = data;
  consoles = g_list_prepend (consoles, self);

  g_list_store_remove_all (devices);
  self->manager = spice_usb_device_manager_get (spice, &error);
  if (self->manager == NULL)
    {
      g_debug ("SPICE: no USB redirection: %s", error->message);
      return self;
    }
  g_object_set (self->manager, "auto-connect", auto_redirect, NULL);
  g_signal_connect (self->manager, "device-added", G_CALLBACK (on_device_added), self);
  g_signal_connect (self->manager, "device-removed", G_CALLBACK (on_device_removed), self);
  g_signal_connect (self->manager, "auto-connect-failed", G_CALLBACK (on_device_failed), self);
  g_signal_connect (self->manager, "device-error", G_CALLBACK (on_device_failed), self);

  {
    g_autoptr(GPtrArray) present = spice_usb_device_manager_get_devices (self->manager);

    for (guint i = 0; i < present->len; i++)
      {
        g_autoptr(HangarUsbDevice) item = usb_device_new (self->manager, present->pdata[i]);

        g_list_store_append (devices, item);
      }
  }
  register_devices (self);
  refresh_states (self);
  return self;
}

void
hangar_spice_usb_free (HangarSpiceUsb *self)
{
  GHashTableIter iter;
  gpointer holder;

  if (self == NULL)
    return;

  consoles = g_list_remove (consoles, self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  /* What this console had is free for the others now. */
  g_hash_table_iter_init (&iter, in_use);
  while (g_hash_table_iter_next (&iter, NULL, &holder))
    if (holder == self)
      g_hash_table_iter_remove (&iter);
  for (GList *l = consoles; l != NULL; l = l->next)
    {
      HangarSpiceUsb *console = l->data;

      refresh_states (console);
      if (console->changed != NULL)
        console->changed (console->data);
    }

  g_list_store_remove_all (self->devices);
  g_object_unref (self->devices);
  g_ptr_array_unref (self->channels);
  g_free (self->owner);
  g_free (self);
}

void
hangar_spice_usb_add_channel (HangarSpiceUsb *self,
                              SpiceChannel   *channel)
{
  g_return_if_fail (self != NULL);

  if (!SPICE_IS_USBREDIR_CHANNEL (channel) || g_ptr_array_find (self->channels, channel, NULL))
    return;
  g_ptr_array_add (self->channels, channel);
  spice_channel_connect (channel);
  changed (self);
}

void
hangar_spice_usb_remove_channel (HangarSpiceUsb *self,
                                 SpiceChannel   *channel)
{
  g_return_if_fail (self != NULL);

  if (g_ptr_array_remove (self->channels, channel))
    changed (self);
}

/* The guest's USB redirection channels: how many devices it can take. */
guint
hangar_spice_usb_get_channels (HangarSpiceUsb *self)
{
  return self != NULL ? self->channels->len : 0;
}

guint
hangar_spice_usb_get_free_channels (HangarSpiceUsb *self)
{
  guint used = 0;
  guint n;

  if (self == NULL)
    return 0;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->devices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HangarUsbDevice) item = g_list_model_get_item (G_LIST_MODEL (self->devices), i);

      used += item->redirected || item->busy;
    }

  return used < self->channels->len ? self->channels->len - used : 0;
}

/**
 * hangar_spice_usb_share_cd:
 * @path: a CD or DVD image (ISO) on this computer
 *
 * Makes a USB CD drive holding @path, and redirects it into the guest as
 * soon as it is listed.
 */
gboolean
hangar_spice_usb_share_cd (HangarSpiceUsb  *self,
                           const char      *path,
                           GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->manager == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("USB redirection is not available in this console."));
      return FALSE;
    }
  if (!spice_usb_device_manager_create_shared_cd_device (self->manager, (char *) path, error))
    return FALSE;
  self->cds_to_redirect++;
  return TRUE;
}

/* Newly plugged devices go to the guest by themselves (while this
 * console's window has the focus, as spice-client-glib does it). */
void
hangar_spice_usb_set_auto_redirect (HangarSpiceUsb *self,
                                    gboolean        auto_redirect)
{
  g_return_if_fail (self != NULL);

  if (self->manager != NULL)
    g_object_set (self->manager, "auto-connect", auto_redirect, NULL);
}
