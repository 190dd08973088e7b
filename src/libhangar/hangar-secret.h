/* hangar-secret.h — freeing what may hold a password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords (display passwords, libvirt and ssh credentials) are wiped
 * before their memory goes back to the allocator, so a later heap dump,
 * core file or use of freed memory does not show them (review finding
 * L3). Header-only, so any library may use it without linking another.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Overwrites @secret's characters with zeros; it stays allocated. */
static inline void
hangar_secret_wipe (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
}

static inline void
hangar_secret_free (char *secret)
{
  hangar_secret_wipe (secret);
  g_free (secret);
}

/* Wipes and frees *@secret and sets it to %NULL. */
static inline void
hangar_secret_clear (char **secret)
{
  hangar_secret_free (*secret);
  *secret = NULL;
}

G_END_DECLS
