/* hangar-machine-window-private.h — what the machine window's files share.
 *
 * hangar-machine-window.c          the object, its pages, following the machine
 * hangar-machine-window-console.c  reaching the display: transports, sessions,
 *                                  passwords, the serial console, the clipboard
 * hangar-machine-window-actions.c  the console.* actions, fullscreen, grab hint
 * hangar-machine-window-files.c    files into the guest: drop, Send Files…, progress
 * hangar-machine-window-usb.c      the USB Devices popover (SPICE)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hangar-console-session.h"
#include "hangar-display.h"
#include "hangar-machine-window.h"
#include "hangar-serial-console.h"
#include "hangar-spice-session.h"
#include "hangar-vm-actions.h"
#include "hangar-vm.h"

G_BEGIN_DECLS

struct _HangarMachineWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *header_revealer;
  AdwViewSwitcherTitle *window_title;
  GtkLabel *name_label;
  AdwViewStack         *view_stack;
  AdwBin               *details_bin;
  GtkStack             *stack;
  GtkOverlay           *console_overlay;
  GtkScrolledWindow    *display_scroller;
  GtkWidget            *paused_label;
  GtkRevealer          *grab_revealer;
  GtkWidget            *disconnected_box;
  GtkLabel             *disconnected_reason;
  AdwStatusPage        *off_page;
  AdwStatusPage        *message_page;
  GtkWidget            *message_button;
  AdwStatusPage        *password_page;
  GtkEditable          *password_row;
  GtkCheckButton       *remember_check;
  GtkWidget            *send_saved_button;

  HangarVm             *vm;
  GSignalGroup         *vm_signals;
  /* The machine left its connection's list: the window waits, following
   * the connection, for a machine with the same UUID to come back. */
  gboolean              vm_gone;
  GSignalGroup         *connection_signals;
  char                 *lost_reason;  /* why the connection dropped */
  HangarVmActions      *vm_actions;
  GSimpleActionGroup   *console_actions;

  HangarDisplay        *display;
  HangarSerialConsole  *serial;
  gboolean              serial_view;  /* the text console is shown */
  HangarConsoleSession *session;
  GSignalGroup         *session_signals;
  GCancellable         *cancellable;
  GArray               *spare_fds;
  gboolean              connecting;

  /* A password the user typed or the keyring gave, for servers whose
   * password we cannot read from the domain's XML. */
  char                 *password;
  gboolean              keyring_tried;
  gboolean              password_typed;  /* self->password came from the user, not the keyring */
  /* Review finding M7: the route to the display is plaintext off this
   * machine. A saved password (keyring or XML) is then held back here
   * until the user sends it, once, as password_once. */
  gboolean              console_plaintext;
  char                 *saved_password;
  char                 *password_once;
  /* The listen address, not the connection's host, the user agreed to. */
  char                 *confirmed_listen;
  gboolean              remember;
  /* The server wants a password: its disconnect is not a failure. */
  gboolean              auth_pending;
  char                 *last_cut_text;
  /* Review finding M6: the clipboard crosses only while this window is
   * the active one. What the guest copied meanwhile waits here for the
   * window's return; a copy on this desktop meanwhile goes then. */
  char                 *pending_guest_text;
  gboolean              desktop_copied_away;

  /* Files into the guest: the SPICE session whose transfers the panel
   * shows, and what arrived since the panel was last empty. */
  HangarSpiceSession   *files_session;
  GtkRevealer          *transfers_revealer;
  GtkLabel             *transfers_title;
  GtkBox               *transfers_list;
  guint                 files_sent;
  char                 *last_sent;

  /* USB redirection: the SPICE session the popover shows. */
  GtkMenuButton        *usb_button;
  HangarSpiceSession   *usb_session;
  GtkLabel             *usb_caption;
  GtkListBox           *usb_list;
  GtkWidget            *usb_share_button;
};

/* hangar-machine-window-console.c */
void     _hangar_machine_window_connect_console     (HangarMachineWindow *self);
void     _hangar_machine_window_disconnect_console  (HangarMachineWindow *self);
void     _hangar_machine_window_show_message        (HangarMachineWindow *self,
                                                     const char          *icon,
                                                     const char          *title,
                                                     const char          *description,
                                                     gboolean             can_retry);
void     _hangar_machine_window_open_serial         (HangarMachineWindow *self);
void     _hangar_machine_window_on_serial_held      (HangarMachineWindow *self);
void     _hangar_machine_window_set_serial_view     (HangarMachineWindow *self,
                                                     gboolean             serial);
void     _hangar_machine_window_update_paused       (HangarMachineWindow *self);
void     _hangar_machine_window_on_session_connected    (HangarMachineWindow *self);
void     _hangar_machine_window_on_session_disconnected (HangarMachineWindow *self,
                                                         const char          *reason);
void     _hangar_machine_window_on_session_error        (HangarMachineWindow *self,
                                                         const GError        *error);
void     _hangar_machine_window_on_session_cut_text     (HangarMachineWindow *self,
                                                         const char          *text);
void     _hangar_machine_window_on_local_clipboard_changed (HangarMachineWindow *self,
                                                            GdkClipboard        *clipboard);
void     _hangar_machine_window_on_active_changed       (HangarMachineWindow *self);
gboolean _hangar_machine_window_get_share_clipboard     (HangarMachineWindow *self);
void     _hangar_machine_window_set_share_clipboard     (HangarMachineWindow *self,
                                                         gboolean             share);
void     _hangar_machine_window_on_password_entered     (HangarMachineWindow *self);
void     _hangar_machine_window_on_send_saved_password  (HangarMachineWindow *self);

/* hangar-machine-window-actions.c */
extern const GActionEntry _hangar_machine_window_console_entries[];
extern const guint        _hangar_machine_window_n_console_entries;
void     _hangar_machine_window_restore_console_choices (HangarMachineWindow *self);
void     _hangar_machine_window_update_sound            (HangarMachineWindow *self);
void     _hangar_machine_window_on_fullscreened (HangarMachineWindow      *self);
void     _hangar_machine_window_on_motion       (GtkEventControllerMotion *controller,
                                                 double                    x,
                                                 double                    y,
                                                 HangarMachineWindow      *self);
void     _hangar_machine_window_on_grabbed      (HangarMachineWindow      *self);
void     _hangar_machine_window_on_vm_error     (HangarMachineWindow      *self,
                                                 const char               *title,
                                                 const GError             *error);
void     _hangar_machine_window_on_vm_message   (HangarMachineWindow      *self,
                                                 const char               *message);

/* hangar-machine-window-files.c */
extern const GActionEntry _hangar_machine_window_files_entries[];
extern const guint        _hangar_machine_window_n_files_entries;
void     _hangar_machine_window_init_files      (HangarMachineWindow *self);
void     _hangar_machine_window_update_files    (HangarMachineWindow *self);

/* hangar-machine-window-usb.c */
extern const GActionEntry _hangar_machine_window_usb_entries[];
extern const guint        _hangar_machine_window_n_usb_entries;
void     _hangar_machine_window_init_usb        (HangarMachineWindow *self);
void     _hangar_machine_window_update_usb      (HangarMachineWindow *self);

/* hangar-machine-window.c */
void     _hangar_machine_window_update_for_state (HangarMachineWindow *self);
void     _hangar_machine_window_reconnect_host   (HangarMachineWindow *self);
void     _hangar_machine_window_update_subtitle  (HangarMachineWindow *self);

G_END_DECLS
