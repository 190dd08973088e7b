/* hangar-units.c — sizes for people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hangar-units.h"

/**
 * hangar_format_kib:
 * @kib: a size in KiB, as libvirt reports memory
 *
 * Binary units, as libvirt and virt-manager use them for memory: a guest
 * given 2048 MiB should read “2.0 GiB”, not “2.1 GB”, and 10240 GiB
 * “10.0 TiB”.
 *
 * Returns: (transfer full): the size as text
 */
char *
hangar_format_kib (guint64 kib)
{
  if (kib >= G_GUINT64_CONSTANT (1024) * 1024 * 1024)
    /* Translators: a memory size in tebibytes */
    return g_strdup_printf (_("%.1f TiB"), kib / (1024.0 * 1024.0 * 1024.0));
  if (kib >= 1024 * 1024)
    /* Translators: a memory size in gibibytes */
    return g_strdup_printf (_("%.1f GiB"), kib / (1024.0 * 1024.0));
  if (kib >= 1024)
    /* Translators: a memory size in mebibytes */
    return g_strdup_printf (_("%.0f MiB"), kib / 1024.0);
  /* Translators: a memory size in kibibytes */
  return g_strdup_printf (_("%u KiB"), (guint) kib);
}
