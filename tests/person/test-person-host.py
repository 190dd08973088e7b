#!/usr/bin/python3
# test-person-host.py — the host details as a person uses them: a
# network's destructive Delete stands apart from its Stop, so a slip of
# the pointer does not land on it, and it still asks first.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Hangar, SYSTEM_URI, Tap, find_all, log,  # noqa: E402
                          on_screen, pyatspi, screenshot, wait_for)

tap = Tap()


@tap.case
def network_delete_apart_from_stop(cleanups):
    """a network's Delete stands apart from Stop and asks before deleting"""
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.right_click(app.connection_row())
    app.menu_choose('Host Details')
    host = app.window(re.compile('Host Details'))
    tab = wait_for(lambda: next((t for t in find_all(host, None, 'Virtual Networks')
                                 if on_screen(t) and t.getRole() != pyatspi.ROLE_LABEL), None),
                   'the Virtual Networks tab')
    app.click(tab)
    time.sleep(1.5)

    def buttons(name):
        return [b for b in find_all(host, pyatspi.ROLE_PUSH_BUTTON, name) if on_screen(b)]
    stop = wait_for(lambda: buttons('Stop'), 'an active network\'s Stop button')[0]
    stop_ext = stop.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    # The Delete on Stop's row: the nearest one at the same height.
    deletes = [b.queryComponent().getExtents(pyatspi.WINDOW_COORDS) for b in buttons('Delete')]
    same_row = [d for d in deletes if abs(d.y - stop_ext.y) < stop_ext.height]
    if not same_row:
        raise Failure('no Delete next to the network\'s Stop')
    delete = min(same_row, key=lambda d: abs(d.x - stop_ext.x))
    gap = delete.x - (stop_ext.x + stop_ext.width) if delete.x > stop_ext.x \
        else stop_ext.x - (delete.x + delete.width)
    log('Stop at x=%d w=%d, Delete at x=%d: gap %d px' % (stop_ext.x, stop_ext.width, delete.x, gap))
    screenshot('network-row')
    # Between the icons of two neighbouring flat buttons AT-SPI gives 22 px
    # (the row's own spacing); Delete must stand clearly further off.
    if gap < 32:
        raise Failure('Delete is %d px from Stop, as close as any neighbour: one slip away' % gap)
    # And it asks first: Cancel leaves the network there.
    app.click(next(b for b in buttons('Delete')
                   if b.queryComponent().getExtents(pyatspi.WINDOW_COORDS).x == delete.x and
                   b.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y == delete.y))
    question = app.window_with(re.compile(r'Delete the Network'))
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Cancel', root=question))
    wait_for(lambda: buttons('Stop'), 'the network still there after Cancel')


sys.exit(tap.main())
