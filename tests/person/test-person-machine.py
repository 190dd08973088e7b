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
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (AgentGuest, Guest, Hangar, SYSTEM_URI, Tap, find_all, key, keyfile_text, log,  # noqa: E402
                          pyatspi, screenshot, states, type_text, unique_name, wait_for,
                          xdotool)

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


def radio_checked(app, window, label):
    items = [a for a in find_all(window, pyatspi.ROLE_RADIO_MENU_ITEM)
             if a.name.replace('_', '') == label]
    return bool(items) and states(items[0]).contains(pyatspi.STATE_CHECKED)


def open_console_menu(app, window):
    app.open_menu(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window), root=window)


def check_item(window, label):
    """The state of the console menu's check item LABEL: None when the
    menu does not show it, else (sensitive, checked)."""
    items = [a for a in find_all(window, pyatspi.ROLE_CHECK_MENU_ITEM)
             if a.name.replace('_', '') == label]
    if not items:
        return None
    s = states(items[0])
    return s.contains(pyatspi.STATE_SENSITIVE), s.contains(pyatspi.STATE_CHECKED)


@tap.case
def sound_menu(cleanups):
    """the console menu's Sound: offered for a SPICE guest with a sound card, not for a VNC one; Mute Sound is kept in the settings, Allow Microphone is not"""
    config = tempfile.mkdtemp(prefix='hangar-person-config-')
    cleanups.append(lambda: shutil.rmtree(config, ignore_errors=True))
    quiet = Guest('console-nosound')
    cleanups.append(quiet.remove)
    guest = Guest('console-sound', graphics='spice', devices="<sound model='ac97'/>")
    cleanups.append(guest.remove)

    app = Hangar('--connect', SYSTEM_URI, settings=config).start()
    cleanups.append(app.stop)
    app.right_click(app.row(quiet.name))
    app.menu_choose('Open')
    window = app.window(quiet.name)
    open_console_menu(app, window)
    wait_for(lambda: check_item(window, 'Mute Sound') == (False, False),
             '"Mute Sound" shown but not offered for a VNC guest (%s)' % (check_item(window, 'Mute Sound'),))
    key('Escape')
    app.close_window(window)

    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    window = app.window(guest.name)
    open_console_menu(app, window)
    wait_for(lambda: check_item(window, 'Mute Sound') == (True, False),
             '"Mute Sound" offered, unchecked, once the guest\'s sound is connected')
    if check_item(window, 'Allow Microphone') != (True, False):
        raise AssertionError('"Allow Microphone" should be offered and off: %s'
                             % (check_item(window, 'Allow Microphone'),))
    screenshot('console-menu-sound')
    app.menu_choose('Mute Sound', root=window)
    wait_for(lambda: 'console-mute=true' in keyfile_text(config),
             'Mute Sound in the saved settings (%s)' % keyfile_text(config))
    open_console_menu(app, window)
    wait_for(lambda: check_item(window, 'Mute Sound') == (True, True), '"Mute Sound" checked')
    app.menu_choose('Allow Microphone', root=window)
    open_console_menu(app, window)
    wait_for(lambda: check_item(window, 'Allow Microphone') == (True, True),
             '"Allow Microphone" checked')
    key('Escape')
    if 'microphone' in keyfile_text(config):
        raise AssertionError('the microphone was saved in the settings: %s' % keyfile_text(config))


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


@tap.case
def send_key(cleanups):
    """the console menu's Send Key ▸ Ctrl+Alt+Del reaches the guest: its Linux kernel restarts the machine"""
    guest = AgentGuest('console-keys')
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    window = app.window(guest.name)
    # Booted once, and its console connected (the guest's agent met it).
    wait_for(lambda: 'hangar-agent: client capabilities' in guest.serial(),
             'the guest booted and its console connected', 150)
    if guest.serial().count('hangar-guest: ready') != 1:
        raise AssertionError('the guest should have booted once: %s' % guest.serial())

    open_console_menu(app, window)
    app.menu_choose('Send Key', root=window)
    app.menu_choose('Ctrl+Alt+Del', root=window)
    # The kernel restarts at Ctrl+Alt+Del (its default; the guest's /init
    # does not take it over), and QEMU boots the machine again.
    wait_for(lambda: guest.serial().count('hangar-guest: ready') == 2,
             'the guest to boot a second time', 150)
    if guest.state() != 'running':
        raise AssertionError('the guest should run on: %s' % guest.state())


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n':
        raise AssertionError('%s is not a PNG' % path)
    return int.from_bytes(head[16:20], 'big'), int.from_bytes(head[20:24], 'big')


def extents(acc):
    e = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return e.width, e.height


@tap.case
def screenshot_and_fullscreen(cleanups):
    """the console menu's Take Screenshot… saves the guest's screen as a PNG; Fullscreen fills the screen, the header at its top edge brings it back, and so does F11"""
    folder = tempfile.mkdtemp(prefix='hangar-person-shot-')
    cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = os.path.join(folder, 'guest.png')
    guest = Guest('console-shot')
    cleanups.append(guest.remove)

    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    window = app.window(guest.name)
    # SeaBIOS's text screen is up once the console shows a picture.
    app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window, timeout=30)
    time.sleep(2)

    # F11 with the console focused, as it is once connected (its keys
    # otherwise go to the guest).
    before = extents(window)
    app.keys_in(window, 'F11')
    wait_for(lambda: extents(window)[0] >= 1270 and extents(window)[1] >= 790,
             'F11 to fill the screen (the window is %dx%d)' % extents(window))
    key('F11')
    wait_for(lambda: extents(window) == before,
             'F11 to bring the window back to %dx%d (it is %dx%d)' % (before + extents(window)))

    open_console_menu(app, window)
    app.menu_choose('Take Screenshot…', root=window)
    chooser = app.window('Save Screenshot')
    name = app.find(pyatspi.ROLE_TEXT, None, root=chooser,
                    what='the file name field of "Save Screenshot"')
    app.click(name)
    key('ctrl+a')
    type_text(path)
    key('Return')
    app.window_closed(chooser)
    wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 'the screenshot %s' % path)
    width, height = png_size(path)
    log('screenshot: %dx%d' % (width, height))
    # SeaBIOS's VGA text mode: 720×400.
    if (width, height) != (720, 400):
        raise AssertionError('the screenshot is %dx%d, the guest shows 720x400' % (width, height))
    app.find(pyatspi.ROLE_LABEL, 'Screenshot saved', root=window, what='the "Screenshot saved" toast')

    open_console_menu(app, window)
    app.menu_choose('Fullscreen', root=window)
    # GTK keeps a few pixels of its window frame: within 10 of the screen.
    wait_for(lambda: extents(window)[0] >= 1270 and extents(window)[1] >= 790,
             'the window to fill the 1280x800 screen (it is %dx%d)' % extents(window))
    screenshot('console-fullscreen')
    # Keys go to the guest; the header comes back at the screen's top edge.
    xdotool('mousemove', '--sync', '640', '300')
    xdotool('mousemove', '--sync', '640', '0')
    leave = app.find(pyatspi.ROLE_PUSH_BUTTON, 'Fullscreen', root=window,
                     what='the header\'s Fullscreen button, with the pointer at the top')
    app.click(leave)
    wait_for(lambda: extents(window) == before,
             'the window back to %dx%d (it is %dx%d)' % (before + extents(window)))


sys.exit(tap.main())
