/* hangar-vm-console.c — where a machine's screen is and how to reach it.
 *
 * On a local connection the display server is reached through
 * virDomainOpenGraphicsFD: libvirt hands over a socket already connected
 * to QEMU's VNC or SPICE server, so no port has to be open or reachable and
 * no password is needed (libvirt has authorised us already).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

#include "hangar-connection-job.h"
#include "hangar-vm-console.h"
#include "hangar-secret.h"
#include "hangar-vm-job-private.h"

void
hangar_graphics_info_free (HangarGraphicsInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->listen);
  hangar_secret_free (info->password);
  g_free (info);
}

/* An attribute's value, entities decoded (a password "a&b" reads as
 * such, not as "a&amp;b"). */
static char *
attribute_string (xmlNode    *node,
                  const char *name)
{
  xmlChar *value = xmlGetProp (node, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* A port: -1 when absent, not a number or out of range (the XML may come
 * from anywhere; atoi() of a too long number is undefined). */
static int
attribute_port (xmlNode    *node,
                const char *name)
{
  g_autofree char *value = attribute_string (node, name);
  gint64 port;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, -1, 65535, &port, NULL))
    return -1;
  return port;
}

/**
 * hangar_graphics_info_parse:
 * @domain_xml: a domain's XML, live (ports are only known while running)
 *
 * Reads the elements of /domain/devices with libxml2 directly: building
 * libvirt-gconfig's objects for every device would only be thrown away,
 * and gconfig 4.0 logs a critical for device types newer than it (a
 * <filesystem type='volume'>, found by tests/fuzz/fuzz-domain-xml).
 *
 * Returns: (transfer full): the first graphics device, or one of type
 *   %HANGAR_GRAPHICS_NONE when the machine has none; %NULL with @error
 *   set when @domain_xml is not domain XML
 */
HangarGraphicsInfo *
hangar_graphics_info_parse (const char  *domain_xml,
                            GError     **error)
{
  HangarGraphicsInfo *info;
  xmlNode *root;
  xmlDoc *doc;

  g_return_val_if_fail (domain_xml != NULL, NULL);

  /* No network, no DTD, no entity expansion from outside. */
  doc = xmlReadMemory (domain_xml, strlen (domain_xml), "domain.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL || root->ns != NULL || !xmlStrEqual (root->name, BAD_CAST "domain"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The machine’s definition is not domain XML."));
      g_clear_pointer (&doc, xmlFreeDoc);
      return NULL;
    }

  info = g_new0 (HangarGraphicsInfo, 1);
  info->type = HANGAR_GRAPHICS_NONE;
  info->port = info->tls_port = -1;

  for (xmlNode *devices = root->children; devices != NULL; devices = devices->next)
    {
      if (devices->type != XML_ELEMENT_NODE || devices->ns != NULL
          || !xmlStrEqual (devices->name, BAD_CAST "devices"))
        continue;

      for (xmlNode *device = devices->children; device != NULL; device = device->next)
        {
          g_autofree char *type = NULL;

          /* Elements of other namespaces are not libvirt's. */
          if (device->type != XML_ELEMENT_NODE || device->ns != NULL)
            continue;
          if (xmlStrEqual (device->name, BAD_CAST "serial")
              || xmlStrEqual (device->name, BAD_CAST "console"))
            info->has_serial = TRUE;
          if (info->type != HANGAR_GRAPHICS_NONE || !xmlStrEqual (device->name, BAD_CAST "graphics"))
            continue;

          type = attribute_string (device, "type");
          if (g_strcmp0 (type, "vnc") == 0)
            info->type = HANGAR_GRAPHICS_VNC;
          else if (g_strcmp0 (type, "spice") == 0)
            info->type = HANGAR_GRAPHICS_SPICE;
          else
            info->type = HANGAR_GRAPHICS_OTHER;
          info->port = attribute_port (device, "port");
          info->tls_port = attribute_port (device, "tlsPort");
          info->listen = attribute_string (device, "listen");
          info->password = attribute_string (device, "passwd");
        }
      /* libvirt writes one <devices>. */
      break;
    }
  xmlFreeDoc (doc);

  return info;
}

typedef struct
{
  HangarVmJob   base;
  guint         n_fds;
} ConsoleJob;

static void
console_job_free (ConsoleJob *job)
{
  _hangar_vm_job_clear (&job->base);
  g_free (job);
}

static void
get_graphics_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ConsoleJob *job = task_data;
  GError *error = NULL;
  g_autofree char *xml = NULL;
  HangarGraphicsInfo *info;
  virDomainPtr dom;

  if ((dom = _hangar_vm_job_lookup_domain (&job->base, &error)) == NULL)
    {
      _hangar_vm_job_done (&job->base, NULL);
      g_task_return_error (task, error);
      return;
    }

  /* The password is in the secure XML, which a read-only connection may
   * not see: then the user is asked for it. */
  xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_SECURE);
  if (xml == NULL)
    {
      virResetLastError ();
      xml = virDomainGetXMLDesc (dom, 0);
    }
  if (xml == NULL)
    {
      error = hangar_libvirt_error_new (_("Could not read the machine’s definition"));
      _hangar_vm_job_done (&job->base, dom);
      g_task_return_error (task, error);
      return;
    }
  _hangar_vm_job_done (&job->base, dom);

  info = hangar_graphics_info_parse (xml, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) hangar_graphics_info_free);
}

/**
 * hangar_vm_get_graphics_async:
 *
 * Reads the machine's graphics device from its live XML.
 */
void
hangar_vm_get_graphics_async (HangarVm            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ConsoleJob *job;

  g_return_if_fail (HANGAR_IS_VM (self));

  job = g_new0 (ConsoleJob, 1);
  _hangar_vm_job_run (self, &job->base, (GDestroyNotify) console_job_free, cancellable, callback,
                      user_data, hangar_vm_get_graphics_async, get_graphics_thread);
}

/**
 * hangar_vm_get_graphics_finish:
 *
 * Returns: (transfer full): the graphics device, or %NULL with @error set
 */
HangarGraphicsInfo *
hangar_vm_get_graphics_finish (HangarVm      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
close_fds (GArray *fds)
{
  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));
  g_array_unref (fds);
}

static void
open_fds_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ConsoleJob *job = task_data;
  GArray *fds = g_array_new (FALSE, FALSE, sizeof (int));
  GError *error = NULL;
  virDomainPtr dom;

  if ((dom = _hangar_vm_job_lookup_domain (&job->base, &error)) == NULL)
    {
      _hangar_vm_job_done (&job->base, NULL);
      g_array_unref (fds);
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < job->n_fds; i++)
    {
      /* SKIPAUTH: libvirt already decided we may see this screen. */
      int fd = virDomainOpenGraphicsFD (dom, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);

      if (fd < 0)
        {
          error = hangar_libvirt_error_new (_("Could not open the machine’s display"));
          break;
        }
      g_array_append_val (fds, fd);
    }
  _hangar_vm_job_done (&job->base, dom);

  if (error != NULL)
    {
      close_fds (fds);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, fds, (GDestroyNotify) close_fds);
}

/**
 * hangar_vm_open_graphics_fds_async:
 * @n_fds: how many connections (SPICE makes one per channel)
 *
 * Opens @n_fds sockets connected to the machine's display server through
 * libvirt (virDomainOpenGraphicsFD). Works on local connections only:
 * the descriptors are passed over the daemon's UNIX socket.
 */
void
hangar_vm_open_graphics_fds_async (HangarVm            *self,
                                   guint                n_fds,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ConsoleJob *job;

  g_return_if_fail (HANGAR_IS_VM (self));
  g_return_if_fail (n_fds > 0);

  job = g_new0 (ConsoleJob, 1);
  job->n_fds = n_fds;
  _hangar_vm_job_run (self, &job->base, (GDestroyNotify) console_job_free, cancellable, callback,
                      user_data, hangar_vm_open_graphics_fds_async, open_fds_thread);
}

/**
 * hangar_vm_open_graphics_fds_finish:
 *
 * Returns: (transfer full) (element-type int): the descriptors; the caller
 *   owns them and the array
 */
GArray *
hangar_vm_open_graphics_fds_finish (HangarVm      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  GArray *fds;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  fds = g_task_propagate_pointer (G_TASK (result), error);
  return fds;
}
