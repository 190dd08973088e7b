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
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <osinfo/osinfo.h>

#include "hangar-connection-private.h"
#include "hangar-vm-config-private.h"

#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

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
  char    **cpu_models;
  char    **networks;
  guint64   host_memory_kib;
  guint     host_cpus;
  gboolean  autostart;
};

G_DEFINE_FINAL_TYPE (HangarVmConfig, hangar_vm_config, G_TYPE_OBJECT)

/* --- settings ---------------------------------------------------------------- */

void
hangar_overview_settings_clear (HangarOverviewSettings *s)
{
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->title, g_free);
  g_clear_pointer (&s->description, g_free);
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
static gboolean
str_equal (const char *a,
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
  return str_equal (a->name, b->name) && str_equal (a->title, b->title)
         && str_equal (a->description, b->description) && !a->autostart == !b->autostart;
}

gboolean
hangar_cpu_settings_equal (const HangarCpuSettings *a,
                           const HangarCpuSettings *b)
{
  return a->current == b->current && a->maximum == b->maximum
         && a->sockets == b->sockets && a->cores == b->cores && a->threads == b->threads
         && str_equal (a->mode, b->mode)
         && (g_strcmp0 (a->mode, "custom") != 0 || str_equal (a->model, b->model));
}

gboolean
hangar_boot_settings_equal (const HangarBootSettings *a,
                            const HangarBootSettings *b)
{
  return strv_equal (a->order, b->order) && !a->menu == !b->menu
         && str_equal (a->kernel, b->kernel) && str_equal (a->initrd, b->initrd)
         && str_equal (a->cmdline, b->cmdline);
}

gboolean
hangar_disk_settings_equal (const HangarDiskSettings *a,
                            const HangarDiskSettings *b)
{
  return str_equal (a->target, b->target) && str_equal (a->path, b->path)
         && str_equal (a->bus, b->bus) && str_equal (a->cache, b->cache)
         && !a->readonly == !b->readonly && !a->shareable == !b->shareable;
}

gboolean
hangar_nic_settings_equal (const HangarNicSettings *a,
                           const HangarNicSettings *b)
{
  return str_equal (a->mac, b->mac) && str_equal (a->type, b->type)
         && str_equal (a->source, b->source) && str_equal (a->model, b->model)
         && !a->link_up == !b->link_up;
}

/* --- XML helpers --------------------------------------------------------------- */

static xmlDoc *
parse_xml (const char  *xml,
           GError     **error)
{
  xmlDoc *doc;

  doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      const xmlError *err = xmlGetLastError ();

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The XML is not well-formed: %s"),
                   err && err->message ? g_strstrip (g_strdup (err->message)) : "?");
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  return doc;
}

static char *
dump_doc (xmlDoc *doc)
{
  xmlChar *buf = NULL;
  int len = 0;
  char *ret;

  xmlDocDumpFormatMemory (doc, &buf, &len, 1);
  ret = g_strndup ((const char *) buf, len);
  xmlFree (buf);
  return ret;
}

static char *
dump_node (xmlNode *node)
{
  xmlBuffer *buf = xmlBufferCreate ();
  char *ret;

  xmlNodeDump (buf, node->doc, node, 0, 0);
  ret = g_strdup ((const char *) xmlBufferContent (buf));
  xmlBufferFree (buf);
  return ret;
}

static xmlXPathObject *
eval (xmlDoc     *doc,
      xmlNode    *node,
      const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = NULL;

  if (doc == NULL)
    return NULL;
  ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST "libosinfo", BAD_CAST LIBOSINFO_NS);
  if (node != NULL)
    ctx->node = node;
  return xmlXPathEvalExpression (BAD_CAST expr, ctx);
}

/* The string value of @expr, or NULL when it is empty. */
static char *
xstr (xmlDoc     *doc,
      xmlNode    *node,
      const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  g_autoptr(xmlXPathObject) obj = eval (doc, node, wrapped);

  if (obj == NULL || obj->type != XPATH_STRING || obj->stringval == NULL
      || obj->stringval[0] == '\0')
    return NULL;
  return g_strdup ((const char *) obj->stringval);
}

static guint64
xuint (xmlDoc     *doc,
       xmlNode    *node,
       const char *expr)
{
  g_autofree char *s = xstr (doc, node, expr);

  return s ? g_ascii_strtoull (s, NULL, 10) : 0;
}

static gboolean
xexists (xmlDoc     *doc,
         xmlNode    *node,
         const char *expr)
{
  g_autoptr(xmlXPathObject) obj = eval (doc, node, expr);

  return obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL
         && obj->nodesetval->nodeNr > 0;
}

/* The nodes @expr selects. */
static GPtrArray *
xnodes (xmlDoc     *doc,
        const char *expr)
{
  g_autoptr(xmlXPathObject) obj = eval (doc, NULL, expr);
  GPtrArray *nodes = g_ptr_array_new ();

  if (obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL)
    for (int i = 0; i < obj->nodesetval->nodeNr; i++)
      g_ptr_array_add (nodes, obj->nodesetval->nodeTab[i]);
  return nodes;
}

static xmlNode *
xnode (xmlDoc     *doc,
       const char *expr)
{
  g_autoptr(GPtrArray) nodes = xnodes (doc, expr);

  return nodes->len > 0 ? g_ptr_array_index (nodes, 0) : NULL;
}

/* Memory sizes in the XML carry a unit; libvirt writes KiB but people may not. */
static guint64
xkib (xmlDoc     *doc,
      const char *element)
{
  g_autofree char *expr = g_strdup_printf ("/domain/%s/@unit", element);
  g_autofree char *unit = xstr (doc, NULL, expr);
  g_autofree char *value_expr = g_strdup_printf ("/domain/%s", element);
  guint64 value = xuint (doc, NULL, value_expr);

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

static xmlNode *
child (xmlNode    *parent,
       const char *name)
{
  for (xmlNode *n = parent->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrcmp (n->name, BAD_CAST name) == 0)
      return n;
  return NULL;
}

static xmlNode *
ensure_child (xmlNode    *parent,
              const char *name)
{
  xmlNode *n = child (parent, name);

  return n != NULL ? n : xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

static void
remove_children (xmlNode    *parent,
                 const char *name)
{
  xmlNode *n;

  while ((n = child (parent, name)) != NULL)
    {
      xmlUnlinkNode (n);
      xmlFreeNode (n);
    }
}

static void
set_text (xmlNode    *node,
          const char *text)
{
  xmlNodeSetContent (node, NULL);
  xmlNodeAddContent (node, BAD_CAST text);
}

static void
set_or_remove_text_child (xmlNode    *parent,
                          const char *name,
                          const char *text)
{
  if (text == NULL || *text == '\0')
    remove_children (parent, name);
  else
    set_text (ensure_child (parent, name), text);
}

static void
set_prop (xmlNode    *node,
          const char *name,
          const char *value)
{
  if (value == NULL || *value == '\0')
    xmlUnsetProp (node, BAD_CAST name);
  else
    xmlSetProp (node, BAD_CAST name, BAD_CAST value);
}

static void
set_prop_uint (xmlNode    *node,
               const char *name,
               guint64     value)
{
  g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  xmlSetProp (node, BAD_CAST name, BAD_CAST s);
}

static void
set_flag_child (xmlNode    *parent,
                const char *name,
                gboolean    on)
{
  if (on)
    ensure_child (parent, name);
  else
    remove_children (parent, name);
}

/* Targets and MAC addresses go into XPath expressions: only plain ones. */
static gboolean
is_plain_key (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != ':' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
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

  self->doc = parse_xml (inactive_xml, error);
  if (self->doc == NULL)
    return NULL;
  self->xml = g_strdup (inactive_xml);
  if (live_xml != NULL)
    {
      self->live_doc = parse_xml (live_xml, error);
      if (self->live_doc == NULL)
        return NULL;
      self->live_xml = g_strdup (live_xml);
    }

  self->uuid = xstr (self->doc, NULL, "/domain/uuid");
  self->hypervisor = xstr (self->doc, NULL, "/domain/@type");
  self->arch = xstr (self->doc, NULL, "/domain/os/type/@arch");
  self->machine_type = xstr (self->doc, NULL, "/domain/os/type/@machine");
  self->emulator = xstr (self->doc, NULL, "/domain/devices/emulator");
  self->os_id = xstr (self->doc, NULL, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id");

  self->firmware = xstr (self->doc, NULL, "/domain/os/@firmware");
  loader_type = xstr (self->doc, NULL, "/domain/os/loader/@type");
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
  return xstr (live ? self->live_doc : self->doc, NULL, xpath);
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

  nodes = xnodes (self->doc, xpath);
  return nodes->len > 0 ? dump_node (g_ptr_array_index (nodes, 0)) : NULL;
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

/* The OS's name from the osinfo database, or %NULL when unknown. */
const char *
hangar_vm_config_get_os_name (HangarVmConfig *self)
{
  g_return_val_if_fail (HANGAR_IS_VM_CONFIG (self), NULL);
  return self->os_name;
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

  out->name = xstr (self->doc, NULL, "/domain/name");
  out->title = xstr (self->doc, NULL, "/domain/title");
  out->description = xstr (self->doc, NULL, "/domain/description");
  out->autostart = self->autostart;
}

static void
read_cpu (xmlDoc            *doc,
          HangarCpuSettings *out)
{
  g_autofree char *mode = NULL;

  out->maximum = xuint (doc, NULL, "/domain/vcpu");
  out->current = xuint (doc, NULL, "/domain/vcpu/@current");
  if (out->current == 0 || out->current > out->maximum)
    out->current = out->maximum;
  out->sockets = xuint (doc, NULL, "/domain/cpu/topology/@sockets");
  out->cores = xuint (doc, NULL, "/domain/cpu/topology/@cores");
  out->threads = xuint (doc, NULL, "/domain/cpu/topology/@threads");
  mode = xstr (doc, NULL, "/domain/cpu/@mode");
  out->model = xstr (doc, NULL, "/domain/cpu/model");
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

void
hangar_vm_config_get_memory (HangarVmConfig       *self,
                             gboolean              live,
                             HangarMemorySettings *out)
{
  xmlDoc *doc;

  g_return_if_fail (HANGAR_IS_VM_CONFIG (self));

  doc = live && self->live_doc ? self->live_doc : self->doc;
  out->maximum_kib = xkib (doc, "memory");
  out->current_kib = xkib (doc, "currentMemory");
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
  xmlNode *na = child (*(xmlNode **) a, "boot"), *nb = child (*(xmlNode **) b, "boot");
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

  boots = xnodes (self->doc, "/domain/os/boot");
  for (guint i = 0; i < boots->len; i++)
    {
      g_autofree char *dev = (char *) xmlGetProp (g_ptr_array_index (boots, i), BAD_CAST "dev");

      if (dev != NULL && g_hash_table_add (seen, (gpointer) g_intern_string (dev)))
        g_strv_builder_add (order, dev);
    }

  /* Per-device <boot order='N'/> instead: the kinds in that order. */
  per_device = xnodes (self->doc, "/domain/devices/*[boot/@order]/boot");
  for (guint i = 0; i < per_device->len; i++)
    g_ptr_array_index (per_device, i) = ((xmlNode *) g_ptr_array_index (per_device, i))->parent;
  g_ptr_array_sort (per_device, compare_boot_order);
  for (guint i = 0; i < per_device->len; i++)
    {
      xmlNode *device = g_ptr_array_index (per_device, i);
      const char *dev = boot_dev_for (device);
      xmlNode *boot = child (device, "boot");

      if (boot != NULL && dev != NULL && g_hash_table_add (seen, (gpointer) dev))
        g_strv_builder_add (order, dev);
    }

  out->order = g_strv_builder_end (order);
  out->menu = xexists (self->doc, NULL, "/domain/os/bootmenu[@enable='yes']");
  out->kernel = xstr (self->doc, NULL, "/domain/os/kernel");
  out->initrd = xstr (self->doc, NULL, "/domain/os/initrd");
  out->cmdline = xstr (self->doc, NULL, "/domain/os/cmdline");
}

static HangarDiskSettings *
read_disk (xmlDoc  *doc,
           xmlNode *node)
{
  HangarDiskSettings *s = g_new0 (HangarDiskSettings, 1);

  s->target = xstr (doc, node, "target/@dev");
  s->device = xstr (doc, node, "@device");
  if (s->device == NULL)
    s->device = g_strdup ("disk");
  s->path = xstr (doc, node, "source/@file|source/@dev|source/@volume|source/@name");
  s->bus = xstr (doc, node, "target/@bus");
  s->cache = xstr (doc, node, "driver/@cache");
  s->format = xstr (doc, node, "driver/@type");
  s->readonly = xexists (doc, node, "readonly");
  s->shareable = xexists (doc, node, "shareable");
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
  nodes = xnodes (doc, "/domain/devices/disk");
  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (disks, read_disk (doc, g_ptr_array_index (nodes, i)));
  return disks;
}

static HangarNicSettings *
read_nic (xmlDoc  *doc,
          xmlNode *node)
{
  HangarNicSettings *s = g_new0 (HangarNicSettings, 1);
  g_autofree char *link = NULL;

  s->mac = xstr (doc, node, "mac/@address");
  s->type = xstr (doc, node, "@type");
  s->source = xstr (doc, node, "source/@network|source/@bridge|source/@dev");
  s->model = xstr (doc, node, "model/@type");
  link = xstr (doc, node, "link/@state");
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
  nodes = xnodes (doc, "/domain/devices/interface");
  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (nics, read_nic (doc, g_ptr_array_index (nodes, i)));
  return nics;
}

/* --- workers ------------------------------------------------------------------- */

typedef enum
{
  JOB_LOAD,
  JOB_OVERVIEW,
  JOB_CPU,
  JOB_MEMORY,
  JOB_BOOT,
  JOB_DISK,
  JOB_NIC,
  JOB_XML,
} JobKind;

typedef struct
{
  virConnectPtr          conn;
  char                  *uuid;
  JobKind                kind;
  HangarOverviewSettings overview;
  HangarCpuSettings      cpu;
  HangarMemorySettings   memory;
  HangarBootSettings     boot;
  HangarDiskSettings    *disk;
  HangarNicSettings     *nic;
  char                  *xml;
} Job;

void
_hangar_apply_result_free (ApplyResult *result)
{
  g_free (result->note);
  g_free (result);
}

static void
job_free (Job *job)
{
  _hangar_handle_release (g_steal_pointer (&job->conn));
  g_free (job->uuid);
  hangar_overview_settings_clear (&job->overview);
  hangar_cpu_settings_clear (&job->cpu);
  hangar_boot_settings_clear (&job->boot);
  hangar_disk_settings_free (job->disk);
  hangar_nic_settings_free (job->nic);
  g_free (job->xml);
  g_free (job);
}

static Job *
job_new (HangarVm  *vm,
         JobKind    kind,
         GError   **error)
{
  HangarConnection *connection = hangar_vm_get_connection (vm);
  virConnectPtr conn;
  Job *job;

  if (connection == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection is gone."));
      return NULL;
    }
  conn = _hangar_connection_dup_handle (connection, error);
  if (conn == NULL)
    return NULL;

  /* libxml2 wants its first initialisation on one thread, before workers. */
  xmlInitParser ();

  job = g_new0 (Job, 1);
  job->conn = conn;
  job->uuid = g_strdup (hangar_vm_get_uuid (vm));
  job->kind = kind;
  return job;
}

static void
job_done (Job          *job,
          virDomainPtr  dom)
{
  /* Release in this thread: the last reference may close the connection. */
  if (dom != NULL)
    virDomainFree (dom);
  g_clear_pointer (&job->conn, virConnectClose);
}

static gpointer
load_osinfo_db (gpointer data)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(GError) error = NULL;

  osinfo_loader_process_default_path (loader, &error);
  if (error != NULL)
    g_debug ("osinfo: %s", error->message);
  return g_object_ref (osinfo_loader_get_db (loader));
}

static char *
os_name_for (const char *id)
{
  static GOnce once = G_ONCE_INIT;
  OsinfoDb *db = g_once (&once, load_osinfo_db, NULL);
  OsinfoOs *os;

  if (db == NULL || id == NULL)
    return NULL;
  os = osinfo_db_get_os (db, id);
  return os ? g_strdup (osinfo_product_get_name (OSINFO_PRODUCT (os))) : NULL;
}

static char *
get_xml (virDomainPtr dom,
         unsigned int flags)
{
  /* Secure XML keeps graphics passwords through an edit; a read-only
   * connection may not ask for it. */
  char *xml = virDomainGetXMLDesc (dom, flags | VIR_DOMAIN_XML_SECURE);

  if (xml == NULL)
    {
      virResetLastError ();
      xml = virDomainGetXMLDesc (dom, flags);
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

  xml = get_xml (dom, VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    {
      *error = _hangar_libvirt_error (_("Could not read the machine’s definition"));
      return NULL;
    }
  if (virDomainIsActive (dom) == 1)
    {
      live_xml = get_xml (dom, 0);
      if (live_xml == NULL)
        virResetLastError ();
    }

  config = hangar_vm_config_new_from_xml (xml, live_xml, error);
  if (config == NULL)
    return NULL;

  if (virDomainGetAutostart (dom, &autostart) < 0)
    virResetLastError ();
  config->autostart = autostart != 0;

  if (host_facts)
    {
      virNodeInfo node;
      g_autofree char *caps = NULL;

      if (virNodeGetInfo (job->conn, &node) == 0)
        {
          config->host_memory_kib = node.memory;
          config->host_cpus = node.cpus;
        }
      else
        virResetLastError ();

      caps = virConnectGetDomainCapabilities (job->conn, config->emulator, config->arch,
                                              config->machine_type, config->hypervisor, 0);
      if (caps != NULL)
        {
          g_autoptr(xmlDoc) doc = parse_xml (caps, NULL);
          g_autoptr(GPtrArray) models = NULL;
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          if (doc != NULL)
            {
              models = xnodes (doc, "/domainCapabilities/cpu/mode[@name='custom']"
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

      config->os_name = os_name_for (config->os_id);

      {
        virNetworkPtr *nets = NULL;
        int n = virConnectListAllNetworks (job->conn, &nets, 0);
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
define (Job          *job,
        xmlDoc       *doc,
        GError      **error)
{
  g_autofree char *xml = dump_doc (doc);
  virDomainPtr defined;

  defined = virDomainDefineXMLFlags (job->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      *error = _hangar_libvirt_error (_("Could not save the change"));
      return;
    }
  virDomainFree (defined);
}

static void
note_live_failure (ApplyResult *result,
                   const char  *what)
{
  g_autoptr(GError) error = _hangar_libvirt_error (what);

  result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  g_free (result->note);
  result->note = g_strdup (error->message);
}

static gboolean
apply_overview (Job             *job,
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

  if (!str_equal (now.name, want->name))
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

  if (!str_equal (now.title, want->title))
    {
      if (virDomainSetMetadata (dom, VIR_DOMAIN_METADATA_TITLE,
                                want->title && *want->title ? want->title : NULL,
                                NULL, NULL, flags) < 0)
        {
          *error = _hangar_libvirt_error (_("Could not change the title"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG | (active ? HANGAR_APPLY_LIVE : 0);
    }

  if (!str_equal (now.description, want->description))
    {
      if (virDomainSetMetadata (dom, VIR_DOMAIN_METADATA_DESCRIPTION,
                                want->description && *want->description ? want->description : NULL,
                                NULL, NULL, flags) < 0)
        {
          *error = _hangar_libvirt_error (_("Could not change the description"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG | (active ? HANGAR_APPLY_LIVE : 0);
    }

  if (!now.autostart != !want->autostart)
    {
      if (virDomainSetAutostart (dom, want->autostart ? 1 : 0) < 0)
        {
          *error = _hangar_libvirt_error (_("Could not change autostart"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG;
    }

  /* Last: the other changes were made under the old name. */
  if (!str_equal (now.name, want->name))
    {
      if (virDomainRename (dom, want->name, 0) < 0)
        {
          *error = _hangar_libvirt_error (_("Could not rename the machine"));
          return FALSE;
        }
      result->flags |= HANGAR_APPLY_CONFIG;
    }
  return TRUE;
}

static gboolean
apply_cpu (Job             *job,
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
  if (!hangar_cpu_settings_equal (&now, want))
    {
      vcpu = ensure_child (root, "vcpu");
      {
        g_autofree char *max = g_strdup_printf ("%u", want->maximum);
        set_text (vcpu, max);
      }
      if (want->current < want->maximum)
        set_prop_uint (vcpu, "current", want->current);
      else
        xmlUnsetProp (vcpu, BAD_CAST "current");

      cpu = child (root, "cpu");
      if (cpu == NULL && (topology || (want->mode && *want->mode)))
        cpu = xmlNewChild (root, NULL, BAD_CAST "cpu", NULL);
      if (cpu != NULL)
        {
          if (!str_equal (now.mode, want->mode) || !str_equal (now.model, want->model))
            {
              set_prop (cpu, "mode", want->mode);
              if (g_strcmp0 (want->mode, "custom") == 0)
                {
                  xmlNode *model = ensure_child (cpu, "model");

                  set_text (model, want->model);
                  xmlSetProp (model, BAD_CAST "fallback", BAD_CAST "allow");
                  set_prop (cpu, "match", "exact");
                }
              else
                {
                  remove_children (cpu, "model");
                  xmlUnsetProp (cpu, BAD_CAST "match");
                }
            }
          if (topology)
            {
              xmlNode *topo = ensure_child (cpu, "topology");

              set_prop_uint (topo, "sockets", MAX (want->sockets, 1));
              set_prop_uint (topo, "dies", 1);
              set_prop_uint (topo, "cores", MAX (want->cores, 1));
              set_prop_uint (topo, "threads", MAX (want->threads, 1));
            }
          else
            remove_children (cpu, "topology");
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
      || !str_equal (now.mode, want->mode)
      || (g_strcmp0 (want->mode, "custom") == 0 && !str_equal (now.model, want->model)))
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

static gboolean
apply_memory (Job             *job,
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
  if (now.current_kib != want->current_kib || now.maximum_kib != want->maximum_kib)
    {
      xmlNode *memory = ensure_child (root, "memory");
      xmlNode *current_memory = ensure_child (root, "currentMemory");
      g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, want->maximum_kib);
      g_autofree char *cur = g_strdup_printf ("%" G_GUINT64_FORMAT, want->current_kib);

      set_text (memory, max);
      xmlSetProp (memory, BAD_CAST "unit", BAD_CAST "KiB");
      set_text (current_memory, cur);
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
        note_live_failure (result, _("The balloon could not change the memory while the machine runs"));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  return TRUE;
}

static gboolean
apply_boot (Job             *job,
            virDomainPtr     dom,
            HangarVmConfig  *current,
            ApplyResult     *result,
            GError         **error)
{
  g_auto(HangarBootSettings) now = { 0 };
  HangarBootSettings *want = &job->boot;
  xmlNode *root = xmlDocGetRootElement (current->doc);
  xmlNode *os = ensure_child (root, "os");
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
  per_device = xnodes (current->doc, "/domain/devices/*/boot");
  for (guint i = 0; i < per_device->len; i++)
    {
      xmlNode *n = g_ptr_array_index (per_device, i);

      xmlUnlinkNode (n);
      xmlFreeNode (n);
    }

  remove_children (os, "boot");
  /* <boot> goes right after <type>/<loader>/<nvram>/kernel bits; libvirt
   * reads it anywhere in <os>, but keep its usual place. */
  anchor = child (os, "type");
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
    xmlSetProp (ensure_child (os, "bootmenu"), BAD_CAST "enable", BAD_CAST "yes");
  else
    remove_children (os, "bootmenu");

  set_or_remove_text_child (os, "kernel", want->kernel);
  set_or_remove_text_child (os, "initrd", want->initrd);
  set_or_remove_text_child (os, "cmdline", want->cmdline);

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
  xmlNode *source = child (disk, "source");

  if (path == NULL || *path == '\0')
    {
      remove_children (disk, "source");
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

static gboolean
apply_disk (Job             *job,
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

  if (!is_plain_key (want->target))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No such disk."));
      return FALSE;
    }
  expr = g_strdup_printf ("/domain/devices/disk[target/@dev='%s']", want->target);
  disk = xnode (current->doc, expr);
  if (disk == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The machine has no disk %s any more."), want->target);
      return FALSE;
    }

  now = read_disk (current->doc, disk);
  if (hangar_disk_settings_equal (now, want))
    return TRUE;
  media_only = str_equal (now->bus, want->bus) && str_equal (now->cache, want->cache)
               && !now->readonly == !want->readonly && !now->shareable == !want->shareable
               && (g_strcmp0 (now->device, "cdrom") == 0 || g_strcmp0 (now->device, "floppy") == 0);

  if (!str_equal (now->path, want->path) && !set_disk_source (disk, want->path, error))
    return FALSE;
  target = ensure_child (disk, "target");
  if (!str_equal (now->bus, want->bus))
    {
      set_prop (target, "bus", want->bus);
      /* The old address belongs to the old bus: let libvirt pick one. */
      remove_children (disk, "address");
    }
  if (!str_equal (now->cache, want->cache))
    {
      driver = child (disk, "driver");
      if (driver == NULL && want->cache && *want->cache)
        {
          driver = xmlNewChild (disk, NULL, BAD_CAST "driver", NULL);
          xmlSetProp (driver, BAD_CAST "name", BAD_CAST "qemu");
        }
      if (driver != NULL)
        set_prop (driver, "cache", want->cache);
    }
  set_flag_child (disk, "readonly", want->readonly);
  set_flag_child (disk, "shareable", want->shareable);

  define (job, current->doc, error);
  if (*error != NULL)
    return FALSE;
  result->flags |= HANGAR_APPLY_CONFIG;

  if (!hangar_vm_config_is_active (current))
    return TRUE;

  if (media_only)
    {
      xmlNode *live_disk = xnode (current->live_doc, expr);
      g_autofree char *device_xml = NULL;
      g_autoptr(GError) local_error = NULL;

      if (live_disk == NULL)
        {
          result->flags |= HANGAR_APPLY_NEEDS_RESTART;
          return TRUE;
        }
      /* The live element knows things the new medium must not inherit. */
      remove_children (live_disk, "backingStore");
      if (!set_disk_source (live_disk, want->path, &local_error))
        {
          result->flags |= HANGAR_APPLY_NEEDS_RESTART;
          return TRUE;
        }
      device_xml = dump_node (live_disk);
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
  xmlSetProp (ensure_child (iface, "link"), BAD_CAST "state", BAD_CAST (up ? "up" : "down"));
}

static gboolean
apply_nic (Job             *job,
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

  if (!is_plain_key (want->mac))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No such network interface."));
      return FALSE;
    }
  expr = g_strdup_printf ("/domain/devices/interface[mac/@address='%s']", want->mac);
  iface = xnode (current->doc, expr);
  if (iface == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The machine has no network interface %s any more."), want->mac);
      return FALSE;
    }

  now = read_nic (current->doc, iface);
  if (!hangar_nic_settings_equal (now, want))
    {
      if (!str_equal (now->type, want->type) || !str_equal (now->source, want->source))
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
          remove_children (iface, "source");
          source = xmlNewChild (iface, NULL, BAD_CAST "source", NULL);
          xmlSetProp (source, BAD_CAST (g_strcmp0 (want->type, "network") == 0 ? "network" : "bridge"),
                      BAD_CAST want->source);
        }
      if (!str_equal (now->model, want->model))
        {
          if (want->model && *want->model)
            xmlSetProp (ensure_child (iface, "model"), BAD_CAST "type", BAD_CAST want->model);
          else
            remove_children (iface, "model");
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

  live_iface = xnode (current->live_doc, expr);
  if (live_iface == NULL)
    {
      result->flags |= HANGAR_APPLY_NEEDS_RESTART;
      return TRUE;
    }
  live = read_nic (current->live_doc, live_iface);
  if (!str_equal (live->type, want->type) || !str_equal (live->source, want->source)
      || !str_equal (live->model, want->model))
    result->flags |= HANGAR_APPLY_NEEDS_RESTART;
  if (!live->link_up != !want->link_up)
    {
      g_autofree char *device_xml = NULL;

      set_link (live_iface, want->link_up);
      device_xml = dump_node (live_iface);
      if (virDomainUpdateDeviceFlags (dom, device_xml, VIR_DOMAIN_AFFECT_LIVE) < 0)
        note_live_failure (result, _("The link state could not change while the machine runs"));
      else
        result->flags |= HANGAR_APPLY_LIVE;
    }
  return TRUE;
}

static gboolean
apply_xml (Job             *job,
           virDomainPtr     dom,
           HangarVmConfig  *current,
           ApplyResult     *result,
           GError         **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *uuid = NULL;
  xmlNode *root;

  doc = parse_xml (job->xml, error);
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
  uuid = xstr (doc, NULL, "/domain/uuid");
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

      set_text (node, current->uuid);
      if (child (root, "name") != NULL)
        xmlAddNextSibling (child (root, "name"), node);
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

  dom = virDomainLookupByUUIDString (job->conn, job->uuid);
  if (dom == NULL)
    {
      error = _hangar_libvirt_error (_("The machine is no longer there"));
      job_done (job, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  config = read_config (job, dom, job->kind == JOB_LOAD, &error);
  if (config == NULL || job->kind == JOB_LOAD)
    {
      job_done (job, dom);
      if (config == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_steal_pointer (&config), g_object_unref);
      return;
    }

  result = g_new0 (ApplyResult, 1);
  switch (job->kind)
    {
    case JOB_OVERVIEW:
      ok = apply_overview (job, dom, config, result, &error);
      break;
    case JOB_CPU:
      ok = apply_cpu (job, dom, config, result, &error);
      break;
    case JOB_MEMORY:
      ok = apply_memory (job, dom, config, result, &error);
      break;
    case JOB_BOOT:
      ok = apply_boot (job, dom, config, result, &error);
      break;
    case JOB_DISK:
      ok = apply_disk (job, dom, config, result, &error);
      break;
    case JOB_NIC:
      ok = apply_nic (job, dom, config, result, &error);
      break;
    case JOB_XML:
      ok = apply_xml (job, dom, config, result, &error);
      break;
    case JOB_LOAD:
    default:
      g_assert_not_reached ();
    }
  job_done (job, dom);

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
         GError              *error,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (vm, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
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
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  job = job_new (vm, JOB_LOAD, &error);
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_load_async);
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
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  if ((job = job_new (vm, JOB_OVERVIEW, &error)) != NULL)
    {
      job->overview.name = g_strdup (settings->name);
      job->overview.title = g_strdup (settings->title);
      job->overview.description = g_strdup (settings->description);
      job->overview.autostart = settings->autostart;
    }
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
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
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  if ((job = job_new (vm, JOB_CPU, &error)) != NULL)
    {
      job->cpu = *settings;
      job->cpu.mode = g_strdup (settings->mode);
      job->cpu.model = g_strdup (settings->model);
    }
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
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
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  if ((job = job_new (vm, JOB_MEMORY, &error)) != NULL)
    job->memory = *settings;
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

void
hangar_vm_config_set_boot_async (HangarVm                 *vm,
                                 const HangarBootSettings *settings,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  if ((job = job_new (vm, JOB_BOOT, &error)) != NULL)
    {
      job->boot.order = g_strdupv (settings->order);
      job->boot.menu = settings->menu;
      job->boot.kernel = g_strdup (settings->kernel);
      job->boot.initrd = g_strdup (settings->initrd);
      job->boot.cmdline = g_strdup (settings->cmdline);
    }
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
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
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  if ((job = job_new (vm, JOB_DISK, &error)) != NULL)
    {
      job->disk = g_new0 (HangarDiskSettings, 1);
      job->disk->target = g_strdup (settings->target);
      job->disk->device = g_strdup (settings->device);
      job->disk->path = g_strdup (settings->path);
      job->disk->bus = g_strdup (settings->bus);
      job->disk->cache = g_strdup (settings->cache);
      job->disk->format = g_strdup (settings->format);
      job->disk->readonly = settings->readonly;
      job->disk->shareable = settings->shareable;
    }
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
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
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));

  if ((job = job_new (vm, JOB_NIC, &error)) != NULL)
    {
      job->nic = g_new0 (HangarNicSettings, 1);
      job->nic->mac = g_strdup (settings->mac);
      job->nic->type = g_strdup (settings->type);
      job->nic->source = g_strdup (settings->source);
      job->nic->model = g_strdup (settings->model);
      job->nic->link_up = settings->link_up;
    }
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
}

/**
 * hangar_vm_config_define_xml_async:
 *
 * Defines @xml as the machine's new definition. libvirt validates it
 * against its schema first: invalid XML changes nothing, and the error
 * says why. XML with another machine's UUID is refused.
 */
void
hangar_vm_config_define_xml_async (HangarVm            *vm,
                                   const char          *xml,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (HANGAR_IS_VM (vm));
  g_return_if_fail (xml != NULL);

  if ((job = job_new (vm, JOB_XML, &error)) != NULL)
    job->xml = g_strdup (xml);
  run_job (vm, job, error, cancellable, callback, user_data, hangar_vm_config_apply_finish);
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
