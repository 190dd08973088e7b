/* clone-test-util.h — a throw-away directory pool for the clone tests.
 *
 * Include after details-test-util.h (with DETAILS_PREFIX defined): the
 * pool is removed with the guests at exit, and a stale one at the start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define POOL     DETAILS_PREFIX "clonetest-pool"
#define POOL_DIR IMAGES_DIR "/" POOL

G_GNUC_UNUSED static void
remove_pool (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Not there is no news: it is how a clean run starts. */
  g_spawn_command_line_sync ("virsh -q -c " DETAILS_URI " pool-destroy " POOL, &out, &err, NULL, NULL);
  g_spawn_command_line_sync ("virsh -q -c " DETAILS_URI " pool-undefine " POOL, NULL, NULL, NULL, NULL);
  g_spawn_command_line_sync ("rm -rf " POOL_DIR, NULL, NULL, NULL, NULL);
}

G_GNUC_UNUSED static void
make_pool (void)
{
  remove_pool ();
  details_cleanup_hook = remove_pool;
  g_assert_cmpint (g_mkdir_with_parents (POOL_DIR, 0755), ==, 0);
  g_assert_true (details_virsh (NULL, "pool-define-as " POOL " dir --target " POOL_DIR));
  g_assert_true (details_virsh (NULL, "pool-start " POOL));
}

G_GNUC_UNUSED static char *
make_volume (const char *name,
             const char *format,
             const char *size)
{
  g_autofree char *path = NULL;

  g_assert_true (details_virsh (NULL, "vol-create-as " POOL " %s %s --format %s", name, size, format));
  g_assert_true (details_virsh (&path, "vol-path --pool " POOL " %s", name));
  return g_strdup (g_strstrip (path));
}

