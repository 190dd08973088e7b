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
#include <unistd.h>

#include "hangar-connection-private.h"
#include "hangar-gconfig.h"
#include "hangar-vm-console.h"
#include "hangar-vm-job-private.h"

void
hangar_graphics_info_free (HangarGraphicsInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->listen);
  g_free (info->password);
  g_free (info);
}

/* gconfig 4.0 has typed getters for few graphics attributes; these read
 * the element's own attributes from its XML. Only the first tag is looked
 * at, so a <listen> child cannot be mistaken for the element. */
static char *
attribute_string (const char *xml,
                  const char *name)
{
  g_autofree char *tag = NULL;
  g_autofree char *needle = g_strdup_printf (" %s=", name);
  const char *close = strchr (xml, '>');
  const char *at;
  char quote;
  const char *end;

  tag = close ? g_strndup (xml, close - xml) : g_strdup (xml);
  at = strstr (tag, needle);
  if (at == NULL)
    return NULL;
  at += strlen (needle);
  quote = *at++;
  if (quote != '\'' && quote != '"')
    return NULL;
  end = strchr (at, quote);
  return end ? g_strndup (at, end - at) : NULL;
}

static int
attribute_int (const char *xml,
               const char *name)
{
  g_autofree char *value = attribute_string (xml, name);

  return value ? atoi (value) : -1;
}

/**
 * hangar_graphics_info_parse:
 * @domain_xml: a domain's XML, live (ports are only known while running)
 *
 * Returns: (transfer full): the first graphics device, or one of type
 *   %HANGAR_GRAPHICS_NONE when the machine has none
 */
HangarGraphicsInfo *
hangar_graphics_info_parse (const char  *domain_xml,
                            GError     **error)
{
  g_autoptr(GVirConfigDomain) config = NULL;
  HangarGraphicsInfo *info;
  GList *devices;

  /* libvirt-gconfig 4.0 dereferences a NULL node for an empty document
   * instead of failing (found by tests/fuzz/fuzz-domain-xml). */
  if (domain_xml == NULL || domain_xml[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The machine’s definition is empty."));
      return NULL;
    }
  config = gvir_config_domain_new_from_xml (domain_xml, error);
  if (config == NULL)
    return NULL;

  info = g_new0 (HangarGraphicsInfo, 1);
  info->type = HANGAR_GRAPHICS_NONE;
  info->port = info->tls_port = -1;

  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      GVirConfigObject *device = l->data;
      g_autofree char *xml = NULL;

      if (GVIR_CONFIG_IS_DOMAIN_CHARDEV (device)
          && (GVIR_CONFIG_IS_DOMAIN_SERIAL (device) || GVIR_CONFIG_IS_DOMAIN_CONSOLE (device)))
        info->has_serial = TRUE;

      if (info->type != HANGAR_GRAPHICS_NONE || !GVIR_CONFIG_IS_DOMAIN_GRAPHICS (device))
        continue;

      xml = gvir_config_object_to_xml (device);
      if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS_VNC (device))
        info->type = HANGAR_GRAPHICS_VNC;
      else if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS_SPICE (device))
        info->type = HANGAR_GRAPHICS_SPICE;
      else
        info->type = HANGAR_GRAPHICS_OTHER;
      info->port = attribute_int (xml, "port");
      info->tls_port = attribute_int (xml, "tlsPort");
      info->listen = attribute_string (xml, "listen");
      info->password = attribute_string (xml, "passwd");
    }
  g_list_free_full (devices, g_object_unref);

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
      error = _hangar_libvirt_error (_("Could not read the machine’s definition"));
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
          error = _hangar_libvirt_error (_("Could not open the machine’s display"));
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
