/* hangar-spice-usb.h — the desktop's USB devices, redirected into a
 * SPICE guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <spice-client.h>

G_BEGIN_DECLS

#define HANGAR_TYPE_USB_DEVICE (hangar_usb_device_get_type ())

G_DECLARE_FINAL_TYPE (HangarUsbDevice, hangar_usb_device, HANGAR, USB_DEVICE, GObject)

const char *hangar_usb_device_get_name       (HangarUsbDevice *self);
gboolean    hangar_usb_device_get_redirected (HangarUsbDevice *self);
gboolean    hangar_usb_device_get_busy       (HangarUsbDevice *self);
const char *hangar_usb_device_get_problem    (HangarUsbDevice *self);
const char *hangar_usb_device_get_used_by    (HangarUsbDevice *self);
gboolean    hangar_usb_device_get_shared_cd  (HangarUsbDevice *self);

typedef struct _HangarSpiceUsb HangarSpiceUsb;

/* Called when channels, devices or their states changed, and with an
 * error when redirecting a device failed. */
typedef void (*HangarSpiceUsbChanged) (gpointer data);
typedef void (*HangarSpiceUsbFailed)  (HangarUsbDevice *device,
                                       const GError    *error,
                                       gpointer         data);

HangarSpiceUsb *hangar_spice_usb_new            (SpiceSession          *spice,
                                                 GListStore            *devices,
                                                 const char            *owner,
                                                 gboolean               auto_redirect,
                                                 HangarSpiceUsbChanged  changed,
                                                 HangarSpiceUsbFailed   failed,
                                                 gpointer               data);
void            hangar_spice_usb_free           (HangarSpiceUsb        *self);
void            hangar_spice_usb_add_channel    (HangarSpiceUsb        *self,
                                                 SpiceChannel          *channel);
void            hangar_spice_usb_remove_channel (HangarSpiceUsb        *self,
                                                 SpiceChannel          *channel);
guint           hangar_spice_usb_get_channels   (HangarSpiceUsb        *self);
guint           hangar_spice_usb_get_free_channels (HangarSpiceUsb     *self);
void            hangar_spice_usb_set_redirected (HangarSpiceUsb        *self,
                                                 HangarUsbDevice       *device,
                                                 gboolean               redirected);
gboolean        hangar_spice_usb_share_cd       (HangarSpiceUsb        *self,
                                                 const char            *path,
                                                 GError               **error);
void            hangar_spice_usb_set_auto_redirect (HangarSpiceUsb     *self,
                                                 gboolean               auto_redirect);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarSpiceUsb, hangar_spice_usb_free)

G_END_DECLS
