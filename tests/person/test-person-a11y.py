#!/usr/bin/python3
# test-person-a11y.py — every interactive widget a person can reach has a
# name a screen reader can say. Opens the main window (and its menus), the
# New Machine wizard, the host details and a machine window (console and
# details) the way a person does, walks each accessibility tree, and fails
# on a button, toggle, check box, menu item, entry, combo box or focusable
# list item that has no accessible name (or only GTK's type name).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, find_all, key,  # noqa: E402
                          log, on_screen, pyatspi, screenshot, unnamed_widgets)

tap = Tap()


def app_with_guest(cleanups, stem):
    guest = Guest(stem)
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.row(guest.name)
    return app, guest


def check_named(where, root, problems):
    unnamed = unnamed_widgets(root)
    log('%s: %d unnamed' % (where, len(unnamed)))
    if unnamed:
        screenshot('unnamed-' + where)
    problems.extend('%s: %s' % (where, u) for u in unnamed)


def fail_on(problems):
    if problems:
        raise Failure('%d interactive widgets without a name:\n# %s' % (
            len(problems), '\n# '.join(problems)))


@tap.case
def main_window(cleanups):
    """the main window, its row menu and its connection menu name every control"""
    app, guest = app_with_guest(cleanups, 'a11y-main')
    problems = []
    check_named('main window', app.main, problems)
    app.right_click(app.row(guest.name))
    check_named('row menu', app.main, problems)
    key('Escape')
    app.right_click(app.connection_row())
    check_named('connection menu', app.main, problems)
    key('Escape')
    fail_on(problems)


@tap.case
def wizard(cleanups):
    """the New Machine wizard names every control on its pages"""
    app, guest = app_with_guest(cleanups, 'a11y-wizard')
    problems = []
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'New machine'))
    wizard = app.window('New Machine')
    time.sleep(1)
    check_named('wizard, first page', wizard, problems)
    # Manual install needs no media, and a generic OS no search: Forward
    # then walks every page after them.
    app.click(app.find(None, 'Manual install', root=wizard))
    for page in range(2, 6):
        generic = [a for a in find_all(wizard, None, 'Generic Linux') if on_screen(a)]
        if generic:
            app.click(generic[0])
        forward = app.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r'Forward|Create'),
                           root=wizard)
        if not forward.getState().contains(pyatspi.STATE_SENSITIVE) or \
                'Create' in forward.name:
            break
        app.click(forward)
        time.sleep(1.5)
        check_named('wizard, page %d' % page, wizard, problems)
    fail_on(problems)


@tap.case
def host_details(cleanups):
    """the host details name every control on each of their pages"""
    app, guest = app_with_guest(cleanups, 'a11y-host')
    problems = []
    app.right_click(app.connection_row())
    app.menu_choose('Host Details')
    host = app.window(re.compile('Host Details'))
    time.sleep(1)
    check_named('host, Overview', host, problems)
    for page in ('Virtual Networks', 'Storage', 'Interfaces'):
        tabs = [t for t in find_all(host, None, page)
                if on_screen(t) and t.getRole() in (pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_PUSH_BUTTON,
                                   pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_RADIO_BUTTON)]
        if not tabs:
            problems.append('host: no tab "%s" to reach' % page)
            continue
        app.click(tabs[0])
        time.sleep(1.5)
        check_named('host, ' + page, host, problems)
    app.close_window(host)
    fail_on(problems)


@tap.case
def machine_window(cleanups):
    """a machine window names every control of its console and its details"""
    app, guest = app_with_guest(cleanups, 'a11y-machine')
    problems = []
    app.right_click(app.row(guest.name))
    app.menu_choose('Open')
    window = app.window(guest.name)
    time.sleep(2)
    check_named('machine, console', window, problems)
    app.click(app.find(None, 'Details', root=window))
    time.sleep(1.5)
    check_named('machine, details', window, problems)
    app.close_window(window)
    fail_on(problems)


sys.exit(tap.main())
