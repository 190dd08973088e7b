/* hangar-vm-hardware-host.c — what a host offers to new devices.
 *
 * Its USB and PCI devices (from the node device list), active pools,
 * virtual networks, and whether it can give an emulated TPM (swtpm) or
 * share folders over virtiofs (from the domain capabilities): read in a
 * worker when Add Hardware opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-vm.h"
#include "hangar-vm-hardware.h"
#include "hangar-vm-job-private.h"
#include "hangar-xml.h"

void
hangar_usb_device_free (HangarUsbDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->vendor);
  g_free (device->product);
  g_free (device->description);
  g_free (device);
}

void
hangar_pci_device_free (HangarPciDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->address);
  g_free (device->description);
  g_free (device);
}

void
hangar_hardware_host_free (HangarHardwareHost *host)
{
  if (host == NULL)
    return;
  g_clear_pointer (&host->usb_devices, g_ptr_array_unref);
  g_clear_pointer (&host->pci_devices, g_ptr_array_unref);
  g_strfreev (host->pools);
  g_strfreev (host->networks);
  g_free (host);
}

static HangarUsbDevice *
usb_device_from_xml (const char *xml)
{
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  xmlNode *vendor, *product;
  HangarUsbDevice *device;
  g_autofree xmlChar *vendor_name = NULL;
  g_autofree xmlChar *product_name = NULL;

  if (doc == NULL)
    return NULL;
  vendor = hangar_xml_node (doc, NULL, "/device/capability[@type='usb_device']/vendor");
  product = hangar_xml_node (doc, NULL, "/device/capability[@type='usb_device']/product");
  if (vendor == NULL || product == NULL)
    return NULL;
  device = g_new0 (HangarUsbDevice, 1);
  device->vendor = hangar_xml_attr (vendor, "id");
  device->product = hangar_xml_attr (product, "id");
  vendor_name = xmlNodeGetContent (vendor);
  product_name = xmlNodeGetContent (product);
  device->description = g_strdup_printf ("%s %s (%s:%s)", vendor_name ? (char *) vendor_name : "",
                                         product_name ? (char *) product_name : "",
                                         device->vendor, device->product);
  return device;
}

static char *
node_text (xmlNode *node)
{
  xmlChar *content = node ? xmlNodeGetContent (node) : NULL;
  char *text = content ? g_strstrip (g_strdup ((const char *) content)) : NULL;

  xmlFree (content);
  return text;
}

/* A PCI endpoint from its node device XML; NULL for bridges and odd ones. */
static HangarPciDevice *
pci_device_from_xml (const char *xml)
{
  g_autoptr(xmlDoc) doc = hangar_xml_parse (xml, NULL);
  xmlNode *cap;
  g_autofree char *class = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *bus = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *function = NULL;
  g_autofree xmlChar *vendor = NULL;
  g_autofree xmlChar *product = NULL;
  HangarPciDevice *device;

  if (doc == NULL || (cap = hangar_xml_node (doc, NULL, "/device/capability[@type='pci']")) == NULL)
    return NULL;
  class = node_text (hangar_xml_node (doc, cap, "class"));
  /* Class 0x06: host, PCI and ISA bridges, which no guest can use. */
  if (class != NULL && g_str_has_prefix (class, "0x06"))
    return NULL;
  domain = node_text (hangar_xml_node (doc, cap, "domain"));
  bus = node_text (hangar_xml_node (doc, cap, "bus"));
  slot = node_text (hangar_xml_node (doc, cap, "slot"));
  function = node_text (hangar_xml_node (doc, cap, "function"));
  if (domain == NULL || bus == NULL || slot == NULL || function == NULL)
    return NULL;
  vendor = xmlNodeGetContent (hangar_xml_node (doc, cap, "vendor"));
  product = xmlNodeGetContent (hangar_xml_node (doc, cap, "product"));

  device = g_new0 (HangarPciDevice, 1);
  device->address = hangar_xml_pci_address (domain, bus, slot, function);
  device->description = g_strdup_printf ("%s %s %s", device->address,
                                         vendor ? (char *) vendor : "",
                                         product ? (char *) product : "");
  return device;
}

typedef gpointer (*DeviceParser) (const char *xml);

/* The host's node devices with capability @cap, each parsed from its XML;
 * the ones @parse declines (NULL) are left out. */
static GPtrArray *
list_node_devices (virConnectPtr   conn,
                   unsigned int    cap,
                   DeviceParser    parse,
                   GDestroyNotify  free_func)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (free_func);
  virNodeDevicePtr *devices = NULL;
  int n = virConnectListAllNodeDevices (conn, &devices, cap);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virNodeDeviceGetXMLDesc (devices[i], 0);
      gpointer device = xml ? parse (xml) : NULL;

      if (device != NULL)
        g_ptr_array_add (list, device);
      virNodeDeviceFree (devices[i]);
    }
  free (devices);
  virResetLastError ();
  return list;
}

static char **
list_names (virConnectPtr conn,
            gboolean      pools)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (pools)
    {
      virStoragePoolPtr *list = NULL;
      int n = virConnectListAllStoragePools (conn, &list, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);

      for (int i = 0; i < n; i++)
        {
          g_strv_builder_add (builder, virStoragePoolGetName (list[i]));
          virStoragePoolFree (list[i]);
        }
      free (list);
    }
  else
    {
      virNetworkPtr *list = NULL;
      int n = virConnectListAllNetworks (conn, &list, 0);

      for (int i = 0; i < n; i++)
        {
          g_strv_builder_add (builder, virNetworkGetName (list[i]));
          virNetworkFree (list[i]);
        }
      free (list);
    }
  virResetLastError ();
  return g_strv_builder_end (builder);
}

static void
job_free (HangarVmJob *job)
{
  _hangar_vm_job_clear (job);
  g_free (job);
}

static void
host_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HangarVmJob *job = task_data;
  HangarHardwareHost *host = g_new0 (HangarHardwareHost, 1);
  g_autofree char *caps = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  host->usb_devices = list_node_devices (job->conn, VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV,
                                         (DeviceParser) usb_device_from_xml,
                                         (GDestroyNotify) hangar_usb_device_free);
  host->pci_devices = list_node_devices (job->conn, VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV,
                                         (DeviceParser) pci_device_from_xml,
                                         (GDestroyNotify) hangar_pci_device_free);

  host->pools = list_names (job->conn, TRUE);
  host->networks = list_names (job->conn, FALSE);

  /* libvirt offers the emulator backend only when swtpm is installed. */
  caps = virConnectGetDomainCapabilities (job->conn, NULL, NULL, NULL, NULL, 0);
  virResetLastError ();
  doc = hangar_xml_parse (caps, NULL);
  host->tpm_emulator = doc != NULL
    && hangar_xml_node (doc, NULL, "/domainCapabilities/devices/tpm[@supported='yes']"
                        "/enum[@name='backendModel']/value[text()='emulator']") != NULL;
  host->virtiofs = doc != NULL
    && hangar_xml_node (doc, NULL, "/domainCapabilities/devices/filesystem[@supported='yes']"
                        "/enum[@name='driverType']/value[text()='virtiofs']") != NULL;

  _hangar_vm_job_done (job, NULL);
  g_task_return_pointer (task, host, (GDestroyNotify) hangar_hardware_host_free);
}

/**
 * hangar_vm_hardware_host_async:
 *
 * What the host offers to new devices: USB and PCI devices, pools,
 * networks, TPM, virtiofs.
 */
void
hangar_vm_hardware_host_async (HangarVm            *vm,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  HangarVmJob *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = g_new0 (HangarVmJob, 1);
  _hangar_vm_job_run (vm, job, (GDestroyNotify) job_free, cancellable, callback, user_data,
                      hangar_vm_hardware_host_async, host_thread);
}

/**
 * hangar_vm_hardware_host_finish:
 *
 * Returns: (transfer full): what the host offers
 */
HangarHardwareHost *
hangar_vm_hardware_host_finish (HangarVm      *vm,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vm), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
