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

from hangarperson import (BUILD_DIR, Guest, Hangar, SYSTEM_URI, Tap, key, log,  # noqa: E402
                          pyatspi, type_text, wait_for)

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


sys.exit(tap.main())
