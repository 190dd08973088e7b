/* hangar-gconfig.h — what libvirt-gconfig 4.0 lacks: autoptr cleanups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libvirt-gconfig/libvirt-gconfig.h>

#ifndef HANGAR_GCONFIG_AUTOPTR
#define HANGAR_GCONFIG_AUTOPTR
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
#endif
