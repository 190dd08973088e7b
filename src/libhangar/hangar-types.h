/* hangar-types.h — forward declarations and enums shared by every layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HangarApplication       HangarApplication;
typedef struct _HangarConnection        HangarConnection;
typedef struct _HangarConnectionManager HangarConnectionManager;
typedef struct _HangarVm                HangarVm;
typedef struct _HangarWindow            HangarWindow;

typedef enum
{
  HANGAR_CONNECTION_STATE_DISCONNECTED,
  HANGAR_CONNECTION_STATE_CONNECTING,
  HANGAR_CONNECTION_STATE_CONNECTED,
  HANGAR_CONNECTION_STATE_FAILED,
} HangarConnectionState;

/* Mirrors virDomainState so values can be copied straight across. */
typedef enum
{
  HANGAR_VM_STATE_NOSTATE,
  HANGAR_VM_STATE_RUNNING,
  HANGAR_VM_STATE_BLOCKED,
  HANGAR_VM_STATE_PAUSED,
  HANGAR_VM_STATE_SHUTDOWN,
  HANGAR_VM_STATE_SHUTOFF,
  HANGAR_VM_STATE_CRASHED,
  HANGAR_VM_STATE_PMSUSPENDED,
} HangarVmState;

typedef enum
{
  HANGAR_VM_OP_START,
  HANGAR_VM_OP_PAUSE,
  HANGAR_VM_OP_RESUME,
  HANGAR_VM_OP_SHUTDOWN,
  HANGAR_VM_OP_REBOOT,
  HANGAR_VM_OP_RESET,
  HANGAR_VM_OP_FORCE_OFF,
  HANGAR_VM_OP_SAVE,
} HangarVmOp;

G_END_DECLS
