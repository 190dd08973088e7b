#!/usr/bin/python3
# test-person-memory.py — a machine's Details → Memory as a person uses it:
# the values the new-machine wizard refuses (0, more than the host has) are
# refused here too, with a message and Apply off; changes made outside
# Hangar (virsh) show up in the page and the list, and the user's own
# unapplied edits survive them.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, key, log,  # noqa: E402
                          pyatspi, screenshot, states, type_text, virsh, wait_for)

tap = Tap()

MAXIMUM = 'Maximum allocation (MiB)'
CURRENT = 'Current allocation (MiB)'


def open_memory_page(cleanups, stem):
    """A shut-off guest of 64 MiB, its Details window on the Memory page."""
    guest = Guest(stem, start=False)
    cleanups.append(guest.remove)
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)

    app.right_click(app.row(guest.name))
    app.menu_choose('Details')
    window = app.window(guest.name)
    # The first read of the definition adds the device sections and so
    # rebuilds the sidebar: wait for it (the UUID shows) before clicking.
    uuid = virsh('domuuid', guest.name)
    wait_for(lambda: app.has_text(uuid, window), 'the details to show the UUID %s' % uuid)
    app.click(app.find(pyatspi.ROLE_LIST_ITEM, 'Memory', root=window))
    wait_for(lambda: spin_value(app, window, MAXIMUM) == 64, 'the Memory page showing 64 MiB')
    return app, guest, window


def spin(app, window, name):
    return app.find(pyatspi.ROLE_SPIN_BUTTON, name, root=window)


def spin_value(app, window, name):
    acc = spin(app, window, name)
    try:
        return int(round(acc.queryValue().currentValue))
    except NotImplementedError:
        text = acc.queryText()
        return int(text.getText(0, text.characterCount) or '0')


def set_spin(app, window, name, value):
    """Types VALUE into the spin button NAME and leaves it with Tab, as a
    person who typed a number would."""
    app.click(spin(app, window, name))
    key('ctrl+a')
    type_text(str(value))
    key('Tab')


def apply_sensitive(app, window):
    return states(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Apply', root=window)).contains(
        pyatspi.STATE_SENSITIVE)


def memory_kib(name):
    """<memory> and <currentMemory> of the saved definition, in KiB."""
    xml = virsh('dumpxml', '--inactive', name)
    maximum = re.search(r"<memory unit='KiB'>(\d+)</memory>", xml)
    current = re.search(r"<currentMemory unit='KiB'>(\d+)</currentMemory>", xml)
    return (int(maximum.group(1)) if maximum else None,
            int(current.group(1)) if current else None)


def refused(app, window, name, value, message):
    set_spin(app, window, name, value)
    wait_for(lambda: app.has_text(message, window),
             'the message "%s" for %s = %s' % (message.pattern if hasattr(message, 'pattern')
                                               else message, name, value))
    wait_for(lambda: spin_value(app, window, name) == value,
             '%s to keep %s (not silently changed)' % (name, value))
    if apply_sensitive(app, window):
        screenshot('apply-enabled-for-%s' % value)
        raise Failure('Apply is enabled with %s = %s' % (name, value))
    # A click on the insensitive button saves nothing either.
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Apply', root=window))
    if memory_kib(app.guest_name) != (65536, 65536):
        raise Failure('the definition changed to %s' % (memory_kib(app.guest_name),))


@tap.case
def refuses_what_the_wizard_refuses(cleanups):
    """Memory 0 and 10 TiB are refused with a message, Apply stays off and the definition is unchanged"""
    app, guest, window = open_memory_page(cleanups, 'memory-refuse')
    app.guest_name = guest.name

    refused(app, window, MAXIMUM, 0, 'The machine needs some memory.')
    screenshot('memory-zero-refused')
    refused(app, window, MAXIMUM, 10 * 1024 * 1024, re.compile(r'^The host has only .* of memory\.$'))
    screenshot('memory-10-tib-refused')

    # Back to a value the wizard takes: the message goes, Apply comes back,
    # and the current allocation was not dragged down to 0 on the way.
    set_spin(app, window, MAXIMUM, 128)
    wait_for(lambda: apply_sensitive(app, window), 'Apply to be enabled for 128 MiB')
    if spin_value(app, window, CURRENT) != 64:
        raise Failure('the current allocation became %d' % spin_value(app, window, CURRENT))
    if app.has_text(re.compile(r'needs some memory|The host has only'), window):
        raise Failure('the error message stayed for a valid value')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Apply', root=window))
    wait_for(lambda: memory_kib(guest.name) == (128 * 1024, 64 * 1024),
             'the definition to say 128 MiB, 64 MiB current')


@tap.case
def shows_changes_made_outside(cleanups):
    """virsh setmaxmem/setmem --config and virsh define show in Details and the list; unapplied edits are kept"""
    app, guest, window = open_memory_page(cleanups, 'memory-outside')

    # No event comes for these (QEMU's driver): the person switches to a
    # terminal and back, as here.
    virsh('setmaxmem', guest.name, '512M', '--config')
    virsh('setmem', guest.name, '300M', '--config')
    app.activate_window(app.main)
    app.activate_window(window)
    wait_for(lambda: spin_value(app, window, MAXIMUM) == 512,
             'the maximum to show 512 MiB after virsh setmaxmem --config')
    wait_for(lambda: spin_value(app, window, CURRENT) == 300,
             'the current allocation to show 300 MiB after virsh setmem --config')
    wait_for(lambda: app.has_text('512 MiB'), 'the list to show 512 MiB')
    screenshot('memory-after-setmaxmem')

    # A new definition sends DEFINED: no need to come back to the window.
    def define(max_mib, cur_mib):
        xml = virsh('dumpxml', '--inactive', guest.name)
        xml = re.sub(r"<memory unit='KiB'>\d+</memory>",
                     "<memory unit='KiB'>%d</memory>" % (max_mib * 1024), xml)
        xml = re.sub(r"<currentMemory unit='KiB'>\d+</currentMemory>",
                     "<currentMemory unit='KiB'>%d</currentMemory>" % (cur_mib * 1024), xml)
        with tempfile.NamedTemporaryFile('w', suffix='.xml', delete=False) as f:
            f.write(xml)
        try:
            virsh('define', f.name)
        finally:
            os.unlink(f.name)
    define(768, 640)
    wait_for(lambda: spin_value(app, window, MAXIMUM) == 768,
             'the maximum to show 768 MiB after virsh define')
    wait_for(lambda: spin_value(app, window, CURRENT) == 640, 'the current to show 640 MiB')
    wait_for(lambda: app.has_text('768 MiB'), 'the list to show 768 MiB')

    # The user's edit, not applied, survives a change from outside.
    set_spin(app, window, CURRENT, 200)
    wait_for(lambda: apply_sensitive(app, window), 'Apply to be enabled for the edit')
    define(1024, 1024)
    wait_for(lambda: app.has_text('1.0 GiB'), 'the list to show 1.0 GiB')
    wait_for(lambda: app.has_text(re.compile(r'changed outside Hangar'), window),
             'the page to say the definition changed outside Hangar')
    screenshot('memory-edit-kept')
    if spin_value(app, window, CURRENT) != 200:
        raise Failure('the unapplied edit was replaced by %d' % spin_value(app, window, CURRENT))
    log('the edit of 200 MiB is kept')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Revert', root=window))
    wait_for(lambda: spin_value(app, window, CURRENT) == 1024, 'Revert to show 1024 MiB')
    wait_for(lambda: spin_value(app, window, MAXIMUM) == 1024, 'Revert to show a 1024 MiB maximum')


sys.exit(tap.main())
