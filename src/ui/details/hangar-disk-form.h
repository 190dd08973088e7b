/* hangar-disk-form.h — the details page of one disk, CD/DVD drive or floppy:
 * its image, bus, cache and sharing, and what libvirt measured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-vm-config.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_DISK_FORM (hangar_disk_form_get_type ())

G_DECLARE_FINAL_TYPE (HangarDiskForm, hangar_disk_form, HANGAR, DISK_FORM, AdwPreferencesPage)

HangarDiskForm     *hangar_disk_form_new        (const HangarDiskSettings *disk,
                                                 gboolean                  local);
const char         *hangar_disk_form_get_id     (HangarDiskForm           *self);
const char         *hangar_disk_form_get_target (HangarDiskForm           *self);
const char         *hangar_disk_form_get_title  (HangarDiskForm           *self);
const char         *hangar_disk_form_get_icon   (HangarDiskForm           *self);
HangarVmConfig     *hangar_disk_form_get_config (HangarDiskForm           *self);
void                hangar_disk_form_set_config (HangarDiskForm           *self,
                                                 HangarVmConfig           *config);
HangarDiskSettings *hangar_disk_form_read       (HangarDiskForm           *self);
gboolean            hangar_disk_form_is_dirty   (HangarDiskForm           *self);

G_END_DECLS
