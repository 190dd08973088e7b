/* mini-kms.c — a tiny KMS client for the console tests' guest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests' busybox guest shows a VGA text console: no hardware cursor,
 * and nothing that changes size when a client asks for it. On a guest
 * with a virtio GPU, this takes the display over through the kernel's
 * KMS ioctls, as a compositor would, so that a test can see what QEMU
 * passes on to VNC and SPICE clients:
 *
 *  - a screen of the connector's preferred mode, filled with FILL_COLOUR;
 *    logs "hangar-kms: mode WxH"
 *  - a 64×64 ARGB hardware cursor (cursor_pixel() below) with its hotspot
 *    at (HOT_X, HOT_Y); logs "hangar-kms: cursor set"
 *  - when the preferred mode changes (QEMU's virtio-gpu changes it when a
 *    client asks for another size), the screen is made again at the new
 *    size and "hangar-kms: mode WxH" logged again.
 *
 * The first process to open the card is its DRM master, so the kernel's
 * fbdev console leaves the display to us, and GETCONNECTOR with no mode
 * buffer re-probes the connector: polling it is how we notice hotplug.
 *
 * Only the kernel's DRM interface is used (ioctls on the card), so no
 * library is linked: the structures and ioctl numbers come from the
 * kernel's UAPI headers, which Debian ships in libdrm-dev (drm.h,
 * drm_mode.h, found through pkg-config's libdrm include path).
 *
 * Built with `gcc -static` by make-tiny-guest.sh: the guest has no libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <drm_mode.h>

#define CARD_PATH "/dev/dri/card0"
#define LOG_PATH "/dev/ttyS0"

/* XRGB8888: R 0x33, G 0x66, B 0x99. The test looks for this colour. */
#define FILL_COLOUR 0x00336699u
#define CURSOR_SIZE 64
#define HOT_X 5
#define HOT_Y 7

/* drm_mode_get_connector.connection: the kernel's connector_status_connected
 * (the UAPI headers give the field, not its values). */
#define CONNECTOR_CONNECTED 1

#define MAX_MODES 64

static int log_fd = -1;
static int card = -1;

typedef struct
{
  uint32_t handle;
  uint32_t fb_id;
  uint32_t pitch;
  uint64_t size;
  uint32_t *pixels;
} Buffer;

static void
say (const char *format,
     ...)
{
  char line[512];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (line, sizeof line - 1, format, args);
  va_end (args);
  if (n < 0)
    return;
  if (n > (int) sizeof line - 2)
    n = sizeof line - 2;
  line[n++] = '\n';

  if (log_fd >= 0)
    write (log_fd, "hangar-kms: ", 12), write (log_fd, line, n);
}

static int
drm_ioctl (unsigned long request,
           void         *arg)
{
  int ret;

  do
    ret = ioctl (card, request, arg);
  while (ret < 0 && (errno == EINTR || errno == EAGAIN));

  return ret;
}

static void
sleep_ms (long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* The first connected connector and its preferred mode (or its first,
 * which the kernel sorts first among equals). */
static int
find_output (uint32_t                 *connector_id,
             uint32_t                 *encoder_id,
             struct drm_mode_modeinfo *mode)
{
  struct drm_mode_card_res res = { 0 };
  uint32_t connectors[8];

  if (drm_ioctl (DRM_IOCTL_MODE_GETRESOURCES, &res) < 0)
    return -1;
  if (res.count_connectors > 8)
    res.count_connectors = 8;
  res.connector_id_ptr = (uintptr_t) connectors;
  res.count_fbs = res.count_crtcs = res.count_encoders = 0;
  if (drm_ioctl (DRM_IOCTL_MODE_GETRESOURCES, &res) < 0)
    return -1;

  for (uint32_t i = 0; i < res.count_connectors && i < 8; i++)
    {
      struct drm_mode_get_connector conn = { .connector_id = connectors[i] };
      struct drm_mode_modeinfo modes[MAX_MODES];
      uint32_t count;

      /* No mode buffer: the kernel probes the connector afresh. */
      if (drm_ioctl (DRM_IOCTL_MODE_GETCONNECTOR, &conn) < 0)
        continue;
      if (conn.connection != CONNECTOR_CONNECTED || conn.count_modes == 0)
        continue;

      count = conn.count_modes < MAX_MODES ? conn.count_modes : MAX_MODES;
      memset (&conn, 0, sizeof conn);
      conn.connector_id = connectors[i];
      conn.count_modes = count;
      conn.modes_ptr = (uintptr_t) modes;
      if (drm_ioctl (DRM_IOCTL_MODE_GETCONNECTOR, &conn) < 0)
        continue;
      if (conn.count_modes < count)
        count = conn.count_modes;
      if (count == 0)
        continue;

      *mode = modes[0];
      for (uint32_t m = 0; m < count; m++)
        if (modes[m].type & DRM_MODE_TYPE_PREFERRED)
          {
            *mode = modes[m];
            break;
          }
      *connector_id = connectors[i];
      *encoder_id = conn.encoder_id;
      return 0;
    }

  return -1;
}

/* The CRTC behind the connector's encoder, or the first one it may use. */
static int
find_crtc (uint32_t  encoder_id,
           uint32_t *crtc_id)
{
  struct drm_mode_get_encoder enc = { .encoder_id = encoder_id };
  struct drm_mode_card_res res = { 0 };
  uint32_t crtcs[8];

  if (encoder_id != 0 && drm_ioctl (DRM_IOCTL_MODE_GETENCODER, &enc) == 0 && enc.crtc_id != 0)
    {
      *crtc_id = enc.crtc_id;
      return 0;
    }

  if (drm_ioctl (DRM_IOCTL_MODE_GETRESOURCES, &res) < 0 || res.count_crtcs == 0)
    return -1;
  if (res.count_crtcs > 8)
    res.count_crtcs = 8;
  res.crtc_id_ptr = (uintptr_t) crtcs;
  res.count_fbs = res.count_connectors = res.count_encoders = 0;
  if (drm_ioctl (DRM_IOCTL_MODE_GETRESOURCES, &res) < 0)
    return -1;

  for (uint32_t i = 0; i < res.count_crtcs && i < 8; i++)
    if (encoder_id == 0 || (enc.possible_crtcs & (1u << i)))
      {
        *crtc_id = crtcs[i];
        return 0;
      }

  return -1;
}

static void
buffer_destroy (Buffer *buffer)
{
  struct drm_mode_destroy_dumb destroy = { .handle = buffer->handle };

  if (buffer->pixels != NULL)
    munmap (buffer->pixels, buffer->size);
  if (buffer->fb_id != 0)
    drm_ioctl (DRM_IOCTL_MODE_RMFB, &buffer->fb_id);
  if (buffer->handle != 0)
    drm_ioctl (DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
  memset (buffer, 0, sizeof *buffer);
}

/* A mapped 32 bpp dumb buffer; with @add_fb, a framebuffer for it too
 * (a cursor is given by its handle). */
static int
buffer_create (Buffer   *buffer,
               uint32_t  width,
               uint32_t  height,
               int       add_fb)
{
  struct drm_mode_create_dumb create = { .width = width, .height = height, .bpp = 32 };
  struct drm_mode_map_dumb map = { 0 };
  void *pixels;

  memset (buffer, 0, sizeof *buffer);
  if (drm_ioctl (DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0)
    {
      say ("create dumb %ux%u failed: %s", width, height, strerror (errno));
      return -1;
    }
  buffer->handle = create.handle;
  buffer->pitch = create.pitch;
  buffer->size = create.size;

  map.handle = create.handle;
  if (drm_ioctl (DRM_IOCTL_MODE_MAP_DUMB, &map) < 0 ||
      (pixels = mmap (NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, card,
                      (off_t) map.offset)) == MAP_FAILED)
    {
      say ("map dumb failed: %s", strerror (errno));
      buffer_destroy (buffer);
      return -1;
    }
  buffer->pixels = pixels;

  if (add_fb)
    {
      struct drm_mode_fb_cmd fb = {
        .width = width, .height = height, .pitch = create.pitch,
        .bpp = 32, .depth = 24, .handle = create.handle,
      };

      if (drm_ioctl (DRM_IOCTL_MODE_ADDFB, &fb) < 0)
        {
          say ("addfb failed: %s", strerror (errno));
          buffer_destroy (buffer);
          return -1;
        }
      buffer->fb_id = fb.fb_id;
    }

  return 0;
}

/* Quarters, so that orientation and channel order both show: top left
 * opaque red, top right opaque green, bottom left opaque blue, bottom
 * right transparent. ARGB8888. */
static uint32_t
cursor_pixel (int x,
              int y)
{
  int half = CURSOR_SIZE / 2;

  if (y < half)
    return x < half ? 0xffff0000u : 0xff00ff00u;
  return x < half ? 0xff0000ffu : 0x00000000u;
}

static int
set_mode (uint32_t                        crtc_id,
          uint32_t                        connector_id,
          const struct drm_mode_modeinfo *mode,
          Buffer                         *screen)
{
  struct drm_mode_crtc crtc = { 0 };
  Buffer next;

  if (buffer_create (&next, mode->hdisplay, mode->vdisplay, 1) < 0)
    return -1;
  for (uint32_t y = 0; y < mode->vdisplay; y++)
    {
      uint32_t *row = (uint32_t *) ((uint8_t *) next.pixels + (size_t) y * next.pitch);

      for (uint32_t x = 0; x < mode->hdisplay; x++)
        row[x] = FILL_COLOUR;
    }

  crtc.crtc_id = crtc_id;
  crtc.fb_id = next.fb_id;
  crtc.set_connectors_ptr = (uintptr_t) &connector_id;
  crtc.count_connectors = 1;
  crtc.mode = *mode;
  crtc.mode_valid = 1;
  if (drm_ioctl (DRM_IOCTL_MODE_SETCRTC, &crtc) < 0)
    {
      say ("setcrtc %ux%u failed: %s", mode->hdisplay, mode->vdisplay, strerror (errno));
      buffer_destroy (&next);
      return -1;
    }

  /* The old screen is off the CRTC now. */
  buffer_destroy (screen);
  *screen = next;
  say ("mode %ux%u", mode->hdisplay, mode->vdisplay);
  return 0;
}

static int
set_cursor (uint32_t  crtc_id,
            Buffer   *cursor)
{
  struct drm_mode_cursor2 arg = { 0 };

  if (buffer_create (cursor, CURSOR_SIZE, CURSOR_SIZE, 0) < 0)
    return -1;
  for (int y = 0; y < CURSOR_SIZE; y++)
    {
      uint32_t *row = (uint32_t *) ((uint8_t *) cursor->pixels + (size_t) y * cursor->pitch);

      for (int x = 0; x < CURSOR_SIZE; x++)
        row[x] = cursor_pixel (x, y);
    }

  arg.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE;
  arg.crtc_id = crtc_id;
  arg.x = 100;
  arg.y = 100;
  arg.width = CURSOR_SIZE;
  arg.height = CURSOR_SIZE;
  arg.handle = cursor->handle;
  arg.hot_x = HOT_X;
  arg.hot_y = HOT_Y;
  if (drm_ioctl (DRM_IOCTL_MODE_CURSOR2, &arg) < 0)
    {
      say ("cursor failed: %s", strerror (errno));
      return -1;
    }

  say ("cursor set %dx%d hot %d,%d", CURSOR_SIZE, CURSOR_SIZE, HOT_X, HOT_Y);
  return 0;
}

int
main (void)
{
  struct drm_mode_modeinfo mode;
  uint32_t connector_id, encoder_id, crtc_id;
  Buffer screen = { 0 }, cursor = { 0 };

  log_fd = open (LOG_PATH, O_WRONLY | O_NOCTTY);

  /* The driver binds a little after its module is loaded. */
  for (int i = 0; i < 150 && card < 0; i++)
    {
      card = open (CARD_PATH, O_RDWR | O_CLOEXEC);
      if (card < 0)
        sleep_ms (200);
    }
  if (card < 0)
    {
      say ("no " CARD_PATH ": %s", strerror (errno));
      return 1;
    }

  /* The connector shows up connected once the host has told the driver
   * about its display. */
  for (int i = 0; i < 150; i++)
    {
      if (find_output (&connector_id, &encoder_id, &mode) == 0)
        break;
      if (i == 149)
        {
          say ("no connected output");
          return 1;
        }
      sleep_ms (200);
    }
  if (find_crtc (encoder_id, &crtc_id) < 0)
    {
      say ("no crtc for connector %u", connector_id);
      return 1;
    }
  say ("connector %u crtc %u", connector_id, crtc_id);

  if (set_mode (crtc_id, connector_id, &mode, &screen) < 0)
    return 1;
  set_cursor (crtc_id, &cursor);

  for (;;)
    {
      struct drm_mode_modeinfo now;
      uint32_t now_connector, now_encoder;

      sleep_ms (200);
      if (find_output (&now_connector, &now_encoder, &now) < 0)
        continue;
      if (now.hdisplay == mode.hdisplay && now.vdisplay == mode.vdisplay)
        continue;
      say ("preferred mode now %ux%u", now.hdisplay, now.vdisplay);
      if (set_mode (crtc_id, now_connector, &now, &screen) == 0)
        mode = now;
      else
        sleep_ms (1000);
    }
}
