/* hangar-vm-config-private.h — what HangarVmConfig's files and the details' workers share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt/libvirt.h>
#include <osinfo/osinfo.h>

#include "hangar-vm-config.h"
#include "hangar-vm-job-private.h"
#include "hangar-xml.h"

G_BEGIN_DECLS

struct _HangarVmConfig
{
  GObject   parent_instance;

  char     *xml;
  char     *live_xml;
  xmlDoc   *doc;
  xmlDoc   *live_doc;

  char     *uuid;
  char     *hypervisor;
  char     *arch;
  char     *emulator;
  char     *machine_type;
  char     *firmware;
  char     *os_id;
  char     *os_name;
  OsinfoDb *os_db;          /* what the OS chooser searches; NULL until loaded */
  GHashTable *disk_sizes;   /* target → guint64[2]: capacity, allocation; the disks measured */
  char    **cpu_models;
  char    **networks;
  guint64   host_memory_kib;
  guint     host_cpus;
  gboolean  autostart;
  /* Read without VIR_DOMAIN_XML_SECURE: graphics passwords are missing. */
  gboolean  insecure;
};

typedef enum
{
  JOB_LOAD,
  JOB_OVERVIEW,
  JOB_CPU,
  JOB_MEMORY,
  JOB_BOOT,
  JOB_DISK,
  JOB_NIC,
  JOB_DEVICE,
  JOB_XML,
  JOB_CONSOLE,
} JobKind;

typedef struct
{
  HangarVmJob            base;
  JobKind                kind;
  HangarOverviewSettings overview;
  HangarCpuSettings      cpu;
  HangarMemorySettings   memory;
  HangarBootSettings     boot;
  HangarDiskSettings    *disk;
  HangarNicSettings     *nic;
  HangarDeviceSettings  *device;
  char                  *xml;
  char                  *base_xml;  /* the inactive XML an XML edit started from */
  char                  *console;   /* JOB_CONSOLE: "vnc" or "spice" */
  gboolean               remote;    /* JOB_CONSOLE: the machine's host is another one */
  /* The definition read lacks passwords that defining it would remove. */
  gboolean               secrets_hidden;
} Job;

/* What a GTask finished by hangar_vm_config_apply_finish() returns. */
typedef struct
{
  HangarApplyFlags flags;
  char            *note;
} ApplyResult;

void _hangar_apply_result_free (ApplyResult *result);

/* hangar-vm-config.c */
HangarDiskSettings *
_hangar_config_read_disk (xmlDoc *doc,
                          xmlNode *node);
HangarNicSettings *
_hangar_config_read_nic (xmlDoc *doc,
                         xmlNode *node);
gboolean
_hangar_config_str_equal (const char *a,
                          const char *b);

/* hangar-vm-config-console.c: switching the display between VNC and SPICE */
gboolean
_hangar_config_apply_console (Job *job,
                              virDomainPtr dom,
                              HangarVmConfig *current,
                              ApplyResult *result,
                              GError **error);

/* hangar-vm-config-devices.c: the devices other than disks and interfaces */
GPtrArray *
_hangar_config_read_devices (xmlDoc *doc);
gboolean
_hangar_config_apply_device (Job *job,
                             virDomainPtr dom,
                             HangarVmConfig *current,
                             ApplyResult *result,
                             GError **error);

/* hangar-vm-config-edit.c: each section's change to a fresh copy of the definition */
gboolean
_hangar_config_check_secrets (Job *job,
                              GError **error);
gboolean
_hangar_config_apply_boot (Job *job,
                           virDomainPtr dom,
                           HangarVmConfig *current,
                           ApplyResult *result,
                           GError **error);
gboolean
_hangar_config_apply_cpu (Job *job,
                          virDomainPtr dom,
                          HangarVmConfig *current,
                          ApplyResult *result,
                          GError **error);
gboolean
_hangar_config_apply_disk (Job *job,
                           virDomainPtr dom,
                           HangarVmConfig *current,
                           ApplyResult *result,
                           GError **error);
gboolean
_hangar_config_apply_memory (Job *job,
                             virDomainPtr dom,
                             HangarVmConfig *current,
                             ApplyResult *result,
                             GError **error);
gboolean
_hangar_config_apply_nic (Job *job,
                          virDomainPtr dom,
                          HangarVmConfig *current,
                          ApplyResult *result,
                          GError **error);
gboolean
_hangar_config_apply_overview (Job *job,
                               virDomainPtr dom,
                               HangarVmConfig *current,
                               ApplyResult *result,
                               GError **error);
gboolean
_hangar_config_apply_xml (Job *job,
                          virDomainPtr dom,
                          HangarVmConfig *current,
                          ApplyResult *result,
                          GError **error);

G_END_DECLS
