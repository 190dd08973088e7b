#!/usr/bin/python3
# test-person-usb.py — the USB Devices popover of a SPICE console, as a
# person uses it: the free redirection channels counted, the empty list,
# a CD image put into the guest as a USB drive and given back with its
# switch, the setting for newly plugged devices. Checked where it lands:
# QEMU's own monitor lists the devices on the guest's USB bus.
#
# These machines have no USB bus of their own, so the desktop's device
# list is empty; the CD image is a USB device spice-client-glib emulates.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, find_all, key,  # noqa: E402
                          keyfile_text, log, pyatspi, screenshot, states, virsh, wait_for, walk)

tap = Tap()

REDIRECTION = """
    <controller type='usb' model='qemu-xhci'/>
    <redirdev bus='usb' type='spicevmc'/>
    <redirdev bus='usb' type='spicevmc'/>"""


def redirected_in_qemu(guest):
    """How many devices QEMU has on the guest's USB bus through its
    redirection ports: a port is attached, at the device's speed, only
    while the client has a device on it."""
    tree = virsh('qemu-monitor-command', guest.name, '--hmp', 'info qtree')
    return tree.count('name USB Redirection Device, attached')


def open_console(app, guest):
    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    return app.window(guest.name)


def open_usb(app, window, expect):
    """Clicks the USB button until its popover shows EXPECT (a click soon
    after others may open nothing, as for a person, who clicks again)."""
    button = app.find(pyatspi.ROLE_PUSH_BUTTON, 'USB devices', root=window, timeout=30)
    for attempt in range(3):
        app.click(button)
        try:
            return wait_for(lambda: find_all(window, None, expect), 'the USB popover showing %r' % expect,
                            5, shot=attempt == 2)
        except Failure:
            if attempt == 2:
                raise
            key('Escape')


def press_in_popover(window, role, name, key_name='space'):
    """Moves the focus with Tab to the widget ROLE named NAME in an open
    popover and presses Space on it, as a person at the keyboard does (a
    popover's widgets have extents relative to its own surface: no click)."""
    seen = []
    for _ in range(15):
        found = find_all(window, role, name)
        if found and states(found[0]).contains(pyatspi.STATE_FOCUSED):
            log('"%s" focused: %s' % (found[0].name, key_name))
            key(key_name)
            return
        focused = [a.name for a in walk(window) if states(a).contains(pyatspi.STATE_FOCUSED)]
        seen.append(focused[0] if focused else None)
        key('Tab')
    screenshot('popover-without-' + name)
    raise Failure('%r never got the focus; went through %s' % (name, seen))


def switch(window, name):
    """The switch of the device NAME in the popover: GTK 4.8 gives a
    switch the role "check box", and adds the row's title to its name."""
    found = [a for a in find_all(window, pyatspi.ROLE_CHECK_BOX)
             if (a.name or '').startswith('Redirect ' + name)]
    return found[0] if found else None


@tap.case
def share_cd_image(cleanups):
    """a CD image shared from the USB popover goes into the guest as a USB drive; its switch gives it back"""
    config = tempfile.mkdtemp(prefix='hangar-person-config-')
    cleanups.append(lambda: shutil.rmtree(config, ignore_errors=True))
    work = tempfile.mkdtemp(prefix='hangar-person-usb-')
    cleanups.append(lambda: shutil.rmtree(work, ignore_errors=True))
    image = os.path.join(work, 'drivers.iso')
    with open(image, 'wb') as f:
        f.truncate(4 * 1024 * 1024)
    guest = Guest('usb', graphics='spice', devices=REDIRECTION)
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI, settings=config).start()
    cleanups.append(app.stop)
    window = open_console(app, guest)

    open_usb(app, window, '2 of 2 redirection channels free')
    if redirected_in_qemu(guest) != 0:
        raise AssertionError('nothing should be on the guest\'s USB bus yet')
    if not app.has_text('No USB devices are plugged into this computer.', root=window):
        raise AssertionError('the empty list should say there is no device')
    screenshot('usb-popover-empty')
    press_in_popover(window, pyatspi.ROLE_PUSH_BUTTON, 'Share a CD Image…')
    app.choose_file('Share a CD Image', image)

    wait_for(lambda: redirected_in_qemu(guest) == 1, 'the CD drive on the guest\'s USB bus', 30)
    open_usb(app, window, '1 of 2 redirection channels free')
    toggle = wait_for(lambda: switch(window, 'SPICE CD (drivers.iso)'), 'the CD image\'s switch')
    if not states(toggle).contains(pyatspi.STATE_CHECKED):
        raise AssertionError('the switch of a redirected device should be on')
    screenshot('usb-popover-cd')
    press_in_popover(window, pyatspi.ROLE_CHECK_BOX, toggle.name, 'Return')
    wait_for(lambda: redirected_in_qemu(guest) == 0, 'the CD drive to leave the guest', 30)
    wait_for(lambda: app.has_text('2 of 2 redirection channels free', root=window),
             'both channels free again')

    press_in_popover(window, pyatspi.ROLE_CHECK_BOX, 'Redirect newly plugged devices')
    wait_for(lambda: 'console-usb-auto-redirect=true' in keyfile_text(config),
             'the setting saved (%s)' % keyfile_text(config))


@tap.case
def no_channels(cleanups):
    """a SPICE machine without redirection channels says so and offers no image; a VNC console has no USB button"""
    guest = Guest('usb-none', graphics='spice')
    cleanups.append(guest.remove)
    vnc = Guest('usb-vnc')
    cleanups.append(vnc.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)

    window = open_console(app, guest)
    open_usb(app, window, 'This machine has no USB redirection channels: its devices need a '
             '<redirdev bus=\'usb\' type=\'spicevmc\'/> each.')
    share = app.find(pyatspi.ROLE_PUSH_BUTTON, 'Share a CD Image…', root=window)
    if states(share).contains(pyatspi.STATE_SENSITIVE):
        raise AssertionError('Share a CD Image… should not be offered without a channel')
    screenshot('usb-popover-no-channels')
    key('Escape')
    app.close_window(window)

    window = open_console(app, vnc)
    app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window)
    if find_all(window, pyatspi.ROLE_PUSH_BUTTON, 'USB devices'):
        raise AssertionError('a VNC console should have no USB button')


tap.main()
