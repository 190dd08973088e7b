#!/usr/bin/python3
# test-person-menus.py — the main window's context menus, used as a person
# uses them: right-click on a row, or Shift+F10 on the selected row, then
# the arrow keys and Return. Each case checks where the command lands:
# libvirt's state of the machine, a window that opened, the connection row.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, find_all, key, log,  # noqa: E402
                          pyatspi, run, screenshot, states, type_text, virsh, wait_for)

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


# --- Delete… and its dialog ------------------------------------------------------

def all_machines():
    return virsh('list', '--all', '--name').split()


def guest_with_disk(cleanups, stem):
    """A shut-off guest whose one disk is a small qcow2 file of the test's own."""
    folder = tempfile.mkdtemp(prefix='hangar-person-disk-')
    cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = os.path.join(folder, stem + '.qcow2')
    run('qemu-img', 'create', '-q', '-f', 'qcow2', path, '16M')
    guest = Guest(stem, start=False, devices="""
  <disk type='file' device='disk'>
    <driver name='qemu' type='qcow2'/>
    <source file='%s'/>
    <target dev='vda' bus='virtio'/>
  </disk>""" % path)
    cleanups.append(guest.remove)
    return guest, path


def open_delete_dialog(app, guest):
    app.right_click(app.row(guest.name))
    app.menu_choose('Delete…')
    return app.window_with('Delete “%s”?' % guest.name, timeout=30)


def disk_check(app, dialog, path):
    check = app.find(pyatspi.ROLE_CHECK_BOX, path, root=dialog,
                     what='the check box for %s in the delete dialog' % path)
    return check


def is_checked(acc):
    return states(acc).contains(pyatspi.STATE_CHECKED)


def wait_deleted(app, guest):
    wait_for(lambda: guest.name not in all_machines(),
             '"%s" to be gone from virsh list --all' % guest.name, 60)
    app.wait_gone(None, guest.name, what='the row of "%s" to go' % guest.name, timeout=30)


@tap.case
def row_menu_delete_with_disk(cleanups):
    """the row menu's Delete…: Cancel keeps the machine; Delete with its disk checked removes both"""
    guest, path = guest_with_disk(cleanups, 'menu-delete-disk')
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)

    dialog = open_delete_dialog(app, guest)
    disk_check(app, dialog, path)
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Cancel', root=dialog))
    app.window_closed(dialog)
    if guest.name not in all_machines() or not os.path.exists(path):
        raise Failure('Cancel deleted something: machines %s, file there: %s' % (
            all_machines(), os.path.exists(path)))
    app.row(guest.name)

    dialog = open_delete_dialog(app, guest)
    check = disk_check(app, dialog, path)
    if not is_checked(check):
        screenshot('delete-disk-unchecked')
        raise Failure('the machine\'s own writable disk is offered unchecked')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Delete', root=dialog))
    app.window_closed(dialog)
    wait_deleted(app, guest)
    wait_for(lambda: not os.path.exists(path), 'the disk file %s to be deleted' % path, 30)


@tap.case
def row_menu_delete_keeps_disk(cleanups):
    """the row menu's Delete… with the disk unchecked removes the machine and keeps its file"""
    guest, path = guest_with_disk(cleanups, 'menu-delete-keep')
    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)

    dialog = open_delete_dialog(app, guest)
    check = disk_check(app, dialog, path)
    app.click(check)
    wait_for(lambda: not is_checked(check), 'the disk\'s box to be unchecked')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Delete', root=dialog))
    app.window_closed(dialog)
    wait_deleted(app, guest)
    if not os.path.exists(path):
        raise Failure('the unchecked disk %s was deleted' % path)


# --- Remove Connection ------------------------------------------------------------

def connection_names(app):
    """The names of the connection rows (the expanders that can expand)."""
    names = []
    for acc in find_all(app.main, pyatspi.ROLE_PANEL):
        try:
            if states(acc).contains(pyatspi.STATE_EXPANDABLE):
                names.append(acc.name)
        except Exception:
            continue
    return names


def connection_named(app, name):
    for acc in find_all(app.main, pyatspi.ROLE_PANEL):
        try:
            if states(acc).contains(pyatspi.STATE_EXPANDABLE) and acc.name == name:
                return acc
        except Exception:
            continue
    return None


@tap.case
def remove_connection(cleanups):
    """the connection row's Remove Connection: the added connection goes, and stays gone after a restart"""
    config = tempfile.mkdtemp(prefix='hangar-person-config-')
    cleanups.append(lambda: shutil.rmtree(config, ignore_errors=True))
    guest = Guest('remove-connection', start=False)
    cleanups.append(guest.remove)

    app = Hangar(settings=config, name='first').start()
    cleanups.append(app.stop)
    app.row(guest.name)
    local = connection_names(app)
    log('connections before:', local)

    app.keys_in(app.main, 'ctrl+shift+n')
    dialog = app.window('Add Connection')
    app.click(app.find(pyatspi.ROLE_TEXT, 'URI', root=dialog))
    key('ctrl+a')
    type_text('test:///default')
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Connect', root=dialog))
    app.window_closed(dialog)
    added = wait_for(lambda: [n for n in connection_names(app) if n not in local],
                     'the added connection\'s row', 30)[0]
    log('added connection row:', added)
    wait_for(lambda: 'test:///default' in keyfile_text(config),
             'the added connection in the saved settings')

    app.right_click(wait_for(lambda: connection_named(app, added), 'the row "%s"' % added))
    app.menu_choose('Remove Connection')
    wait_for(lambda: added not in connection_names(app),
             'the row "%s" to go (rows: %s)' % (added, connection_names(app)), 30)
    app.row(guest.name)   # the local machines stay
    wait_for(lambda: 'test:///default' not in keyfile_text(config),
             'the removed connection to leave the saved settings (%s)' % keyfile_text(config))

    app.keys_in(app.main, 'ctrl+q')
    wait_for(lambda: app.proc.poll() is not None, 'Hangar to quit on Ctrl+Q')
    app.stop()

    again = Hangar(settings=config, name='second').start()
    cleanups.append(again.stop)
    again.row(guest.name)
    # The local connection is up; an added test:/// connection would be up
    # as fast. A person looks for a moment: so does this.
    try:
        wait_for(lambda: added in connection_names(again), 'the removed connection',
                 5, shot=False)
    except Failure:
        log('after the restart the rows are', connection_names(again))
        return
    screenshot('removed-connection-back')
    raise Failure('the removed connection "%s" is listed again after a restart' % added)


def keyfile_text(config):
    path = os.path.join(config, 'glib-2.0', 'settings', 'keyfile')
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ''


# --- Shut Down ▸ Reboot, Force Reset and Save --------------------------------------

def choose_power(app, guest, label):
    app.right_click(app.row(guest.name))
    app.menu_choose('Shut Down')
    key('Right')     # into the submenu
    app.menu_choose(label)


class DomainEvents:
    """virsh event --loop for one machine, from now on, into a file."""

    def __init__(self, guest, event, cleanups):
        self.out = tempfile.NamedTemporaryFile('w+', prefix='hangar-person-events-')
        self.proc = subprocess.Popen(['virsh', '-c', SYSTEM_URI, 'event', '--domain', guest.name,
                                      '--event', event, '--loop', '--timeout', '300'],
                                     stdout=self.out, stderr=subprocess.STDOUT)
        cleanups.append(self.stop)
        # virsh says nothing once it listens: a moment for it to register
        # (the menu and the confirmation take longer), and it must still run.
        time.sleep(1)
        if self.proc.poll() is not None:
            raise Failure('virsh event exited: %s' % self.text())

    def text(self):
        self.out.seek(0)
        return self.out.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.out.close()


@tap.case
def power_menu_reset(cleanups):
    """Shut Down ▸ Force Reset, confirmed, resets the running machine (libvirt's reboot event, same domain id)"""
    app, guest = app_with_guest(cleanups, 'menu-reset')
    wait_state(guest, 'running')
    domid = virsh('domid', guest.name)
    events = DomainEvents(guest, 'reboot', cleanups)

    choose_power(app, guest, 'Force Reset')
    confirm = app.find_anywhere(pyatspi.ROLE_PUSH_BUTTON, 'Force Reset')
    if events.text().strip():
        raise Failure('the machine was reset before Force Reset was confirmed: %s' % events.text())
    app.click(confirm)
    wait_for(lambda: 'reboot' in events.text(), 'libvirt\'s reboot event (virsh event: %r)'
             % events.text(), 30)
    log('virsh event:', events.text().strip())
    wait_state(guest, 'running')
    if virsh('domid', guest.name) != domid:
        raise Failure('the domain id changed from %s: the machine was restarted, not reset' % domid)


def status_says_fake_reboot(guest):
    """Whether libvirt's status file for the running machine holds
    <fakereboot/>: a reboot asked of QEMU (the ACPI power button, with
    libvirt to reset the machine when the guest powers off). None when the
    file cannot be read here."""
    path = '/run/libvirt/qemu/%s.xml' % guest.name
    try:
        with open(path) as f:
            return '<fakereboot/>' in f.read()
    except OSError as e:
        log('cannot read %s: %s' % (path, e))
        return None


@tap.case
def power_menu_reboot(cleanups):
    """Shut Down ▸ Reboot asks libvirt to reboot the running machine (its status: <fakereboot/>)"""
    # A disk-less guest runs no operating system: nothing answers the ACPI
    # power button, so it never restarts and libvirt sends no reboot event.
    # What is seen is libvirt's own record of the reboot it asked for.
    app, guest = app_with_guest(cleanups, 'menu-reboot')
    wait_state(guest, 'running')
    domid = virsh('domid', guest.name)
    before = status_says_fake_reboot(guest)
    if before is None:
        raise Tap.Skip('libvirt\'s status file cannot be read by this user')
    if before:
        raise Failure('the machine was marked for reboot before Reboot was chosen')

    choose_power(app, guest, 'Reboot')
    wait_for(lambda: status_says_fake_reboot(guest),
             'libvirt to record the reboot (<fakereboot/> in its status file)', 30)
    wait_state(guest, 'running')
    if virsh('domid', guest.name) != domid:
        raise Failure('the domain id changed from %s: the machine was restarted' % domid)
    if app.has_text(re.compile('Could not')):
        screenshot('reboot-error')
        raise Failure('Reboot showed an error')


@tap.case
def power_menu_save_then_start(cleanups):
    """Shut Down ▸ Save keeps the machine's state in a managed save; Start restores it"""
    app, guest = app_with_guest(cleanups, 'menu-save')
    cleanups.append(lambda: virsh('managedsave-remove', guest.name, check=False))
    wait_state(guest, 'running')

    choose_power(app, guest, 'Save')
    wait_state(guest, 'shut off', 90)

    def managed_save():
        return re.search(r'Managed save:\s*yes', virsh('dominfo', guest.name))
    wait_for(managed_save, 'virsh dominfo to show a managed save image', 30)
    if guest.name not in virsh('list', '--all', '--with-managed-save', '--name').split():
        raise Failure('"%s" is not listed with a managed save' % guest.name)

    app.right_click(app.row(guest.name))
    app.menu_choose('Start')
    wait_state(guest, 'running', 90)
    reason = virsh('domstate', '--reason', guest.name)
    log('virsh domstate --reason:', reason)
    if 'restored' not in reason:
        raise Failure('the machine started afresh instead of from its saved state: %s' % reason)
    if managed_save():
        raise Failure('the managed save image is still there after the restore')


sys.exit(tap.main())
