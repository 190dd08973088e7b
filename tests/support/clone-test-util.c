/* clone-test-util.c — a throw-away directory pool for the clone tests.
 *
 * Named after the prefix details_init() was given (POOL in
 * clone-test-util.h): removed with the guests at exit, and a stale one at
 * the start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "clone-test-util.h"

/* POOL and POOL_DIR, for the prefix details_init() was given. */
static char *
pool_name (void)
{
  return g_strconcat (details_prefix, "clonetest-pool", NULL);
}

void
remove_pool (void)
{
  g_autofree char *pool = pool_name ();
  g_autofree char *destroy = g_strdup_printf ("virsh -q -c " DETAILS_URI " pool-destroy %s", pool);
  g_autofree char *undefine = g_strdup_printf ("virsh -q -c " DETAILS_URI " pool-undefine %s", pool);
  g_autofree char *remove = g_strdup_printf ("rm -rf " IMAGES_DIR "/%s", pool);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Not there is no news: it is how a clean run starts. */
  g_spawn_command_line_sync (destroy, &out, &err, NULL, NULL);
  g_spawn_command_line_sync (undefine, NULL, NULL, NULL, NULL);
  g_spawn_command_line_sync (remove, NULL, NULL, NULL, NULL);
}

void
make_pool (void)
{
  g_autofree char *pool = pool_name ();
  g_autofree char *dir = g_build_filename (IMAGES_DIR, pool, NULL);

  remove_pool ();
  details_cleanup_hook = remove_pool;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (details_virsh (NULL, "pool-define-as %s dir --target %s", pool, dir));
  g_assert_true (details_virsh (NULL, "pool-start %s", pool));
}

char *
make_volume (const char *name,
             const char *format,
             const char *size)
{
  g_autofree char *pool = pool_name ();
  g_autofree char *path = NULL;

  g_assert_true (details_virsh (NULL, "vol-create-as %s %s %s --format %s", pool, name, size, format));
  g_assert_true (details_virsh (&path, "vol-path --pool %s %s", pool, name));
  return g_strdup (g_strstrip (path));
}

