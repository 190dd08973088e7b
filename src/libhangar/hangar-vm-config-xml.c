/* hangar-vm-config-xml.c — libxml2 helpers for reading and editing a machine's definition.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/xpathInternals.h>
#include <osinfo/osinfo.h>

#include "hangar-connection-job.h"
#include "hangar-vm-config-private.h"

/* --- XML helpers --------------------------------------------------------------- */

xmlDoc *
_hangar_config_parse_xml (const char  *xml,
                          GError     **error)
{
  xmlDoc *doc;

  doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      const xmlError *err = xmlGetLastError ();
      /* Stripped in a copy of its own, freed here: every bad document the
       * XML editor was given leaked one (found by fuzz-domain-xml). */
      g_autofree char *message = g_strdup (err && err->message ? err->message : "?");

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The XML is not well-formed: %s"),
                   g_strstrip (message));
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  return doc;
}

char *
_hangar_config_dump_doc (xmlDoc *doc)
{
  xmlChar *buf = NULL;
  int len = 0;
  char *ret;

  xmlDocDumpFormatMemory (doc, &buf, &len, 1);
  ret = g_strndup ((const char *) buf, len);
  xmlFree (buf);
  return ret;
}

char *
_hangar_config_dump_node (xmlNode *node)
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
char *
_hangar_config_xstr (xmlDoc     *doc,
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

guint64
_hangar_config_xuint (xmlDoc     *doc,
                      xmlNode    *node,
                      const char *expr)
{
  g_autofree char *s = _hangar_config_xstr (doc, node, expr);

  return s ? g_ascii_strtoull (s, NULL, 10) : 0;
}

gboolean
_hangar_config_xexists (xmlDoc     *doc,
                        xmlNode    *node,
                        const char *expr)
{
  g_autoptr(xmlXPathObject) obj = eval (doc, node, expr);

  return obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL
         && obj->nodesetval->nodeNr > 0;
}

/* The nodes @expr selects. */
GPtrArray *
_hangar_config_xnodes (xmlDoc     *doc,
                       const char *expr)
{
  g_autoptr(xmlXPathObject) obj = eval (doc, NULL, expr);
  GPtrArray *nodes = g_ptr_array_new ();

  if (obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL)
    for (int i = 0; i < obj->nodesetval->nodeNr; i++)
      g_ptr_array_add (nodes, obj->nodesetval->nodeTab[i]);
  return nodes;
}

xmlNode *
_hangar_config_xnode (xmlDoc     *doc,
                      const char *expr)
{
  g_autoptr(GPtrArray) nodes = _hangar_config_xnodes (doc, expr);

  return nodes->len > 0 ? g_ptr_array_index (nodes, 0) : NULL;
}

/* Memory sizes in the XML carry a unit; libvirt writes KiB but people may not. */
guint64
_hangar_config_xkib (xmlDoc     *doc,
                     const char *element)
{
  g_autofree char *expr = g_strdup_printf ("/domain/%s/@unit", element);
  g_autofree char *unit = _hangar_config_xstr (doc, NULL, expr);
  g_autofree char *value_expr = g_strdup_printf ("/domain/%s", element);
  guint64 value = _hangar_config_xuint (doc, NULL, value_expr);

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

xmlNode *
_hangar_config_child (xmlNode    *parent,
                      const char *name)
{
  for (xmlNode *n = parent->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrcmp (n->name, BAD_CAST name) == 0)
      return n;
  return NULL;
}

xmlNode *
_hangar_config_ensure_child (xmlNode    *parent,
                             const char *name)
{
  xmlNode *n = _hangar_config_child (parent, name);

  return n != NULL ? n : xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

void
_hangar_config_remove_children (xmlNode    *parent,
                                const char *name)
{
  xmlNode *n;

  while ((n = _hangar_config_child (parent, name)) != NULL)
    {
      xmlUnlinkNode (n);
      xmlFreeNode (n);
    }
}

void
_hangar_config_set_text (xmlNode    *node,
                         const char *text)
{
  xmlNodeSetContent (node, NULL);
  xmlNodeAddContent (node, BAD_CAST text);
}

void
_hangar_config_set_or_remove_text_child (xmlNode    *parent,
                                         const char *name,
                                         const char *text)
{
  if (text == NULL || *text == '\0')
    _hangar_config_remove_children (parent, name);
  else
    _hangar_config_set_text (_hangar_config_ensure_child (parent, name), text);
}

void
_hangar_config_set_prop (xmlNode    *node,
                         const char *name,
                         const char *value)
{
  if (value == NULL || *value == '\0')
    xmlUnsetProp (node, BAD_CAST name);
  else
    xmlSetProp (node, BAD_CAST name, BAD_CAST value);
}

void
_hangar_config_set_prop_uint (xmlNode    *node,
                              const char *name,
                              guint64     value)
{
  g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  xmlSetProp (node, BAD_CAST name, BAD_CAST s);
}

void
_hangar_config_set_flag_child (xmlNode    *parent,
                               const char *name,
                               gboolean    on)
{
  if (on)
    _hangar_config_ensure_child (parent, name);
  else
    _hangar_config_remove_children (parent, name);
}

/* Targets and MAC addresses go into XPath expressions: only plain ones. */
gboolean
_hangar_config_is_plain_key (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != ':' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}
