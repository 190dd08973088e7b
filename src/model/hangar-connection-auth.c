/* hangar-connection-auth.c — credentials libvirt asks for while opening a connection.
 *
 * For now nobody can be asked: the callback refuses at once, so a host that
 * needs a password fails with libvirt's message instead of waiting for an
 * answer on a terminal nobody sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Hangar"

#include "config.h"

#include "hangar-connection-private.h"

static int credential_types[] = {
  VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_ECHOPROMPT,
};

static int
refuse_credentials (virConnectCredentialPtr cred,
                    unsigned int            ncred,
                    void                   *cbdata)
{
  return -1;
}

void
_hangar_connection_auth_class_init (GObjectClass *object_class)
{
}

virConnectAuthPtr
_hangar_connection_auth_new (HangarConnection *self)
{
  virConnectAuthPtr auth = g_new0 (virConnectAuth, 1);

  auth->credtype = credential_types;
  auth->ncredtype = G_N_ELEMENTS (credential_types);
  auth->cb = refuse_credentials;
  auth->cbdata = NULL;
  return auth;
}

void
_hangar_connection_auth_free (virConnectAuthPtr auth)
{
  g_free (auth);
}
