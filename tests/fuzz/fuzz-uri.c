/* fuzz-uri.c — libFuzzer target: libvirt URIs typed by the user or read
 * back from settings, and the pieces hangar_uri_build() puts together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a URI for the readers; split at its first newline it is
 * also a user name and a host[:port] for the builder, whose result must
 * then pass the validator it is checked by in the connection dialog.
 */
#include "config.h"

#include "fuzz-common.h"

#include <string.h>

#include "hangar-uri.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  hangar_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *uri = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *driver = NULL;
  gboolean valid;
  char *newline;

  valid = hangar_uri_validate (uri, &error);
  g_assert (valid == (error == NULL));
  g_clear_error (&error);
  name = hangar_uri_display_name (uri);
  driver = hangar_uri_get_driver (uri);
  (void) hangar_uri_is_local (uri);

  newline = strchr (uri, '\n');
  if (newline != NULL && size > 0)
    {
      const char *user = uri;
      const char *host = newline + 1;
      HangarHypervisor hypervisor = data[0] % 4;
      HangarTransport transport = (data[0] >> 2) % 3;
      gboolean remote = (data[0] >> 4) & 1;
      g_autofree char *built = NULL;

      *newline = '\0';
      built = hangar_uri_build (hypervisor, remote, transport, user[0] ? user : NULL, host,
                                &error);
      g_assert ((built == NULL) == (error != NULL));
      if (built != NULL)
        {
          /* What the builder makes, the validator takes. */
          g_autoptr(GError) validate_error = NULL;

          if (!hangar_uri_validate (built, &validate_error))
            g_error ("built %s but it does not validate: %s", built, validate_error->message);
        }
    }
  return 0;
}
