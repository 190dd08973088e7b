/* hangar-details-xml.h — small libxml2 helpers shared by the details' workers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

xmlDoc    *_hangar_xml_parse        (const char *xml);
GPtrArray *_hangar_xml_nodes        (xmlDoc     *doc,
                                     xmlNode    *node,
                                     const char *expr);
xmlNode   *_hangar_xml_node         (xmlDoc     *doc,
                                     xmlNode    *node,
                                     const char *expr);
char      *_hangar_xml_attr         (xmlNode    *node,
                                     const char *name);
void       _hangar_xml_remove_nodes (xmlDoc     *doc,
                                     const char *expr);
char      *_hangar_pci_address      (const char *domain,
                                     const char *bus,
                                     const char *slot,
                                     const char *function);

G_END_DECLS
