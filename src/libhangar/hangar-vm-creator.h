/* hangar-vm-creator.h — makes a new machine from the wizard's choices, with progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-connection.h"
#include "hangar-domain-spec.h"
#include "hangar-express.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_VM_CREATOR  (hangar_vm_creator_get_type ())
#define HANGAR_VM_CREATOR_ERROR (hangar_vm_creator_error_quark ())

G_DECLARE_FINAL_TYPE (HangarVmCreator, hangar_vm_creator, HANGAR, VM_CREATOR, GObject)

/* The steps, in order; a failure's error code is the step it failed in. */
typedef enum
{
  HANGAR_VM_CREATOR_STEP_PREPARE,
  HANGAR_VM_CREATOR_STEP_POOL,
  HANGAR_VM_CREATOR_STEP_DOWNLOAD,
  HANGAR_VM_CREATOR_STEP_EXPRESS,
  HANGAR_VM_CREATOR_STEP_CONVERT,
  HANGAR_VM_CREATOR_STEP_DISK,
  HANGAR_VM_CREATOR_STEP_NETWORK,
  HANGAR_VM_CREATOR_STEP_DEFINE,
  HANGAR_VM_CREATOR_STEP_START,
} HangarVmCreatorStep;

GQuark           hangar_vm_creator_error_quark    (void);
const char      *hangar_vm_creator_step_describe  (HangarVmCreatorStep  step);

HangarVmCreator *hangar_vm_creator_new            (HangarConnection       *connection,
                                                   const HangarDomainSpec *spec);
void             hangar_vm_creator_set_pool_name  (HangarVmCreator        *self,
                                                   const char             *pool_name);
void             hangar_vm_creator_set_start      (HangarVmCreator        *self,
                                                   gboolean                start);
void             hangar_vm_creator_set_express    (HangarVmCreator           *self,
                                                   const HangarExpressConfig *config);
double           hangar_vm_creator_get_progress   (HangarVmCreator        *self);
const char      *hangar_vm_creator_get_step       (HangarVmCreator        *self);
gboolean         hangar_vm_creator_get_running    (HangarVmCreator        *self);

void             hangar_vm_creator_run_async      (HangarVmCreator        *self,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
char            *hangar_vm_creator_run_finish     (HangarVmCreator        *self,
                                                   GAsyncResult           *result,
                                                   GError                **error);

G_END_DECLS
