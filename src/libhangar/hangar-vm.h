/* hangar-vm.h — one virtual machine on a connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"
#include "hangar-enums.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_VM (hangar_vm_get_type ())

G_DECLARE_FINAL_TYPE (HangarVm, hangar_vm, HANGAR, VM, GObject)

/* Rates for the details' I/O graphs, in KiB per second. */
typedef enum
{
  HANGAR_VM_IO_DISK_READ,
  HANGAR_VM_IO_DISK_WRITE,
  HANGAR_VM_IO_NET_RX,
  HANGAR_VM_IO_NET_TX,
  HANGAR_VM_N_IO,
} HangarVmIo;

typedef struct
{
  char     *target;    /* vda, sdb, … */
  char     *device;    /* disk, cdrom, floppy, lun */
  char     *path;      /* file, block device or pool/volume; NULL for an empty CD */
  gboolean  readonly;
  gboolean  shareable;
  gboolean  in_pool;   /* libvirt knows it as a storage volume */
  gboolean  block;     /* a block device or logical volume */
  char    **used_by;   /* other machines that need it (or its chain), or NULL */
} HangarDiskInfo;

void              hangar_disk_info_free      (HangarDiskInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDiskInfo, hangar_disk_info_free)

HangarConnection *hangar_vm_get_connection   (HangarVm *self);
const char       *hangar_vm_get_name         (HangarVm *self);
const char       *hangar_vm_get_title        (HangarVm *self);
const char       *hangar_vm_get_description  (HangarVm *self);
const char       *hangar_vm_get_uuid         (HangarVm *self);
int               hangar_vm_get_id           (HangarVm *self);
HangarVmState     hangar_vm_get_state        (HangarVm *self);
const char       *hangar_vm_get_state_label  (HangarVm *self);
const char       *hangar_vm_get_state_icon   (HangarVm *self);
gboolean          hangar_vm_get_persistent   (HangarVm *self);
gboolean          hangar_vm_get_has_managed_save (HangarVm *self);
gboolean          hangar_vm_get_has_graphics (HangarVm *self);
gboolean          hangar_vm_is_active        (HangarVm *self);
double            hangar_vm_get_cpu_percent  (HangarVm *self);
guint64           hangar_vm_get_memory_used  (HangarVm *self);
guint64           hangar_vm_get_memory_total (HangarVm *self);
guint             hangar_vm_get_vcpus        (HangarVm *self);
guint             hangar_vm_get_cpu_history  (HangarVm *self,
                                              float    *out,
                                              guint     max);
guint             hangar_vm_get_memory_history (HangarVm *self,
                                                float    *out,
                                                guint     max);
guint             hangar_vm_get_io_history   (HangarVm   *self,
                                              HangarVmIo  io,
                                              float      *out,
                                              guint       max);
void              hangar_vm_hold_stats       (HangarVm   *self);
void              hangar_vm_release_stats    (HangarVm   *self);
gboolean          hangar_vm_can_run_op       (HangarVm   *self,
                                              HangarVmOp  op);

void              hangar_vm_run_op_async     (HangarVm            *self,
                                              HangarVmOp           op,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean          hangar_vm_run_op_finish    (HangarVm      *self,
                                              GAsyncResult  *result,
                                              GError       **error);
void              hangar_vm_list_disks_async (HangarVm            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray        *hangar_vm_list_disks_finish (HangarVm      *self,
                                               GAsyncResult  *result,
                                               GError       **error);
void              hangar_vm_delete_async     (HangarVm            *self,
                                              const char * const  *storage_paths,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean          hangar_vm_delete_finish    (HangarVm      *self,
                                              GAsyncResult  *result,
                                              GError       **error);

const char       *hangar_vm_op_describe      (HangarVmOp op);

G_END_DECLS
