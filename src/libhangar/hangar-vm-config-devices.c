/* hangar-vm-config-devices.c — the devices other than disks and network interfaces.
 *
 * Displays, video, sound, input, serial ports and consoles, channels,
 * controllers, host devices, filesystem shares, TPM, RNG and watchdogs:
 * each is read into a HangarDeviceSettings with a title and the facts a
 * section shows. Displays, video, sound and watchdogs have fields the
 * user can change; the rest are shown and can be removed.
 *
 * A device is found again, when applying, by its XML as it was read: if
 * it changed meanwhile, the change is refused rather than made to the
 * wrong device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hangar-connection-job.h"
#include "hangar-vm-config-private.h"

void
hangar_device_settings_free (HangarDeviceSettings *s)
{
  if (s == NULL)
    return;
  g_free (s->key);
  g_free (s->xml);
  g_free (s->title);
  g_strfreev (s->facts);
  g_free (s->model);
  g_free (s->action);
  g_free (s->listen);
  g_free (s->port);
  g_free (s->password);
  g_free (s);
}

gboolean
hangar_device_settings_equal (const HangarDeviceSettings *a,
                              const HangarDeviceSettings *b)
{
  return _hangar_config_str_equal (a->model, b->model)
         && _hangar_config_str_equal (a->action, b->action)
         && _hangar_config_str_equal (a->listen, b->listen)
         && _hangar_config_str_equal (a->port, b->port)
         && _hangar_config_str_equal (a->password, b->password);
}

/**
 * hangar_device_kind_editable:
 *
 * Returns: whether sections of this kind have fields to change
 */
gboolean
hangar_device_kind_editable (HangarDeviceKind kind)
{
  return kind == HANGAR_DEVICE_GRAPHICS || kind == HANGAR_DEVICE_VIDEO
         || kind == HANGAR_DEVICE_SOUND || kind == HANGAR_DEVICE_WATCHDOG;
}

/* --- reading ------------------------------------------------------------------------ */

static void
add_fact (GStrvBuilder *facts,
          const char   *label,
          const char   *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_strv_builder_add (facts, label);
  g_strv_builder_add (facts, value);
}

static char *
upper (const char *s)
{
  return s ? g_ascii_strup (s, -1) : g_strdup ("?");
}

/* A kind's title, the fields the user can change, and the facts that take
 * more than one value; the rest of its facts are in the table below. */
typedef void (*ReadFunc) (HangarDeviceSettings *s,
                          xmlDoc               *doc,
                          xmlNode              *node,
                          GStrvBuilder         *facts);

/* The address a display listens on: the attribute, or the <listen> child. */
static char *
graphics_listen (xmlDoc  *doc,
                 xmlNode *node)
{
  char *listen = hangar_xml_string (doc, node, "@listen");

  if (listen == NULL)
    listen = hangar_xml_string (doc, node, "listen[@type='address']/@address");
  return listen;
}

static void
read_graphics (HangarDeviceSettings *s,
               xmlDoc               *doc,
               xmlNode              *node,
               GStrvBuilder         *facts)
{
  g_autofree char *type = hangar_xml_string (doc, node, "@type");
  g_autofree char *autoport = hangar_xml_string (doc, node, "@autoport");
  g_autofree char *port = hangar_xml_string (doc, node, "@port");
  g_autofree char *name = upper (type);

  /* Translators: %s is VNC or SPICE */
  s->title = g_strdup_printf (_("Display %s"), name);
  s->listen = graphics_listen (doc, node);
  if (s->listen == NULL)
    s->listen = g_strdup ("");
  s->port = g_strdup (g_strcmp0 (autoport, "yes") == 0 || port == NULL
                      || g_str_has_prefix (port, "-") ? "" : port);
  s->password = hangar_xml_string (doc, node, "@passwd");
  if (s->password == NULL)
    s->password = g_strdup ("");
}

static void
read_video (HangarDeviceSettings *s,
            xmlDoc               *doc,
            xmlNode              *node,
            GStrvBuilder         *facts)
{
  s->model = hangar_xml_string (doc, node, "model/@type");
  /* Translators: %s is a video model, like virtio or qxl */
  s->title = g_strdup_printf (_("Video %s"), s->model ? s->model : "");
}

static void
read_sound (HangarDeviceSettings *s,
            xmlDoc               *doc,
            xmlNode              *node,
            GStrvBuilder         *facts)
{
  s->model = hangar_xml_string (doc, node, "@model");
  /* Translators: %s is a sound card model, like ich9 */
  s->title = g_strdup_printf (_("Sound %s"), s->model ? s->model : "");
}

static void
read_input (HangarDeviceSettings *s,
            xmlDoc               *doc,
            xmlNode              *node,
            GStrvBuilder         *facts)
{
  g_autofree char *type = hangar_xml_string (doc, node, "@type");
  g_autofree char *bus = hangar_xml_string (doc, node, "@bus");
  g_autofree char *bus_name = upper (bus);

  if (g_strcmp0 (type, "tablet") == 0)
    /* Translators: %s is a bus, like USB or VIRTIO */
    s->title = g_strdup_printf (_("Tablet (%s)"), bus_name);
  else if (g_strcmp0 (type, "keyboard") == 0)
    s->title = g_strdup_printf (_("Keyboard (%s)"), bus_name);
  else if (g_strcmp0 (type, "mouse") == 0)
    s->title = g_strdup_printf (_("Mouse (%s)"), bus_name);
  else
    s->title = g_strdup_printf (_("Input %s"), type ? type : "");
}

static void
read_char (HangarDeviceSettings *s,
           xmlDoc               *doc,
           xmlNode              *node,
           GStrvBuilder         *facts)
{
  g_autofree char *type = hangar_xml_string (doc, node, "@type");
  g_autofree char *port = hangar_xml_string (doc, node, "target/@port");
  g_autofree char *target_type = hangar_xml_string (doc, node, "target/@type");
  g_autofree char *name = hangar_xml_string (doc, node, "target/@name");

  switch (s->kind)
    {
    case HANGAR_DEVICE_SERIAL:
      /* Translators: %u is the port number, from 1 */
      s->title = g_strdup_printf (_("Serial %u"), (guint) g_ascii_strtoull (port ? port : "0",
                                                                            NULL, 10) + 1);
      break;
    case HANGAR_DEVICE_CONSOLE:
      /* Translators: %s is the console's kind, like serial or virtio */
      s->title = g_strdup_printf (_("Console (%s)"), target_type ? target_type : "");
      break;
    case HANGAR_DEVICE_CHANNEL:
    default:
      if (g_strcmp0 (name, "org.qemu.guest_agent.0") == 0)
        s->title = g_strdup (_("Channel qemu-ga"));
      else if (g_strcmp0 (name, "com.redhat.spice.0") == 0)
        s->title = g_strdup (_("Channel spice"));
      else
        /* Translators: %s is a channel's name in the guest */
        s->title = g_strdup_printf (_("Channel %s"), name ? name : type ? type : "");
      break;
    }
}

static void
read_controller (HangarDeviceSettings *s,
                 xmlDoc               *doc,
                 xmlNode              *node,
                 GStrvBuilder         *facts)
{
  g_autofree char *type = hangar_xml_string (doc, node, "@type");
  g_autofree char *index = hangar_xml_string (doc, node, "@index");
  g_autofree char *name = NULL;

  if (g_strcmp0 (type, "virtio-serial") == 0)
    name = g_strdup ("VirtIO Serial");
  else
    name = upper (type);
  /* Translators: a controller type, like USB, SATA, SCSI, then its index */
  s->title = g_strdup_printf (_("Controller %s %s"), name, index ? index : "0");
}

/* "0x1d6b" → "1d6b", as lsusb writes ids. */
static const char *
without_hex_prefix (const char *id)
{
  if (id == NULL)
    return "?";
  return g_str_has_prefix (id, "0x") ? id + 2 : id;
}

static void
read_hostdev (HangarDeviceSettings *s,
              xmlDoc               *doc,
              xmlNode              *node,
              GStrvBuilder         *facts)
{
  g_autofree char *type = hangar_xml_string (doc, node, "@type");

  if (g_strcmp0 (type, "usb") == 0)
    {
      g_autofree char *vendor = hangar_xml_string (doc, node, "source/vendor/@id");
      g_autofree char *product = hangar_xml_string (doc, node, "source/product/@id");
      g_autofree char *id = g_strdup_printf ("%s:%s", without_hex_prefix (vendor),
                                             without_hex_prefix (product));

      /* Translators: %s is a USB vendor:product id, like 1d6b:0002 */
      s->title = g_strdup_printf (_("USB %s"), id);
      add_fact (facts, _("Vendor and product"), id);
    }
  else if (g_strcmp0 (type, "pci") == 0)
    {
      g_autofree char *domain = hangar_xml_string (doc, node, "source/address/@domain");
      g_autofree char *bus = hangar_xml_string (doc, node, "source/address/@bus");
      g_autofree char *slot = hangar_xml_string (doc, node, "source/address/@slot");
      g_autofree char *function = hangar_xml_string (doc, node, "source/address/@function");
      g_autofree char *address = hangar_xml_pci_address (domain, bus, slot, function);

      /* Translators: %s is a PCI address, like 0000:01:00.0 */
      s->title = g_strdup_printf (_("PCI %s"), address);
      add_fact (facts, _("Host address"), address);
    }
  else
    s->title = g_strdup_printf (_("Host device %s"), type ? type : "");
}

static void
read_filesystem (HangarDeviceSettings *s,
                 xmlDoc               *doc,
                 xmlNode              *node,
                 GStrvBuilder         *facts)
{
  g_autofree char *target = hangar_xml_string (doc, node, "target/@dir");

  /* Translators: %s is the share's tag in the guest */
  s->title = g_strdup_printf (_("Filesystem %s"), target ? target : "");
}

static void
read_tpm (HangarDeviceSettings *s,
          xmlDoc               *doc,
          xmlNode              *node,
          GStrvBuilder         *facts)
{
  g_autofree char *version = hangar_xml_string (doc, node, "backend/@version");

  s->title = version ? g_strdup_printf (_("TPM %s"), version) : g_strdup (_("TPM"));
}

static void
read_watchdog (HangarDeviceSettings *s,
               xmlDoc               *doc,
               xmlNode              *node,
               GStrvBuilder         *facts)
{
  s->model = hangar_xml_string (doc, node, "@model");
  s->action = hangar_xml_string (doc, node, "@action");
}

typedef struct
{
  const char       *element;
  HangarDeviceKind  kind;
  const char       *title;  /* when it is the same for every device of the kind */
  ReadFunc          read;
} DeviceReader;

/* The elements read as devices, and what each is. */
static const DeviceReader readers[] = {
  { "graphics", HANGAR_DEVICE_GRAPHICS, NULL, read_graphics },
  { "video", HANGAR_DEVICE_VIDEO, NULL, read_video },
  { "sound", HANGAR_DEVICE_SOUND, NULL, read_sound },
  { "input", HANGAR_DEVICE_INPUT, NULL, read_input },
  { "serial", HANGAR_DEVICE_SERIAL, NULL, read_char },
  { "console", HANGAR_DEVICE_CONSOLE, NULL, read_char },
  { "channel", HANGAR_DEVICE_CHANNEL, NULL, read_char },
  { "controller", HANGAR_DEVICE_CONTROLLER, NULL, read_controller },
  { "hostdev", HANGAR_DEVICE_HOSTDEV, NULL, read_hostdev },
  { "redirdev", HANGAR_DEVICE_REDIRDEV, N_("USB Redirector"), NULL },
  { "filesystem", HANGAR_DEVICE_FILESYSTEM, NULL, read_filesystem },
  { "tpm", HANGAR_DEVICE_TPM, NULL, read_tpm },
  { "rng", HANGAR_DEVICE_RNG, N_("Random Number Generator"), NULL },
  { "watchdog", HANGAR_DEVICE_WATCHDOG, N_("Watchdog"), read_watchdog },
};

typedef enum
{
  SHOW_TEXT,       /* as it is */
  SHOW_UPPER,      /* in capitals, as protocols are written; "?" when missing */
  SHOW_STRIPPED,   /* without the white space around it */
  SHOW_KIB,        /* a size in KiB, written out */
  SHOW_ON,         /* “On” when @expr finds something */
  SHOW_YES,        /* “Yes” when @expr finds something */
} Show;

G_STATIC_ASSERT (HANGAR_N_DEVICE_KINDS <= 32);
#define KIND(k) (1u << HANGAR_DEVICE_##k)
#define CHAR_KINDS (KIND (SERIAL) | KIND (CONSOLE) | KIND (CHANNEL))

typedef struct
{
  guint       kinds;
  const char *label;
  const char *expr;
  Show        show;
} FactReader;

/* The facts each kind shows, in the order shown, after those its ReadFunc adds. */
static const FactReader fact_readers[] = {
  { KIND (GRAPHICS), N_("Protocol"), "@type", SHOW_UPPER },
  { KIND (VIDEO), N_("Video memory"), "model/@vram", SHOW_KIB },
  { KIND (VIDEO), N_("Screens"), "model/@heads", SHOW_TEXT },
  { KIND (VIDEO), N_("3D acceleration"), "model/acceleration[@accel3d='yes']", SHOW_ON },
  { KIND (INPUT), N_("Type"), "@type", SHOW_TEXT },
  { KIND (INPUT), N_("Bus"), "@bus", SHOW_TEXT },
  { CHAR_KINDS, N_("Device type"), "@type", SHOW_TEXT },
  { CHAR_KINDS, N_("Target type"), "target/@type", SHOW_TEXT },
  { CHAR_KINDS, N_("Target name"), "target/@name", SHOW_TEXT },
  { CHAR_KINDS, N_("Host path"), "source/@path|@tty", SHOW_TEXT },
  { KIND (CONTROLLER), N_("Type"), "@type", SHOW_TEXT },
  { KIND (CONTROLLER), N_("Model"), "@model", SHOW_TEXT },
  { KIND (CONTROLLER), N_("Index"), "@index", SHOW_TEXT },
  { KIND (HOSTDEV) | KIND (REDIRDEV), N_("Type"), "@type", SHOW_TEXT },
  { KIND (FILESYSTEM), N_("Host folder"), "source/@dir|source/@file|source/@name", SHOW_TEXT },
  { KIND (FILESYSTEM), N_("Tag in the guest"), "target/@dir", SHOW_TEXT },
  { KIND (FILESYSTEM), N_("Driver"), "driver/@type", SHOW_TEXT },
  { KIND (FILESYSTEM), N_("Read-only"), "readonly", SHOW_YES },
  { KIND (TPM), N_("Model"), "@model", SHOW_TEXT },
  { KIND (TPM), N_("Backend"), "backend/@type", SHOW_TEXT },
  { KIND (TPM), N_("Version"), "backend/@version", SHOW_TEXT },
  { KIND (RNG), N_("Model"), "@model", SHOW_TEXT },
  { KIND (RNG), N_("Backend"), "backend/@model", SHOW_TEXT },
  { KIND (RNG), N_("Source"), "backend", SHOW_STRIPPED },
};

static char *
read_fact (const FactReader *fact,
           xmlDoc           *doc,
           xmlNode          *node)
{
  g_autofree char *value = NULL;

  if (fact->show == SHOW_ON || fact->show == SHOW_YES)
    return hangar_xml_exists (doc, node, fact->expr)
           ? g_strdup (fact->show == SHOW_ON ? _("On") : _("Yes")) : NULL;
  value = hangar_xml_string (doc, node, fact->expr);
  if (fact->show == SHOW_UPPER)
    return upper (value);
  if (value != NULL && fact->show == SHOW_STRIPPED)
    g_strstrip (value);
  if (value != NULL && fact->show == SHOW_KIB)
    return g_format_size_full (g_ascii_strtoull (value, NULL, 10) * 1024, G_FORMAT_SIZE_IEC_UNITS);
  return g_steal_pointer (&value);
}

/* PCI controllers are the machine's plumbing (root ports, bridges), added
 * and managed by libvirt: listing a dozen root ports helps nobody. */
static gboolean
is_plumbing (xmlDoc  *doc,
             xmlNode *node)
{
  g_autofree char *type = NULL;

  if (xmlStrcmp (node->name, BAD_CAST "controller") != 0)
    return FALSE;
  type = hangar_xml_string (doc, node, "@type");
  return g_strcmp0 (type, "pci") == 0;
}

static HangarDeviceSettings *
read_device (xmlDoc           *doc,
             xmlNode          *node,
             HangarDeviceKind  kind,
             guint             position)
{
  HangarDeviceSettings *s = g_new0 (HangarDeviceSettings, 1);
  g_autoptr(GStrvBuilder) facts = g_strv_builder_new ();

  s->kind = kind;
  s->key = g_strdup_printf ("%s-%u", (const char *) node->name, position);
  s->xml = hangar_xml_dump_node (node);
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    if (readers[i].kind == kind)
      {
        if (readers[i].title != NULL)
          s->title = g_strdup (_(readers[i].title));
        if (readers[i].read != NULL)
          readers[i].read (s, doc, node, facts);
        break;
      }
  for (guint i = 0; i < G_N_ELEMENTS (fact_readers); i++)
    if (fact_readers[i].kinds & (1u << kind))
      {
        g_autofree char *value = read_fact (&fact_readers[i], doc, node);

        add_fact (facts, _(fact_readers[i].label), value);
      }
  s->facts = g_strv_builder_end (facts);
  return s;
}

/**
 * _hangar_config_read_devices:
 *
 * Returns: (transfer full) (element-type HangarDeviceSettings): the
 *   devices of @doc other than disks and interfaces, kind by kind, each
 *   kind in XML order
 */
GPtrArray *
_hangar_config_read_devices (xmlDoc *doc)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_device_settings_free);
  GPtrArray *by_kind[HANGAR_N_DEVICE_KINDS] = { NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  xmlNode *parent = hangar_xml_node (doc, NULL, "/domain/devices");

  for (xmlNode *node = parent ? parent->children : NULL; node != NULL; node = node->next)
    {
      guint position;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
        {
          HangarDeviceKind kind = readers[i].kind;

          if (xmlStrcmp (node->name, BAD_CAST readers[i].element) != 0)
            continue;
          /* Counted before filtering: the key names the nth element of its kind. */
          position = GPOINTER_TO_UINT (g_hash_table_lookup (seen, readers[i].element));
          g_hash_table_insert (seen, (gpointer) readers[i].element,
                               GUINT_TO_POINTER (position + 1));
          if (is_plumbing (doc, node))
            break;
          if (by_kind[kind] == NULL)
            by_kind[kind] = g_ptr_array_new ();
          g_ptr_array_add (by_kind[kind], read_device (doc, node, kind, position));
          break;
        }
    }
  for (guint kind = 0; kind < HANGAR_N_DEVICE_KINDS; kind++)
    if (by_kind[kind] != NULL)
      g_ptr_array_extend_and_steal (devices, g_steal_pointer (&by_kind[kind]));
  return devices;
}

/* --- applying ------------------------------------------------------------------------ */

/* The element in @doc that still reads as @xml, or NULL. */
static xmlNode *
find_device (xmlDoc     *doc,
             const char *key,
             const char *xml)
{
  g_autofree char *element = g_strdup (key);
  char *dash = strrchr (element, '-');
  g_autofree char *expr = NULL;
  g_autoptr(GPtrArray) nodes = NULL;

  if (dash == NULL || !hangar_xml_is_plain_key (element))
    return NULL;
  *dash = '\0';
  expr = g_strdup_printf ("/domain/devices/%s", element);
  nodes = hangar_xml_nodes (doc, NULL, expr);
  for (guint i = 0; i < nodes->len; i++)
    {
      g_autofree char *dump = hangar_xml_dump_node (g_ptr_array_index (nodes, i));

      if (g_strcmp0 (dump, xml) == 0)
        return g_ptr_array_index (nodes, i);
    }
  return NULL;
}

static gboolean
is_port_text (const char *port)
{
  guint64 value;

  if (port == NULL || *port == '\0')
    return TRUE;
  return g_ascii_string_to_unsigned (port, 10, 5900, 65535, &value, NULL);
}

static void
set_graphics (xmlNode                    *node,
              const HangarDeviceSettings *want)
{
  xmlNode *listen = NULL;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrcmp (child->name, BAD_CAST "listen") == 0)
      {
        listen = child;
        break;
      }

  if (want->listen != NULL && *want->listen != '\0')
    {
      xmlSetProp (node, BAD_CAST "listen", BAD_CAST want->listen);
      if (listen == NULL)
        listen = xmlNewChild (node, NULL, BAD_CAST "listen", NULL);
      xmlSetProp (listen, BAD_CAST "type", BAD_CAST "address");
      xmlSetProp (listen, BAD_CAST "address", BAD_CAST want->listen);
    }
  else
    {
      xmlUnsetProp (node, BAD_CAST "listen");
      hangar_xml_remove_children (node, "listen");
    }

  if (want->port != NULL && *want->port != '\0')
    {
      xmlSetProp (node, BAD_CAST "port", BAD_CAST want->port);
      xmlSetProp (node, BAD_CAST "autoport", BAD_CAST "no");
    }
  else
    {
      xmlUnsetProp (node, BAD_CAST "port");
      xmlSetProp (node, BAD_CAST "autoport", BAD_CAST "yes");
    }

  if (want->password != NULL && *want->password != '\0')
    xmlSetProp (node, BAD_CAST "passwd", BAD_CAST want->password);
  else
    xmlUnsetProp (node, BAD_CAST "passwd");
}

gboolean
_hangar_config_apply_device (Job             *job,
                             virDomainPtr     dom,
                             HangarVmConfig  *current,
                             ApplyResult     *result,
                             GError         **error)
{
  const HangarDeviceSettings *want = job->device;
  g_autoptr(HangarDeviceSettings) now = NULL;
  g_autofree char *xml = NULL;
  xmlNode *node;
  virDomainPtr defined;

  node = find_device (current->doc, want->key, want->xml);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The device changed since it was shown; look again and retry."));
      return FALSE;
    }
  now = read_device (current->doc, node, want->kind, 0);
  if (hangar_device_settings_equal (now, want))
    return TRUE;

  switch (want->kind)
    {
    case HANGAR_DEVICE_GRAPHICS:
      if (!is_port_text (want->port))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The port must be a number from 5900 to 65535, or empty for automatic."));
          return FALSE;
        }
      set_graphics (node, want);
      break;
    case HANGAR_DEVICE_VIDEO:
      if (want->model == NULL || *want->model == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose a video model."));
          return FALSE;
        }
      /* The old model's sizes and options do not fit the new one. */
      hangar_xml_remove_children (node, "model");
      xmlSetProp (xmlNewChild (node, NULL, BAD_CAST "model", NULL), BAD_CAST "type",
                  BAD_CAST want->model);
      break;
    case HANGAR_DEVICE_SOUND:
      if (want->model == NULL || *want->model == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose a sound model."));
          return FALSE;
        }
      xmlSetProp (node, BAD_CAST "model", BAD_CAST want->model);
      /* Its guest address belonged to the old model's bus. */
      hangar_xml_remove_children (node, "address");
      break;
    case HANGAR_DEVICE_WATCHDOG:
      hangar_xml_set_prop (node, "model", want->model);
      hangar_xml_set_prop (node, "action", want->action);
      if (!_hangar_config_str_equal (now->model, want->model))
        hangar_xml_remove_children (node, "address");
      break;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This device has nothing to change here; edit the XML instead."));
      return FALSE;
    }

  if (!_hangar_config_check_secrets (job, error))
    return FALSE;
  xml = hangar_xml_dump_doc (current->doc);
  defined = virDomainDefineXMLFlags (job->base.conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      *error = hangar_libvirt_error_new (_("Could not save the change"));
      return FALSE;
    }
  virDomainFree (defined);
  result->flags |= HANGAR_APPLY_CONFIG;
  if (hangar_vm_config_is_active (current))
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  return TRUE;
}
