/* hangar-xml.c — libxml2 and XPath helpers for reading and editing libvirt's XML.
 *
 * Readers: an empty value counts as no value, so every string they return
 * is either NULL or has something in it. Editors: an empty value removes
 * the attribute or child it would have set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/xpathInternals.h>

#include "hangar-xml.h"

/* --- documents ------------------------------------------------------------------- */

/**
 * hangar_xml_parse:
 * @xml: (nullable): a document
 * @error: (nullable): where to say why @xml is not one
 *
 * Parses without touching the network and without printing libxml2's
 * complaints.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL when @xml is
 *   %NULL, not well-formed or has no root element
 */
xmlDoc *
hangar_xml_parse (const char  *xml,
                  GError     **error)
{
  xmlDoc *doc = NULL;
  const xmlError *err;
  g_autofree char *message = NULL;

  if (xml != NULL)
    doc = xmlReadMemory (xml, strlen (xml), "libvirt.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc != NULL && xmlDocGetRootElement (doc) != NULL)
    return doc;
  g_clear_pointer (&doc, xmlFreeDoc);
  if (error == NULL)
    return NULL;

  err = xml != NULL ? xmlGetLastError () : NULL;
  /* Stripped in a copy of its own, freed here: every bad document the XML
   * editor was given leaked one (found by fuzz-domain-xml). */
  message = g_strdup (err && err->message ? err->message : "?");
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The XML is not well-formed: %s"),
               g_strstrip (message));
  return NULL;
}

/* Returns: (transfer full): @doc as text, indented. */
char *
hangar_xml_dump_doc (xmlDoc *doc)
{
  xmlChar *buf = NULL;
  int len = 0;
  char *ret;

  xmlDocDumpFormatMemory (doc, &buf, &len, 1);
  ret = g_strndup ((const char *) buf, len);
  xmlFree (buf);
  return ret;
}

/* Returns: (transfer full): @node and what it holds as text, as it is. */
char *
hangar_xml_dump_node (xmlNode *node)
{
  xmlBuffer *buf = xmlBufferCreate ();
  char *ret;

  xmlNodeDump (buf, node->doc, node, 0, 0);
  ret = g_strdup ((const char *) xmlBufferContent (buf));
  xmlBufferFree (buf);
  return ret;
}

/* --- XPath ----------------------------------------------------------------------- */

static xmlXPathObject *
eval (xmlDoc     *doc,
      xmlNode    *node,
      const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = NULL;

  if (doc == NULL)
    return NULL;
  ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST HANGAR_LIBOSINFO_NS, BAD_CAST HANGAR_LIBOSINFO_NS_URI);
  if (node != NULL)
    ctx->node = node;
  return xmlXPathEvalExpression (BAD_CAST expr, ctx);
}

/**
 * hangar_xml_string:
 * @doc: (nullable): the document
 * @node: (nullable): what a relative @expr starts from
 * @expr: an XPath expression
 *
 * Returns: (transfer full) (nullable): the string value of @expr (for
 *   nodes, the text of the first), or %NULL when it is empty
 */
char *
hangar_xml_string (xmlDoc     *doc,
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

/* The decimal number @expr reads as, 0 when it is empty. */
guint64
hangar_xml_uint (xmlDoc     *doc,
                 xmlNode    *node,
                 const char *expr)
{
  g_autofree char *s = hangar_xml_string (doc, node, expr);

  return s ? g_ascii_strtoull (s, NULL, 10) : 0;
}

/* Whether @expr selects at least one node. */
gboolean
hangar_xml_exists (xmlDoc     *doc,
                   xmlNode    *node,
                   const char *expr)
{
  g_autoptr(xmlXPathObject) obj = eval (doc, node, expr);

  return obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL
         && obj->nodesetval->nodeNr > 0;
}

/**
 * hangar_xml_nodes:
 *
 * Returns: (transfer container) (element-type xmlNode): the nodes @expr
 *   selects, in document order; still owned by @doc
 */
GPtrArray *
hangar_xml_nodes (xmlDoc     *doc,
                  xmlNode    *node,
                  const char *expr)
{
  g_autoptr(xmlXPathObject) obj = eval (doc, node, expr);
  GPtrArray *nodes = g_ptr_array_new ();

  if (obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL)
    for (int i = 0; i < obj->nodesetval->nodeNr; i++)
      g_ptr_array_add (nodes, obj->nodesetval->nodeTab[i]);
  return nodes;
}

/* Returns: (transfer none) (nullable): the first node @expr selects. */
xmlNode *
hangar_xml_node (xmlDoc     *doc,
                 xmlNode    *node,
                 const char *expr)
{
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, node, expr);

  return nodes->len > 0 ? g_ptr_array_index (nodes, 0) : NULL;
}

/**
 * hangar_xml_strings:
 *
 * Returns: (transfer full) (element-type utf8): the text of every node
 *   @expr selects, leaving out the empty ones
 */
GPtrArray *
hangar_xml_strings (xmlDoc     *doc,
                    xmlNode    *node,
                    const char *expr)
{
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, node, expr);
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlChar *content = xmlNodeGetContent (g_ptr_array_index (nodes, i));

      if (content != NULL && content[0] != '\0')
        g_ptr_array_add (strings, g_strdup ((const char *) content));
      xmlFree (content);
    }
  return strings;
}

/* Whether @s may be put between quotes in an XPath expression as it is:
 * device targets, MAC addresses and element names are plain. */
gboolean
hangar_xml_is_plain_key (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != ':' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* --- nodes ----------------------------------------------------------------------- */

/* An attribute's value, or NULL when @node is NULL or it is missing or empty. */
char *
hangar_xml_attr (xmlNode    *node,
                 const char *name)
{
  xmlChar *value = node ? xmlGetProp (node, BAD_CAST name) : NULL;
  char *ret = value && value[0] ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return ret;
}

/* Returns: (transfer none) (nullable): the first child element called @name. */
xmlNode *
hangar_xml_child (xmlNode    *parent,
                  const char *name)
{
  for (xmlNode *n = parent->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrcmp (n->name, BAD_CAST name) == 0)
      return n;
  return NULL;
}

/* Returns: (transfer none): the first child element called @name, added
 * (empty, last) when there is none. */
xmlNode *
hangar_xml_ensure_child (xmlNode    *parent,
                         const char *name)
{
  xmlNode *n = hangar_xml_child (parent, name);

  return n != NULL ? n : xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

static void
free_node (xmlNode *node)
{
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

void
hangar_xml_remove_children (xmlNode    *parent,
                            const char *name)
{
  xmlNode *n;

  while ((n = hangar_xml_child (parent, name)) != NULL)
    free_node (n);
}

/* Removes every node @expr selects in @doc. */
void
hangar_xml_remove_nodes (xmlDoc     *doc,
                         const char *expr)
{
  g_autoptr(GPtrArray) nodes = hangar_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    free_node (g_ptr_array_index (nodes, i));
}

/* Replaces what @node holds with @text, escaped. */
void
hangar_xml_set_text (xmlNode    *node,
                     const char *text)
{
  xmlNodeSetContent (node, NULL);
  xmlNodeAddContent (node, BAD_CAST text);
}

void
hangar_xml_set_or_remove_text_child (xmlNode    *parent,
                                     const char *name,
                                     const char *text)
{
  if (text == NULL || *text == '\0')
    hangar_xml_remove_children (parent, name);
  else
    hangar_xml_set_text (hangar_xml_ensure_child (parent, name), text);
}

/* An empty child such as <readonly/>, there when @on. */
void
hangar_xml_set_flag_child (xmlNode    *parent,
                           const char *name,
                           gboolean    on)
{
  if (on)
    hangar_xml_ensure_child (parent, name);
  else
    hangar_xml_remove_children (parent, name);
}

void
hangar_xml_set_prop (xmlNode    *node,
                     const char *name,
                     const char *value)
{
  if (value == NULL || *value == '\0')
    xmlUnsetProp (node, BAD_CAST name);
  else
    xmlSetProp (node, BAD_CAST name, BAD_CAST value);
}

void
hangar_xml_set_prop_uint (xmlNode    *node,
                          const char *name,
                          guint64     value)
{
  g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  xmlSetProp (node, BAD_CAST name, BAD_CAST s);
}

/* --- values ---------------------------------------------------------------------- */

/* "0000:01:00.0" from the four numbers libvirt writes a PCI address with
 * ("0x0000" or "0" style); a missing part counts as 0. */
char *
hangar_xml_pci_address (const char *domain,
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
