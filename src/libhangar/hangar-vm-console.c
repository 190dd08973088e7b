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
          {
            g_autofree char *mode = attribute_string (device, "defaultMode");

            info->secure_only = g_strcmp0 (mode, "secure") == 0;
          }
          info->password = attribute_string (device, "passwd");
        }
      /* libvirt writes one <devices>. */
      break;
    }
  xmlFreeDoc (doc);

  return info;
}

/* --- the route to the display (review finding M7) ------------------------------ */

void
hangar_console_plan_free (HangarConsolePlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->host);
  g_free (plan->ca_file);
  g_free (plan->listen);
  g_free (plan->uri_host);
  g_free (plan->reason);
  g_free (plan);
}

/**
 * hangar_console_address_is_loopback:
 * @address: a host name or address
 *
 * Returns: whether @address names this machine's loopback ("localhost",
 *   127.0.0.0/8, ::1, ::ffff:127.x)
 */
gboolean
hangar_console_address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (address == NULL || *address == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (address, "localhost") == 0
      || g_ascii_strcasecmp (address, "localhost.localdomain") == 0
      || g_ascii_strcasecmp (address, "localhost6") == 0)
    return TRUE;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    return FALSE;
  if (g_inet_address_get_is_loopback (inet))
    return TRUE;
  /* An IPv4 loopback written as IPv6 (::ffff:127.0.0.1). */
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (inet);
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      return memcmp (bytes, mapped, sizeof mapped) == 0 && bytes[12] == 127;
    }
  return FALSE;
}

static gboolean
address_is_wildcard (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (address == NULL || *address == '\0')
    return TRUE;
  inet = g_inet_address_new_from_string (address);
  return inet != NULL && g_inet_address_get_is_any (inet);
}

/* Two spellings of one address (::1 and 0:0::1) are one address. */
static gboolean
same_address (const char *a,
              const char *b)
{
  g_autoptr(GInetAddress) ia = NULL;
  g_autoptr(GInetAddress) ib = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (a, b) == 0)
    return TRUE;
  ia = g_inet_address_new_from_string (a);
  ib = g_inet_address_new_from_string (b);
  return ia != NULL && ib != NULL && g_inet_address_equal (ia, ib);
}

/**
 * hangar_console_uri_host:
 * @uri: a libvirt connection URI
 *
 * Returns: (nullable): the host of @uri, or %NULL when it names none (a
 *   connection to this machine)
 */
char *
hangar_console_uri_host (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *host;

  if (uri == NULL)
    return NULL;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  host = parsed != NULL ? g_uri_get_host (parsed) : NULL;
  return host != NULL && *host != '\0' ? g_uri_unescape_string (host, NULL) : NULL;
}

static gboolean
uri_is_ssh (const char *uri)
{
  const char *scheme = uri != NULL ? g_uri_peek_scheme (uri) : NULL;

  return scheme != NULL
         && (g_str_has_suffix (scheme, "+ssh") || g_str_has_suffix (scheme, "+libssh")
             || g_str_has_suffix (scheme, "+libssh2"));
}

/**
 * hangar_console_ca_file_for_uri:
 * @uri: a libvirt connection URI
 *
 * The certificate authority libvirt's own TLS client would trust for
 * @uri's host: `pkipath=DIR` in the URI gives DIR/cacert.pem; else
 * ~/.pki/libvirt/cacert.pem for a user who has one (not root), else
 * /etc/pki/CA/cacert.pem (libvirt's "TLS x509 certificate configuration").
 *
 * Returns: (transfer full): the file's path (it may not exist)
 */
char *
hangar_console_ca_file_for_uri (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *query;

  parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL) : NULL;
  query = parsed != NULL ? g_uri_get_query (parsed) : NULL;
  if (query != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&",
                                                         G_URI_PARAMS_CASE_INSENSITIVE, NULL);
      const char *pkipath = params != NULL ? g_hash_table_lookup (params, "pkipath") : NULL;

      if (pkipath != NULL && *pkipath != '\0')
        return g_build_filename (pkipath, "cacert.pem", NULL);
    }
  if (geteuid () != 0)
    {
      g_autofree char *user = g_build_filename (g_get_home_dir (), ".pki", "libvirt",
                                                "cacert.pem", NULL);

      if (g_file_test (user, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&user);
    }
  return g_strdup ("/etc/pki/CA/cacert.pem");
}

/**
 * hangar_console_plan_new:
 * @info: the machine's graphics device
 * @uri: its connection's URI
 * @local: whether the connection is on this machine (libvirt hands out
 *   sockets to the display)
 * @host_addresses: (nullable) (array zero-terminated=1): the addresses the
 *   URI's host resolves to, if known
 *
 * Decides how the console reaches the display, without a window or the
 * network: libvirt's socket on a local connection, an ssh tunnel for
 * qemu+ssh, else TCP, with TLS (every channel, the server checked against
 * the connection's CA) whenever SPICE offers a TLS port. A listen address
 * that is neither the URI's host (by name or by @host_addresses) nor
 * loopback-equivalent needs the user's confirmation; a plaintext route
 * off this machine gets no saved password unasked.
 *
 * Returns: (transfer full): the plan
 */
HangarConsolePlan *
hangar_console_plan_new (const HangarGraphicsInfo *info,
                         const char               *uri,
                         gboolean                  local,
                         const char * const       *host_addresses)
{
  HangarConsolePlan *plan = g_new0 (HangarConsolePlan, 1);
  gboolean uri_host_is_local;
  gboolean listen_is_host = FALSE;

  /* Nothing to reach until decided otherwise. */
  plan->route = HANGAR_CONSOLE_ROUTE_NONE;
  g_return_val_if_fail (info != NULL, plan);

  plan->port = info->port;
  plan->tls_port = -1;
  plan->listen = g_strdup (info->listen);
  plan->uri_host = hangar_console_uri_host (uri);
  uri_host_is_local = plan->uri_host == NULL || hangar_console_address_is_loopback (plan->uri_host);

  if (local)
    {
      plan->route = HANGAR_CONSOLE_ROUTE_LIBVIRT;
      plan->encrypted = TRUE;
      plan->send_saved_password = TRUE;
      return plan;
    }

  if (address_is_wildcard (info->listen))
    listen_is_host = TRUE;
  else if (plan->uri_host != NULL && same_address (info->listen, plan->uri_host))
    listen_is_host = TRUE;
  else
    for (guint i = 0; host_addresses != NULL && host_addresses[i] != NULL; i++)
      if (same_address (info->listen, host_addresses[i]))
        listen_is_host = TRUE;

  if (uri_is_ssh (uri))
    {
      /* The tunnel starts on the host: its loopback is the server's. */
      plan->route = HANGAR_CONSOLE_ROUTE_SSH;
      plan->host = g_strdup (address_is_wildcard (info->listen) ? "127.0.0.1" : info->listen);
      plan->encrypted = TRUE;
      plan->send_saved_password = TRUE;
      if (plan->port <= 0)
        {
          plan->route = HANGAR_CONSOLE_ROUTE_NONE;
          plan->reason = g_strdup (_("This machine’s display listens on no network port, so it "
                                     "can only be shown on its own host. Give its display a "
                                     "listen address and an automatic port to see it from here."));
        }
      return plan;
    }

  plan->route = HANGAR_CONSOLE_ROUTE_TCP;
  if (listen_is_host)
    /* By the name in the URI, which the server's certificate names. */
    plan->host = g_strdup (plan->uri_host != NULL ? plan->uri_host : "127.0.0.1");
  else if (hangar_console_address_is_loopback (info->listen))
    {
      if (!uri_host_is_local)
        {
          plan->route = HANGAR_CONSOLE_ROUTE_NONE;
          plan->reason = g_strdup_printf (_("This machine’s display listens on %s, the loopback "
                                            "address of its host: it can only be reached through "
                                            "an SSH connection to the host, not from here."),
                                          info->listen);
          return plan;
        }
      plan->host = g_strdup (info->listen);
    }
  else
    {
      plan->host = g_strdup (info->listen);
      plan->confirm_listen = TRUE;
    }

  if (info->type == HANGAR_GRAPHICS_SPICE && info->tls_port > 0)
    {
      plan->tls = TRUE;
      plan->tls_port = info->tls_port;
      plan->ca_file = hangar_console_ca_file_for_uri (uri);
      plan->encrypted = TRUE;
    }
  else if (info->secure_only || info->port <= 0)
    {
      plan->route = HANGAR_CONSOLE_ROUTE_NONE;
      plan->reason = info->secure_only
        ? g_strdup (_("This machine’s display accepts secure connections only, but offers no "
                      "TLS port."))
        : g_strdup (_("This machine’s display listens on no network port, so it can only be "
                      "shown on its own host. Give its display a listen address and an "
                      "automatic port to see it from here."));
      return plan;
    }
  else
    plan->encrypted = hangar_console_address_is_loopback (plan->host)
                      || (plan->uri_host == NULL && listen_is_host);
  plan->send_saved_password = plan->encrypted;
  return plan;
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
