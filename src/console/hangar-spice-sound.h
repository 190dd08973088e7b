/* hangar-spice-sound.h — a SPICE console's sound and microphone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <spice-client.h>

G_BEGIN_DECLS

typedef struct _HangarSpiceSound HangarSpiceSound;

/* Called whenever playback opened or closed, or recording started or stopped. */
typedef void (*HangarSpiceSoundNotify) (gpointer data);

HangarSpiceSound *hangar_spice_sound_new            (SpiceSession          *spice,
                                                     gboolean               muted,
                                                     gboolean               microphone,
                                                     HangarSpiceSoundNotify changed,
                                                     gpointer               data);
void              hangar_spice_sound_free           (HangarSpiceSound      *self);
void              hangar_spice_sound_add_channel    (HangarSpiceSound      *self,
                                                     SpiceChannel          *channel);
void              hangar_spice_sound_remove_channel (HangarSpiceSound      *self,
                                                     SpiceChannel          *channel);
void              hangar_spice_sound_set_muted      (HangarSpiceSound      *self,
                                                     gboolean               muted);
void              hangar_spice_sound_set_microphone (HangarSpiceSound      *self,
                                                     gboolean               allowed);
gboolean          hangar_spice_sound_get_playing    (HangarSpiceSound      *self);
gboolean          hangar_spice_sound_get_recording  (HangarSpiceSound      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarSpiceSound, hangar_spice_sound_free)

G_END_DECLS
