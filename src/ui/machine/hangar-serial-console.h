/* hangar-serial-console.h — a machine's serial console in a terminal (VTE).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libvirt/libvirt.h>
#include <vte/vte.h>

G_BEGIN_DECLS

typedef enum
{
  HANGAR_SERIAL_CONSOLE_STATE_DISCONNECTED,
  HANGAR_SERIAL_CONSOLE_STATE_CONNECTING,
  HANGAR_SERIAL_CONSOLE_STATE_CONNECTED,
} HangarSerialConsoleState;

#define HANGAR_TYPE_SERIAL_CONSOLE_STATE (hangar_serial_console_state_get_type ())
GType hangar_serial_console_state_get_type (void) G_GNUC_CONST;

#define HANGAR_TYPE_SERIAL_CONSOLE (hangar_serial_console_get_type ())

G_DECLARE_FINAL_TYPE (HangarSerialConsole, hangar_serial_console, HANGAR, SERIAL_CONSOLE, GtkWidget)

GtkWidget                *hangar_serial_console_new          (void);
void                      hangar_serial_console_open         (HangarSerialConsole *self,
                                                              virConnectPtr        conn,
                                                              const char          *uuid,
                                                              const char          *dev_name);
void                      hangar_serial_console_take_over    (HangarSerialConsole *self);
gboolean                  hangar_serial_console_get_held_elsewhere (HangarSerialConsole *self);
void                      hangar_serial_console_close        (HangarSerialConsole *self);
HangarSerialConsoleState  hangar_serial_console_get_state    (HangarSerialConsole *self);
const char               *hangar_serial_console_get_dev_name (HangarSerialConsole *self);
VteTerminal              *hangar_serial_console_get_terminal (HangarSerialConsole *self);

char                    **hangar_serial_console_list_devices (const char          *domain_xml,
                                                              GError             **error);

G_END_DECLS
