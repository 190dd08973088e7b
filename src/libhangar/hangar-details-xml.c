/* hangar-details-xml.c — small libxml2 helpers shared by the details' workers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hangar-details-xml.h"

/* A document, or NULL when @xml is not well-formed. */
xmlDoc *
_hangar_xml_parse (const char *xml)
{
  xmlDoc *doc;

  if (xml == NULL)
    return NULL;
  doc = xmlReadMemory (xml, strlen (xml), "libvirt.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc != NULL && xmlDocGetRootElement (doc) == NULL)
    g_clear_pointer (&doc, xmlFreeDoc);
  return doc;
}

/* The nodes @expr selects, relative to @node when given. */
GPtrArray *
_hangar_xml_nodes (xmlDoc     *doc,
                   xmlNode    *node,
                   const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = xmlXPathNewContext (doc);
  g_autoptr(xmlXPathObject) obj = NULL;
  GPtrArray *nodes = g_ptr_array_new ();

  if (node != NULL)
    ctx->node = node;
  obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  if (obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL)
    for (int i = 0; i < obj->nodesetval->nodeNr; i++)
      g_ptr_array_add (nodes, obj->nodesetval->nodeTab[i]);
  return nodes;
}

xmlNode *
_hangar_xml_node (xmlDoc     *doc,
                  xmlNode    *node,
                  const char *expr)
{
  g_autoptr(GPtrArray) nodes = _hangar_xml_nodes (doc, node, expr);

  return nodes->len > 0 ? g_ptr_array_index (nodes, 0) : NULL;
}

/* An attribute's value, or NULL when missing or empty. */
char *
_hangar_xml_attr (xmlNode    *node,
                  const char *name)
{
  xmlChar *value = node ? xmlGetProp (node, BAD_CAST name) : NULL;
  char *ret = value && value[0] ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return ret;
}

void
_hangar_xml_remove_nodes (xmlDoc     *doc,
                          const char *expr)
{
  g_autoptr(GPtrArray) nodes = _hangar_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlNode *node = g_ptr_array_index (nodes, i);

      xmlUnlinkNode (node);
      xmlFreeNode (node);
    }
}

/* "0000:01:00.0" from libvirt's four numbers ("0x0000" or "0" style); a
 * missing part counts as 0. */
char *
_hangar_pci_address (const char *domain,
                     const char *bus,
                     const char *slot,
                     const char *function)
{
  return g_strdup_printf ("%04x:%02x:%02x.%x",
                          (guint) g_ascii_strtoull (domain ? domain : "0", NULL, 0),
                          (guint) g_ascii_strtoull (bus ? bus : "0", NULL, 0),
                          (guint) g_ascii_strtoull (slot ? slot : "0", NULL, 0),
                          (guint) g_ascii_strtoull (function ? function : "0", NULL, 0));
}
