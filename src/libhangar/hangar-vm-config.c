/* hangar-vm-config.c — a machine's definition, read and changed off the main thread.
 *
 * Reads go to a worker that takes its own reference to the connection,
 * looks the domain up by UUID and gives everything back in the worker:
 * the main thread never waits on the daemon.
 *
 * Changes are made to a fresh copy of the inactive XML read in the worker
 * (never to what a form loaded minutes ago), then defined; where the
 * machine runs and libvirt can, the same change is made live with the
 * dedicated call (vCPUs, balloon, CD media, link state).
 *
 * The XML is handled with libxml2: libvirt-gconfig 4.0 has no accessors
 * for several elements this page edits (vcpu/@current, the emulator, the
 * CPU model, kernel boot, link state and disk flags), and editing one tree
 * keeps every element libvirt wrote that we do not know about.
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

G_DEFINE_FINAL_TYPE (HangarVmConfig, hangar_vm_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (hangar-vm-config-error-quark, hangar_vm_config_error)

/* --- settings ---------------------------------------------------------------- */

void
hangar_overview_settings_clear (HangarOverviewSettings *s)
{
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->title, g_free);
  g_clear_pointer (&s->description, g_free);
  g_clear_pointer (&s->os_id, g_free);
}

void
hangar_cpu_settings_clear (HangarCpuSettings *s)
{
  g_clear_pointer (&s->mode, g_free);
  g_clear_pointer (&s->model, g_free);
}

void
hangar_boot_settings_clear (HangarBootSettings *s)
{
  g_clear_pointer (&s->order, g_strfreev);
  g_clear_pointer (&s->kernel, g_free);
  g_clear_pointer (&s->initrd, g_free);
  g_clear_pointer (&s->cmdline, g_free);
}

void
hangar_disk_settings_free (HangarDiskSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->target);
  g_free (s->device);
  g_free (s->path);
  g_free (s->bus);
  g_free (s->cache);
  g_free (s->format);
  g_free (s);
}

void
hangar_nic_settings_free (HangarNicSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->mac);
  g_free (s->type);
  g_free (s->source);
  g_free (s->model);
  g_free (s);
}

/* NULL and "" mean the same: nothing set. */
gboolean
_hangar_config_str_equal (const char *a,
                          const char *b)
{
  return g_strcmp0 (a && *a ? a : NULL, b && *b ? b : NULL) == 0;
}

static gboolean
strv_equal (char **a,
            char **b)
{
  guint na = a ? g_strv_length (a) : 0;
  guint nb = b ? g_strv_length (b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

gboolean
hangar_overview_settings_equal (const HangarOverviewSettings *a,
                                const HangarOverviewSettings *b)
{
  return _hangar_config_str_equal (a->name, b->name) && _hangar_config_str_equal (a->title,
                                   b->title)
         && _hangar_config_str_equal (a->description,
                                      b->description) && !a->autostart == !b->autostart
         && _hangar_config_str_equal (a->os_id, b->os_id);
}

gboolean
hangar_cpu_settings_equal (const HangarCpuSettings *a,
                           const HangarCpuSettings *b)
{
  return a->current == b->current && a->maximum == b->maximum
         && a->sockets == b->sockets && a->cores == b->cores && a->threads == b->threads
         && _hangar_config_str_equal (a->mode, b->mode)
         && (g_strcmp0 (a->mode, "custom") != 0 || _hangar_config_str_equal (a->model, b->model));
}

gboolean
hangar_boot_settings_equal (const HangarBootSettings *a,
                            const HangarBootSettings *b)
{
  return strv_equal (a->order, b->order) && !a->menu == !b->menu
         && _hangar_config_str_equal (a->kernel, b->kernel) && _hangar_config_str_equal (a->initrd,
                                      b->initrd)
         && _hangar_config_str_equal (a->cmdline, b->cmdline);
}

gboolean
hangar_disk_settings_equal (const HangarDiskSettings *a,
                            const HangarDiskSettings *b)
{
  return _hangar_config_str_equal (a->target, b->target) && _hangar_config_str_equal (a->path,
                                   b->path)
         && _hangar_config_str_equal (a->bus, b->bus) && _hangar_config_str_equal (a->cache,
                                      b->cache)
         && !a->readonly == !b->readonly && !a->shareable == !b->shareable;
}

gboolean
hangar_nic_settings_equal (const HangarNicSettings *a,
                           const HangarNicSettings *b)
{
  return _hangar_config_str_equal (a->mac, b->mac) && _hangar_config_str_equal (a->type, b->type)
         && _hangar_config_str_equal (a->source, b->source) && _hangar_config_str_equal (a->model,
                                      b->model)
         && !a->link_up == !b->link_up;
}

/* --- the object ---------------------------------------------------------------- */

static void
hangar_vm_config_finalize (GObject *object)
{
  HangarVmConfig *self = HANGAR_VM_CONFIG (object);

  g_free (self->xml);
  g_free (self->live_xml);
  g_clear_pointer (&self->doc, xmlFreeDoc);
  g_clear_pointer (&self->live_doc, xmlFreeDoc);
  g_free (self->uuid);
  g_free (self->hypervisor);
  g_free (self->arch);
  g_free (self->emulator);
  g_free (self->machine_type);
  g_free (self->firmware);
  g_free (self->os_id);
  g_free (self->os_name);
  g_clear_object (&self->os_db);
  g_clear_pointer (&self->disk_sizes, g_hash_table_unref);
  g_strfreev (self->cpu_models);
  g_strfreev (self->networks);

  G_OBJECT_CLASS (hangar_vm_config_parent_class)->finalize (object);
}

static void
hangar_vm_config_class_init (HangarVmConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_vm_config_finalize;
}

static void
hangar_vm_config_init (HangarVmConfig *self)
{
}

/**
 * hangar_vm_config_new_from_xml:
 * @live_xml: (nullable): the running machine's XML
 *
 * Builds a config from XML alone (no host facts): for tests and for the
 * worker. Does no I/O.
 *
 * Returns: (transfer full): the config, or %NULL when @inactive_xml does not parse
 */
HangarVmConfig *
hangar_vm_config_new_from_xml (const char  *inactive_xml,
                               const char  *live_xml,
                               GError     **error)
{
  g_autoptr(HangarVmConfig) self = g_object_new (HANGAR_TYPE_VM_CONFIG, NULL);
  g_autofree char *loader_type = NULL;

  g_return_val_if_fail (inactive_xml != NULL, NULL);

  self->doc = hangar_xml_parse (inactive_xml, error);
  if (self->doc == NULL)
    return NULL;
  self->xml = g_strdup (inactive_xml);
  if (live_xml != NULL)
    {
      self->live_doc = hangar_xml_parse (live_xml, error);
      if (self->live_doc == NULL)
        return NULL;
      self->live_xml = g_strdup (live_xml);
    }

  self->uuid = hangar_xml_string (self->doc, NULL, "/domain/uuid");
  self->hypervisor = hangar_xml_string (self->doc, NULL, "/domain/@type");
  self->arch = hangar_xml_string (self->doc, NULL, "/domain/os/type/@arch");
  self->machine_type = hangar_xml_string (self->doc, NULL, "/domain/os/type/@machine");
  self->emulator = hangar_xml_string (self->doc, NULL, "/domain/devices/emulator");
  self->os_id = hangar_xml_string (self->doc, NULL,
                                   "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id");
  /* Named without the database here; the loading worker names it with it. */
  self->os_name = hangar_os_name_for_id (NULL, self->os_id);

  self->firmware = hangar_xml_string (self->doc, NULL, "/domain/os/@firmware");
  loader_type = hangar_xml_string (self->doc, NULL, "/domain/os/loader/@type");
  if (g_strcmp0 (self->firmware, "efi") == 0 || g_strcmp0 (loader_type, "pflash") == 0)
    {
      g_free (self->firmware);
      self->firmware = g_strdup ("UEFI");
    }
  else
    {
      g_free (self->firmware);
      self->firmware = g_strdup ("BIOS");
    }

  return g_steal_pointer (&self);
}

const char *
hangar_vm_config_get_xml (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->xml;
}

/* Returns: (nullable): the running machine's XML, %NULL when it is off */
const char *
hangar_vm_config_get_live_xml (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->live_xml;
}

gboolean
hangar_vm_config_is_active (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), FALSE);
  return self->live_doc != NULL;
}

/**
 * hangar_vm_config_query:
 * @live: query the running machine's XML instead of the definition
 * @xpath: an XPath expression; the prefix `libosinfo:` is known
 *
 * Returns: (transfer full) (nullable): the string value, %NULL when empty
 */
char *
hangar_vm_config_query (HangarVmConfig *self,
                        gboolean        live,
                        const char     *xpath)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return hangar_xml_string (live ? self->live_doc : self->doc, NULL, xpath);
}

/**
 * hangar_vm_config_get_device_xml:
 * @xpath: selects a device element of the definition
 *
 * Returns: (transfer full) (nullable): the first such element as XML, as
 *   Remove Hardware hands it to libvirt
 */
char *
hangar_vm_config_get_device_xml (HangarVmConfig *self,
                                 const char     *xpath)
{
  g_autoptr(GPtrArray) nodes = NULL;

  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);

  nodes = hangar_xml_nodes (self->doc, NULL, xpath);
  return nodes->len > 0 ? hangar_xml_dump_node (g_ptr_array_index (nodes, 0)) : NULL;
}

const char *
hangar_vm_config_get_uuid (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->uuid;
}

const char *
hangar_vm_config_get_hypervisor (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->hypervisor;
}

const char *
hangar_vm_config_get_arch (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->arch;
}

const char *
hangar_vm_config_get_emulator (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->emulator;
}

const char *
hangar_vm_config_get_machine_type (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->machine_type;
}

/* "BIOS" or "UEFI" */
const char *
hangar_vm_config_get_firmware (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->firmware;
}

/* The libosinfo id virt-install and the wizard record, or %NULL. */
const char *
hangar_vm_config_get_os_id (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->os_id;
}

/* The OS's name (see hangar_os_name_for_id()), or %NULL without an id. */
const char *
hangar_vm_config_get_os_name (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->os_name;
}

/**
 * hangar_vm_config_get_os_db:
 *
 * The osinfo database, read in the worker that loaded the config.
 *
 * Returns: (transfer none) (nullable) (type OsinfoDb): the database, or
 *   %NULL for a config made from XML alone or when it could not be read
 */
gpointer
hangar_vm_config_get_os_db (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->os_db;
}

/**
 * hangar_vm_config_get_disk_size:
 * @target: the disk's target, such as "vda"
 * @capacity: (out) (optional): the size the guest sees, in bytes
 * @allocation: (out) (optional): what it takes on the host, in bytes
 *
 * Returns: whether libvirt could measure the disk when the config was loaded
 */
gboolean
hangar_vm_config_get_disk_size (HangarVmConfig *self,
                                const char     *target,
                                guint64        *capacity,
                                guint64        *allocation)
{
  const guint64 *size;

  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  if (self->disk_sizes == NULL
      || (size = g_hash_table_lookup (self->disk_sizes, target)) == NULL)
    return FALSE;
  if (capacity != NULL)
    *capacity = size[0];
  if (allocation != NULL)
    *allocation = size[1];
  return TRUE;
}

guint64
hangar_vm_config_get_host_memory_kib (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), 0);
  return self->host_memory_kib;
}

guint
hangar_vm_config_get_host_cpus (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), 0);
  return self->host_cpus;
}

/* Returns: (transfer none): the named CPU models the host can run, maybe empty */
const char * const *
hangar_vm_config_get_cpu_models (HangarVmConfig *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->cpu_models ? (const char * const *) self->cpu_models : none;
}

/* Returns: (transfer none): the host's virtual networks, maybe empty */
const char * const *
hangar_vm_config_get_networks (HangarVmConfig *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->networks ? (const char * const *) self->networks : none;
}

void
hangar_vm_config_get_overview (HangarVmConfig         *self,
                               HangarOverviewSettings *out)
{
  g_return_if_fail (HANGAR_IS_VM_CONFIG (self));

  out->name = hangar_xml_string (self->doc, NULL, "/domain/name");
  out->title = hangar_xml_string (self->doc, NULL, "/domain/title");
  out->description = hangar_xml_string (self->doc, NULL, "/domain/description");
  out->autostart = self->autostart;
  out->os_id = g_strdup (self->os_id);
}

static void
read_cpu (xmlDoc            *doc,
          HangarCpuSettings *out)
{
  g_autofree char *mode = NULL;

  out->maximum = hangar_xml_uint (doc, NULL, "/domain/vcpu");
  out->current = hangar_xml_uint (doc, NULL, "/domain/vcpu/@current");
  if (out->current == 0 || out->current > out->maximum)
    out->current = out->maximum;
  out->sockets = hangar_xml_uint (doc, NULL, "/domain/cpu/topology/@sockets");
  out->cores = hangar_xml_uint (doc, NULL, "/domain/cpu/topology/@cores");
  out->threads = hangar_xml_uint (doc, NULL, "/domain/cpu/topology/@threads");
  mode = hangar_xml_string (doc, NULL, "/domain/cpu/@mode");
  out->model = hangar_xml_string (doc, NULL, "/domain/cpu/model");
  if (mode == NULL && out->model != NULL)
    mode = g_strdup ("custom");
  out->mode = g_steal_pointer (&mode);
}

/* @live: the running machine's values (falls back to the definition when off) */
void
hangar_vm_config_get_cpu (HangarVmConfig    *self,
                          gboolean           live,
                          HangarCpuSettings *out)
{
  g_return_if_fail (HANGAR_IS_VM_CONFIG (self));
  read_cpu (live && self->live_doc ? self->live_doc : self->doc, out);
}

/* Memory sizes in the XML carry a unit; libvirt writes KiB but people may not. */
static guint64
read_kib (xmlDoc     *doc,
          const char *element)
{
  g_autofree char *expr = g_strdup_printf ("/domain/%s/@unit", element);
  g_autofree char *unit = hangar_xml_string (doc, NULL, expr);
  g_autofree char *value_expr = g_strdup_printf ("/domain/%s", element);
  guint64 value = hangar_xml_uint (doc, NULL, value_expr);

  if (unit == NULL || g_ascii_strcasecmp (unit, "KiB") == 0 || g_ascii_strcasecmp (unit, "k") == 0)
    return value;
  if (g_ascii_strcasecmp (unit, "b") == 0 || g_ascii_strcasecmp (unit, "bytes") == 0)
    return value / 1024;
  if (g_ascii_strcasecmp (unit, "MiB") == 0 || g_ascii_strcasecmp (unit, "M") == 0)
    return value * 1024;
  if (g_ascii_strcasecmp (unit, "GiB") == 0 || g_ascii_strcasecmp (unit, "G") == 0)
    return value * 1024 * 1024;
  if (g_ascii_strcasecmp (unit, "KB") == 0)
    return value * 1000 / 1024;
  if (g_ascii_strcasecmp (unit, "MB") == 0)
    return value * 1000 * 1000 / 1024;
  if (g_ascii_strcasecmp (unit, "GB") == 0)
    return value * 1000 * 1000 * 1000 / 1024;
  return value;
}

void
hangar_vm_config_get_memory (HangarVmConfig       *self,
                             gboolean              live,
                             HangarMemorySettings *out)
{
  xmlDoc *doc;

  g_return_if_fail (HANGAR_IS_VM_CONFIG (self));

  doc = live && self->live_doc ? self->live_doc : self->doc;
  out->maximum_kib = read_kib (doc, "memory");
  out->current_kib = read_kib (doc, "currentMemory");
  if (out->current_kib == 0)
    out->current_kib = out->maximum_kib;
}

static const char *
boot_dev_for (xmlNode *device)
{
  if (xmlStrcmp (device->name, BAD_CAST "interface") == 0)
    return "network";
  if (xmlStrcmp (device->name, BAD_CAST "disk") == 0)
    {
      g_autofree char *kind = (char *) xmlGetProp (device, BAD_CAST "device");

      if (g_strcmp0 (kind, "cdrom") == 0)
        return "cdrom";
      if (g_strcmp0 (kind, "floppy") == 0)
        return "fd";
      return "hd";
    }
  return NULL;
}

static int
compare_boot_order (gconstpointer a,
                    gconstpointer b)
{
  /* Devices, each with a <boot order='N'/> child. */
  xmlNode *na = hangar_xml_child (*(xmlNode **) a, "boot");
  xmlNode *nb = hangar_xml_child (*(xmlNode **) b, "boot");
  g_autofree char *oa = na ? (char *) xmlGetProp (na, BAD_CAST "order") : NULL;
  g_autofree char *ob = nb ? (char *) xmlGetProp (nb, BAD_CAST "order") : NULL;

  return (int) g_ascii_strtoll (oa ? oa : "0", NULL, 10)
         - (int) g_ascii_strtoll (ob ? ob : "0", NULL, 10);
}

void
hangar_vm_config_get_boot (HangarVmConfig     *self,
                           HangarBootSettings *out)
{
  g_autoptr(GStrvBuilder) order = g_strv_builder_new ();
  g_autoptr(GPtrArray) boots = NULL;
  g_autoptr(GPtrArray) per_device = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (HANGAR_IS_VM_CONFIG (self));

  boots = hangar_xml_nodes (self->doc, NULL, "/domain/os/boot");
  for (guint i = 0; i < boots->len; i++)
    {
      g_autofree char *dev = (char *) xmlGetProp (g_ptr_array_index (boots, i), BAD_CAST "dev");

      if (dev != NULL && g_hash_table_add (seen, (gpointer) g_intern_string (dev)))
        g_strv_builder_add (order, dev);
    }

  /* Per-device <boot order='N'/> instead: the kinds in that order. */
  per_device = hangar_xml_nodes (self->doc, NULL, "/domain/devices/*[boot/@order]/boot");
  for (guint i = 0; i < per_device->len; i++)
    g_ptr_array_index (per_device, i) = ((xmlNode *) g_ptr_array_index (per_device, i))->parent;
  g_ptr_array_sort (per_device, compare_boot_order);
  for (guint i = 0; i < per_device->len; i++)
    {
      xmlNode *device = g_ptr_array_index (per_device, i);
      const char *dev = boot_dev_for (device);
      xmlNode *boot = hangar_xml_child (device, "boot");

      if (boot != NULL && dev != NULL && g_hash_table_add (seen, (gpointer) dev))
        g_strv_builder_add (order, dev);
    }

  out->order = g_strv_builder_end (order);
  out->menu = hangar_xml_exists (self->doc, NULL, "/domain/os/bootmenu[@enable='yes']");
  out->kernel = hangar_xml_string (self->doc, NULL, "/domain/os/kernel");
  out->initrd = hangar_xml_string (self->doc, NULL, "/domain/os/initrd");
  out->cmdline = hangar_xml_string (self->doc, NULL, "/domain/os/cmdline");
}

HangarDiskSettings *
_hangar_config_read_disk (xmlDoc  *doc,
                          xmlNode *node)
{
  HangarDiskSettings *s = g_new0 (HangarDiskSettings, 1);

  s->target = hangar_xml_string (doc, node, "target/@dev");
  s->device = hangar_xml_string (doc, node, "@device");
  if (s->device == NULL)
    s->device = g_strdup ("disk");
  s->path = hangar_xml_string (doc, node, "source/@file|source/@dev|source/@volume|source/@name");
  s->bus = hangar_xml_string (doc, node, "target/@bus");
  s->cache = hangar_xml_string (doc, node, "driver/@cache");
  s->format = hangar_xml_string (doc, node, "driver/@type");
  s->readonly = hangar_xml_exists (doc, node, "readonly");
  s->shareable = hangar_xml_exists (doc, node, "shareable");
  return s;
}

/**
 * hangar_vm_config_get_disks:
 *
 * Returns: (transfer full) (element-type HangarDiskSettings): the disks, in XML order
 */
GPtrArray *
hangar_vm_config_get_disks (HangarVmConfig *self,
                            gboolean        live)
{
  xmlDoc *doc;
  g_autoptr(GPtrArray) nodes = NULL;
  GPtrArray *disks = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_disk_settings_free);

  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), disks);

  doc = live && self->live_doc ? self->live_doc : self->doc;
  nodes = hangar_xml_nodes (doc, NULL, "/domain/devices/disk");
  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (disks, _hangar_config_read_disk (doc, g_ptr_array_index (nodes, i)));
  return disks;
}

/**
 * hangar_vm_config_get_devices:
 *
 * Returns: (transfer full) (element-type HangarDeviceSettings): the
 *   definition's devices other than disks and network interfaces
 */
GPtrArray *
hangar_vm_config_get_devices (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);

  return _hangar_config_read_devices (self->doc);
}

HangarNicSettings *
_hangar_config_read_nic (xmlDoc  *doc,
                         xmlNode *node)
{
  HangarNicSettings *s = g_new0 (HangarNicSettings, 1);
  g_autofree char *link = NULL;

  s->mac = hangar_xml_string (doc, node, "mac/@address");
  s->type = hangar_xml_string (doc, node, "@type");
  s->source = hangar_xml_string (doc, node, "source/@network|source/@bridge|source/@dev");
  s->model = hangar_xml_string (doc, node, "model/@type");
  link = hangar_xml_string (doc, node, "link/@state");
  s->link_up = g_strcmp0 (link, "down") != 0;
  return s;
}

/**
 * hangar_vm_config_get_nics:
 *
 * Returns: (transfer full) (element-type HangarNicSettings): the network interfaces
 */
GPtrArray *
hangar_vm_config_get_nics (HangarVmConfig *self,
                           gboolean        live)
{
  xmlDoc *doc;
  g_autoptr(GPtrArray) nodes = NULL;
  GPtrArray *nics = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_nic_settings_free);

  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), nics);

  doc = live && self->live_doc ? self->live_doc : self->doc;
  nodes = hangar_xml_nodes (doc, NULL, "/domain/devices/interface");
  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (nics, _hangar_config_read_nic (doc, g_ptr_array_index (nodes, i)));
  return nics;
}

