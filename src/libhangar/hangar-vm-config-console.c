/* hangar-vm-config-console.c — switching a machine's display between VNC
 * and SPICE, for its next start.
 *
 * A display protocol comes with devices of its own: SPICE's agent channel
 * (spicevmc) and USB redirection channels, and its audio backend; on VNC
 * the clipboard comes from QEMU's own agent (qemu-vdagent) on the same
 * port. Switching replaces the display and what only the old protocol
 * could use by what the new one needs, with the domain builder's console
 * policy: on this host no port at all (Hangar opens the console through
 * libvirt), on a remote one the host's loopback with a new random password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-domain-spec.h"
#include "hangar-vm-config-private.h"

#define AGENT_PORT "com.redhat.spice.0"

static void
add_fragment (xmlNode    *devices,
              const char *fragment)
{
  g_autoptr(xmlDoc) doc = xmlReadMemory (fragment, strlen (fragment), "fragment.xml", NULL,
                                         XML_PARSE_NONET | XML_PARSE_NOBLANKS);

  /* The fragments are written here: one that does not parse is a bug. */
  g_return_if_fail (doc != NULL);
  xmlAddChild (devices, xmlDocCopyNode (xmlDocGetRootElement (doc), devices->doc, 1));
}

static void
remove_all (xmlDoc     *doc,
            const char *expr)
{
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlNode *node = g_ptr_array_index (nodes, i);

      xmlUnlinkNode (node);
      xmlFreeNode (node);
    }
}

static void
set_audio_type (xmlDoc     *doc,
                const char *from,
                const char *to)
{
  g_autofree char *expr = g_strdup_printf ("/domain/devices/audio[@type='%s']", from);
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    xmlSetProp (g_ptr_array_index (nodes, i), BAD_CAST "type", BAD_CAST to);
}

static char *
graphics_xml (const char *protocol,
              gboolean    remote)
{
  g_autofree char *password = NULL;
  g_autoptr(GString) xml = g_string_new (NULL);
  gboolean spice = g_str_equal (protocol, "spice");

  g_string_append_printf (xml, "<graphics type='%s'", protocol);
  if (remote)
    {
      password = hangar_domain_spec_new_graphics_password ();
      /* VNC reads only the first 8 characters. */
      if (!spice)
        password[8] = '\0';
      g_string_append_printf (xml, " autoport='yes' passwd='%s'>"
                                   "<listen type='address' address='127.0.0.1'/>",
                              password);
      explicit_bzero (password, strlen (password));
    }
  else
    g_string_append (xml, "><listen type='none'/>");
  /* Local consoles gain nothing from compression; it only costs CPU. */
  if (spice)
    g_string_append (xml, "<image compression='off'/>");
  g_string_append (xml, "</graphics>");
  return g_string_free (g_steal_pointer (&xml), FALSE);
}

/**
 * hangar_vm_config_switch_console_xml:
 * @domain_xml: the machine's inactive definition, secure
 * @protocol: "vnc" or "spice"
 * @remote: whether the machine's host is another one than Hangar's (the
 *   console then goes through ssh to a port on the host's loopback, and
 *   has a password)
 * @qemu_vdagent: whether the machine's QEMU has its own agent (6.1 and
 *   later): a VNC display then gets the clipboard channel
 * @changed: (out) (optional): whether anything changed; %FALSE when the
 *   display already speaks @protocol
 *
 * The definition with its VNC or SPICE display replaced by one speaking
 * @protocol. To SPICE: the SPICE agent channel (spicevmc) replaces QEMU's
 * clipboard agent, two USB redirection channels come where the machine
 * has USB, and a silent audio backend becomes SPICE's. To VNC: what only
 * SPICE can carry goes (its channels, USB redirection, smartcard and audio
 * backend), and QEMU's clipboard agent takes the agent's port where
 * @qemu_vdagent says QEMU has one.
 *
 * Returns: (transfer full): the new definition, or %NULL with @error set
 */
char *
hangar_vm_config_switch_console_xml (const char  *domain_xml,
                                     const char  *protocol,
                                     gboolean     remote,
                                     gboolean     qemu_vdagent,
                                     gboolean    *changed,
                                     GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) displays = NULL;
  g_autofree char *current = NULL;
  g_autofree char *graphics = NULL;
  xmlNode *devices;
  gboolean to_spice;

  g_return_val_if_fail (domain_xml != NULL, NULL);
  g_return_val_if_fail (protocol != NULL, NULL);

  if (changed != NULL)
    *changed = FALSE;
  if (!g_str_equal (protocol, "vnc") && !g_str_equal (protocol, "spice"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a display protocol Hangar knows; choose VNC or SPICE."),
                   protocol);
      return NULL;
    }
  to_spice = g_str_equal (protocol, "spice");

  doc = hangar_xml_parse (domain_xml, error);
  if (doc == NULL)
    return NULL;
  devices = hangar_xml_node (doc, NULL, "/domain/devices");
  displays = hangar_xml_nodes (doc, NULL, "/domain/devices/graphics[@type='vnc' or @type='spice']");
  if (devices == NULL || displays->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The machine has no VNC or SPICE display to switch. Add one in "
                             "Add Hardware."));
      return NULL;
    }
  current = hangar_xml_attr (g_ptr_array_index (displays, 0), "type");
  if (displays->len == 1 && g_strcmp0 (current, protocol) == 0)
    return g_strdup (domain_xml);

  /* One display of the new protocol, where the first one was. */
  graphics = graphics_xml (protocol, remote);
  {
    g_autoptr(xmlDoc) fragment = xmlReadMemory (graphics, strlen (graphics), "graphics.xml",
                                                NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    xmlNode *first = g_ptr_array_index (displays, 0);

    explicit_bzero (graphics, strlen (graphics));
    xmlAddPrevSibling (first, xmlDocCopyNode (xmlDocGetRootElement (fragment), doc, 1));
    remove_all (doc, "/domain/devices/graphics[@type='vnc' or @type='spice']"
                     "[preceding-sibling::graphics[@type='vnc' or @type='spice']]");
  }

  if (to_spice)
    {
      remove_all (doc, "/domain/devices/channel[@type='qemu-vdagent']");
      if (!hangar_xml_exists (doc, NULL, "/domain/devices/channel[target/@name='" AGENT_PORT "']"))
        add_fragment (devices, "<channel type='spicevmc'>"
                               "<target type='virtio' name='" AGENT_PORT "'/></channel>");
      if (!hangar_xml_exists (doc, NULL, "/domain/devices/redirdev") &&
          !hangar_xml_exists (doc, NULL, "/domain/devices/controller[@type='usb' and @model='none']"))
        for (guint i = 0; i < 2; i++)
          add_fragment (devices, "<redirdev bus='usb' type='spicevmc'/>");
      set_audio_type (doc, "none", "spice");
    }
  else
    {
      remove_all (doc, "/domain/devices/channel[@type='spicevmc']");
      remove_all (doc, "/domain/devices/redirdev[@type='spicevmc']");
      remove_all (doc, "/domain/devices/smartcard[@type='spicevmc']");
      set_audio_type (doc, "spice", "none");
      if (qemu_vdagent &&
          !hangar_xml_exists (doc, NULL, "/domain/devices/channel[target/@name='" AGENT_PORT "']"))
        add_fragment (devices, HANGAR_QEMU_VDAGENT_CHANNEL_XML);
    }

  if (changed != NULL)
    *changed = TRUE;
  return hangar_xml_dump_doc (doc);
}

gboolean
_hangar_config_apply_console (Job             *job,
                              virDomainPtr     dom,
                              HangarVmConfig  *current,
                              ApplyResult     *result,
                              GError         **error)
{
  g_autofree char *xml = NULL;
  unsigned long version = 0;
  gboolean changed = FALSE;
  gboolean vdagent;
  virDomainPtr defined;

  /* QEMU's own agent came with 6.1. */
  if (virConnectGetVersion (job->base.conn, &version) < 0)
    virResetLastError ();
  vdagent = version >= 6001000;

  xml = hangar_vm_config_switch_console_xml (current->xml, job->console, job->remote, vdagent,
                                             &changed, error);
  if (xml == NULL)
    return FALSE;
  if (!changed)
    return TRUE;
  if (!_hangar_config_check_secrets (job, error))
    return FALSE;

  defined = virDomainDefineXMLFlags (job->base.conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  explicit_bzero (xml, strlen (xml));
  if (defined == NULL)
    {
      *error = hangar_libvirt_error_new (_("Could not switch the display"));
      return FALSE;
    }
  virDomainFree (defined);

  result->flags |= HANGAR_APPLY_CONFIG;
  if (hangar_vm_config_is_active (current))
    {
      result->flags |= HANGAR_APPLY_NEEDS_RESTART;
      result->note = g_strdup (_("The new display takes effect at the machine’s next boot."));
    }
  if (g_str_equal (job->console, "vnc") && !vdagent)
    {
      g_autofree char *note = g_steal_pointer (&result->note);

      result->note = g_strdup_printf ("%s%s%s", note ? note : "", note ? "\n" : "",
                                      _("This host’s QEMU is older than 6.1: the VNC display "
                                        "has no clipboard."));
    }
  return TRUE;
}
