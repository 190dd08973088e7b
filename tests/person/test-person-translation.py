#!/usr/bin/python3
# test-person-translation.py — Hangar started the way the README says
# (tools/run, from the build tree) in Brazilian Portuguese speaks
# Portuguese: the window's buttons, column headers, states and menus.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Guest, Hangar, SYSTEM_URI, Tap, have_locale, key,  # noqa: E402
                          pyatspi, screenshot, wait_for)

tap = Tap()
LANG = 'pt_BR.UTF-8'


@tap.case
def tools_run_in_portuguese(cleanups):
    """tools/run with LANG=pt_BR.UTF-8 shows the main window and its row menu in Portuguese"""
    if not have_locale(LANG):
        raise tap.Skip('the locale %s is not generated (tools/setup makes it)' % LANG)
    guest = Guest('translation')
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI, lang=LANG, tools_run=True).start()
    cleanups.append(app.stop)

    app.find(pyatspi.ROLE_PUSH_BUTTON, 'Nova máquina', what='the "New machine" button in Portuguese')
    app.find(pyatspi.ROLE_LABEL, 'Uso de CPU', what='the "CPU usage" header in Portuguese')
    app.row(guest.name)
    app.find(pyatspi.ROLE_LABEL, 'Em execução', what='the state "Running" in Portuguese')

    app.right_click(app.row(guest.name))
    wait_for(lambda: 'Pausar' in [n.replace('_', '') for n in app.menu_items()],
             'the row menu in Portuguese (items: %s)' % app.menu_items())
    screenshot('pt_BR-row-menu')
    key('Escape')

    app.right_click(app.connection_row())
    wait_for(lambda: 'Detalhes do hospedeiro' in [n.replace('_', '') for n in app.menu_items()],
             'the connection menu in Portuguese')
    screenshot('pt_BR-connection-menu')
    key('Escape')


sys.exit(tap.main())
