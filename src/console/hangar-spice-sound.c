/* hangar-spice-sound.c — a SPICE console's sound: the guest's playback,
 * and its microphone only while the user allows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * spice-client-glib plays and records through its SpiceAudio (GStreamer),
 * which attaches itself to every playback and record channel of the
 * session (and opens them), and follows the guest's volume and mute from
 * them. It starts capturing the desktop's microphone when the record
 * channel says "record-start" (the guest opened its capture device):
 * our handler runs first and stops that signal unless the user allows
 * the microphone; allowed later, the start is given to SpiceAudio then,
 * and taking it back gives it a "record-stop". Muting works the same way
 * on the playback channel's "playback-data": while muted, the guest's
 * sound never reaches SpiceAudio (the channel's own "mute" property
 * only reports the guest's state; spice-client-glib ignores writes).
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-spice-sound.h"

struct _HangarSpiceSound
{
  SpicePlaybackChannel  *playback;   /* the session's, while it exists */
  SpiceRecordChannel    *record;
  gboolean               playback_open;
  gboolean               record_wanted;  /* the guest asked to record */
  gboolean               recording;      /* and SpiceAudio was let do it */
  gboolean               emitting;       /* our own record-start/stop */
  int                    record_format;
  int                    record_channels;
  int                    record_rate;
  gboolean               muted;      /* the user's choice */
  gboolean               microphone; /* the user allows recording */
  HangarSpiceSoundNotify changed;
  gpointer               data;
};

HangarSpiceSound *
hangar_spice_sound_new (SpiceSession          *spice,
                        gboolean               muted,
                        gboolean               microphone,
                        HangarSpiceSoundNotify changed,
                        gpointer               data)
{
  HangarSpiceSound *self = g_new0 (HangarSpiceSound, 1);

  self->muted = muted;
  self->microphone = microphone;
  self->changed = changed;
  self->data = data;
  /* Made now, so that it attaches to the audio channels as they come;
   * the session keeps it. */
  if (spice_audio_get (spice, NULL) == NULL)
    g_debug ("SPICE: no audio backend: the guest's sound is not played");
  return self;
}

static void
disconnect_channel (HangarSpiceSound *self,
                    gpointer          channel)
{
  if (channel != NULL)
    g_signal_handlers_disconnect_by_data (channel, self);
}

void
hangar_spice_sound_free (HangarSpiceSound *self)
{
  if (self == NULL)
    return;
  disconnect_channel (self, self->playback);
  disconnect_channel (self, self->record);
  g_free (self);
}

/* Before SpiceAudio's handler: while muted, the sound goes no further. */
static void
on_playback_data (SpicePlaybackChannel *channel,
                  gpointer              data,
                  int                   size,
                  HangarSpiceSound     *self)
{
  if (self->muted)
    g_signal_stop_emission_by_name (channel, "playback-data");
}

static void
on_channel_event (SpiceChannel      *channel,
                  SpiceChannelEvent  event,
                  HangarSpiceSound  *self)
{
  /* Connected to the playback channel only. */
  if (event != SPICE_CHANNEL_OPENED && event != SPICE_CHANNEL_CLOSED
      && event != SPICE_CHANNEL_ERROR_CONNECT && event != SPICE_CHANNEL_ERROR_IO
      && event != SPICE_CHANNEL_ERROR_LINK)
    return;
  self->playback_open = event == SPICE_CHANNEL_OPENED;
  self->changed (self->data);
}

static void
set_recording (HangarSpiceSound *self,
               gboolean          recording)
{
  if (self->recording == recording)
    return;
  self->recording = recording;
  self->changed (self->data);
}

/* Before SpiceAudio's handler (connected after ours): the guest opened its
 * capture device. Passed on only while the microphone is allowed. */
static void
on_record_start (SpiceRecordChannel *channel,
                 int                 format,
                 int                 channels,
                 int                 rate,
                 HangarSpiceSound   *self)
{
  if (!self->emitting)
    {
      self->record_wanted = TRUE;
      self->record_format = format;
      self->record_channels = channels;
      self->record_rate = rate;
    }
  if (!self->microphone)
    {
      g_debug ("SPICE: the guest wants the microphone; not allowed");
      g_signal_stop_emission_by_name (channel, "record-start");
      return;
    }
  set_recording (self, TRUE);
}

static void
on_record_stop (SpiceRecordChannel *channel,
                HangarSpiceSound   *self)
{
  if (!self->emitting)
    self->record_wanted = FALSE;
  set_recording (self, FALSE);
}

/* Takes the session's first playback and record channels; others are
 * not ours. */
void
hangar_spice_sound_add_channel (HangarSpiceSound *self,
                                SpiceChannel     *channel)
{
  if (SPICE_IS_PLAYBACK_CHANNEL (channel) && self->playback == NULL)
    {
      self->playback = SPICE_PLAYBACK_CHANNEL (channel);
      g_signal_connect (channel, "playback-data", G_CALLBACK (on_playback_data), self);
      g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), self);
    }
  else if (SPICE_IS_RECORD_CHANNEL (channel) && self->record == NULL)
    {
      self->record = SPICE_RECORD_CHANNEL (channel);
      g_signal_connect (channel, "record-start", G_CALLBACK (on_record_start), self);
      g_signal_connect (channel, "record-stop", G_CALLBACK (on_record_stop), self);
    }
}

void
hangar_spice_sound_remove_channel (HangarSpiceSound *self,
                                   SpiceChannel     *channel)
{
  if ((gpointer) channel == (gpointer) self->playback)
    {
      disconnect_channel (self, channel);
      self->playback = NULL;
      self->playback_open = FALSE;
    }
  else if ((gpointer) channel == (gpointer) self->record)
    {
      disconnect_channel (self, channel);
      self->record = NULL;
      self->record_wanted = FALSE;
      self->recording = FALSE;
    }
  else
    return;
  self->changed (self->data);
}

void
hangar_spice_sound_set_muted (HangarSpiceSound *self,
                              gboolean          muted)
{
  self->muted = !!muted;
}

void
hangar_spice_sound_set_microphone (HangarSpiceSound *self,
                                   gboolean          allowed)
{
  allowed = !!allowed;
  if (self->microphone == allowed)
    return;
  self->microphone = allowed;
  if (self->record == NULL || !self->record_wanted)
    return;
  /* The guest is recording already: SpiceAudio starts or stops now. */
  self->emitting = TRUE;
  if (allowed)
    g_signal_emit_by_name (self->record, "record-start", self->record_format,
                           self->record_channels, self->record_rate);
  else
    g_signal_emit_by_name (self->record, "record-stop");
  self->emitting = FALSE;
}

gboolean
hangar_spice_sound_get_playing (HangarSpiceSound *self)
{
  return self != NULL && self->playback_open;
}

/* The guest hears the desktop's microphone now. */
gboolean
hangar_spice_sound_get_recording (HangarSpiceSound *self)
{
  return self != NULL && self->recording;
}
