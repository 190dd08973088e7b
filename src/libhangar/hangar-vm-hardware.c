/* hangar-vm-hardware.c — adding devices to a machine and removing them.
 *
 * A device is described by a HangarHardwareSpec, turned into device XML by
 * a pure function (unit-testable), and attached in a worker with
 * virDomainAttachDeviceFlags: to the definition always, and live as well
 * where a running machine can take it without a restart (disks on virtio,
 * SCSI or USB, network interfaces, USB host devices). A new disk's volume
 * is created first and removed again when the attach fails.
 *
 * Removing detaches the device's XML from the definition and, for the
 * same kinds, from the running machine. A live unplug of a PCI device
 * needs the guest's cooperation: libvirt asks, waits a few seconds and
 * returns; when the device is still in the live XML the note says the
 * machine was asked to let it go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-domain-spec.h"
#include "hangar-vm.h"
#include "hangar-vm-config-private.h"
#include "hangar-vm-hardware.h"
#include "hangar-vm-job-private.h"
#include "hangar-xml.h"

void
hangar_hardware_spec_clear (HangarHardwareSpec *spec)
{
  g_clear_pointer (&spec->pool, g_free);
  g_clear_pointer (&spec->path, g_free);
  g_clear_pointer (&spec->bus, g_free);
  g_clear_pointer (&spec->type, g_free);
  g_clear_pointer (&spec->source, g_free);
  g_clear_pointer (&spec->model, g_free);
  g_clear_pointer (&spec->vendor, g_free);
  g_clear_pointer (&spec->product, g_free);
}

static void
spec_copy (HangarHardwareSpec       *dst,
           const HangarHardwareSpec *src)
{
  *dst = *src;
  dst->pool = g_strdup (src->pool);
  dst->path = g_strdup (src->path);
  dst->bus = g_strdup (src->bus);
  dst->type = g_strdup (src->type);
  dst->source = g_strdup (src->source);
  dst->model = g_strdup (src->model);
  dst->vendor = g_strdup (src->vendor);
  dst->product = g_strdup (src->product);
}

/* --- device XML ---------------------------------------------------------------- */

static const char *
disk_bus (const HangarHardwareSpec *spec)
{
  if (spec->bus != NULL && spec->bus[0] != '\0')
    return spec->bus;
  return spec->kind == HANGAR_HW_CDROM ? "sata" : "virtio";
}

static const char *
or_default (const char *value,
            const char *fallback)
{
  return value != NULL && value[0] != '\0' ? value : fallback;
}

static gboolean
valid_token (const char *value)
{
  if (value == NULL || value[0] == '\0')
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* "0000:01:00.0" (or without the domain): the parts, each within range. */
static gboolean
parse_pci_address (const char *text,
                   guint      *domain,
                   guint      *bus,
                   guint      *slot,
                   guint      *function)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) slot_function = NULL;
  guint n;
  guint64 v[4];

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  n = g_strv_length (parts);
  if (n != 2 && n != 3)
    return FALSE;
  slot_function = g_strsplit (parts[n - 1], ".", -1);
  if (g_strv_length (slot_function) != 2)
    return FALSE;
  if (n == 3 && !g_ascii_string_to_unsigned (parts[0], 16, 0, 0xffff, &v[0], NULL))
    return FALSE;
  if (n == 2)
    v[0] = 0;
  if (!g_ascii_string_to_unsigned (parts[n - 2], 16, 0, 0xff, &v[1], NULL)
      || !g_ascii_string_to_unsigned (slot_function[0], 16, 0, 0x1f, &v[2], NULL)
      || !g_ascii_string_to_unsigned (slot_function[1], 16, 0, 7, &v[3], NULL))
    return FALSE;
  *domain = v[0];
  *bus = v[1];
  *slot = v[2];
  *function = v[3];
  return TRUE;
}

/* The bus's first free target: vda…, sda…, hda… */
char *
hangar_hardware_next_target (const char *domain_xml,
                             const char *bus)
{
  g_autoptr(xmlDoc) doc = hangar_xml_parse (domain_xml, NULL);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  const char *prefix = "sd";

  if (g_strcmp0 (bus, "virtio") == 0)
    prefix = "vd";
  else if (g_strcmp0 (bus, "ide") == 0)
    prefix = "hd";
  else if (g_strcmp0 (bus, "fdc") == 0)
    prefix = "fd";

  if (doc != NULL)
    {
      nodes = hangar_xml_nodes (doc, NULL, "/domain/devices/disk/target");
      for (guint i = 0; i < nodes->len; i++)
        g_ptr_array_add (taken, hangar_xml_attr (g_ptr_array_index (nodes, i), "dev"));
    }
  for (char c = 'a'; c <= 'z'; c++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s%c", prefix, c);

      if (!g_ptr_array_find_with_equal_func (taken, candidate, g_str_equal, NULL))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

static char *
disk_xml (const HangarHardwareSpec *spec,
          const char               *target)
{
  gboolean cdrom = spec->kind == HANGAR_HW_CDROM;
  gboolean block = spec->path != NULL && g_str_has_prefix (spec->path, "/dev/");
  g_autofree char *path = spec->path ? g_markup_escape_text (spec->path, -1) : NULL;
  const char *format = "raw";
  GString *xml = g_string_new (NULL);

  if (spec->kind == HANGAR_HW_DISK_NEW
      || (spec->path != NULL && g_str_has_suffix (spec->path, ".qcow2")))
    format = "qcow2";
  g_string_append_printf (xml, "<disk type='%s' device='%s'>"
                          "<driver name='qemu' type='%s'/>",
                          block ? "block" : "file", cdrom ? "cdrom" : "disk", format);
  if (path != NULL)
    g_string_append_printf (xml, "<source %s='%s'/>", block ? "dev" : "file", path);
  g_string_append_printf (xml, "<target dev='%s' bus='%s'/>", target, disk_bus (spec));
  if (cdrom)
    g_string_append (xml, "<readonly/>");
  g_string_append (xml, "</disk>");
  return g_string_free (xml, FALSE);
}

/**
 * hangar_hardware_device_xml:
 * @target: (nullable): the target for a disk or CD drive
 *
 * The device element for @spec. For a new disk, @spec->path is the
 * volume's path, created beforehand.
 *
 * Returns: (transfer full) (nullable): the XML, or %NULL with @error set
 */
char *
hangar_hardware_device_xml (const HangarHardwareSpec *spec,
                            const char               *target,
                            GError                  **error)
{
  const char *model = spec->model;
  const char *type = spec->type;

  if (model != NULL && model[0] != '\0' && !valid_token (model))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a device model."), model);
      return NULL;
    }

  switch (spec->kind)
    {
    case HANGAR_HW_DISK_NEW:
    case HANGAR_HW_DISK_EXISTING:
    case HANGAR_HW_CDROM:
      if (spec->kind != HANGAR_HW_CDROM && (spec->path == NULL || spec->path[0] != '/'))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Choose a disk image: a full path is needed."));
          return NULL;
        }
      if (!valid_token (disk_bus (spec)) || target == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("There is no free place on that bus for another disk."));
          return NULL;
        }
      return disk_xml (spec, target);

    case HANGAR_HW_NIC:
      {
        gboolean bridge = g_strcmp0 (type, "bridge") == 0;
        g_autofree char *source = NULL;

        if (!valid_token (spec->source))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         bridge ? _("Give the name of the host's bridge.")
                                : _("Choose a virtual network."));
            return NULL;
          }
        source = g_markup_escape_text (spec->source, -1);
        return g_strdup_printf ("<interface type='%s'><source %s='%s'/><model type='%s'/></interface>",
                                bridge ? "bridge" : "network", bridge ? "bridge" : "network",
                                source, or_default (model, "virtio"));
      }

    case HANGAR_HW_INPUT:
      type = or_default (type, "tablet");
      if (!g_strv_contains ((const char * const[]) { "tablet", "keyboard", "mouse", NULL }, type))
        break;
      return g_strdup_printf ("<input type='%s' bus='usb'/>", type);

    case HANGAR_HW_GRAPHICS:
      type = or_default (type, "vnc");
      if (!g_strv_contains ((const char * const[]) { "vnc", "spice", NULL }, type))
        break;
      /* As for new machines: a port on 127.0.0.1 is open to every local
       * user, so on this host the display listens on none (Hangar opens
       * it through libvirt), and on a remote one it takes a password. */
      if (spec->remote)
        {
          g_autofree char *password = hangar_domain_spec_new_graphics_password ();
          char *xml;

          /* VNC reads only the first 8 characters. */
          if (g_str_equal (type, "vnc"))
            password[8] = '\0';
          xml = g_strdup_printf ("<graphics type='%s' autoport='yes' passwd='%s'>"
                                 "<listen type='address' address='127.0.0.1'/></graphics>",
                                 type, password);
          explicit_bzero (password, strlen (password));
          return xml;
        }
      return g_strdup_printf ("<graphics type='%s'><listen type='none'/></graphics>", type);

    case HANGAR_HW_SOUND:
      return g_strdup_printf ("<sound model='%s'/>", or_default (model, "ich6"));

    case HANGAR_HW_SERIAL:
      return g_strdup ("<serial type='pty'/>");

    case HANGAR_HW_CHANNEL:
      type = or_default (type, "qemu-ga");
      if (g_str_equal (type, "qemu-ga"))
        return g_strdup ("<channel type='unix'>"
                         "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>");
      if (g_str_equal (type, "spice-vdagent"))
        return g_strdup ("<channel type='spicevmc'>"
                         "<target type='virtio' name='com.redhat.spice.0'/></channel>");
      /* QEMU's own agent: the clipboard of a VNC console (QEMU ≥ 6.1). */
      if (g_str_equal (type, "qemu-vdagent"))
        return g_strdup (HANGAR_QEMU_VDAGENT_CHANNEL_XML);
      break;

    case HANGAR_HW_VIDEO:
      return g_strdup_printf ("<video><model type='%s'/></video>", or_default (model, "virtio"));

    case HANGAR_HW_WATCHDOG:
      return g_strdup_printf ("<watchdog model='%s' action='reset'/>",
                              or_default (model, "i6300esb"));

    case HANGAR_HW_RNG:
      return g_strdup ("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>");

    case HANGAR_HW_TPM:
      return g_strdup_printf ("<tpm model='%s'><backend type='emulator' version='2.0'/></tpm>",
                              or_default (model, "tpm-tis"));

    case HANGAR_HW_USB_HOST:
      if (!valid_token (spec->vendor) || !valid_token (spec->product))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Choose one of the host’s USB devices."));
          return NULL;
        }
      return g_strdup_printf ("<hostdev mode='subsystem' type='usb' managed='yes'><source>"
                              "<vendor id='%s'/><product id='%s'/></source></hostdev>",
                              spec->vendor, spec->product);

    case HANGAR_HW_PCI_HOST:
      {
        guint domain, bus, slot, function;

        if (!parse_pci_address (spec->source, &domain, &bus, &slot, &function))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Choose one of the host’s PCI devices."));
            return NULL;
          }
        return g_strdup_printf ("<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                                "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                                "function='0x%x'/></source></hostdev>",
                                domain, bus, slot, function);
      }

    case HANGAR_HW_FILESYSTEM:
      {
        g_autofree char *path = NULL;

        type = or_default (type, "virtiofs");
        if (spec->path == NULL || !g_path_is_absolute (spec->path))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Give the full path of the host folder to share."));
            return NULL;
          }
        if (!valid_token (spec->source))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Give a tag for the guest to mount the share by: letters, digits, "
                           "“-”, “_” and “.”."));
            return NULL;
          }
        path = g_markup_escape_text (spec->path, -1);
        if (g_str_equal (type, "virtiofs"))
          return g_strdup_printf ("<filesystem type='mount' accessmode='passthrough'>"
                                  "<driver type='virtiofs'/><source dir='%s'/>"
                                  "<target dir='%s'/></filesystem>", path, spec->source);
        if (g_str_equal (type, "9p"))
          return g_strdup_printf ("<filesystem type='mount' accessmode='mapped'>"
                                  "<source dir='%s'/><target dir='%s'/></filesystem>",
                                  path, spec->source);
        break;
      }
    default:
      break;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a kind of device Hangar can add here."), type ? type : "?");
  return NULL;
}

/**
 * hangar_hardware_check:
 * @spec: the device to add
 * @domain_xml: the machine's definition (inactive)
 *
 * Refuses what the machine cannot take whatever the host offers: a VNC
 * clipboard channel (qemu-vdagent) needs a VNC display, and the SPICE
 * agent's port, which it takes, must be free.
 *
 * Returns: whether @spec can be added; %FALSE with @error set otherwise
 */
gboolean
hangar_hardware_check (const HangarHardwareSpec  *spec,
                       const char                *domain_xml,
                       GError                   **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *agent_type = NULL;
  xmlNode *agent;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (spec->kind != HANGAR_HW_CHANNEL || g_strcmp0 (spec->type, "qemu-vdagent") != 0)
    return TRUE;

  doc = domain_xml != NULL ? hangar_xml_parse (domain_xml, NULL) : NULL;
  if (doc == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The machine’s definition could not be read."));
      return FALSE;
    }
  agent = hangar_xml_node (doc, NULL, "/domain/devices/channel[target/@name='com.redhat.spice.0']");
  agent_type = agent != NULL ? hangar_xml_attr (agent, "type") : NULL;
  if (g_strcmp0 (agent_type, "qemu-vdagent") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The machine has a clipboard channel already."));
      return FALSE;
    }
  if (hangar_xml_node (doc, NULL, "/domain/devices/graphics[@type='vnc']") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The clipboard channel serves a VNC display, and this machine has "
                             "none. Switch its display to VNC first."));
      return FALSE;
    }
  if (agent != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The machine’s SPICE agent channel takes the port the clipboard "
                             "channel needs. Remove it first."));
      return FALSE;
    }
  return TRUE;
}

/* What a running machine takes without a restart. */
gboolean
hangar_hardware_can_hotplug (const HangarHardwareSpec *spec)
{
  switch (spec->kind)
    {
    case HANGAR_HW_DISK_NEW:
    case HANGAR_HW_DISK_EXISTING:
      return g_strv_contains ((const char * const[]) { "virtio", "scsi", "usb", NULL },
                              disk_bus (spec));
    case HANGAR_HW_NIC:
    case HANGAR_HW_USB_HOST:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Device elements that a running machine can lose without a restart. */
static gboolean
can_unplug (xmlNode *node)
{
  g_autofree char *device = hangar_xml_attr (node, "device");

  if (xmlStrEqual (node->name, BAD_CAST "interface") || xmlStrEqual (node->name, BAD_CAST "hostdev"))
    return TRUE;
  if (xmlStrEqual (node->name, BAD_CAST "disk") && g_strcmp0 (device, "disk") == 0)
    {
      g_autofree char *bus = hangar_xml_attr (hangar_xml_node (node->doc, node, "target"), "bus");

      return g_strv_contains ((const char * const[]) { "virtio", "scsi", "usb", NULL },
                              bus ? bus : "");
    }
  return FALSE;
}

/* --- workers ------------------------------------------------------------------ */

/* libvirt's attach and detach do not take every kind into the definition
 * (graphics, video, TPM…): those are added to or removed from a fresh copy
 * of the inactive XML, defined with validation. */
static gboolean
edit_definition (virDomainPtr  dom,
                 const char   *add_xml,
                 const char   *remove_xml,
                 GError      **error)
{
  g_autofree char *xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(xmlDoc) device = NULL;
  xmlNode *devices;
  xmlChar *buf = NULL;
  int len = 0;
  virDomainPtr defined;
  g_autofree char *result = NULL;

  virResetLastError ();
  doc = hangar_xml_parse (xml, NULL);
  device = hangar_xml_parse (add_xml ? add_xml : remove_xml, NULL);
  devices = doc ? hangar_xml_node (doc, NULL, "/domain/devices") : NULL;
  if (devices == NULL || device == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The machine’s definition could not be read."));
      return FALSE;
    }

  if (add_xml != NULL)
    xmlAddChild (devices, xmlDocCopyNode (xmlDocGetRootElement (device), doc, 1));
  else
    {
      xmlBuffer *wanted = xmlBufferCreate ();
      gboolean found = FALSE;

      xmlNodeDump (wanted, device, xmlDocGetRootElement (device), 0, 0);
      for (xmlNode *child = devices->children; child != NULL && !found; child = child->next)
        {
          xmlBuffer *candidate = xmlBufferCreate ();

          xmlNodeDump (candidate, doc, child, 0, 0);
          if (xmlStrEqual (xmlBufferContent (candidate), xmlBufferContent (wanted)))
            {
              xmlUnlinkNode (child);
              xmlFreeNode (child);
              found = TRUE;
            }
          xmlBufferFree (candidate);
        }
      xmlBufferFree (wanted);
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The device is no longer in the machine’s definition."));
          return FALSE;
        }
    }

  xmlDocDumpMemory (doc, &buf, &len);
  result = g_strndup ((const char *) buf, len);
  xmlFree (buf);
  defined = virDomainDefineXMLFlags (virDomainGetConnect (dom), result, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      g_propagate_error (error,
                         hangar_libvirt_error_new (add_xml ? _("Could not add the device")
                                                           : _("Could not remove the device")));
      return FALSE;
    }
  virDomainFree (defined);
  return TRUE;
}

static gboolean
unsupported (void)
{
  virErrorPtr err = virGetLastError ();

  return err != NULL && (err->code == VIR_ERR_OPERATION_UNSUPPORTED
                         || err->code == VIR_ERR_CONFIG_UNSUPPORTED
                         || err->code == VIR_ERR_NO_SUPPORT);
}

typedef struct
{
  HangarVmJob         base;
  HangarHardwareSpec  spec;
  char               *device_xml;
} HwJob;

static void
job_free (HwJob *job)
{
  _hangar_vm_job_clear (&job->base);
  hangar_hardware_spec_clear (&job->spec);
  g_free (job->device_xml);
  g_free (job);
}

static virStorageVolPtr
create_volume (HwJob         *job,
               const char  *domain_name,
               const char  *target,
               GError     **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (job->base.conn,
                                                       job->spec.pool ? job->spec.pool : "");
  g_autofree char *escaped = NULL;
  g_autofree char *xml = NULL;
  virStorageVolPtr vol;

  if (pool == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not find the storage pool")));
      return NULL;
    }
  escaped = g_markup_printf_escaped ("%s-%s.qcow2", domain_name, target);
  xml = g_strdup_printf ("<volume><name>%s</name>"
                         "<capacity unit='MiB'>%" G_GUINT64_FORMAT "</capacity>"
                         "<target><format type='qcow2'/></target></volume>",
                         escaped, job->spec.size_mib);
  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    g_propagate_error (error, hangar_libvirt_error_new (_("Could not create the disk")));
  virStoragePoolFree (pool);
  return vol;
}

/* virtiofs maps the guest's memory into virtiofsd: the definition must
 * share it. Adds <memoryBacking> with shared access when it is missing. */
static gboolean
ensure_shared_memory (virDomainPtr   dom,
                      gboolean      *changed,
                      GError       **error)
{
  g_autofree char *xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  xmlNode *root, *backing;
  xmlChar *buf = NULL;
  int len = 0;
  g_autofree char *result = NULL;
  virDomainPtr defined;

  *changed = FALSE;
  if (doc == NULL)
    {
      g_propagate_error (error,
                         hangar_libvirt_error_new (_("Could not read the machine’s definition")));
      return FALSE;
    }
  if (hangar_xml_node (doc, NULL, "/domain/memoryBacking/access[@mode='shared']") != NULL)
    return TRUE;

  root = xmlDocGetRootElement (doc);
  backing = hangar_xml_node (doc, NULL, "/domain/memoryBacking");
  if (backing == NULL)
    backing = xmlNewChild (root, NULL, BAD_CAST "memoryBacking", NULL);
  if (hangar_xml_node (doc, backing, "source") == NULL)
    xmlSetProp (xmlNewChild (backing, NULL, BAD_CAST "source", NULL), BAD_CAST "type",
                BAD_CAST "memfd");
  for (xmlNode *child = backing->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, BAD_CAST "access"))
      {
        xmlUnlinkNode (child);
        xmlFreeNode (child);
        break;
      }
  xmlSetProp (xmlNewChild (backing, NULL, BAD_CAST "access", NULL), BAD_CAST "mode",
              BAD_CAST "shared");

  xmlDocDumpMemory (doc, &buf, &len);
  result = g_strndup ((const char *) buf, len);
  xmlFree (buf);
  defined = virDomainDefineXMLFlags (virDomainGetConnect (dom), result, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      g_propagate_error (error, hangar_libvirt_error_new (_("Could not share the machine’s memory "
                                                            "with virtiofs")));
      return FALSE;
    }
  virDomainFree (defined);
  *changed = TRUE;
  return TRUE;
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  HwJob *job = task_data;
  virDomainPtr dom;
  virStorageVolPtr vol = NULL;
  g_autofree char *domain_xml = NULL;
  g_autofree char *target = NULL;
  g_autofree char *device = NULL;
  GError *error = NULL;
  ApplyResult *result;
  unsigned int flags = VIR_DOMAIN_AFFECT_CONFIG;
  gboolean shared_memory = FALSE;
  gboolean active;

  if ((dom = _hangar_vm_job_lookup_domain (&job->base, &error)) == NULL)
    goto out;
  active = virDomainIsActive (dom) == 1;
  domain_xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  if (job->spec.kind == HANGAR_HW_DISK_NEW || job->spec.kind == HANGAR_HW_DISK_EXISTING
      || job->spec.kind == HANGAR_HW_CDROM)
    target = hangar_hardware_next_target (domain_xml, disk_bus (&job->spec));

  if (job->spec.kind == HANGAR_HW_DISK_NEW)
    {
      if (job->spec.size_mib == 0)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("A new disk needs a size."));
          goto out;
        }
      if (target == NULL)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("There is no free place on that bus for another disk."));
          goto out;
        }
      vol = create_volume (job, virDomainGetName (dom), target, &error);
      if (vol == NULL)
        goto out;
      g_free (job->spec.path);
      job->spec.path = virStorageVolGetPath (vol);
    }

  if (!hangar_hardware_check (&job->spec, domain_xml, &error))
    goto out;
  device = hangar_hardware_device_xml (&job->spec, target, &error);
  if (device == NULL)
    goto out;
  if (job->spec.kind == HANGAR_HW_FILESYSTEM && strstr (device, "'virtiofs'") != NULL
      && !ensure_shared_memory (dom, &shared_memory, &error))
    goto out;
  if (active && hangar_hardware_can_hotplug (&job->spec))
    flags |= VIR_DOMAIN_AFFECT_LIVE;
  if (virDomainAttachDeviceFlags (dom, device, flags) < 0
      && !(flags == VIR_DOMAIN_AFFECT_CONFIG && unsupported ()
           && edit_definition (dom, device, NULL, &error)))
    {
      if (error == NULL)
        error = hangar_libvirt_error_new (_("Could not add the device"));
      if (vol != NULL && virStorageVolDelete (vol, 0) < 0)
        virResetLastError ();
      goto out;
    }

  result = g_new0 (ApplyResult, 1);
  result->flags = HANGAR_APPLY_CONFIG;
  if (flags & VIR_DOMAIN_AFFECT_LIVE)
    result->flags |= HANGAR_APPLY_LIVE;
  else if (active)
    {
      result->flags |= HANGAR_APPLY_NEEDS_RESTART;
      result->note = g_strdup (_("The new device applies after the machine restarts."));
    }
  if (shared_memory)
    {
      g_autofree char *note = result->note;

      result->note = g_strdup_printf ("%s%s%s", note ? note : "", note ? "\n" : "",
                                      _("The machine’s memory is now shared, as virtiofs needs."));
    }
  g_clear_pointer (&vol, virStorageVolFree);
  _hangar_vm_job_done (&job->base, dom);
  g_task_return_pointer (task, result, (GDestroyNotify) _hangar_apply_result_free);
  return;

out:
  g_clear_pointer (&vol, virStorageVolFree);
  _hangar_vm_job_done (&job->base, dom);
  g_task_return_error (task, error);
}

/**
 * hangar_vm_add_hardware_async:
 *
 * Adds the device @spec describes; finish with hangar_vm_config_apply_finish().
 */
void
hangar_vm_add_hardware_async (HangarVm                 *vm,
                              const HangarHardwareSpec *spec,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  HwJob *job;

  g_return_if_fail (HANGAR_IS_VM (vm));
  g_return_if_fail (spec != NULL);

  job = g_new0 (HwJob, 1);
  spec_copy (&job->spec, spec);
  job->spec.remote = hangar_vm_get_connection (vm) != NULL
                     && !hangar_connection_is_local (hangar_vm_get_connection (vm));
  _hangar_vm_job_run (vm, &job->base, (GDestroyNotify) job_free, cancellable, callback, user_data,
                      hangar_vm_add_hardware_async, add_thread);
}

/* Whether the live definition still holds @node's device (by target or MAC). */
static gboolean
still_live (virDomainPtr dom,
            xmlNode     *node)
{
  g_autofree char *live = virDomainGetXMLDesc (dom, 0);
  g_autoptr(xmlDoc) doc = hangar_xml_parse (live, NULL);
  g_autofree char *target = hangar_xml_attr (hangar_xml_node (node->doc, node, "target"), "dev");
  g_autofree char *mac = hangar_xml_attr (hangar_xml_node (node->doc, node, "mac"), "address");
  g_autofree char *expr = NULL;

  if (doc == NULL)
    return FALSE;
  if (target != NULL)
    expr = g_strdup_printf ("/domain/devices/disk[target/@dev='%s']", target);
  else if (mac != NULL)
    expr = g_strdup_printf ("/domain/devices/interface[mac/@address='%s']", mac);
  else
    return FALSE;
  return hangar_xml_node (doc, NULL, expr) != NULL;
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  HwJob *job = task_data;
  GError *error = NULL;
  virDomainPtr dom = _hangar_vm_job_lookup_domain (&job->base, &error);
  g_autoptr(xmlDoc) doc = hangar_xml_parse (job->device_xml, NULL);
  unsigned int flags = VIR_DOMAIN_AFFECT_CONFIG;
  ApplyResult *result;
  gboolean active;

  if (dom == NULL || doc == NULL)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The device’s description is not well-formed XML."));
      _hangar_vm_job_done (&job->base, dom);
      g_task_return_error (task, error);
      return;
    }
  active = virDomainIsActive (dom) == 1;
  if (active && can_unplug (xmlDocGetRootElement (doc)))
    flags |= VIR_DOMAIN_AFFECT_LIVE;

  if (virDomainDetachDeviceFlags (dom, job->device_xml, flags) < 0)
    {
      virErrorPtr err = virGetLastError ();

      /* The guest never answered the unplug request: the definition still
       * loses the device, and the note says so. */
      if (err != NULL && err->code == VIR_ERR_OPERATION_TIMEOUT && (flags & VIR_DOMAIN_AFFECT_LIVE))
        {
          virResetLastError ();
          if (virDomainDetachDeviceFlags (dom, job->device_xml, VIR_DOMAIN_AFFECT_CONFIG) == 0)
            goto done;
        }
      if (flags == VIR_DOMAIN_AFFECT_CONFIG && unsupported ()
          && edit_definition (dom, NULL, job->device_xml, &error))
        goto done;
      if (error == NULL)
        error = hangar_libvirt_error_new (_("Could not remove the device"));
      _hangar_vm_job_done (&job->base, dom);
      g_task_return_error (task, error);
      return;
    }

done:
  result = g_new0 (ApplyResult, 1);
  result->flags = HANGAR_APPLY_CONFIG;
  if (flags & VIR_DOMAIN_AFFECT_LIVE)
    {
      if (still_live (dom, xmlDocGetRootElement (doc)))
        result->note = g_strdup (_("The machine was asked to release the device. It goes once "
                                   "the guest agrees, or when the machine stops."));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  else if (active)
    {
      result->flags |= HANGAR_APPLY_NEEDS_RESTART;
      result->note = g_strdup (_("The device goes when the machine restarts."));
    }
  virResetLastError ();
  _hangar_vm_job_done (&job->base, dom);
  g_task_return_pointer (task, result, (GDestroyNotify) _hangar_apply_result_free);
}

/**
 * hangar_vm_remove_hardware_async:
 * @device_xml: the device's element, as the definition has it
 *
 * Removes a device; finish with hangar_vm_config_apply_finish().
 */
void
hangar_vm_remove_hardware_async (HangarVm            *vm,
                                 const char          *device_xml,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  HwJob *job;

  g_return_if_fail (HANGAR_IS_VM (vm));
  g_return_if_fail (device_xml != NULL);

  job = g_new0 (HwJob, 1);
  job->device_xml = g_strdup (device_xml);
  _hangar_vm_job_run (vm, &job->base, (GDestroyNotify) job_free, cancellable, callback, user_data,
                      hangar_vm_remove_hardware_async, remove_thread);
}
