/* fuzz-domain-xml.c — libFuzzer target: the readers of domain XML behind
 * the details page and the console, over guest- and user-controlled text
 * (names, titles, descriptions, metadata, any device).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one domain XML document, read as the inactive definition
 * and, when mode allows, as the live one too; every getter the details
 * page uses then walks it, and hangar_graphics_info_parse() reads its
 * first graphics device as the console does.
 */
#include "config.h"

#include "fuzz-common.h"

#include <libxml/parser.h>

#include "hangar-vm-config.h"
#include "hangar-vm-console.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
ignore_xml_error (void       *data,
                  const char *message,
                  ...)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  hangar_fuzz_init_logging ();
  /* libxml2 prints every error of every bad input otherwise. */
  xmlSetGenericErrorFunc (NULL, ignore_xml_error);
  return 0;
}

static void
walk_config (HangarVmConfig *config)
{
  g_auto(HangarOverviewSettings) overview = { 0 };
  g_auto(HangarCpuSettings) cpu = { 0 };
  g_auto(HangarCpuSettings) live_cpu = { 0 };
  g_auto(HangarBootSettings) boot = { 0 };
  HangarMemorySettings memory = { 0 };
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GPtrArray) live_disks = NULL;
  g_autoptr(GPtrArray) nics = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *name = NULL;

  hangar_vm_config_get_overview (config, &overview);
  hangar_vm_config_get_cpu (config, FALSE, &cpu);
  hangar_vm_config_get_cpu (config, TRUE, &live_cpu);
  hangar_vm_config_get_memory (config, FALSE, &memory);
  hangar_vm_config_get_memory (config, TRUE, &memory);
  hangar_vm_config_get_boot (config, &boot);
  disks = hangar_vm_config_get_disks (config, FALSE);
  live_disks = hangar_vm_config_get_disks (config, TRUE);
  nics = hangar_vm_config_get_nics (config, TRUE);
  devices = hangar_vm_config_get_devices (config);
  g_assert (disks != NULL && live_disks != NULL && nics != NULL && devices != NULL);
  for (guint i = 0; i < devices->len; i++)
    {
      HangarDeviceSettings *device = g_ptr_array_index (devices, i);

      /* Each device is found again by its key (edit, remove). */
      g_assert (device->key != NULL && device->xml != NULL);
    }

  (void) hangar_vm_config_get_uuid (config);
  (void) hangar_vm_config_get_hypervisor (config);
  (void) hangar_vm_config_get_arch (config);
  (void) hangar_vm_config_get_machine_type (config);
  (void) hangar_vm_config_get_firmware (config);
  (void) hangar_vm_config_get_os_id (config);
  (void) hangar_vm_config_is_active (config);
  name = hangar_vm_config_query (config, FALSE, "string(/domain/name)");
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *xml = g_strndup ((const char *) data, size);
  g_autoptr(HangarGraphicsInfo) graphics = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(HangarVmConfig) config = hangar_vm_config_new_from_xml (xml, NULL, &error);

    g_assert ((config == NULL) == (error != NULL));
    if (config != NULL)
      walk_config (config);
    g_clear_error (&error);
  }
  {
    /* Running: the live XML is what the guest-visible state comes from. */
    g_autoptr(HangarVmConfig) config = hangar_vm_config_new_from_xml (xml, xml, &error);

    if (config != NULL)
      walk_config (config);
    g_clear_error (&error);
  }

  graphics = hangar_graphics_info_parse (xml, &error);
  g_assert ((graphics == NULL) == (error != NULL));
  return 0;
}
