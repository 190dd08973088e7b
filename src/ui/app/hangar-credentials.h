/* hangar-credentials.h — answers hosts that ask for credentials: keyring first, then the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hangar-application.h"
#include "hangar-connection-manager.h"

G_BEGIN_DECLS

/* Where the last "remember in the keyring" of a connection stands. */
typedef enum
{
  HANGAR_KEYRING_NONE,
  HANGAR_KEYRING_WAITING,   /* asked to remember; saved once connected */
  HANGAR_KEYRING_SAVING,
  HANGAR_KEYRING_SAVED,
  HANGAR_KEYRING_NOT_SAVED,
} HangarKeyringStatus;

void                hangar_credentials_attach              (HangarApplication       *application,
                                                            HangarConnectionManager *manager);
HangarKeyringStatus hangar_credentials_get_keyring_status  (HangarConnection        *connection);
guint               hangar_credentials_get_keyring_answers (HangarConnection        *connection);

G_END_DECLS
