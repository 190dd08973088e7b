/* hangar-xml.h — libxml2 and XPath helpers for reading and editing libvirt's XML.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

/* The one place these are defined: a second definition does not compile. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

/* The libosinfo namespace virt-install and GNOME Boxes write into
 * <metadata>, so every tool knows which OS a machine runs. XPath
 * expressions given to these helpers may use its prefix. */
#define HANGAR_LIBOSINFO_NS     "libosinfo"
#define HANGAR_LIBOSINFO_NS_URI "http://libosinfo.org/xmlns/libvirt/domain/1.0"

xmlDoc     *hangar_xml_parse                     (const char  *xml,
                                                  GError     **error);
char       *hangar_xml_dump_doc                  (xmlDoc      *doc);
char       *hangar_xml_dump_node                 (xmlNode     *node);

char       *hangar_xml_string                    (xmlDoc      *doc,
                                                  xmlNode     *node,
                                                  const char  *expr);
guint64     hangar_xml_uint                      (xmlDoc      *doc,
                                                  xmlNode     *node,
                                                  const char  *expr);
gboolean    hangar_xml_exists                    (xmlDoc      *doc,
                                                  xmlNode     *node,
                                                  const char  *expr);
GPtrArray  *hangar_xml_strings                   (xmlDoc      *doc,
                                                  xmlNode     *node,
                                                  const char  *expr);
GPtrArray  *hangar_xml_nodes                     (xmlDoc      *doc,
                                                  xmlNode     *node,
                                                  const char  *expr);
xmlNode    *hangar_xml_node                      (xmlDoc      *doc,
                                                  xmlNode     *node,
                                                  const char  *expr);
gboolean    hangar_xml_is_plain_key              (const char  *s);

char       *hangar_xml_attr                      (xmlNode     *node,
                                                  const char  *name);
xmlNode    *hangar_xml_child                     (xmlNode     *parent,
                                                  const char  *name);

xmlNode    *hangar_xml_ensure_child              (xmlNode     *parent,
                                                  const char  *name);
void        hangar_xml_remove_children           (xmlNode     *parent,
                                                  const char  *name);
void        hangar_xml_remove_nodes              (xmlDoc      *doc,
                                                  const char  *expr);
void        hangar_xml_set_text                  (xmlNode     *node,
                                                  const char  *text);
void        hangar_xml_set_or_remove_text_child  (xmlNode     *parent,
                                                  const char  *name,
                                                  const char  *text);
void        hangar_xml_set_flag_child            (xmlNode     *parent,
                                                  const char  *name,
                                                  gboolean     on);
void        hangar_xml_set_prop                  (xmlNode     *node,
                                                  const char  *name,
                                                  const char  *value);
void        hangar_xml_set_prop_uint             (xmlNode     *node,
                                                  const char  *name,
                                                  guint64      value);

char       *hangar_xml_pci_address               (const char  *domain,
                                                  const char  *bus,
                                                  const char  *slot,
                                                  const char  *function);

G_END_DECLS
