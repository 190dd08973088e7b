/* hangar-vm-config-apply.c — the workers: reading the definition and applying changes.
 *
 * Each call takes its own reference to the connection, looks the domain up
 * by UUID in a GTask thread and hands back a HangarVmConfig or an
 * ApplyResult; the main thread never waits on the daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <osinfo/osinfo.h>

#include "hangar-connection-job.h"
#include "hangar-os.h"
#include "hangar-vm-config-private.h"

void
_hangar_apply_result_free (ApplyResult *result)
{
  g_free (result->note);
  g_free (result);
}

static void
job_free (Job *job)
{
  _hangar_vm_job_clear (&job->base);
  hangar_overview_settings_clear (&job->overview);
  hangar_cpu_settings_clear (&job->cpu);
  hangar_boot_settings_clear (&job->boot);
  hangar_disk_settings_free (job->disk);
  hangar_nic_settings_free (job->nic);
  hangar_device_settings_free (job->device);
  g_free (job->xml);
  g_free (job->base_xml);
  g_free (job->console);
  g_free (job);
}

static Job *
job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  return job;
}

/* Each disk's size, as the guest sees it and as it takes room on the host:
 * from the domain (running or not), else from the volume at its path. */
static GHashTable *
measure_disks (virConnectPtr   conn,
               virDomainPtr    dom,
               HangarVmConfig *config)
{
  g_autoptr(GPtrArray) disks = hangar_vm_config_get_disks (config, FALSE);
  GHashTable *sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      HangarDiskSettings *disk = g_ptr_array_index (disks, i);
      virDomainBlockInfo block;
      guint64 *size;

      if (disk->target == NULL || disk->path == NULL || *disk->path == '\0')
        continue;
      size = g_new0 (guint64, 2);
      if (virDomainGetBlockInfo (dom, disk->target, &block, 0) == 0)
        {
          size[0] = block.capacity;
          size[1] = block.allocation;
        }
      else
        {
          virStorageVolPtr vol;
          virStorageVolInfo info;

          virResetLastError ();
          vol = virStorageVolLookupByPath (conn, disk->path);
          if (vol == NULL || virStorageVolGetInfo (vol, &info) < 0)
            {
              virResetLastError ();
              g_clear_pointer (&size, g_free);
            }
          else
            {
              size[0] = info.capacity;
              size[1] = info.allocation;
            }
          if (vol != NULL)
            virStorageVolFree (vol);
        }
      if (size != NULL)
        g_hash_table_insert (sizes, g_strdup (disk->target), size);
    }
  return sizes;
}

/* @out_insecure: set when the XML came without VIR_DOMAIN_XML_SECURE */
static char *
get_xml (virDomainPtr  dom,
         unsigned int  flags,
         gboolean     *out_insecure)
{
  char *xml = NULL;

  *out_insecure = FALSE;
#if HANGAR_TEST_HOOKS
  /* Tests stand in for a user whom libvirt's ACL denies read_secure. */
  if (g_getenv ("HANGAR_TEST_NO_SECURE_XML") == NULL)
#endif
    xml = virDomainGetXMLDesc (dom, flags | VIR_DOMAIN_XML_SECURE);

  /* Secure XML keeps graphics passwords through an edit; a read-only
   * connection may not ask for it. Without it, the caller must not define
   * this XML over a machine with passwords (see secrets_hidden). */
  if (xml == NULL)
    {
      virResetLastError ();
      xml = virDomainGetXMLDesc (dom, flags);
      *out_insecure = TRUE;
    }
  return xml;
}

static HangarVmConfig *
read_config (Job           *job,
             virDomainPtr   dom,
             gboolean       host_facts,
             GError       **error)
{
  g_autoptr(HangarVmConfig) config = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *live_xml = NULL;
  int autostart = 0;
  gboolean insecure = FALSE;
  gboolean live_insecure = FALSE;

  xml = get_xml (dom, VIR_DOMAIN_XML_INACTIVE, &insecure);
  if (xml == NULL)
    {
      *error = hangar_libvirt_error_new (_("Could not read the machine’s definition"));
      return NULL;
    }
  if (virDomainIsActive (dom) == 1)
    {
      live_xml = get_xml (dom, 0, &live_insecure);
      if (live_xml == NULL)
        virResetLastError ();
    }

  config = hangar_vm_config_new_from_xml (xml, live_xml, error);
  if (config == NULL)
    return NULL;
  config->insecure = insecure;

  if (virDomainGetAutostart (dom, &autostart) < 0)
    virResetLastError ();
  config->autostart = autostart != 0;

  if (host_facts)
    {
      virNodeInfo node;
      g_autofree char *caps = NULL;

      if (virNodeGetInfo (job->base.conn, &node) == 0)
        {
          config->host_memory_kib = node.memory;
          config->host_cpus = node.cpus;
        }
      else
        virResetLastError ();

      caps = virConnectGetDomainCapabilities (job->base.conn, config->emulator, config->arch,
                                              config->machine_type, config->hypervisor, 0);
      if (caps != NULL)
        {
          g_autoptr(xmlDoc) doc = hangar_xml_parse (caps, NULL);
          g_autoptr(GPtrArray) models = NULL;
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          if (doc != NULL)
            {
              models = hangar_xml_nodes (doc, NULL, "/domainCapabilities/cpu/mode[@name='custom']"
                                                    "/model[not(@usable='no')]");
              for (guint i = 0; i < models->len; i++)
                {
                  xmlChar *name = xmlNodeGetContent (g_ptr_array_index (models, i));

                  g_strv_builder_add (builder, (const char *) name);
                  xmlFree (name);
                }
            }
          config->cpu_models = g_strv_builder_end (builder);
        }
      else
        virResetLastError ();

      {
        g_autoptr(GError) os_error = NULL;
        OsinfoDb *db = hangar_os_get_db (&os_error);

        if (db == NULL)
          g_debug ("osinfo: %s", os_error->message);
        g_set_object (&config->os_db, db);
        g_free (config->os_name);
        config->os_name = hangar_os_name_for_id (db, config->os_id);
      }
      config->disk_sizes = measure_disks (job->base.conn, dom, config);

      {
        virNetworkPtr *nets = NULL;
        int n = virConnectListAllNetworks (job->base.conn, &nets, 0);
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

        if (n < 0)
          virResetLastError ();
        for (int i = 0; i < n; i++)
          {
            g_strv_builder_add (builder, virNetworkGetName (nets[i]));
            virNetworkFree (nets[i]);
          }
        free (nets);
        config->networks = g_strv_builder_end (builder);
      }
    }

  return g_steal_pointer (&config);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(HangarVmConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  ApplyResult *result;
  virDomainPtr dom;
  gboolean ok = FALSE;

  if ((dom = _hangar_vm_job_lookup_domain (&job->base, &error)) == NULL)
    {
      _hangar_vm_job_done (&job->base, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  config = read_config (job, dom, job->kind == JOB_LOAD, &error);
  if (config == NULL || job->kind == JOB_LOAD)
    {
      _hangar_vm_job_done (&job->base, dom);
      if (config == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_steal_pointer (&config), g_object_unref);
      return;
    }

  /* libvirt leaves passwd= out of XML that is not secure; defining that
   * document would remove every graphics password without a word. */
  job->secrets_hidden = config->insecure
                        && hangar_xml_exists (config->doc, NULL, "/domain/devices/graphics");

  result = g_new0 (ApplyResult, 1);
  switch (job->kind)
    {
    case JOB_OVERVIEW:
      ok = _hangar_config_apply_overview (job, dom, config, result, &error);
      break;
    case JOB_CPU:
      ok = _hangar_config_apply_cpu (job, dom, config, result, &error);
      break;
    case JOB_MEMORY:
      ok = _hangar_config_apply_memory (job, dom, config, result, &error);
      break;
    case JOB_BOOT:
      ok = _hangar_config_apply_boot (job, dom, config, result, &error);
      break;
    case JOB_DISK:
      ok = _hangar_config_apply_disk (job, dom, config, result, &error);
      break;
    case JOB_NIC:
      ok = _hangar_config_apply_nic (job, dom, config, result, &error);
      break;
    case JOB_DEVICE:
      ok = _hangar_config_apply_device (job, dom, config, result, &error);
      break;
    case JOB_XML:
      ok = _hangar_config_apply_xml (job, dom, config, result, &error);
      break;
    case JOB_CONSOLE:
      ok = _hangar_config_apply_console (job, dom, config, result, &error);
      break;
    case JOB_LOAD:
    default:
      g_assert_not_reached ();
    }
  _hangar_vm_job_done (&job->base, dom);

  if (!ok)
    {
      _hangar_apply_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, (GDestroyNotify) _hangar_apply_result_free);
}

static void
run_job (HangarVm            *vm,
         Job                 *job,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  _hangar_vm_job_run (vm, &job->base, (GDestroyNotify) job_free, cancellable, callback, user_data,
                      source_tag, job_thread);
}

/**
 * hangar_vm_config_load_async:
 *
 * Reads the machine's definition, its live XML when it runs, autostart,
 * and the host facts the forms show (memory, CPU models, OS name).
 */
void
hangar_vm_config_load_async (HangarVm            *vm,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_LOAD);
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_load_async);
}

/* Returns: (transfer full): the config */
HangarVmConfig *
hangar_vm_config_load_finish (HangarVm      *vm,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vm), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hangar_vm_config_set_overview_async (HangarVm                     *vm,
                                     const HangarOverviewSettings *settings,
                                     GCancellable                 *cancellable,
                                     GAsyncReadyCallback           callback,
                                     gpointer                      user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_OVERVIEW);
  job->overview.name = g_strdup (settings->name);
  job->overview.title = g_strdup (settings->title);
  job->overview.description = g_strdup (settings->description);
  job->overview.autostart = settings->autostart;
  job->overview.os_id = g_strdup (settings->os_id);
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_set_cpu_async:
 *
 * Sets the vCPU counts, topology and model in the definition; on a running
 * machine, the current count changes live up to the maximum it booted with.
 */
void
hangar_vm_config_set_cpu_async (HangarVm                *vm,
                                const HangarCpuSettings *settings,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_CPU);
  job->cpu = *settings;
  job->cpu.mode = g_strdup (settings->mode);
  job->cpu.model = g_strdup (settings->model);
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_set_memory_async:
 *
 * Sets the memory in the definition; on a running machine the current
 * allocation changes live through the balloon.
 */
void
hangar_vm_config_set_memory_async (HangarVm                   *vm,
                                   const HangarMemorySettings *settings,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_MEMORY);
  job->memory = *settings;
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

void
hangar_vm_config_set_boot_async (HangarVm                 *vm,
                                 const HangarBootSettings *settings,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_BOOT);
  job->boot.order = g_strdupv (settings->order);
  job->boot.menu = settings->menu;
  job->boot.kernel = g_strdup (settings->kernel);
  job->boot.initrd = g_strdup (settings->initrd);
  job->boot.cmdline = g_strdup (settings->cmdline);
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_set_disk_async:
 *
 * Changes the disk @settings->target names. On a running machine a CD or
 * floppy whose only change is its medium gets it live (eject with an
 * empty path); other changes wait for a restart.
 */
void
hangar_vm_config_set_disk_async (HangarVm                 *vm,
                                 const HangarDiskSettings *settings,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_DISK);
  job->disk = g_new0 (HangarDiskSettings, 1);
  job->disk->target = g_strdup (settings->target);
  job->disk->device = g_strdup (settings->device);
  job->disk->path = g_strdup (settings->path);
  job->disk->bus = g_strdup (settings->bus);
  job->disk->cache = g_strdup (settings->cache);
  job->disk->format = g_strdup (settings->format);
  job->disk->readonly = settings->readonly;
  job->disk->shareable = settings->shareable;
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_set_nic_async:
 *
 * Changes the interface with MAC @settings->mac. The link state changes
 * live on a running machine; source and model wait for a restart.
 */
void
hangar_vm_config_set_nic_async (HangarVm                *vm,
                                const HangarNicSettings *settings,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_NIC);
  job->nic = g_new0 (HangarNicSettings, 1);
  job->nic->mac = g_strdup (settings->mac);
  job->nic->type = g_strdup (settings->type);
  job->nic->source = g_strdup (settings->source);
  job->nic->model = g_strdup (settings->model);
  job->nic->link_up = settings->link_up;
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_set_device_async:
 *
 * Changes the fields of the device @settings->key that differ from the
 * definition: a display's address, port and password, a video, sound or
 * watchdog model. They wait for the machine's next start.
 */
void
hangar_vm_config_set_device_async (HangarVm                   *vm,
                                   const HangarDeviceSettings *settings,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (JOB_DEVICE);
  job->device = g_new0 (HangarDeviceSettings, 1);
  job->device->kind = settings->kind;
  job->device->key = g_strdup (settings->key);
  job->device->xml = g_strdup (settings->xml);
  job->device->model = g_strdup (settings->model);
  job->device->action = g_strdup (settings->action);
  job->device->listen = g_strdup (settings->listen);
  job->device->port = g_strdup (settings->port);
  job->device->password = g_strdup (settings->password);
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_define_xml_async:
 *
 * @base_xml: (nullable): the inactive XML the edit started from, as
 *   hangar_vm_config_get_xml() gave it; %NULL overwrites whatever is there
 *
 * Defines @xml as the machine's new definition. libvirt validates it
 * against its schema first: invalid XML changes nothing, and the error
 * says why. XML with another machine's UUID is refused. When the
 * definition is no longer @base_xml, nothing is defined and the error is
 * %HANGAR_VM_CONFIG_ERROR_CHANGED.
 */
void
hangar_vm_config_define_xml_async (HangarVm            *vm,
                                   const char          *xml,
                                   const char          *base_xml,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));
  g_return_if_fail (xml != NULL);

  job = job_new (JOB_XML);
  job->xml = g_strdup (xml);
  job->base_xml = g_strdup (base_xml);
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_set_console_async:
 * @protocol: "vnc" or "spice"
 *
 * Switches the machine's display to @protocol in its definition, with
 * the devices each protocol needs (see
 * hangar_vm_config_switch_console_xml()). A running machine keeps its
 * display until its next boot.
 */
void
hangar_vm_config_set_console_async (HangarVm            *vm,
                                    const char          *protocol,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));
  g_return_if_fail (protocol != NULL);

  job = job_new (JOB_CONSOLE);
  job->console = g_strdup (protocol);
  job->remote = hangar_vm_get_connection (vm) != NULL
                && !hangar_connection_is_local (hangar_vm_get_connection (vm));
  run_job (vm, job, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_apply_finish:
 * @out_flags: (out) (optional): what changed
 * @out_note: (out) (optional) (transfer full): why a live change did not
 *   happen, when it failed (the definition changed all the same)
 *
 * Finishes any of the set/define calls.
 */
gboolean
hangar_vm_config_apply_finish (HangarVm          *vm,
                               GAsyncResult      *result,
                               HangarApplyFlags  *out_flags,
                               char             **out_note,
                               GError           **error)
{
  ApplyResult *res;

  g_return_val_if_fail (g_task_is_valid (result, vm), FALSE);

  res = g_task_propagate_pointer (G_TASK (result), error);
  if (out_flags)
    *out_flags = res ? res->flags : HANGAR_APPLY_NONE;
  if (out_note)
    *out_note = res ? g_steal_pointer (&res->note) : NULL;
  if (res == NULL)
    return FALSE;
  _hangar_apply_result_free (res);
  return TRUE;
}
