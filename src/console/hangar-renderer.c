/* hangar-renderer.c — which GTK renderer suits this computer.
 *
 * Without a GPU render node, Mesa runs OpenGL in software (llvmpipe), and
 * GTK 4's GL renderer then costs more than its cairo renderer in every way
 * that matters to a console: about 100 ms more to the first frame, more
 * CPU per frame, and 60–70 MB more memory for an empty window. This is the
 * case on servers reached through a remote desktop, inside virtual
 * machines, and under Xvfb. With a render node GTK's own choice stands,
 * and so does a GSK_RENDERER the user set.
 *
 * Choosing the cairo renderer is not enough on X11: GDK 4.8 still sets up
 * OpenGL when it opens the display (to pick a visual), which maps Mesa's
 * llvmpipe and LLVM — about 60 MB of resident memory that nothing uses
 * (an empty main window: 123 MB with it, 63 MB without). So where Hangar
 * picks cairo it also turns GDK's OpenGL support off (GDK_DEBUG=gl-disable).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hangar-renderer.h"

/**
 * hangar_renderer_for_dri_dir:
 * @dri_dir: where the kernel lists DRM devices, normally /dev/dri
 *
 * Returns: (nullable): "cairo" when @dri_dir holds no render node
 *   (renderD*), else %NULL: leave the choice to GTK
 */
const char *
hangar_renderer_for_dri_dir (const char *dri_dir)
{
  g_autoptr(GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return "cairo";
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return NULL;
  return "cairo";
}

/**
 * hangar_renderer_gdk_debug_without_gl:
 * @gdk_debug: (nullable): the GDK_DEBUG value in the environment
 *
 * Returns: (transfer full): @gdk_debug with "gl-disable" added, as GDK
 *   reads it (a list separated by commas, colons, semicolons or spaces)
 */
char *
hangar_renderer_gdk_debug_without_gl (const char *gdk_debug)
{
  g_auto(GStrv) keys = NULL;

  if (gdk_debug == NULL || *gdk_debug == '\0')
    return g_strdup ("gl-disable");

  keys = g_strsplit_set (gdk_debug, ",:; ", -1);
  for (guint i = 0; keys[i] != NULL; i++)
    if (g_ascii_strcasecmp (keys[i], "gl-disable") == 0 ||
        g_ascii_strcasecmp (keys[i], "all") == 0)
      return g_strdup (gdk_debug);

  return g_strconcat (gdk_debug, ",gl-disable", NULL);
}

/**
 * hangar_renderer_apply_default:
 *
 * Sets GSK_RENDERER for this process when the user has not and the
 * computer has no GPU render node, and then turns GDK's OpenGL off. Call
 * before GTK initialises.
 */
void
hangar_renderer_apply_default (void)
{
  const char *renderer;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  renderer = hangar_renderer_for_dri_dir ("/dev/dri");
  if (renderer != NULL)
    {
      g_autofree char *gdk_debug = hangar_renderer_gdk_debug_without_gl (g_getenv ("GDK_DEBUG"));

      g_setenv ("GSK_RENDERER", renderer, FALSE);
      g_setenv ("GDK_DEBUG", gdk_debug, TRUE);
    }
}
