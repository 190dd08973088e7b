/* hangar-uri.c — libvirt URI validation, readable names and the default connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixsocketaddress.h>

#include "hangar-ssh.h"
#include "hangar-uri.h"

G_DEFINE_QUARK (hangar-uri-error-quark, hangar_uri_error)

typedef struct
{
  const char *driver;
  const char *label;
} DriverName;

static const DriverName drivers[] = {
  { "qemu", "QEMU/KVM" },
  { "test", "Test" },
  { "lxc", "LXC" },
  { "xen", "Xen" },
  { "libxl", "Xen" },
  { "ch", "Cloud Hypervisor" },
  { "bhyve", "bhyve" },
  { "vbox", "VirtualBox" },
  { "vz", "Virtuozzo" },
  { "esx", "VMware ESX" },
  { "openvz", "OpenVZ" },
};

static const char *transports[] = {
  "ssh", "libssh", "libssh2", "tcp", "tls", "unix", "ext",
};

static const DriverName *
find_driver (const char *driver)
{
  for (guint i = 0; i < G_N_ELEMENTS (drivers); i++)
    if (g_str_equal (drivers[i].driver, driver))
      return &drivers[i];
  return NULL;
}

static GUri *
parse (const char *uri)
{
  /* libvirt URIs carry options such as keyfile=/path in the query, so keep
   * the text as the user wrote it and only split it. */
  return g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
}

/**
 * hangar_uri_validate:
 * @uri: a libvirt connection URI
 *
 * Checks @uri before it is handed to libvirt, with one message for each
 * kind of mistake a person makes when typing one.
 */
gboolean
hangar_uri_validate (const char  *uri,
                     GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *scheme = NULL;
  const char *plus;
  const char *host;
  const char *user;
  g_autofree char *trimmed = g_strstrip (g_strdup (uri ? uri : ""));

  if (*trimmed == '\0')
    {
      g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_EMPTY,
                   _("The connection address is empty."));
      return FALSE;
    }

  parsed = parse (uri);
  if (parsed == NULL || strstr (uri, "://") == NULL)
    {
      g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_SYNTAX,
                   _("“%s” is not a connection address. It should look like qemu:///system "
                     "or qemu+ssh://user@host/system."), uri);
      return FALSE;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (parsed), -1);
  plus = strchr (scheme, '+');
  if (plus != NULL)
    {
      g_autofree char *driver = g_strndup (scheme, plus - scheme);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
        known |= g_str_equal (transports[i], plus + 1);
      if (!known)
        {
          g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_UNKNOWN_TRANSPORT,
                       _("“%s” is not a transport libvirt knows. Use ssh, tcp, tls or unix."),
                       plus + 1);
          return FALSE;
        }
      scheme[plus - scheme] = '\0';
    }

  if (find_driver (scheme) == NULL)
    {
      g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_UNKNOWN_DRIVER,
                   _("“%s” is not a hypervisor driver libvirt knows. "
                     "Try qemu, lxc, xen or test."), scheme);
      return FALSE;
    }

  /* Host and user names end up on ssh's command line, and through a
   * ProxyCommand's %h and %r maybe in a shell: judge them as ssh will get
   * them, decoded ("%2Dhost" is "-host"). */
  host = g_uri_get_host (parsed);
  if (host != NULL && *host != '\0')
    {
      g_autofree char *decoded = g_uri_unescape_string (host, NULL);
      g_autofree char *shown = g_strescape (decoded ? decoded : host, NULL);

      if (decoded != NULL && decoded[0] == '-')
        {
          g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_BAD_HOST,
                       _("The host name “%s” may not start with “-”."), shown);
          return FALSE;
        }
      if (decoded == NULL || !hangar_ssh_host_is_valid (decoded))
        {
          g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_BAD_HOST,
                       _("The host name “%s” contains characters a host name cannot have. "
                         "Use letters, digits, “.”, “-” and “_”, or an IP address."), shown);
          return FALSE;
        }
    }
  user = g_uri_get_user (parsed);
  if (user != NULL && *user != '\0')
    {
      g_autofree char *decoded = g_uri_unescape_string (user, NULL);
      g_autofree char *shown = g_strescape (decoded ? decoded : user, NULL);

      if (decoded != NULL && decoded[0] == '-')
        {
          g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_BAD_USER,
                       _("The user name “%s” may not start with “-”."), shown);
          return FALSE;
        }
      if (decoded == NULL || !hangar_ssh_user_is_valid (decoded))
        {
          g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_BAD_USER,
                       _("The user name “%s” contains characters a user name cannot have. "
                         "Use letters, digits, “.”, “-” and “_”."), shown);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * hangar_uri_skips_host_key_check:
 * @uri: a libvirt connection URI
 *
 * Returns: whether @uri reaches its host over ssh with `no_verify=1`,
 *   taking whatever host key it is shown: something to tell the user
 */
gboolean
hangar_uri_skips_host_key_check (const char *uri)
{
  g_autoptr(HangarSshTarget) target = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  target = hangar_ssh_target_new_from_uri (uri, NULL);
  return target != NULL && target->no_verify;
}

char *
hangar_uri_get_driver (const char *uri)
{
  g_autoptr(GUri) parsed = parse (uri);
  char *scheme;
  char *plus;

  if (parsed == NULL)
    return NULL;
  scheme = g_ascii_strdown (g_uri_get_scheme (parsed), -1);
  if ((plus = strchr (scheme, '+')) != NULL)
    *plus = '\0';
  return scheme;
}

gboolean
hangar_uri_is_local (const char *uri)
{
  g_autoptr(GUri) parsed = parse (uri);
  const char *host;

  if (parsed == NULL)
    return FALSE;
  /* Only a URI without a host reaches this machine's own files. */
  host = g_uri_get_host (parsed);
  return host == NULL || *host == '\0';
}

/**
 * hangar_uri_display_name:
 * @uri: a libvirt connection URI
 *
 * Returns: (transfer full): a name for people, such as
 *   “QEMU/KVM — localhost” or “QEMU/KVM — root@server”.
 */
char *
hangar_uri_display_name (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *driver = NULL;
  const DriverName *known;
  const char *label;
  const char *host;
  const char *user;
  const char *path;

  g_return_val_if_fail (uri != NULL, NULL);

  parsed = parse (uri);
  if (parsed == NULL)
    return g_strdup (uri);

  driver = hangar_uri_get_driver (uri);
  known = find_driver (driver);
  label = known ? known->label : driver;
  host = g_uri_get_host (parsed);
  user = g_uri_get_user (parsed);
  path = g_uri_get_path (parsed);

  if (g_str_equal (driver, "test"))
    {
      g_autofree char *base = g_path_get_basename (path && *path ? path : "/default");
      return g_strdup_printf ("%s — %s", label, base);
    }

  if (host == NULL || *host == '\0')
    {
      if (g_strcmp0 (path, "/session") == 0)
        /* Translators: the per-user libvirt daemon, as opposed to the system one */
        return g_strdup_printf (_("%s User session"), label);
      return g_strdup_printf ("%s — localhost", label);
    }

  if (user != NULL && *user != '\0')
    return g_strdup_printf ("%s — %s@%s", label, user, host);
  return g_strdup_printf ("%s — %s", label, host);
}

static gboolean
socket_answers (const char *path)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) addr = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  sock = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, NULL);
  if (sock == NULL)
    return FALSE;
  addr = g_unix_socket_address_new (path);
  return g_socket_connect (sock, addr, NULL, NULL);
}

/**
 * hangar_uri_pick_default:
 * @system_socket_dir: where the system daemon's sockets live (normally
 *   /var/run/libvirt), or %NULL for that
 *
 * The connection used when nothing is saved: the system daemon when we can
 * reach its socket, else the per-user session, which libvirt starts on
 * demand so a fresh desktop needs no set-up.
 *
 * Returns: (transfer full): a URI
 */
char *
hangar_uri_pick_default (const char *system_socket_dir)
{
  static const char *sockets[] = { "virtqemud-sock", "libvirt-sock" };
  const char *dir = system_socket_dir ? system_socket_dir : "/var/run/libvirt";

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      g_autofree char *path = g_build_filename (dir, sockets[i], NULL);

      if (socket_answers (path))
        return g_strdup ("qemu:///system");
    }
  return g_strdup ("qemu:///session");
}

/**
 * hangar_uri_build:
 * @user: (nullable): the remote user (ssh only; TCP and TLS ask through SASL)
 * @host_and_port: (nullable): “host” or “host:port”, for a remote connection
 *
 * The URI the Add Connection dialog shows as the user picks options.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with @error set
 *   when the host is missing or malformed
 */
char *
hangar_uri_build (HangarHypervisor   hypervisor,
                  gboolean           remote,
                  HangarTransport    transport,
                  const char        *user,
                  const char        *host_and_port,
                  GError           **error)
{
  static const char *schemes[] = { "qemu", "qemu", "lxc", "xen" };
  static const char *paths[] = { "/system", "/session", "/", "/system" };
  static const char *transports_[] = { "ssh", "tcp", "tls" };
  g_autofree char *host = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GString) authority = NULL;

  g_return_val_if_fail (hypervisor <= HANGAR_HYPERVISOR_XEN, NULL);
  g_return_val_if_fail (transport <= HANGAR_TRANSPORT_TLS, NULL);

  if (!remote)
    return g_strdup_printf ("%s://%s", schemes[hypervisor], paths[hypervisor]);

  host = g_strstrip (g_strdup (host_and_port ? host_and_port : ""));
  if (*host == '\0')
    {
      g_set_error (error, HANGAR_URI_ERROR, HANGAR_URI_ERROR_BAD_HOST,
                   _("Enter the name or address of the remote host."));
      return NULL;
    }

  authority = g_string_new (NULL);
  if (transport == HANGAR_TRANSPORT_SSH && user != NULL && *user != '\0')
    {
      g_autofree char *escaped =
        g_uri_escape_string (user, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS, FALSE);
      g_string_append_printf (authority, "%s@", escaped);
    }
  g_string_append (authority, host);

  uri = g_strdup_printf ("%s+%s://%s%s", schemes[hypervisor], transports_[transport],
                         authority->str, paths[hypervisor]);
  if (!hangar_uri_validate (uri, error))
    return NULL;
  return g_steal_pointer (&uri);
}
