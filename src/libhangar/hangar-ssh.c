/* hangar-ssh.c — ssh targets from libvirt URIs, and the ssh command lines for console tunnels.
 *
 * A remote machine's console is reached through `ssh -W LISTEN:PORT`,
 * which needs nothing on the far host but sshd (no nc). Every tunnel to a
 * host shares one multiplexed ssh connection (ControlMaster=auto with a
 * private ControlPath), so a SPICE console with eight channels costs one
 * login, not eight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-ssh.h"

G_DEFINE_QUARK (hangar-ssh-error-quark, hangar_ssh_error)

G_DEFINE_BOXED_TYPE (HangarSshTarget, hangar_ssh_target,
                     hangar_ssh_target_copy, hangar_ssh_target_free)

/* Host and user names reach ssh's command line, and from there ssh may
 * put them into a shell command of the user's own configuration
 * (ProxyCommand or Match exec with %h and %r: CVE-2023-51385 in OpenSSH
 * before 9.6). So only the characters a real name has are let through,
 * not merely the ones that would change ssh's own reading. */
static gboolean
only_chars (const char *s,
            const char *also)
{
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (also, *p) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * hangar_ssh_host_is_valid:
 * @host: a host name as ssh would get it (decoded, IPv6 without brackets
 *   or with them)
 *
 * Letters, digits, '.', '_', ':' and '-', not starting with '-': DNS
 * names, IPv4 and IPv6 addresses.
 *
 * Returns: whether @host may be given to ssh
 */
gboolean
hangar_ssh_host_is_valid (const char *host)
{
  g_autofree char *inner = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  len = strlen (host);
  if (host[0] == '[')
    {
      /* A bracketed IPv6 address: hex digits and colons, maybe dots (::ffff:1.2.3.4). */
      if (len < 3 || host[len - 1] != ']')
        return FALSE;
      inner = g_strndup (host + 1, len - 2);
      return strchr (inner, ':') != NULL && only_chars (inner, ":.");
    }
  return host[0] != '-' && only_chars (host, "._:-");
}

/**
 * hangar_ssh_user_is_valid:
 * @user: a user name as ssh would get it (decoded)
 *
 * The POSIX portable user-name set: letters, digits, '.', '_' and '-', not
 * starting with '-'.
 *
 * Returns: whether @user may be given to ssh
 */
gboolean
hangar_ssh_user_is_valid (const char *user)
{
  return user != NULL && *user != '\0' && user[0] != '-' && only_chars (user, "._-");
}

/**
 * hangar_ssh_target_new:
 * @user: (nullable): remote user, or %NULL
 * @host: remote host
 * @port: ssh port, or 0 (or -1) for ssh's default
 * @keyfile: (nullable): private key file, or %NULL
 * @no_verify: whether to skip the host key check
 * @error: where a refusal goes
 *
 * Refuses a missing host, and a host or user that starts with '-' (ssh
 * would read it as an option) or holds anything but the characters of
 * hangar_ssh_host_is_valid() and hangar_ssh_user_is_valid().
 *
 * Returns: (transfer full) (nullable): the target, or %NULL with @error set
 */
HangarSshTarget *
hangar_ssh_target_new (const char  *user,
                       const char  *host,
                       int          port,
                       const char  *keyfile,
                       gboolean     no_verify,
                       GError     **error)
{
  HangarSshTarget *target;

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_NO_HOST,
                   _("The connection names no host to reach over ssh."));
      return NULL;
    }
  if (host[0] == '-')
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST,
                   _("The host name “%s” may not start with “-”."), host);
      return NULL;
    }
  if (!hangar_ssh_host_is_valid (host))
    {
      g_autofree char *shown = g_strescape (host, NULL);

      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_HOST,
                   _("The host name “%s” contains characters a host name cannot have."), shown);
      return NULL;
    }
  if (user != NULL && *user == '\0')
    user = NULL;
  if (user != NULL && user[0] == '-')
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_USER,
                   _("The user name “%s” may not start with “-”."), user);
      return NULL;
    }
  if (user != NULL && !hangar_ssh_user_is_valid (user))
    {
      g_autofree char *shown = g_strescape (user, NULL);

      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_USER,
                   _("The user name “%s” contains characters a user name cannot have."), shown);
      return NULL;
    }
  if (port < -1 || port > 65535)
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_BAD_PORT,
                   _("%d is not a port number: use 1 to 65535."), port);
      return NULL;
    }

  target = g_new0 (HangarSshTarget, 1);
  target->user = g_strdup (user);
  target->host = g_strdup (host);
  target->port = MAX (port, 0);
  target->keyfile = (keyfile != NULL && *keyfile != '\0') ? g_strdup (keyfile) : NULL;
  target->no_verify = !!no_verify;
  return target;
}

/**
 * hangar_ssh_target_new_from_uri:
 * @uri: a libvirt URI such as
 *   `qemu+ssh://root@server:2222/system?keyfile=/path&no_verify=1`
 * @error: where a refusal goes
 *
 * Takes user, host, port and the `keyfile` and `no_verify` parameters from
 * a libvirt URI whose transport is ssh (also libssh and libssh2: the
 * console tunnel always uses OpenSSH). Other parameters are libvirt's own
 * and ignored here.
 *
 * Returns: (transfer full) (nullable): the target, or %NULL with @error set
 */
HangarSshTarget *
hangar_ssh_target_new_from_uri (const char  *uri,
                                GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *scheme = NULL;
  const char *transport;
  const char *query;
  const char *keyfile = NULL;
  gboolean no_verify = FALSE;

  g_return_val_if_fail (uri != NULL, NULL);

  parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS, NULL);
  if (parsed == NULL)
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_SYNTAX,
                   _("“%s” is not a connection address."), uri);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (parsed), -1);
  transport = strchr (scheme, '+');
  if (transport == NULL
      || !(g_str_equal (transport, "+ssh") || g_str_equal (transport, "+libssh")
           || g_str_equal (transport, "+libssh2")))
    {
      g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_NOT_SSH,
                   _("“%s” does not reach its host over ssh."), uri);
      return NULL;
    }

  query = g_uri_get_query (parsed);
  if (query != NULL && *query != '\0')
    {
      const char *value;

      params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params == NULL)
        {
          g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_SYNTAX,
                       _("The options after “?” in “%s” cannot be read."), uri);
          return NULL;
        }
      keyfile = g_hash_table_lookup (params, "keyfile");
      value = g_hash_table_lookup (params, "no_verify");
      if (value != NULL)
        {
          gint64 n;

          if (!g_ascii_string_to_signed (value, 10, G_MININT, G_MAXINT, &n, NULL))
            {
              g_set_error (error, HANGAR_SSH_ERROR, HANGAR_SSH_ERROR_SYNTAX,
                           _("no_verify must be 0 or 1, not “%s”."), value);
              return NULL;
            }
          no_verify = n != 0;
        }
    }

  return hangar_ssh_target_new (g_uri_get_user (parsed), g_uri_get_host (parsed),
                                g_uri_get_port (parsed), keyfile, no_verify, error);
}

HangarSshTarget *
hangar_ssh_target_copy (const HangarSshTarget *target)
{
  HangarSshTarget *copy;

  g_return_val_if_fail (target != NULL, NULL);

  copy = g_new0 (HangarSshTarget, 1);
  copy->user = g_strdup (target->user);
  copy->host = g_strdup (target->host);
  copy->port = target->port;
  copy->keyfile = g_strdup (target->keyfile);
  copy->no_verify = target->no_verify;
  return copy;
}

void
hangar_ssh_target_free (HangarSshTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->user);
  g_free (target->host);
  g_free (target->keyfile);
  g_free (target);
}

/**
 * hangar_ssh_target_to_string:
 *
 * Returns: (transfer full): `[user@]host[:port]`, for messages and as a
 *   key for one ssh connection
 */
char *
hangar_ssh_target_to_string (const HangarSshTarget *target)
{
  GString *s;

  g_return_val_if_fail (target != NULL, NULL);

  s = g_string_new (NULL);
  if (target->user != NULL)
    g_string_append_printf (s, "%s@", target->user);
  if (strchr (target->host, ':') != NULL)
    g_string_append_printf (s, "[%s]", target->host);
  else
    g_string_append (s, target->host);
  if (target->port > 0)
    g_string_append_printf (s, ":%d", target->port);
  return g_string_free (s, FALSE);
}

/**
 * hangar_ssh_tunnel_destination:
 * @listen_host: (nullable): the graphics listen address from the domain XML
 * @port: the graphics port
 *
 * The argument of `ssh -W`. The far side connects, so a server listening
 * on every address (0.0.0.0, ::, or none given) is reached on its host's
 * loopback; IPv6 addresses are bracketed.
 *
 * Returns: (transfer full): `HOST:PORT`
 */
char *
hangar_ssh_tunnel_destination (const char *listen_host,
                               int         port)
{
  const char *host = listen_host;

  if (host == NULL || *host == '\0')
    host = "localhost";
  else if (g_str_equal (host, "0.0.0.0"))
    host = "127.0.0.1";
  else if (g_str_equal (host, "::") || g_str_equal (host, "[::]"))
    host = "::1";

  if (strchr (host, ':') != NULL && host[0] != '[')
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host, port);
}

/**
 * hangar_ssh_target_control_tag:
 * @target: a target
 *
 * What tells apart two targets for the same user, host and port that must
 * not share an ssh master: whether the host key is checked, and which key
 * file logs in. A master brought up without checking the host key must
 * never carry the consoles of a connection that checks it, nor a login
 * with one key the consoles of a connection that names another.
 *
 * Returns: (transfer full): a short word, %HANGAR_SSH_CONTROL_TAG_LEN
 *   characters of [a-z0-9]
 */
char *
hangar_ssh_target_control_tag (const HangarSshTarget *target)
{
  g_autofree char *sum = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  /* The key file's path is hashed: it may be long, and hold anything. */
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                       target->keyfile != NULL ? target->keyfile : "", -1);
  return g_strdup_printf ("%c%.*s", target->no_verify ? 'n' : 'v',
                          HANGAR_SSH_CONTROL_TAG_LEN - 1, sum);
}

/* ssh expands %-tokens in ControlPath: a literal % must be doubled. %C
 * is a hash of local host, remote host, port and user only; the tag adds
 * what else decides whether two connections may share a master. */
static char *
control_path (const HangarSshTarget *target,
              const char            *control_dir)
{
  g_autoptr(GString) dir = g_string_new (control_dir);
  g_autofree char *tag = hangar_ssh_target_control_tag (target);

  g_string_replace (dir, "%", "%%", 0);
  return g_strdup_printf ("ControlPath=%s/%%C-%s", dir->str, tag);
}

/* What every ssh run for a target shares. The ControlPath's %C is a hash
 * of local host, remote host, port and user, so the tunnel and the -O
 * commands must name them the same way: all of them come from here. */
static void
add_common (GPtrArray             *argv,
            const HangarSshTarget *target,
            const char            *control_dir)
{
  g_ptr_array_add (argv, g_strdup ("ssh"));
  /* Never prompt on a terminal: a missing key fails at once, with ssh's
   * message. Console tunnels log in with keys only (their environment has
   * SSH_ASKPASS_REQUIRE=never): Hangar's askpass dialog answers libvirt's
   * own ssh, not these. */
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("BatchMode=yes"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, control_path (target, control_dir));
  if (target->port > 0)
    {
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", target->port));
    }
  if (target->user != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (target->user));
    }
}

static GStrv
finish_argv (GPtrArray             *argv,
             const HangarSshTarget *target)
{
  /* "--" ends the options: whatever the host is, it is not one. */
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup (target->host));
  g_ptr_array_add (argv, NULL);
  return (GStrv) g_ptr_array_free (argv, FALSE);
}

/**
 * hangar_ssh_build_tunnel_argv:
 * @target: where to log in
 * @control_dir: a private directory (mode 0700) for the control sockets
 * @listen_host: (nullable): the address the console server listens on, as
 *   the far host sees it
 * @port: the console server's port
 *
 * `ssh … -W LISTEN:PORT -- HOST`: stdin and stdout become the console's
 * byte stream. The first tunnel to a host logs in and leaves a master
 * behind (ControlPersist); later ones ride on it.
 *
 * LogLevel=DEBUG2 is there for one line: when the far host has accepted
 * the connection to LISTEN:PORT, a mux client prints "master session id"
 * (debug1) and an ssh without a master "open confirm" (debug2). That is how
 * the tunnel knows it is up even when the server waits for the client to
 * speak (SPICE). The detached master's own output goes to /dev/null (it
 * keeps stderr only with -v, which is why -v is not used).
 *
 * Returns: (transfer full): the argv
 */
GStrv
hangar_ssh_build_tunnel_argv (const HangarSshTarget *target,
                              const char            *control_dir,
                              const char            *listen_host,
                              int                    port)
{
  GPtrArray *argv;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (control_dir != NULL, NULL);
  g_return_val_if_fail (port > 0 && port <= 65535, NULL);

  argv = g_ptr_array_new ();
  add_common (argv, target, control_dir);
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ControlMaster=auto"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup_printf ("ControlPersist=%d", HANGAR_SSH_CONTROL_PERSIST));
  /* An unreachable host fails with ssh's own message before the tunnel's
   * own timeout; a host that vanishes later is noticed within 45 s. */
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ConnectTimeout=10"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ServerAliveInterval=15"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("LogLevel=DEBUG2"));
  if (target->keyfile != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-i"));
      g_ptr_array_add (argv, g_strdup (target->keyfile));
    }
  /* As libvirt's own no_verify: an unknown key is accepted (and
   * remembered), but the known-hosts file is still read, so a key that
   * changed is still reported and ssh then refuses passwords. */
  if (target->no_verify)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("StrictHostKeyChecking=no"));
    }
  g_ptr_array_add (argv, g_strdup ("-W"));
  g_ptr_array_add (argv, hangar_ssh_tunnel_destination (listen_host, port));
  return finish_argv (argv, target);
}

/**
 * hangar_ssh_build_control_argv:
 * @target: the host whose master is meant
 * @control_dir: the same directory the tunnels use
 * @command: "check" (is a master running?), "exit" (stop it now) or
 *   "stop" (accept no new tunnels, end after the last)
 *
 * `ssh -O COMMAND -- HOST`, answered by the local master without touching
 * the network.
 *
 * Returns: (transfer full): the argv
 */
GStrv
hangar_ssh_build_control_argv (const HangarSshTarget *target,
                               const char            *control_dir,
                               const char            *command)
{
  GPtrArray *argv;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (control_dir != NULL, NULL);
  g_return_val_if_fail (g_strcmp0 (command, "check") == 0 || g_strcmp0 (command, "exit") == 0
                        || g_strcmp0 (command, "stop") == 0, NULL);

  argv = g_ptr_array_new ();
  add_common (argv, target, control_dir);
  g_ptr_array_add (argv, g_strdup ("-O"));
  g_ptr_array_add (argv, g_strdup (command));
  return finish_argv (argv, target);
}
