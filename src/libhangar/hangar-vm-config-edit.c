/* hangar-vm-config-edit.c — each section's change, made to a fresh copy of the definition.
 *
 * Every apply_* gets the inactive XML read in the worker, changes only
 * what differs from the settings, defines it, and makes the change live
 * where the machine runs and libvirt can.
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
#include "hangar-vm-config-private.h"

/**
 * _hangar_config_check_secrets:
 *
 * Refuses to define a whole document that was read without secure XML
 * over a machine with graphics: their passwords would be gone.
 */
gboolean
_hangar_config_check_secrets (Job     *job,
                              GError **error)
{
  if (!job->secrets_hidden)
    return TRUE;
  g_set_error_literal (error, HANGAR_VM_CONFIG_ERROR, HANGAR_VM_CONFIG_ERROR_SECRETS,
                       _("libvirt does not let this connection read the machine’s display "
                         "passwords, and saving this change would remove them. Nothing was "
                         "changed. The name, title, description, autostart, vCPU counts, "
                         "memory sizes and adding or removing most hardware still work; other "
                         "changes need a connection with permission to read secure XML."));
  return FALSE;
}

static void
define (Job          *job,
        xmlDoc       *doc,
        GError      **error)
{
  g_autofree char *xml = NULL;
  virDomainPtr defined;

  if (!_hangar_config_check_secrets (job, error))
    return;
  xml = hangar_xml_dump_doc (doc);

  defined = virDomainDefineXMLFlags (job->base.conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      *error = hangar_libvirt_error_new (_("Could not save the change"));
      return;
    }
  virDomainFree (defined);
}

static void
note_live_failure (ApplyResult *result,
                   const char  *what)
{
  g_autoptr(GError) error = hangar_libvirt_error_new (what);

  result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  g_free (result->note);
  result->note = g_strdup (error->message);
}

gboolean
_hangar_config_apply_overview (Job             *job,
                               virDomainPtr     dom,
                               HangarVmConfig  *current,
                               ApplyResult     *result,
                               GError         **error)
{
  g_auto(HangarOverviewSettings) now = { 0 };
  const HangarOverviewSettings *want = &job->overview;
  gboolean active = hangar_vm_config_is_active (current);
  unsigned int flags = VIR_DOMAIN_AFFECT_CONFIG | (active ? VIR_DOMAIN_AFFECT_LIVE : 0);

  hangar_vm_config_get_overview (current, &now);

  if (!_hangar_config_str_equal (now.name, want->name))
    {
      if (want->name == NULL || *want->name == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("A machine needs a name."));
          return FALSE;
        }
      if (active)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("Shut the machine down to rename it."));
          return FALSE;
        }
    }

  if (!_hangar_config_str_equal (now.title, want->title))
    {
      if (virDomainSetMetadata (dom, VIR_DOMAIN_METADATA_TITLE,
                                want->title && *want->title ? want->title : NULL,
                                NULL, NULL, flags) < 0)
        {
          *error = hangar_libvirt_error_new (_("Could not change the title"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG | (active ? HANGAR_APPLY_LIVE : 0);
    }

  if (!_hangar_config_str_equal (now.description, want->description))
    {
      if (virDomainSetMetadata (dom, VIR_DOMAIN_METADATA_DESCRIPTION,
                                want->description && *want->description ? want->description : NULL,
                                NULL, NULL, flags) < 0)
        {
          *error = hangar_libvirt_error_new (_("Could not change the description"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG | (active ? HANGAR_APPLY_LIVE : 0);
    }

  if (want->os_id != NULL && *want->os_id != '\0'
      && !_hangar_config_str_equal (now.os_id, want->os_id))
    {
      /* libvirt puts the element and its children in the namespace:
       * <libosinfo:libosinfo><libosinfo:os id=…/></libosinfo:libosinfo>,
       * as virt-install writes it. Through the metadata API, not a new
       * definition: the rest of the XML, passwords included, stays. */
      g_autoptr(xmlDoc) doc = xmlNewDoc (BAD_CAST "1.0");
      xmlNode *top = xmlNewDocNode (doc, NULL, BAD_CAST "libosinfo", NULL);
      xmlNode *os = xmlNewChild (top, NULL, BAD_CAST "os", NULL);
      g_autofree char *metadata = NULL;

      xmlDocSetRootElement (doc, top);
      xmlSetProp (os, BAD_CAST "id", BAD_CAST want->os_id);
      metadata = hangar_xml_dump_node (top);
      if (virDomainSetMetadata (dom, VIR_DOMAIN_METADATA_ELEMENT, metadata, "libosinfo",
                                HANGAR_LIBOSINFO_NS_URI, flags) < 0)
        {
          *error = hangar_libvirt_error_new (_("Could not change the operating system"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG | (active ? HANGAR_APPLY_LIVE : 0);
    }

  if (!now.autostart != !want->autostart)
    {
      if (virDomainSetAutostart (dom, want->autostart ? 1 : 0) < 0)
        {
          *error = hangar_libvirt_error_new (_("Could not change autostart"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG;
    }

  /* Last: the other changes were made under the old name. */
  if (!_hangar_config_str_equal (now.name, want->name))
    {
      if (virDomainRename (dom, want->name, 0) < 0)
        {
          *error = hangar_libvirt_error_new (_("Could not rename the machine"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG;
    }
  return TRUE;
}

/* Whether only the vCPU counts differ, which libvirt can change in the
 * definition without it being defined again. */
static gboolean
cpu_counts_only (const HangarCpuSettings *now,
                 const HangarCpuSettings *want)
{
  return now->sockets == want->sockets && now->cores == want->cores
         && now->threads == want->threads
         && _hangar_config_str_equal (now->mode, want->mode)
         && _hangar_config_str_equal (now->model, want->model);
}

/* The counts through the API: the rest of the definition, passwords
 * included, stays as libvirt has it. */
static gboolean
set_cpu_counts (virDomainPtr             dom,
                const HangarCpuSettings *now,
                const HangarCpuSettings *want,
                GError                 **error)
{
  const unsigned int max_flags = VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM;
  gboolean ok;

  /* The current count may never exceed the maximum, at any step. */
  if (want->maximum >= now->maximum)
    ok = virDomainSetVcpusFlags (dom, want->maximum, max_flags) == 0
         && virDomainSetVcpusFlags (dom, want->current, VIR_DOMAIN_AFFECT_CONFIG) == 0;
  else
    ok = virDomainSetVcpusFlags (dom, want->current, VIR_DOMAIN_AFFECT_CONFIG) == 0
         && virDomainSetVcpusFlags (dom, want->maximum, max_flags) == 0;
  if (!ok)
    *error = hangar_libvirt_error_new (_("Could not save the change"));
  return ok;
}

gboolean
_hangar_config_apply_cpu (Job             *job,
                          virDomainPtr     dom,
                          HangarVmConfig  *current,
                          ApplyResult     *result,
                          GError         **error)
{
  g_auto(HangarCpuSettings) now = { 0 };
  g_auto(HangarCpuSettings) live = { 0 };
  HangarCpuSettings *want = &job->cpu;
  xmlNode *root = xmlDocGetRootElement (current->doc);
  xmlNode *vcpu, *cpu;
  gboolean topology = want->sockets || want->cores || want->threads;

  if (want->maximum == 0 || want->current == 0 || want->current > want->maximum)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The current vCPUs must be between 1 and the maximum (%u)."), want->maximum);
      return FALSE;
    }
  if (topology && (guint64) MAX (want->sockets, 1) * MAX (want->cores, 1)
                  * MAX (want->threads, 1) != want->maximum)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Sockets × cores × threads must equal the maximum vCPUs (%u)."),
                   want->maximum);
      return FALSE;
    }
  if (g_strcmp0 (want->mode, "custom") == 0 && (want->model == NULL || *want->model == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Choose a CPU model."));
      return FALSE;
    }

  hangar_vm_config_get_cpu (current, FALSE, &now);
  if (!hangar_cpu_settings_equal (&now, want) && job->secrets_hidden
      && cpu_counts_only (&now, want))
    {
      if (!set_cpu_counts (dom, &now, want, error))
        return FALSE;
      result->flags |= HANGAR_APPLY_CONFIG;
    }
  else if (!hangar_cpu_settings_equal (&now, want))
    {
      vcpu = hangar_xml_ensure_child (root, "vcpu");
      {
        g_autofree char *max = g_strdup_printf ("%u", want->maximum);
        hangar_xml_set_text (vcpu, max);
      }
      if (want->current < want->maximum)
        hangar_xml_set_prop_uint (vcpu, "current", want->current);
      else
        xmlUnsetProp (vcpu, BAD_CAST "current");

      cpu = hangar_xml_child (root, "cpu");
      if (cpu == NULL && (topology || (want->mode && *want->mode)))
        cpu = xmlNewChild (root, NULL, BAD_CAST "cpu", NULL);
      if (cpu != NULL)
        {
          if (!_hangar_config_str_equal (now.mode, want->mode)
              || !_hangar_config_str_equal (now.model, want->model))
            {
              hangar_xml_set_prop (cpu, "mode", want->mode);
              if (g_strcmp0 (want->mode, "custom") == 0)
                {
                  xmlNode *model = hangar_xml_ensure_child (cpu, "model");

                  hangar_xml_set_text (model, want->model);
                  xmlSetProp (model, BAD_CAST "fallback", BAD_CAST "allow");
                  hangar_xml_set_prop (cpu, "match", "exact");
                }
              else
                {
                  hangar_xml_remove_children (cpu, "model");
                  xmlUnsetProp (cpu, BAD_CAST "match");
                }
            }
          if (topology)
            {
              xmlNode *topo = hangar_xml_ensure_child (cpu, "topology");

              hangar_xml_set_prop_uint (topo, "sockets", MAX (want->sockets, 1));
              hangar_xml_set_prop_uint (topo, "dies", 1);
              hangar_xml_set_prop_uint (topo, "cores", MAX (want->cores, 1));
              hangar_xml_set_prop_uint (topo, "threads", MAX (want->threads, 1));
            }
          else
            hangar_xml_remove_children (cpu, "topology");
          if (cpu->children == NULL && cpu->properties == NULL)
            {
              xmlUnlinkNode (cpu);
              xmlFreeNode (cpu);
            }
        }

      define (job, current->doc, error);
      if (*error != NULL)
        return FALSE;
      result->flags |= HANGAR_APPLY_CONFIG;
    }

  if (!hangar_vm_config_is_active (current))
    return TRUE;

  /* A running machine's XML spells out the CPU QEMU got (a default model
   * appears): compare the model with the old definition instead. */
  hangar_vm_config_get_cpu (current, TRUE, &live);
  if (live.maximum != want->maximum || live.sockets != want->sockets
      || live.cores != want->cores || live.threads != want->threads
      || !_hangar_config_str_equal (now.mode, want->mode)
      || (g_strcmp0 (want->mode, "custom") == 0
          && !_hangar_config_str_equal (now.model, want->model)))
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;

  if (live.current != want->current && want->current <= live.maximum)
    {
      if (virDomainSetVcpusFlags (dom, want->current, VIR_DOMAIN_AFFECT_LIVE) < 0)
        note_live_failure (result, _("The vCPU count could not change while the machine runs"));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  else if (live.current != want->current)
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  return TRUE;
}

gboolean
_hangar_config_apply_memory (Job             *job,
                             virDomainPtr     dom,
                             HangarVmConfig  *current,
                             ApplyResult     *result,
                             GError         **error)
{
  HangarMemorySettings now, live;
  HangarMemorySettings *want = &job->memory;
  xmlNode *root = xmlDocGetRootElement (current->doc);

  if (want->maximum_kib < 1024 || want->current_kib < 1024 || want->current_kib > want->maximum_kib)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The current memory must be at least 1 MiB and no more than the maximum."));
      return FALSE;
    }

  hangar_vm_config_get_memory (current, FALSE, &now);
  if ((now.current_kib != want->current_kib || now.maximum_kib != want->maximum_kib)
      && job->secrets_hidden)
    {
      /* Through the API, so the passwords this XML lacks stay; a smaller
       * maximum lowers the current size with it, which is set next. */
      if (virDomainSetMemoryFlags (dom, want->maximum_kib,
                                   VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM) < 0
          || virDomainSetMemoryFlags (dom, want->current_kib, VIR_DOMAIN_AFFECT_CONFIG) < 0)
        {
          *error = hangar_libvirt_error_new (_("Could not save the change"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG;
    }
  else if (now.current_kib != want->current_kib || now.maximum_kib != want->maximum_kib)
    {
      xmlNode *memory = hangar_xml_ensure_child (root, "memory");
      xmlNode *current_memory = hangar_xml_ensure_child (root, "currentMemory");
      g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, want->maximum_kib);
      g_autofree char *cur = g_strdup_printf ("%" G_GUINT64_FORMAT, want->current_kib);

      hangar_xml_set_text (memory, max);
      xmlSetProp (memory, BAD_CAST "unit", BAD_CAST "KiB");
      hangar_xml_set_text (current_memory, cur);
      xmlSetProp (current_memory, BAD_CAST "unit", BAD_CAST "KiB");
      define (job, current->doc, error);
      if (*error != NULL)
        return FALSE;
      result->flags |= HANGAR_APPLY_CONFIG;
    }

  if (!hangar_vm_config_is_active (current))
    return TRUE;

  hangar_vm_config_get_memory (current, TRUE, &live);
  if (live.maximum_kib != want->maximum_kib)
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  if (live.current_kib != want->current_kib)
    {
      if (want->current_kib > live.maximum_kib)
        result->flags |= HANGAR_APPLY_NEEDS_RESTART;
      else if (virDomainSetMemoryFlags (dom, want->current_kib, VIR_DOMAIN_AFFECT_LIVE) < 0)
        note_live_failure (result,
                           _("The balloon could not change the memory while the machine runs"));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  return TRUE;
}

gboolean
_hangar_config_apply_boot (Job             *job,
                           virDomainPtr     dom,
                           HangarVmConfig  *current,
                           ApplyResult     *result,
                           GError         **error)
{
  g_auto(HangarBootSettings) now = { 0 };
  HangarBootSettings *want = &job->boot;
  xmlNode *root = xmlDocGetRootElement (current->doc);
  xmlNode *os = hangar_xml_ensure_child (root, "os");
  g_autoptr(GPtrArray) per_device = NULL;
  xmlNode *anchor;

  hangar_vm_config_get_boot (current, &now);
  if (hangar_boot_settings_equal (&now, want))
    return TRUE;

  for (guint i = 0; want->order && want->order[i]; i++)
    if (!g_strv_contains ((const char * const[]) { "hd", "cdrom", "network", "fd", NULL },
                          want->order[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s” is not a boot device."), want->order[i]);
        return FALSE;
      }

  /* libvirt refuses <os><boot> next to per-device boot order. */
  per_device = hangar_xml_nodes (current->doc, NULL, "/domain/devices/*/boot");
  for (guint i = 0; i < per_device->len; i++)
    {
      xmlNode *n = g_ptr_array_index (per_device, i);

      xmlUnlinkNode (n);
      xmlFreeNode (n);
    }

  hangar_xml_remove_children (os, "boot");
  /* <boot> goes right after <type>/<loader>/<nvram>/kernel bits; libvirt
   * reads it anywhere in <os>, but keep its usual place. */
  anchor = hangar_xml_child (os, "type");
  for (gint i = want->order ? (gint) g_strv_length (want->order) - 1 : -1; i >= 0; i--)
    {
      xmlNode *boot = xmlNewNode (NULL, BAD_CAST "boot");

      xmlSetProp (boot, BAD_CAST "dev", BAD_CAST want->order[i]);
      if (anchor != NULL)
        xmlAddNextSibling (anchor, boot);
      else
        xmlAddChild (os, boot);
    }

  if (want->menu)
    xmlSetProp (hangar_xml_ensure_child (os, "bootmenu"), BAD_CAST "enable", BAD_CAST "yes");
  else
    hangar_xml_remove_children (os, "bootmenu");

  hangar_xml_set_or_remove_text_child (os, "kernel", want->kernel);
  hangar_xml_set_or_remove_text_child (os, "initrd", want->initrd);
  hangar_xml_set_or_remove_text_child (os, "cmdline", want->cmdline);

  define (job, current->doc, error);
  if (*error != NULL)
    return FALSE;
  result->flags |= HANGAR_APPLY_CONFIG;
  if (hangar_vm_config_is_active (current))
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  return TRUE;
}

/* Points @disk's <source> at @path, or empties the drive. */
static gboolean
set_disk_source (xmlNode     *disk,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *type = (char *) xmlGetProp (disk, BAD_CAST "type");
  xmlNode *source = hangar_xml_child (disk, "source");

  if (path == NULL || *path == '\0')
    {
      hangar_xml_remove_children (disk, "source");
      return TRUE;
    }
  if (type != NULL && g_strcmp0 (type, "file") != 0 && g_strcmp0 (type, "block") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This disk’s source is a “%s”: change it in the XML."), type);
      return FALSE;
    }
  if (source == NULL)
    source = xmlNewChild (disk, NULL, BAD_CAST "source", NULL);
  if (g_strcmp0 (type, "block") == 0)
    xmlSetProp (source, BAD_CAST "dev", BAD_CAST path);
  else
    {
      xmlSetProp (disk, BAD_CAST "type", BAD_CAST "file");
      xmlSetProp (source, BAD_CAST "file", BAD_CAST path);
    }
  return TRUE;
}

gboolean
_hangar_config_apply_disk (Job             *job,
                           virDomainPtr     dom,
                           HangarVmConfig  *current,
                           ApplyResult     *result,
                           GError         **error)
{
  HangarDiskSettings *want = job->disk;
  g_autoptr(HangarDiskSettings) now = NULL;
  g_autofree char *expr = NULL;
  xmlNode *disk, *target, *driver;
  gboolean media_only;

  if (!hangar_xml_is_plain_key (want->target))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No such disk."));
      return FALSE;
    }
  expr = g_strdup_printf ("/domain/devices/disk[target/@dev='%s']", want->target);
  disk = hangar_xml_node (current->doc, NULL, expr);
  if (disk == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The machine has no disk %s any more."), want->target);
      return FALSE;
    }

  now = _hangar_config_read_disk (current->doc, disk);
  if (hangar_disk_settings_equal (now, want))
    return TRUE;
  media_only = _hangar_config_str_equal (now->bus, want->bus)
               && _hangar_config_str_equal (now->cache, want->cache)
               && !now->readonly == !want->readonly && !now->shareable == !want->shareable
               && (g_strcmp0 (now->device, "cdrom") == 0 || g_strcmp0 (now->device, "floppy") == 0);

  if (!_hangar_config_str_equal (now->path, want->path)
      && !set_disk_source (disk, want->path, error))
    return FALSE;
  target = hangar_xml_ensure_child (disk, "target");
  if (!_hangar_config_str_equal (now->bus, want->bus))
    {
      hangar_xml_set_prop (target, "bus", want->bus);
      /* The old address belongs to the old bus: let libvirt pick one. */
      hangar_xml_remove_children (disk, "address");
    }
  if (!_hangar_config_str_equal (now->cache, want->cache))
    {
      driver = hangar_xml_child (disk, "driver");
      if (driver == NULL && want->cache && *want->cache)
        {
          driver = xmlNewChild (disk, NULL, BAD_CAST "driver", NULL);
          xmlSetProp (driver, BAD_CAST "name", BAD_CAST "qemu");
        }
      if (driver != NULL)
        hangar_xml_set_prop (driver, "cache", want->cache);
    }
  hangar_xml_set_flag_child (disk, "readonly", want->readonly);
  hangar_xml_set_flag_child (disk, "shareable", want->shareable);

  define (job, current->doc, error);
  if (*error != NULL)
    return FALSE;
  result->flags |= HANGAR_APPLY_CONFIG;

  if (!hangar_vm_config_is_active (current))
    return TRUE;

  if (media_only)
    {
      xmlNode *live_disk = hangar_xml_node (current->live_doc, NULL, expr);
      g_autofree char *device_xml = NULL;
      g_autoptr(GError) local_error = NULL;

      if (live_disk == NULL)
        {
          result->flags |= HANGAR_APPLY_NEEDS_RESTART;
          return TRUE;
        }
      /* The live element knows things the new medium must not inherit. */
      hangar_xml_remove_children (live_disk, "backingStore");
      if (!set_disk_source (live_disk, want->path, &local_error))
        {
          result->flags |= HANGAR_APPLY_NEEDS_RESTART;
          return TRUE;
        }
      device_xml = hangar_xml_dump_node (live_disk);
      if (virDomainUpdateDeviceFlags (dom, device_xml, VIR_DOMAIN_AFFECT_LIVE) < 0)
        note_live_failure (result, _("The medium could not change while the machine runs"));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  else
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  return TRUE;
}

static void
set_link (xmlNode  *iface,
          gboolean  up)
{
  xmlSetProp (hangar_xml_ensure_child (iface, "link"), BAD_CAST "state",
              BAD_CAST (up ? "up" : "down"));
}

gboolean
_hangar_config_apply_nic (Job             *job,
                          virDomainPtr     dom,
                          HangarVmConfig  *current,
                          ApplyResult     *result,
                          GError         **error)
{
  HangarNicSettings *want = job->nic;
  g_autoptr(HangarNicSettings) now = NULL;
  g_autoptr(HangarNicSettings) live = NULL;
  g_autofree char *expr = NULL;
  xmlNode *iface, *live_iface = NULL;

  if (!hangar_xml_is_plain_key (want->mac))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No such network interface."));
      return FALSE;
    }
  expr = g_strdup_printf ("/domain/devices/interface[mac/@address='%s']", want->mac);
  iface = hangar_xml_node (current->doc, NULL, expr);
  if (iface == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The machine has no network interface %s any more."), want->mac);
      return FALSE;
    }

  now = _hangar_config_read_nic (current->doc, iface);
  if (!hangar_nic_settings_equal (now, want))
    {
      if (!_hangar_config_str_equal (now->type, want->type)
          || !_hangar_config_str_equal (now->source, want->source))
        {
          xmlNode *source;

          if (g_strcmp0 (want->type, "network") != 0 && g_strcmp0 (want->type, "bridge") != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only a virtual network or a bridge can be chosen here; "
                             "edit the XML for other kinds."));
              return FALSE;
            }
          if (want->source == NULL || *want->source == '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Name the network or bridge."));
              return FALSE;
            }
          xmlSetProp (iface, BAD_CAST "type", BAD_CAST want->type);
          hangar_xml_remove_children (iface, "source");
          source = xmlNewChild (iface, NULL, BAD_CAST "source", NULL);
          xmlSetProp (source,
                      BAD_CAST (g_strcmp0 (want->type, "network") == 0 ? "network" : "bridge"),
                      BAD_CAST want->source);
        }
      if (!_hangar_config_str_equal (now->model, want->model))
        {
          if (want->model && *want->model)
            xmlSetProp (hangar_xml_ensure_child (iface, "model"), BAD_CAST "type",
                        BAD_CAST want->model);
          else
            hangar_xml_remove_children (iface, "model");
        }
      if (!now->link_up != !want->link_up)
        set_link (iface, want->link_up);

      define (job, current->doc, error);
      if (*error != NULL)
        return FALSE;
      result->flags |= HANGAR_APPLY_CONFIG;
    }

  if (!hangar_vm_config_is_active (current))
    return TRUE;

  live_iface = hangar_xml_node (current->live_doc, NULL, expr);
  if (live_iface == NULL)
    {
      result->flags |= HANGAR_APPLY_NEEDS_RESTART;
      return TRUE;
    }
  live = _hangar_config_read_nic (current->live_doc, live_iface);
  if (!_hangar_config_str_equal (live->type, want->type)
      || !_hangar_config_str_equal (live->source, want->source)
      || !_hangar_config_str_equal (live->model, want->model))
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  if (!live->link_up != !want->link_up)
    {
      g_autofree char *device_xml = NULL;

      set_link (live_iface, want->link_up);
      device_xml = hangar_xml_dump_node (live_iface);
      if (virDomainUpdateDeviceFlags (dom, device_xml, VIR_DOMAIN_AFFECT_LIVE) < 0)
        note_live_failure (result, _("The link state could not change while the machine runs"));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  return TRUE;
}

gboolean
_hangar_config_apply_xml (Job             *job,
                          virDomainPtr     dom,
                          HangarVmConfig  *current,
                          ApplyResult     *result,
                          GError         **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *uuid = NULL;
  xmlNode *root;

  /* @current was read just now in this worker: whatever changed it since
   * the editor was filled (another section, virsh, another client) would
   * be reverted without a word by defining the stale document. */
  if (job->base_xml != NULL && g_strcmp0 (job->base_xml, current->xml) != 0)
    {
      g_set_error_literal (error, HANGAR_VM_CONFIG_ERROR, HANGAR_VM_CONFIG_ERROR_CHANGED,
                           _("The definition changed since you opened it — reload or "
                             "overwrite."));
      return FALSE;
    }

  doc = hangar_xml_parse (job->xml, error);
  if (doc == NULL)
    return FALSE;
  root = xmlDocGetRootElement (doc);
  if (xmlStrcmp (root->name, BAD_CAST "domain") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The XML must describe a <domain>."));
      return FALSE;
    }

  /* Defining XML with another UUID would make a second machine, and XML
   * without one that names another machine would change that one. */
  uuid = hangar_xml_string (doc, NULL, "/domain/uuid");
  if (uuid != NULL && g_ascii_strcasecmp (uuid, current->uuid) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The XML has another machine’s UUID (%s); this machine’s is %s."),
                   uuid, current->uuid);
      return FALSE;
    }
  if (uuid == NULL)
    {
      xmlNode *node = xmlNewNode (NULL, BAD_CAST "uuid");

      hangar_xml_set_text (node, current->uuid);
      if (hangar_xml_child (root, "name") != NULL)
        xmlAddNextSibling (hangar_xml_child (root, "name"), node);
      else
        xmlAddChild (root, node);
    }

  define (job, doc, error);
  if (*error != NULL)
    return FALSE;
  result->flags |= HANGAR_APPLY_CONFIG;
  if (hangar_vm_config_is_active (current))
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  return TRUE;
}
