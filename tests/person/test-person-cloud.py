#!/usr/bin/python3
# test-person-cloud.py — a person makes a machine from a cloud image in the
# New Machine wizard: picks "Cloud image", types the image's path, a user,
# a password and a host name with a mistake, reads the message the wizard
# shows, corrects it, and goes on to Create. The machine runs with a copy
# of the image grown to the size typed and its cloud-init seed beside it
# (virsh). What the seed holds and a guest reading it are tested in
# tests/libhangar/test-vm-creator-cloud.c.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Hangar, SYSTEM_URI, Tap, find_all, key, log,  # noqa: E402
                          on_screen, pyatspi, run, type_text, unique_name, virsh, wait_for,
                          walk, xdotool)

tap = Tap()


def texts(root):
    found = []
    for acc in walk(root):
        try:
            if acc.getRole() == pyatspi.ROLE_LABEL and acc.name:
                found.append(acc.name)
        except Exception:
            continue
    return found


def shows(root, text):
    return any(text in t for t in texts(root))


def forward_button(app, wizard):
    return app.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r'Forward|Create'), root=wizard)


def forward_sensitive(app, wizard):
    return forward_button(app, wizard).getState().contains(pyatspi.STATE_SENSITIVE)


def forward(app, wizard, timeout=30):
    button = forward_button(app, wizard)
    wait_for(lambda: button.getState().contains(pyatspi.STATE_SENSITIVE),
             'Forward to be enabled (the page shows: %s)' % texts(wizard), timeout)
    app.click(button)
    time.sleep(1)


def click_named(app, wizard, name):
    found = [a for a in find_all(wizard, None, name) if on_screen(a)]
    if not found:
        raise Failure('nothing named %r on the page (it shows: %s)' % (name, texts(wizard)))
    app.click(found[0])


def entry(wizard, title):
    found = [a for a in find_all(wizard, None, title) if on_screen(a) and
             a.getRole() in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT)]
    if not found:
        raise Failure('no entry %r on the page' % title)
    return found[0]


def scroll_down(app, wizard, anchor):
    """Scrolls the page with the wheel over ANCHOR, as a person reaches the fields below."""
    x, y, _ = app.screen_position(anchor)
    xdotool('mousemove', str(x), str(y))
    for _ in range(10):
        xdotool('click', '5')
    time.sleep(0.5)


def type_into(app, wizard, title, text):
    app.click(entry(wizard, title))
    key('ctrl+a')
    type_text(text)


@tap.case
def cloud_image_machine(cleanups):
    """Cloud image: a wrong host name is explained, then Create makes a running machine"""
    folder = tempfile.mkdtemp(prefix='hangar-person-cloud-')
    os.chmod(folder, 0o755)
    cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    image = os.path.join(folder, 'cloud.qcow2')
    run('qemu-img', 'create', '-q', '-f', 'qcow2', image, '64M')
    name = unique_name('cloud')
    pool = run('virsh', '-c', SYSTEM_URI, 'pool-dumpxml', 'default', check=False)
    pool_path = re.search(r'<target>\s*<path>([^<]+)</path>', pool or '')
    pool_path = pool_path.group(1) if pool_path else '/var/lib/libvirt/images'
    disk = os.path.join(pool_path, name + '.qcow2')
    seed = os.path.join(pool_path, name + '-cidata.iso')

    def remove():
        virsh('destroy', name, check=False)
        virsh('undefine', name, check=False)
        for path in (disk, seed):
            virsh('vol-delete', path, check=False)
    cleanups.append(remove)

    app = Hangar('--connect', SYSTEM_URI).start()
    cleanups.append(app.stop)
    app.connection_row()
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r'^New machine$')))
    wizard = app.window(re.compile(r'^New Machine$'))

    click_named(app, wizard, re.compile(r'^Cloud image$'))
    type_into(app, wizard, re.compile(r'^Cloud image file'), image)
    scroll_down(app, wizard, entry(wizard, re.compile(r'^Cloud image file')))
    type_into(app, wizard, re.compile(r'^User name'), 'maria')
    type_into(app, wizard, re.compile(r'^Password'), 'segredo')
    type_into(app, wizard, re.compile(r'^Host name'), 'web_1')
    wait_for(lambda: shows(wizard, 'The host name may hold only letters, digits'),
             'the message on the host name (the page shows: %s)' % texts(wizard), 10)
    if forward_sensitive(app, wizard):
        raise Failure('Forward is enabled with the host name web_1')
    type_into(app, wizard, re.compile(r'^Host name'), 'nuvem-1')
    wait_for(lambda: not shows(wizard, 'The host name may hold only'),
             'the message to go once the host name is right', 10)
    size = [a for a in find_all(wizard, pyatspi.ROLE_SPIN_BUTTON,
                                re.compile(r'^Disk size')) if on_screen(a)]
    if not size:
        raise Failure('no disk size on the page (it shows: %s)' % texts(wizard))
    app.click(size[0])
    key('ctrl+a')
    type_text('1')
    key('Tab')

    forward(app, wizard)        # → the OS
    click_named(app, wizard, 'Generic Linux')
    forward(app, wizard)        # → memory and processors
    forward(app, wizard)        # → name and summary (no storage page)
    app.click(entry(wizard, re.compile(r'^Machine name')))
    key('ctrl+a')
    type_text(name)
    wait_for(lambda: shows(wizard, 'with the user maria on nuvem-1'),
             'the summary to name the cloud image and user (it shows: %s)' % texts(wizard), 10)
    forward(app, wizard)        # Create

    wait_for(lambda: (virsh('domstate', name, check=False) or '').strip() == 'running',
             'the machine %s to run' % name, 120)
    info = virsh('vol-info', '--bytes', disk)
    log(info)
    if not re.search(r'Capacity:\s+1073741824 bytes', info):
        raise Failure('the disk is not 1 GiB: %s' % info)
    xml = virsh('dumpxml', '--inactive', name)
    if seed not in xml or "device='cdrom'" not in xml:
        raise Failure('the seed %s is not attached: %s' % (seed, xml))


sys.exit(tap.main())
