/* hangar-ssh.h — ssh targets from libvirt URIs, and the ssh command lines for console tunnels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HANGAR_SSH_ERROR (hangar_ssh_error_quark ())

typedef enum
{
  HANGAR_SSH_ERROR_SYNTAX,
  HANGAR_SSH_ERROR_NOT_SSH,
  HANGAR_SSH_ERROR_NO_HOST,
  HANGAR_SSH_ERROR_BAD_HOST,
  HANGAR_SSH_ERROR_BAD_USER,
  HANGAR_SSH_ERROR_BAD_PORT,
  HANGAR_SSH_ERROR_BAD_KEYFILE,
} HangarSshError;

/* How long a multiplexing master outlives its last console, in seconds. */
#define HANGAR_SSH_CONTROL_PERSIST 600

/* The length of hangar_ssh_target_control_tag(), which follows ssh's
 * 40-character %C hash (and a '-') in a control socket's name. */
#define HANGAR_SSH_CONTROL_TAG_LEN 9

/**
 * HangarSshTarget:
 * @user: (nullable): the remote user, or %NULL for ssh's default
 * @host: the remote host; never empty, never starts with '-'
 * @port: the ssh port, or 0 for ssh's default
 * @keyfile: (nullable): a private key file (libvirt's `keyfile=`)
 * @no_verify: do not check the host key (libvirt's `no_verify=1`)
 *
 * Where ssh logs in. Build one with hangar_ssh_target_new() or
 * hangar_ssh_target_new_from_uri(), which refuse what ssh could
 * mistake for an option.
 */
typedef struct
{
  char     *user;
  char     *host;
  int       port;
  char     *keyfile;
  gboolean  no_verify;
} HangarSshTarget;

GQuark           hangar_ssh_error_quark          (void);
GType            hangar_ssh_target_get_type      (void) G_GNUC_CONST;
#define HANGAR_TYPE_SSH_TARGET (hangar_ssh_target_get_type ())

HangarSshTarget *hangar_ssh_target_new           (const char             *user,
                                                  const char             *host,
                                                  int                     port,
                                                  const char             *keyfile,
                                                  gboolean                no_verify,
                                                  GError                **error);
HangarSshTarget *hangar_ssh_target_new_from_uri  (const char             *uri,
                                                  GError                **error);
HangarSshTarget *hangar_ssh_target_copy          (const HangarSshTarget  *target);
void             hangar_ssh_target_free          (HangarSshTarget        *target);
char            *hangar_ssh_target_to_string     (const HangarSshTarget  *target);
char            *hangar_ssh_target_control_tag   (const HangarSshTarget  *target);
gboolean         hangar_ssh_host_is_valid        (const char             *host);
gboolean         hangar_ssh_user_is_valid        (const char             *user);

GStrv            hangar_ssh_build_tunnel_argv    (const HangarSshTarget  *target,
                                                  const char             *control_dir,
                                                  const char             *listen_host,
                                                  int                     port);
GStrv            hangar_ssh_build_control_argv   (const HangarSshTarget  *target,
                                                  const char             *control_dir,
                                                  const char             *command);
char            *hangar_ssh_tunnel_destination   (const char             *listen_host,
                                                  int                     port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarSshTarget, hangar_ssh_target_free)

G_END_DECLS
