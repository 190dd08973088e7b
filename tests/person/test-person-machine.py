#!/usr/bin/python3
# test-person-machine.py — a machine window as a person uses it: when a
# command fails, the toast says what failed and its Details button shows
# libvirt's whole message.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Guest, Hangar, SYSTEM_URI, Tap, find_all, key, log,  # noqa: E402
                          pyatspi, screenshot, states, unique_name, wait_for)

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


def keyfile_text(config):
    try:
        with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile')) as f:
            return f.read()
    except OSError:
        return ''


def radio_checked(app, window, label):
    items = [a for a in find_all(window, pyatspi.ROLE_RADIO_MENU_ITEM)
             if a.name.replace('_', '') == label]
    return bool(items) and states(items[0]).contains(pyatspi.STATE_CHECKED)


def open_console_menu(app, window):
    app.open_menu(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window), root=window)


@tap.case
def console_choices_kept(cleanups):
    """the console menu's Original Size (1:1): chosen once, every console opens that way after a restart"""
    config = tempfile.mkdtemp(prefix='hangar-person-config-')
    cleanups.append(lambda: shutil.rmtree(config, ignore_errors=True))
    guest = Guest('console-choices')
    cleanups.append(guest.remove)

    app = Hangar('--connect', SYSTEM_URI, settings=config, name='first').start()
    cleanups.append(app.stop)
    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    window = app.window(guest.name)
    open_console_menu(app, window)
    wait_for(lambda: radio_checked(app, window, 'Fit to Window'),
             '"Fit to Window" checked in a first console menu')
    app.menu_choose('Original Size (1:1)', root=window)
    wait_for(lambda: "console-scaling='one-to-one'" in keyfile_text(config),
             'the choice in the saved settings (%s)' % keyfile_text(config))
    app.keys_in(app.main, 'ctrl+q')
    wait_for(lambda: app.proc.poll() is not None, 'Hangar to quit on Ctrl+Q')
    app.stop()

    again = Hangar('--connect', SYSTEM_URI, settings=config, name='second').start()
    cleanups.append(again.stop)
    again.right_click(again.row(guest.name))
    again.menu_choose('Open')
    window = again.window(guest.name)
    open_console_menu(again, window)
    wait_for(lambda: radio_checked(again, window, 'Original Size (1:1)'),
             '"Original Size (1:1)" checked in the console menu after the restart')
    screenshot('console-menu-one-to-one')
    if radio_checked(again, window, 'Fit to Window'):
        raise AssertionError('"Fit to Window" is checked too')
    key('Escape')


sys.exit(tap.main())
