#!/usr/bin/python3
# test-person-machine.py — a machine window as a person uses it: when a
# command fails, the toast says what failed and its Details button shows
# libvirt's whole message.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Guest, Hangar, SYSTEM_URI, Tap, log, pyatspi,  # noqa: E402
                          screenshot, unique_name, wait_for)

tap = Tap()


@tap.case
def start_error_has_details(cleanups):
    """Start failing in a machine window: the toast's Details show libvirt's message"""
    missing = '/var/lib/libvirt/images/%s.qcow2' % unique_name('missing')
    guest = Guest('machine-error', start=False, devices="""
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='%s'/>
      <target dev='vda' bus='virtio'/>
    </disk>""" % missing)
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)

    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    window = app.window(guest.name)
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Start', root=window))

    details = app.find(pyatspi.ROLE_PUSH_BUTTON, 'Details', root=window, timeout=30,
                       what='a Details button on the error toast')
    screenshot('error-toast')
    app.click(details)
    message = app.window_with(re.compile(re.escape(missing)))
    screenshot('error-details')
    log('the details name the missing disk in "%s"' % message.name)
    wait_for(lambda: guest.state() == 'shut off', 'the guest to stay off')


sys.exit(tap.main())
