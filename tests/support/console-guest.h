/* console-guest.h — throw-away libvirt guests for the console tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

typedef enum
{
  CONSOLE_GUEST_VNC,
  CONSOLE_GUEST_SPICE,
} ConsoleGuestGraphics;

/* A display protocol, as the tests name their cases after it. */
typedef struct
{
  ConsoleGuestGraphics graphics;
  const char *name;
} Protocol;

static const Protocol vnc G_GNUC_UNUSED = { CONSOLE_GUEST_VNC, "vnc" };
static const Protocol spice G_GNUC_UNUSED = { CONSOLE_GUEST_SPICE, "spice" };

typedef enum
{
  /* SeaBIOS with no disk: stops at "No bootable device". */
  CONSOLE_GUEST_FIRMWARE,
  /* The same with an xHCI USB controller and two USB redirection
   * channels (SPICE), as the wizard gives a SPICE machine. */
  CONSOLE_GUEST_FIRMWARE_USBREDIR,
  /* A Debian kernel and busybox initramfs echoing tty1 lines to ttyS0. */
  CONSOLE_GUEST_LINUX,
  /* The same with a USB tablet: the absolute pointer path. */
  CONSOLE_GUEST_LINUX_TABLET,
  /* The same with a SPICE agent channel, which the guest's mini-vdagent
   * answers: the SPICE server's (spicevmc) on SPICE, QEMU's own
   * (qemu-vdagent, clipboard on) on VNC. */
  CONSOLE_GUEST_LINUX_AGENT,
  /* The same, its agent saying file transfer is off (SPICE only). */
  CONSOLE_GUEST_LINUX_AGENT_NO_FILES,
  /* The same with a virtio GPU (virtio-vga) that the guest's mini-kms
   * drives: a filled screen, a hardware cursor, and a new mode when a
   * client asks for another size. */
  CONSOLE_GUEST_LINUX_KMS,
  /* The same with an AC97 sound card that the guest's mini-tone plays a
   * tone on and records from, without end; on SPICE, libvirt gives it
   * SPICE audio: the server offers playback and record channels. */
  CONSOLE_GUEST_LINUX_SOUND,
} ConsoleGuestKind;

typedef struct _ConsoleGuest ConsoleGuest;

gboolean      console_guest_available      (char               **why_not);
ConsoleGuest *console_guest_new            (ConsoleGuestGraphics graphics,
                                            ConsoleGuestKind     kind,
                                            GError             **error);
ConsoleGuest *console_guest_new_with_password (ConsoleGuestGraphics graphics,
                                            const char          *password,
                                            GError             **error);
ConsoleGuest *console_guest_adopt_tiny_linux (const char       *name,
                                            GError             **error);
const char   *console_guest_get_name       (ConsoleGuest        *guest);
gboolean      console_guest_start          (ConsoleGuest        *guest,
                                            GError             **error);
gboolean      console_guest_destroy        (ConsoleGuest        *guest,
                                            GError             **error);
int           console_guest_open_graphics  (ConsoleGuest        *guest,
                                            GError             **error);
GdkTexture   *console_guest_screenshot     (ConsoleGuest        *guest,
                                            GError             **error);
char         *console_guest_read_serial    (ConsoleGuest        *guest);
char         *console_guest_monitor        (ConsoleGuest        *guest,
                                            const char          *hmp_command,
                                            GError             **error);
void          console_guest_free           (ConsoleGuest        *guest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConsoleGuest, console_guest_free)

G_END_DECLS
