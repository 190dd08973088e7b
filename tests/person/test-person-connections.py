#!/usr/bin/python3
# test-person-connections.py — connections as a person manages them: the
# local machines stay listed after adding a connection that fails, across
# a restart with the same settings; a second `hangar --show-…` acts on the
# connections the running Hangar already has.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (BUILD_DIR, Failure, Guest, Hangar, SYSTEM_URI, Tap, find_all,  # noqa: E402
                          describe, dump, key, log, on_screen, pyatspi, screenshot,
                          type_text, wait_for)

tap = Tap()
FAILING_URI = 'qemu+tcp://127.0.0.1:1/system'


@tap.case
def failing_connection_keeps_local(cleanups):
    """adding a connection that fails keeps the local default listed at the next start"""
    config = tempfile.mkdtemp(prefix='hangar-person-config-')
    cleanups.append(lambda: shutil.rmtree(config, ignore_errors=True))
    guest = Guest('local-default')
    cleanups.append(guest.remove)

    # A fresh profile: nothing saved, so Hangar lists the local default.
    app = Hangar(settings=config, name='first').start()
    cleanups.append(app.stop)
    app.row(guest.name)

    app.keys_in(app.main, 'ctrl+shift+n')
    dialog = app.window('Add Connection')
    app.click(app.find(pyatspi.ROLE_TEXT, 'URI', root=dialog))
    key('ctrl+a')
    type_text(FAILING_URI)
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Connect', root=dialog))
    app.window_closed(dialog)
    wait_for(lambda: app.has_text(re.compile('127.0.0.1')), 'the added connection in the list')

    app.keys_in(app.main, 'ctrl+q')
    wait_for(lambda: app.proc.poll() is not None, 'Hangar to quit on Ctrl+Q')
    app.stop()

    again = Hangar(settings=config, name='second').start()
    cleanups.append(again.stop)
    wait_for(lambda: again.has_text(re.compile('127.0.0.1')),
             'the added connection listed after the restart')
    again.row(guest.name)
    log('both the local machines and the added connection are listed')


@tap.case
def show_console_on_running_instance(cleanups):
    """hangar --show-domain-console NAME, given to a running Hangar without --connect, opens that console"""
    guest = Guest('show-console')
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.row(guest.name)

    # As from a terminal or a desktop launcher: a second process hands the
    # request to the running one over D-Bus and leaves.
    second = subprocess.run([os.path.join(BUILD_DIR, 'src', 'hangar'),
                             '--show-domain-console', guest.name],
                            env=app.env, capture_output=True, text=True, timeout=60)
    log('second hangar exited with %d: %s' % (second.returncode, second.stderr.strip()))
    window = app.window(guest.name, timeout=30)
    log('console window:', window.name)



@tap.case
def add_connection_error_in_sight(cleanups):
    """Add Connection's error for a bad host name is in sight with the remote rows open"""
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.connection_row()
    app.keys_in(app.main, 'ctrl+shift+n')
    dialog = app.window('Add Connection')
    # The remote rows open with the expander's switch: the first switch from the top.
    remote = app.find(None, re.compile(r'remote host'), root=dialog)
    remote_y = remote.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y
    candidates = [a for a in find_all(dialog) if on_screen(a) and
                  a.getRole() in (pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
                                  getattr(pyatspi, 'ROLE_SWITCH', -1))]
    log('switch candidates: %s' % [(describe(a), a.queryComponent().getExtents(
        pyatspi.WINDOW_COORDS).y) for a in candidates])
    switches = sorted(candidates, key=lambda a: abs(
        a.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y - remote_y))
    if not switches:
        raise Failure('no switch for the remote rows: %s' % dump(dialog))
    app.click(switches[0])
    host = wait_for(lambda: next((a for a in find_all(dialog, pyatspi.ROLE_TEXT, 'Hostname[:port]')
                                  if on_screen(a)), None), 'the host name entry')
    app.click(host)
    key('minus')     # xdotool type takes a leading '-' for an option of its own
    type_text('oProxyCommand=touch-x-and-a-long-tail-of-more-text-to-wrap')
    error = wait_for(lambda: next((a for a in find_all(dialog, pyatspi.ROLE_LABEL)
                                   if 'may not start with' in (a.name or '')), None),
                     'the error for a host name starting with "-"')
    window = dialog.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    ext = error.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    log('window %dx%d, error at %d,%d %dx%d' % (window.width, window.height, ext.x, ext.y,
                                                 ext.width, ext.height))
    if ext.height <= 0 or ext.y < 0 or ext.y + ext.height > window.height or \
            ext.x + ext.width > window.width:
        screenshot('add-connection-error-out-of-sight')
        raise Failure('the error lies outside the window (%d..%d of %d px high)' % (
            ext.y, ext.y + ext.height, window.height))
    screenshot('add-connection-error')


sys.exit(tap.main())
