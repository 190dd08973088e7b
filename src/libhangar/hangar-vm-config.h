/* hangar-vm-config.h — a machine's definition, read and changed off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_VM_CONFIG (hangar_vm_config_get_type ())

G_DECLARE_FINAL_TYPE (HangarVmConfig, hangar_vm_config, HANGAR, VM_CONFIG, GObject)

#define HANGAR_VM_CONFIG_ERROR (hangar_vm_config_error_quark ())

/* Why an apply was refused before anything was defined. */
typedef enum
{
  /* The definition is no longer the one an edit started from. */
  HANGAR_VM_CONFIG_ERROR_CHANGED,
  /* Defining the document would drop secrets libvirt did not show. */
  HANGAR_VM_CONFIG_ERROR_SECRETS,
} HangarVmConfigError;

GQuark hangar_vm_config_error_quark (void);

/* What an apply did. */
typedef enum
{
  HANGAR_APPLY_NONE          = 0,
  HANGAR_APPLY_CONFIG        = 1 << 0,  /* the persistent definition changed */
  HANGAR_APPLY_LIVE          = 1 << 1,  /* the running machine changed */
  HANGAR_APPLY_NEEDS_RESTART = 1 << 2,  /* some change waits for the next boot */
} HangarApplyFlags;

typedef struct
{
  char     *name;
  char     *title;
  char     *description;
  gboolean  autostart;
  char     *os_id;      /* the libosinfo id; NULL leaves it as it is */
} HangarOverviewSettings;

typedef struct
{
  guint  current;   /* vCPUs online */
  guint  maximum;   /* vCPUs the machine can have */
  guint  sockets;   /* 0, 0, 0: no topology */
  guint  cores;
  guint  threads;
  char  *mode;      /* "host-passthrough", "host-model", "custom" or NULL (hypervisor default) */
  char  *model;     /* for "custom" */
} HangarCpuSettings;

typedef struct
{
  guint64 current_kib;
  guint64 maximum_kib;
} HangarMemorySettings;

typedef struct
{
  char    **order;    /* "hd", "cdrom", "network", "fd": the devices tried, first first */
  gboolean  menu;
  char     *kernel;   /* direct kernel boot; NULL or "" for none */
  char     *initrd;
  char     *cmdline;
} HangarBootSettings;

typedef struct
{
  char     *target;   /* vda, sdb…: identifies the disk, never changed */
  char     *device;   /* disk, cdrom, floppy (read only here) */
  char     *path;     /* NULL or "" for an empty CD drive */
  char     *bus;      /* virtio, sata, scsi, ide, usb */
  char     *cache;    /* NULL/"" for the hypervisor default, none, writeback, … */
  char     *format;   /* qcow2, raw… (read only here) */
  gboolean  readonly;
  gboolean  shareable;
} HangarDiskSettings;

typedef struct
{
  char     *mac;      /* identifies the interface, never changed */
  char     *type;     /* network, bridge, user, direct… */
  char     *source;   /* the network or bridge name */
  char     *model;    /* virtio, e1000e, rtl8139… */
  gboolean  link_up;
} HangarNicSettings;

/* The devices other than disks and interfaces, in the order they are shown. */
typedef enum
{
  HANGAR_DEVICE_GRAPHICS,
  HANGAR_DEVICE_VIDEO,
  HANGAR_DEVICE_SOUND,
  HANGAR_DEVICE_INPUT,
  HANGAR_DEVICE_SERIAL,
  HANGAR_DEVICE_CONSOLE,
  HANGAR_DEVICE_CHANNEL,
  HANGAR_DEVICE_FILESYSTEM,
  HANGAR_DEVICE_HOSTDEV,
  HANGAR_DEVICE_REDIRDEV,
  HANGAR_DEVICE_TPM,
  HANGAR_DEVICE_RNG,
  HANGAR_DEVICE_WATCHDOG,
  HANGAR_DEVICE_CONTROLLER,
  HANGAR_N_DEVICE_KINDS
} HangarDeviceKind;

typedef struct
{
  HangarDeviceKind  kind;
  char             *key;       /* "graphics-0": the element and its place among its kind */
  char             *xml;       /* the element as read: finds it again, removes it */
  char             *title;     /* “Display SPICE”, “Sound ich9”… (translated) */
  char            **facts;     /* label, value, label, value…: shown, not changed */
  /* What can change; NULL for kinds without the field */
  char             *model;     /* VIDEO, SOUND, WATCHDOG */
  char             *action;    /* WATCHDOG: reset, poweroff, pause… */
  char             *listen;    /* GRAPHICS: the address; "" for none */
  char             *port;      /* GRAPHICS: "" for automatic */
  char             *password;  /* GRAPHICS: "" for none */
} HangarDeviceSettings;

void  hangar_overview_settings_clear (HangarOverviewSettings *s);
void  hangar_cpu_settings_clear      (HangarCpuSettings      *s);
void  hangar_boot_settings_clear     (HangarBootSettings     *s);
void  hangar_disk_settings_free      (HangarDiskSettings     *s);
void  hangar_nic_settings_free       (HangarNicSettings      *s);
void  hangar_device_settings_free    (HangarDeviceSettings   *s);
gboolean hangar_device_kind_editable (HangarDeviceKind        kind);

gboolean hangar_overview_settings_equal (const HangarOverviewSettings *a,
                                         const HangarOverviewSettings *b);
gboolean hangar_cpu_settings_equal      (const HangarCpuSettings      *a,
                                         const HangarCpuSettings      *b);
gboolean hangar_boot_settings_equal     (const HangarBootSettings     *a,
                                         const HangarBootSettings     *b);
gboolean hangar_disk_settings_equal     (const HangarDiskSettings     *a,
                                         const HangarDiskSettings     *b);
gboolean hangar_nic_settings_equal      (const HangarNicSettings      *a,
                                         const HangarNicSettings      *b);
gboolean hangar_device_settings_equal   (const HangarDeviceSettings   *a,
                                         const HangarDeviceSettings   *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDiskSettings, hangar_disk_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarNicSettings, hangar_nic_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDeviceSettings, hangar_device_settings_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HangarOverviewSettings, hangar_overview_settings_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HangarCpuSettings, hangar_cpu_settings_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HangarBootSettings, hangar_boot_settings_clear)

/* Reading */
void            hangar_vm_config_load_async      (HangarVm            *vm,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
HangarVmConfig *hangar_vm_config_load_finish     (HangarVm            *vm,
                                                  GAsyncResult        *result,
                                                  GError             **error);
HangarVmConfig *hangar_vm_config_new_from_xml    (const char          *inactive_xml,
                                                  const char          *live_xml,
                                                  GError             **error);

const char  *hangar_vm_config_get_xml            (HangarVmConfig *self);
const char  *hangar_vm_config_get_live_xml       (HangarVmConfig *self);
gboolean     hangar_vm_config_is_active          (HangarVmConfig *self);
char        *hangar_vm_config_query              (HangarVmConfig *self,
                                                  gboolean        live,
                                                  const char     *xpath);
char        *hangar_vm_config_get_device_xml     (HangarVmConfig *self,
                                                  const char     *xpath);
const char  *hangar_vm_config_get_uuid           (HangarVmConfig *self);
const char  *hangar_vm_config_get_hypervisor     (HangarVmConfig *self);
const char  *hangar_vm_config_get_arch           (HangarVmConfig *self);
const char  *hangar_vm_config_get_emulator       (HangarVmConfig *self);
const char  *hangar_vm_config_get_machine_type   (HangarVmConfig *self);
const char  *hangar_vm_config_get_firmware       (HangarVmConfig *self);
const char  *hangar_vm_config_get_os_id          (HangarVmConfig *self);
const char  *hangar_vm_config_get_os_name        (HangarVmConfig *self);
gpointer     hangar_vm_config_get_os_db          (HangarVmConfig *self);
gboolean     hangar_vm_config_get_disk_size      (HangarVmConfig *self,
                                                  const char     *target,
                                                  guint64        *capacity,
                                                  guint64        *allocation);
guint64      hangar_vm_config_get_host_memory_kib (HangarVmConfig *self);
guint        hangar_vm_config_get_host_cpus      (HangarVmConfig *self);
const char * const *hangar_vm_config_get_cpu_models (HangarVmConfig *self);
const char * const *hangar_vm_config_get_networks   (HangarVmConfig *self);

void         hangar_vm_config_get_overview       (HangarVmConfig         *self,
                                                  HangarOverviewSettings *out);
void         hangar_vm_config_get_cpu            (HangarVmConfig         *self,
                                                  gboolean                live,
                                                  HangarCpuSettings      *out);
void         hangar_vm_config_get_memory         (HangarVmConfig         *self,
                                                  gboolean                live,
                                                  HangarMemorySettings   *out);
void         hangar_vm_config_get_boot           (HangarVmConfig         *self,
                                                  HangarBootSettings     *out);
GPtrArray   *hangar_vm_config_get_disks          (HangarVmConfig         *self,
                                                  gboolean                live);
GPtrArray   *hangar_vm_config_get_nics           (HangarVmConfig         *self,
                                                  gboolean                live);
GPtrArray   *hangar_vm_config_get_devices        (HangarVmConfig         *self);

char    *hangar_vm_config_switch_console_xml (const char  *domain_xml,
                                              const char  *protocol,
                                              gboolean     remote,
                                              gboolean     qemu_vdagent,
                                              gboolean    *changed,
                                              GError     **error);

/* Changing: each compares with the current definition, read again in the
 * worker, and changes only what differs. */
void     hangar_vm_config_set_overview_async (HangarVm                     *vm,
                                              const HangarOverviewSettings *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_cpu_async      (HangarVm                     *vm,
                                              const HangarCpuSettings      *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_memory_async   (HangarVm                     *vm,
                                              const HangarMemorySettings   *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_boot_async     (HangarVm                     *vm,
                                              const HangarBootSettings     *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_disk_async     (HangarVm                     *vm,
                                              const HangarDiskSettings     *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_nic_async      (HangarVm                     *vm,
                                              const HangarNicSettings      *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_device_async   (HangarVm                     *vm,
                                              const HangarDeviceSettings   *settings,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_define_xml_async   (HangarVm                     *vm,
                                              const char                   *xml,
                                              const char                   *base_xml,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
void     hangar_vm_config_set_console_async  (HangarVm                     *vm,
                                              const char                   *protocol,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
gboolean hangar_vm_config_apply_finish       (HangarVm                     *vm,
                                              GAsyncResult                 *result,
                                              HangarApplyFlags             *out_flags,
                                              char                        **out_note,
                                              GError                      **error);

G_END_DECLS
