/* hangar-vm-config-private.h — what the details' workers share with HangarVmConfig.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-vm-config.h"

G_BEGIN_DECLS

/* What a GTask finished by hangar_vm_config_apply_finish() returns. */
typedef struct
{
  HangarApplyFlags flags;
  char            *note;
} ApplyResult;

void _hangar_apply_result_free (ApplyResult *result);

G_END_DECLS
