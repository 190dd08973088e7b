/* main.c — the hangar executable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

#include "hangar-application.h"
#include "hangar-askpass-server.h"
#include "hangar-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HangarApplication) app = NULL;
  const char *localedir = g_getenv ("HANGAR_LOCALEDIR");

  /* A write to a connection or pipe the other end closed (libvirt's
   * daemon gone, an ssh tunnel ended) must be an error, not the end of the
   * app: libvirt expects its users to ignore SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);

  setlocale (LC_ALL, "");
  /* Run uninstalled (tools/run), the catalogues are the ones meson compiled
   * into build/po, not those under the install prefix. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  hangar_renderer_apply_default ();
  /* The environment ssh needs for its questions, set while this is the
   * only thread: GApplication starts others. */
  {
    g_autoptr(GError) error = NULL;

    if (!hangar_askpass_prepare (&error))
      g_warning ("ssh passwords cannot be asked for: %s", error->message);
  }
  app = hangar_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
