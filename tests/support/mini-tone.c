/* mini-tone.c — a guest program for the console sound tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the tiny test guest (static, no libc beyond the kernel's
 * interface). "mini-tone play" plays a 440 Hz tone, 48 kHz stereo S16,
 * on the first sound card's first PCM, without end; "mini-tone record"
 * opens its capture side and reads without end. Both through the ALSA
 * kernel interface (/dev/snd/pcmC0D0p and …c) and its ioctls, so the
 * guest needs no ALSA library: hw_params with the access, format,
 * channels and rate fixed (the kernel chooses the rest), prepare, then
 * writei/readi, preparing again after an under- or overrun. Each says
 * on the serial port what it does ("hangar-guest: tone playing").
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sound/asound.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RATE     48000
#define CHANNELS 2
#define FRAMES   480   /* 10 ms */

static void
say (const char *what)
{
  FILE *serial = fopen ("/dev/ttyS0", "w");

  if (serial != NULL)
    {
      fprintf (serial, "hangar-guest: %s\n", what);
      fclose (serial);
    }
}

static void
mask_only (struct snd_pcm_hw_params *params,
           int                       which,
           unsigned int              bit)
{
  struct snd_mask *mask = &params->masks[which - SNDRV_PCM_HW_PARAM_FIRST_MASK];

  memset (mask, 0, sizeof *mask);
  mask->bits[bit / 32] = 1u << (bit % 32);
}

static void
interval_only (struct snd_pcm_hw_params *params,
               int                       which,
               unsigned int              value)
{
  struct snd_interval *interval =
    &params->intervals[which - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];

  memset (interval, 0, sizeof *interval);
  interval->min = value;
  interval->max = value;
  interval->integer = 1;
}

static int
open_pcm (const char *path)
{
  struct snd_pcm_hw_params params;
  int fd;

  /* The card's device node appears once its driver has probed. */
  for (int i = 0; i < 300; i++)
    {
      fd = open (path, O_RDWR);
      if (fd >= 0)
        break;
      usleep (100000);
    }
  if (fd < 0)
    return -1;

  memset (&params, 0, sizeof params);
  for (int m = 0; m <= SNDRV_PCM_HW_PARAM_LAST_MASK - SNDRV_PCM_HW_PARAM_FIRST_MASK; m++)
    memset (&params.masks[m], 0xff, sizeof params.masks[m]);
  for (int i = 0; i <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL; i++)
    {
      params.intervals[i].min = 0;
      params.intervals[i].max = ~0u;
    }
  params.rmask = ~0u;
  params.info = ~0u;
  mask_only (&params, SNDRV_PCM_HW_PARAM_ACCESS, SNDRV_PCM_ACCESS_RW_INTERLEAVED);
  mask_only (&params, SNDRV_PCM_HW_PARAM_FORMAT, SNDRV_PCM_FORMAT_S16_LE);
  mask_only (&params, SNDRV_PCM_HW_PARAM_SUBFORMAT, SNDRV_PCM_SUBFORMAT_STD);
  interval_only (&params, SNDRV_PCM_HW_PARAM_CHANNELS, CHANNELS);
  interval_only (&params, SNDRV_PCM_HW_PARAM_RATE, RATE);

  if (ioctl (fd, SNDRV_PCM_IOCTL_HW_PARAMS, &params) < 0
      || ioctl (fd, SNDRV_PCM_IOCTL_PREPARE) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

int
main (int   argc,
      char *argv[])
{
  int record = argc > 1 && strcmp (argv[1], "record") == 0;
  short buffer[FRAMES * CHANNELS];
  unsigned long frame = 0;
  int fd = open_pcm (record ? "/dev/snd/pcmC0D0c" : "/dev/snd/pcmC0D0p");

  if (fd < 0)
    {
      char message[128];

      snprintf (message, sizeof message, "tone could not open the %s side: %s",
                record ? "capture" : "playback", strerror (errno));
      say (message);
      return 1;
    }
  say (record ? "tone recording" : "tone playing");

  for (;;)
    {
      struct snd_xferi transfer = { 0 };

      if (!record)
        for (int i = 0; i < FRAMES; i++, frame++)
          {
            short sample = (short) (8000 * sin (2 * M_PI * 440 * frame / RATE));

            buffer[i * CHANNELS] = sample;
            buffer[i * CHANNELS + 1] = sample;
          }
      transfer.buf = buffer;
      transfer.frames = FRAMES;
      if (ioctl (fd, record ? SNDRV_PCM_IOCTL_READI_FRAMES : SNDRV_PCM_IOCTL_WRITEI_FRAMES,
                 &transfer) < 0)
        {
          if (errno == EPIPE || errno == ESTRPIPE)
            ioctl (fd, SNDRV_PCM_IOCTL_PREPARE);
          else
            usleep (10000);
        }
    }
}
