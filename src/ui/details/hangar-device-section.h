/* hangar-device-section.h — the details page of a device other than a disk or
 * a network interface: a small form for displays, video, sound and
 * watchdogs, what it is for every other kind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-vm-config.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_DEVICE_SECTION (hangar_device_section_get_type ())

G_DECLARE_FINAL_TYPE (HangarDeviceSection, hangar_device_section, HANGAR, DEVICE_SECTION,
                      AdwPreferencesPage)

HangarDeviceSection  *hangar_device_section_new        (const HangarDeviceSettings *device);
const char           *hangar_device_section_get_id     (HangarDeviceSection        *self);
const char           *hangar_device_section_get_key    (HangarDeviceSection        *self);
const char           *hangar_device_section_get_title  (HangarDeviceSection        *self);
const char           *hangar_device_section_get_icon   (HangarDeviceSection        *self);
HangarVmConfig       *hangar_device_section_get_config (HangarDeviceSection        *self);
void                  hangar_device_section_set_config (HangarDeviceSection        *self,
                                                        HangarVmConfig             *config);
HangarDeviceSettings *hangar_device_section_read       (HangarDeviceSection        *self);
HangarDeviceSettings *hangar_device_section_get_device (HangarDeviceSection        *self);
gboolean              hangar_device_section_is_dirty   (HangarDeviceSection        *self);
gboolean              hangar_device_is_builtin         (const HangarDeviceSettings *device);

G_END_DECLS
