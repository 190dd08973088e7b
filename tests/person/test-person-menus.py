#!/usr/bin/python3
# test-person-menus.py — the main window's context menus, used as a person
# uses them: right-click on a row, or Shift+F10 on the selected row, then
# the arrow keys and Return. Each case checks where the command lands:
# libvirt's state of the machine, a window that opened, the connection row.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, key, log,  # noqa: E402
                          pyatspi, screenshot, wait_for)

tap = Tap()


def app_with_guest(cleanups, stem):
    guest = Guest(stem)
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    return app, guest


def wait_state(guest, want, timeout=30):
    wait_for(lambda: guest.state() == want,
             '"%s" to be %s (virsh domstate says %s)' % (guest.name, want, guest.state()),
             timeout)


@tap.case
def right_click_pause_resume(cleanups):
    """right-click a running machine: Pause pauses it, Resume runs it again"""
    app, guest = app_with_guest(cleanups, 'menu-pause')
    wait_state(guest, 'running')
    row = app.row(guest.name)

    app.right_click(row)
    hidden = app.menu_hidden_items()
    if hidden:
        screenshot('menu-cut-off')
        raise Failure('the row menu hides %s until scrolled' % hidden)
    app.menu_choose('Pause')
    wait_state(guest, 'paused')

    app.right_click(row)
    app.menu_choose('Resume')
    wait_state(guest, 'running')


@tap.case
def shift_f10_force_off(cleanups):
    """Shift+F10 on the selected row: Shut Down ▸ Force Off turns the machine off"""
    app, guest = app_with_guest(cleanups, 'menu-force-off')
    wait_state(guest, 'running')
    app.select_machine(guest.name)

    app.keys_in(app.main, 'shift+F10')
    app.menu_choose('Shut Down')
    key('Right')     # into the submenu
    app.menu_choose('Force Off')
    # Forcing off asks first (the machine stays on until then); a person says yes.
    confirm = app.find_anywhere(pyatspi.ROLE_PUSH_BUTTON, 'Force Off')
    if guest.state() != 'running':
        raise Failure('the machine went off before Force Off was confirmed')
    app.click(confirm)
    wait_state(guest, 'shut off')


@tap.case
def row_power_submenu_only_when_it_applies(cleanups):
    """the row menu offers Shut Down ▸ on a running machine, not on a shut-off one"""
    app, guest = app_with_guest(cleanups, 'menu-power-on')
    guest_off = Guest('menu-power-off', start=False)
    cleanups.append(guest_off.remove)
    wait_state(guest, 'running')

    def items():
        return [n.replace('_', '') for n in app.menu_items()]
    app.right_click(app.row(guest_off.name))
    wait_for(lambda: 'Start' in items(), 'the shut-off machine\'s menu (items: %s)' % items())
    if 'Shut Down' in items() or 'Force Off' in items():
        screenshot('power-submenu-on-shut-off')
        raise Failure('a shut-off machine\'s menu offers Shut Down ▸: %s' % items())
    key('Escape')
    app.right_click(app.row(guest.name))
    wait_for(lambda: 'Shut Down' in items(),
             'Shut Down ▸ in the running machine\'s menu (items: %s)' % items())
    key('Escape')


@tap.case
def row_menu_opens_windows(cleanups):
    """the row menu's Details and Clone… open the machine's details and the clone dialog"""
    app, guest = app_with_guest(cleanups, 'menu-windows')
    row = app.row(guest.name)

    app.right_click(row)
    app.menu_choose('Details')
    details = app.window(guest.name)
    log('details window:', details.name)
    app.close_window(details)

    app.right_click(row)
    app.menu_choose('Clone…')
    clone = app.window_with('Name of the Copy')
    log('clone dialog:', clone.name)


@tap.case
def connection_menu(cleanups):
    """the connection row's menu: Host Details opens the host window; Disconnect and Connect change the row"""
    app, guest = app_with_guest(cleanups, 'menu-connection')
    app.row(guest.name)
    connection = app.connection_row()
    name = connection.name

    app.right_click(connection)
    hidden = app.menu_hidden_items()
    if hidden:
        screenshot('menu-cut-off')
        raise Failure('the connection menu hides %s until scrolled' % hidden)
    app.menu_choose('Host Details')
    host = app.window('%s — Host Details' % name)
    log('host window:', host.name)
    app.keys_in(host, 'ctrl+w')
    app.window_closed(host)

    app.right_click(connection)
    app.menu_choose('Disconnect')
    wait_for(lambda: app.has_text('Not connected'), 'the row to say "Not connected"')
    app.wait_gone(None, guest.name, what='the machine row to go with its connection')

    app.right_click(app.connection_row())
    app.menu_choose('Connect')
    app.row(guest.name)
    wait_for(lambda: not app.has_text('Not connected'), 'the row to drop "Not connected"')


sys.exit(tap.main())
