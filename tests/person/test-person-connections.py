#!/usr/bin/python3
# test-person-connections.py — connections as a person manages them: the
# local machines stay listed after adding a connection that fails, across
# a restart with the same settings.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Guest, Hangar, Tap, key, log, pyatspi,  # noqa: E402
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


sys.exit(tap.main())
