#!/usr/bin/python3
# test-person-files.py — files into a guest, as a person sends them: the
# console menu's "Send Files…", a file chosen in the file chooser by typing
# its path, the progress panel with its Stop button, the toasts; checked in
# the guest, whose agent (the tiny test guest's mini-vdagent) logs the
# SHA-256 of every file it received.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from hangarperson import (AgentGuest, Guest, Hangar, SYSTEM_URI, Tap, find_all, key, log,  # noqa: E402
                          pyatspi, run, screenshot, states, wait_for, xdotool)

tap = Tap()

# The guest boots under TCG on machines without /dev/kvm.
BOOT_TIMEOUT = 150


def workdir(cleanups):
    work = tempfile.mkdtemp(prefix='hangar-person-files-')
    cleanups.append(lambda: shutil.rmtree(work, ignore_errors=True))
    return work


def open_console(app, guest):
    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    return app.window(guest.name)


def choose_send_files(app, window, path):
    """The console menu's Send Files…, then PATH typed into the chooser."""
    app.open_menu(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window), root=window)
    app.menu_choose('Send Files…', root=window)
    app.choose_file('Send Files to the Guest', path)


def send_files_offered(app, window):
    """Opens the console menu; whether Send Files… is offered there (None
    when not shown). Leaves the menu open when it is."""
    app.open_menu(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window), root=window)
    items = [a for a in find_all(window, pyatspi.ROLE_MENU_ITEM)
             if a.name.replace('_', '') == 'Send Files…']
    if not items:
        key('Escape')
        return None
    offered = states(items[0]).contains(pyatspi.STATE_SENSITIVE)
    if not offered:
        key('Escape')
    return offered


def agent_console(cleanups, stem):
    """A guest with an agent, Hangar, and the guest's console open once
    the guest's agent answered it (the console then knows the agent)."""
    guest = AgentGuest(stem)
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    window = open_console(app, guest)
    wait_for(lambda: 'hangar-agent: client capabilities' in guest.serial(),
             "the guest's agent to meet the console", BOOT_TIMEOUT)
    return guest, app, window


def toast_shown(app, window, text):
    return bool(find_all(window, None, text))


@tap.case
def send_file_by_menu(cleanups):
    """Send Files… sends a chosen file into the guest, whole; a toast says it arrived"""
    work = workdir(cleanups)
    path = os.path.join(work, 'hangar-report.bin')
    with open(path, 'wb') as f:
        f.write(os.urandom(2 * 1024 * 1024 + 5))
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()

    guest, app, window = agent_console(cleanups, 'files')

    choose_send_files(app, window, path)
    line = 'hangar-agent: file received %d %s hangar-report.bin' % (2 * 1024 * 1024 + 5, digest)
    wait_for(lambda: line in guest.serial(), 'the file whole in the guest (%s)' % line, 120)
    wait_for(lambda: toast_shown(app, window, '“hangar-report.bin” was sent to the guest'),
             'a toast saying the file was sent')
    screenshot('file-sent')


@tap.case
def stop_sending(cleanups):
    """a big file on its way shows in the console's panel; its Stop button stops it, in the guest too"""
    work = workdir(cleanups)
    path = os.path.join(work, 'big.img')
    with open(path, 'wb') as f:
        f.truncate(1024 * 1024 * 1024)

    guest, app, window = agent_console(cleanups, 'files-stop')

    choose_send_files(app, window, path)
    stop = app.find(pyatspi.ROLE_PUSH_BUTTON, 'Stop sending “big.img”', root=window, timeout=30)
    wait_for(lambda: 'hangar-agent: file start 1073741824 big.img' in guest.serial(),
             'the guest to be receiving the file', 60)
    if not app.has_text('Sending 1 file to the guest', root=window):
        raise AssertionError('the panel should say a file is on its way')
    screenshot('file-on-its-way')
    app.click(stop)
    wait_for(lambda: 'hangar-agent: file cancelled after' in guest.serial(),
             'the guest to hear the file was stopped', 30)
    wait_for(lambda: toast_shown(app, window, 'Sending “big.img” was stopped'),
             'a toast saying the file was stopped')
    app.wait_gone(pyatspi.ROLE_PUSH_BUTTON, 'Stop sending “big.img”', root=window)
    if 'file received 1073741824' in guest.serial():
        raise AssertionError('the stopped file arrived whole')


def drag(from_xy, to_xy, steps=20):
    """A drag with the real pointer: press, move in steps (GTK starts a
    drag past a threshold, and the target follows the motion), release."""
    xdotool('mousemove', '--sync', str(from_xy[0]), str(from_xy[1]))
    xdotool('mousedown', '1')
    for i in range(1, steps + 1):
        x = from_xy[0] + (to_xy[0] - from_xy[0]) * i // steps
        y = from_xy[1] + (to_xy[1] - from_xy[1]) * i // steps
        xdotool('mousemove', '--sync', str(x), str(y))
        time.sleep(0.05)
    time.sleep(0.5)
    xdotool('mouseup', '1')


def window_centre(wid):
    info = run('xwininfo', '-id', wid)
    values = {k: int(re.search(r'%s:\s*(-?\d+)' % k, info).group(1))
              for k in ('Absolute upper-left X', 'Absolute upper-left Y', 'Width', 'Height')}
    return (values['Absolute upper-left X'] + values['Width'] // 2,
            values['Absolute upper-left Y'] + values['Height'] // 2)


@tap.case
def drop_files(cleanups):
    """two files dragged from another application and dropped on the console arrive in the guest"""
    work = workdir(cleanups)
    files = {}
    for name, size in (('dropped-one.txt', 1000), ('dropped-two.bin', 300 * 1024)):
        path = os.path.join(work, name)
        with open(path, 'wb') as f:
            f.write(os.urandom(size))
        with open(path, 'rb') as f:
            files[name] = (size, hashlib.sha256(f.read()).hexdigest())

    guest, app, window = agent_console(cleanups, 'files-drop')
    console = app.x_window(window)

    source = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'drag-source.py')] +
                              [os.path.join(work, name) for name in files],
                              stdout=subprocess.PIPE, text=True)
    cleanups.append(source.kill)
    if source.stdout.readline().strip() != 'ready':
        raise AssertionError('the drag source did not start')
    source_wid = wait_for(lambda: run('xdotool', 'search', '--name', '^Files to drag$', check=False).split(),
                          'the drag source window')[0]
    xdotool('windowmove', '--sync', source_wid, '1040', '420')
    time.sleep(0.5)
    screenshot('drag-source')
    drag(window_centre(source_wid), window_centre(console))

    for name, (size, digest) in files.items():
        line = 'hangar-agent: file received %d %s %s' % (size, digest, name)
        wait_for(lambda: line in guest.serial(), 'the dropped file whole in the guest (%s)' % line, 60)
    wait_for(lambda: toast_shown(app, window, '2 files were sent to the guest'),
             'a toast saying both files were sent')
    screenshot('files-dropped')


@tap.case
def no_agent_says_why(cleanups):
    """a SPICE guest without an agent: Send Files… says what the guest lacks; VNC does not offer it"""
    guest = Guest('files-noagent', graphics='spice')
    cleanups.append(guest.remove)
    vnc = Guest('files-vnc')
    cleanups.append(vnc.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)

    window = open_console(app, vnc)
    app.find(pyatspi.ROLE_PUSH_BUTTON, 'Console menu', root=window)
    time.sleep(3)  # as long as a local console takes to connect
    if send_files_offered(app, window) is not False:
        raise AssertionError('Send Files… should be shown and not offered for a VNC console')
    key('Escape')
    app.close_window(window)

    window = open_console(app, guest)
    # Offered once the console is connected.
    wait_for(lambda: send_files_offered(app, window), 'Send Files… offered', 60)
    app.menu_choose('Send Files…', root=window)
    wait_for(lambda: toast_shown(app, window, 'Could not send files to the guest'),
             'a toast saying files cannot be sent')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Details', root=window))
    app.window_with(re.compile('.*spice-vdagent.*', re.S))
    screenshot('no-agent')
    log('the details name what to install')


tap.main()
