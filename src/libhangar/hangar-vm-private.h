/* hangar-vm-private.h — what the connection may change on a machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>

#include "hangar-vm.h"

G_BEGIN_DECLS

/* Plain data read in a worker thread, applied on the main thread. */
typedef struct
{
  char         *name;
  char          uuid[VIR_UUID_STRING_BUFLEN];
  int           id;
  int           state;
  gboolean      persistent;
  gboolean      has_managed_save;
  guint         vcpus;
  guint64       memory_total;
  /* Set when the XML was read: */
  gboolean      have_details;
  char         *title;
  char         *description;
  gboolean      has_graphics;
} HangarVmInfo;

void          _hangar_vm_info_free       (HangarVmInfo *info);
HangarVmInfo *_hangar_vm_info_read       (virDomainPtr  dom,
                                          gboolean      with_details);

HangarVm     *_hangar_vm_new             (HangarConnection *connection,
                                          HangarVmInfo     *info);
void          _hangar_vm_apply_info      (HangarVm         *self,
                                          HangarVmInfo     *info,
                                          gboolean          with_state);
void          _hangar_vm_set_state       (HangarVm         *self,
                                          HangarVmState     state,
                                          int               id);
void          _hangar_vm_set_persistent  (HangarVm         *self,
                                          gboolean          persistent);
void          _hangar_vm_set_has_managed_save (HangarVm    *self,
                                               gboolean     has_managed_save);
void          _hangar_vm_emit_removed    (HangarVm         *self);
gboolean      _hangar_vm_stats_held      (HangarVm         *self);
void          _hangar_vm_emit_definition_changed (HangarVm *self);
void          _hangar_vm_push_io_sample  (HangarVm         *self,
                                          gint64            time_us,
                                          guint64           disk_read,
                                          guint64           disk_write,
                                          guint64           net_rx,
                                          guint64           net_tx);
void          _hangar_vm_push_sample     (HangarVm         *self,
                                          gint64            time_us,
                                          guint64           cpu_ns,
                                          gboolean          have_cpu,
                                          guint             vcpus,
                                          guint64           memory_used,
                                          guint64           memory_total);

G_END_DECLS
