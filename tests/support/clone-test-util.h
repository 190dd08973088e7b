/* clone-test-util.h — a throw-away directory pool for the clone tests.
 *
 * Include after details-test-util.h (with DETAILS_PREFIX defined): the
 * pool is removed with the guests at exit, and a stale one at the start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "details-test-util.h"

G_BEGIN_DECLS

#define POOL     DETAILS_PREFIX "clonetest-pool"
#define POOL_DIR IMAGES_DIR "/" POOL

/* POOL, made anew (after details_init()) and removed at exit. */
void  make_pool   (void);
void  remove_pool (void);
/* A volume in POOL; returns its path. */
char *make_volume (const char *name,
                   const char *format,
                   const char *size);

G_END_DECLS
