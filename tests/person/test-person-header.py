#!/usr/bin/python3
# test-person-header.py — the main window's header buttons and the list's
# documented shortcuts, used on the selected machine; each checked in
# libvirt's state of the machine.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import re  # noqa: E402
import time  # noqa: E402

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, pyatspi, screenshot,  # noqa: E402
                          wait_for, walk)

tap = Tap()


def wait_state(guest, want, timeout=30):
    wait_for(lambda: guest.state() == want,
             '"%s" to be %s (virsh domstate says %s)' % (guest.name, want, guest.state()),
             timeout)


@tap.case
def header_buttons(cleanups):
    """header: Pause, Resume, Shut Down ▸ Force Off and Start act on the selected machine"""
    guest = Guest('header')
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    wait_state(guest, 'running')
    app.select_machine(guest.name)

    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Pause'))
    wait_state(guest, 'paused')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Resume'))
    wait_state(guest, 'running')

    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Shut down menu'))
    app.menu_choose('Force Off')
    # It asks first; a person says yes.
    app.click(app.find_anywhere(pyatspi.ROLE_PUSH_BUTTON, 'Force Off'))
    wait_state(guest, 'shut off')

    start = app.find(pyatspi.ROLE_PUSH_BUTTON, 'Start')
    wait_for(lambda: start.getState().contains(pyatspi.STATE_SENSITIVE), 'Start to be enabled')
    app.click(start)
    wait_state(guest, 'running')


@tap.case
def list_shortcuts(cleanups):
    """shortcuts: Ctrl+P pauses and resumes, Ctrl+R starts the selected machine"""
    guest = Guest('shortcuts')
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    wait_state(guest, 'running')
    app.select_machine(guest.name)

    app.keys_in(app.main, 'ctrl+p')
    wait_state(guest, 'paused')
    app.keys_in(app.main, 'ctrl+p')
    wait_state(guest, 'running')

    guest_off = Guest('shortcuts-off', start=False)
    cleanups.append(guest_off.remove)
    app.select_machine(guest_off.name)
    app.keys_in(app.main, 'ctrl+r')
    wait_state(guest_off, 'running')



def sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


@tap.case
def power_menu_sensitivity(cleanups):
    """header: the Shut Down menu button is disabled when none of its items applies"""
    guest = Guest('power-on')
    cleanups.append(guest.remove)
    guest_off = Guest('power-off', start=False)
    cleanups.append(guest_off.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    wait_state(guest, 'running')
    app.row(guest.name)
    menu = app.find(pyatspi.ROLE_PUSH_BUTTON, 'Shut down menu')
    # Nothing selected: nothing to shut down.
    wait_for(lambda: not sensitive(menu), 'the Shut Down menu to be disabled with no selection')
    app.select_machine(guest.name)
    wait_for(lambda: sensitive(menu), 'the Shut Down menu to be enabled on a running machine')
    # A shut-off machine can be neither shut down, reset nor saved.
    app.select_machine(guest_off.name)
    wait_for(lambda: not sensitive(menu), 'the Shut Down menu to be disabled on a shut-off machine')


def labels(root):
    found = []
    for acc in walk(root):
        try:
            if acc.getRole() == pyatspi.ROLE_LABEL and acc.name:
                found.append(acc.name)
        except Exception:
            continue
    return found


@tap.case
def shortcuts_window(cleanups):
    """Ctrl+? lists New machine, Add a connection, full screen and the console's release keys"""
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.connection_row()
    app.keys_in(app.main, 'ctrl+question')
    window = app.window(re.compile(r'Shortcuts'))
    wait_for(lambda: 'Search machines' in labels(window), 'the shortcuts to be listed')
    shown = labels(window)
    screenshot('shortcuts')
    missing = [t for t in ('New machine', 'Add a connection', 'Full screen',
                           'Release the keyboard and pointer (press and let go)')
               if t not in shown]
    if missing:
        raise Failure('the shortcuts window lacks %s (it lists: %s)' % (missing, shown))


@tap.case
def rows_keep_their_height(cleanups):
    """list: a machine that starts keeps its row's height (the rows below stay put)"""
    first = Guest('height-a', start=False)
    cleanups.append(first.remove)
    below = Guest('height-b', start=False)
    cleanups.append(below.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.row(first.name)

    def top_of_below():
        return app.row(below.name).queryComponent().getExtents(pyatspi.WINDOW_COORDS).y
    before = top_of_below()
    first.start()
    wait_state(first, 'running')
    # The CPU cell shows once the row knows the machine runs, and its graph
    # fills with the first samples: watch for a while.
    seen = set()
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        seen.add(top_of_below())
        time.sleep(0.25)
    screenshot('rows-after-start')
    if seen != {before}:
        raise Failure('the row below moved from y=%d to %s when the machine above started' % (
            before, sorted(seen)))


sys.exit(tap.main())
