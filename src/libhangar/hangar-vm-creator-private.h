/* hangar-vm-creator-private.h — the creator's job and its steps, shared by its files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-vm-creator.h"

G_BEGIN_DECLS

typedef enum
{
  UNDO_VOLUME,  /* a volume, by path */
  UNDO_FILE,    /* a file outside any pool's knowledge */
  UNDO_DOMAIN,  /* a definition, by UUID */
} UndoKind;

typedef struct
{
  HangarVmCreator   *self;        /* only to report progress on the main thread */
  GMainContext      *context;
  virConnectPtr      conn;        /* the runner's, while the worker runs */
  gboolean           ran;         /* the worker started: the handle was there */
  HangarDomainSpec  *spec;
  char              *pool_name;
  gboolean           start;
  gboolean           local;
  HangarExpressConfig *express;   /* nullable: an express install's answers */

  virStoragePoolPtr  pool;
  char              *pool_path;
  GArray            *undo;        /* Undo */
  char              *fail_at;

  /* Progress: each step has a share of the bar. */
  double             weights[HANGAR_VM_CREATOR_STEP_START + 1];
  HangarVmCreatorStep current;
} Job;

void _hangar_vm_creator_job_remember (Job        *job,
                                      UndoKind    kind,
                                      const char *what);

void _hangar_vm_creator_job_forget (Job        *job,
                                    UndoKind    kind,
                                    const char *what);

void _hangar_vm_creator_job_report (Job        *job,
                                    double      fraction,
                                    const char *text);

void _hangar_vm_creator_job_enter (Job                 *job,
                                   HangarVmCreatorStep  step);

gboolean _hangar_vm_creator_job_fail (Job         *job,
                                      GError     **error,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (3, 4);

gboolean _hangar_vm_creator_job_fail_libvirt (Job     *job,
                                              GError **error);

gboolean _hangar_vm_creator_job_check (Job           *job,
                                       GCancellable  *cancellable,
                                       GError       **error);

gboolean _hangar_vm_creator_job_needs_pool (Job *job);

gboolean _hangar_vm_creator_step_inspect (Job           *job,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean _hangar_vm_creator_step_pool (Job           *job,
                                       GCancellable  *cancellable,
                                       GError       **error);

char *_hangar_vm_creator_unique_volume_name (Job        *job,
                                             const char *stem,
                                             const char *ext);

char *_hangar_vm_creator_create_volume (Job     *job,
                                        const char *xml,
                                        GError **error);

gboolean _hangar_vm_creator_step_download (Job           *job,
                                           GCancellable  *cancellable,
                                           GError       **error);

gboolean _hangar_vm_creator_step_express (Job           *job,
                                          GCancellable  *cancellable,
                                          GError       **error);

gboolean _hangar_vm_creator_qemu_img_convert (Job               *job,
                                              const char        *source,
                                              HangarDiskFormat   format,
                                              const char        *target,
                                              GCancellable      *cancellable,
                                              GError           **error);

/* hangar-vm-creator-cloud.c: the cloud image's copy and its seed. */
gboolean _hangar_vm_creator_step_cloud (Job           *job,
                                        GCancellable  *cancellable,
                                        GError       **error);

gboolean _hangar_vm_creator_step_convert (Job           *job,
                                          GCancellable  *cancellable,
                                          GError       **error);

gboolean _hangar_vm_creator_step_disk (Job           *job,
                                       GCancellable  *cancellable,
                                       GError       **error);

gboolean _hangar_vm_creator_step_network (Job           *job,
                                          GCancellable  *cancellable,
                                          GError       **error);

gboolean _hangar_vm_creator_step_define (Job           *job,
                                         GCancellable  *cancellable,
                                         GError       **error);

gboolean _hangar_vm_creator_step_start (Job           *job,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
