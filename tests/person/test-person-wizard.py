#!/usr/bin/python3
# test-person-wizard.py — the New Machine wizard says what a person must
# know before Create: the summary names the install media and the disk's
# path, a host without KVM is called slow, a disk another machine uses is
# not taken without a word, and the OS page shows no error before any
# input. Each is read where a person reads it: the wizard's labels.
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

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, find_all,  # noqa: E402
                          have_locale, key, log, on_screen, pyatspi, run, screenshot,
                          type_text, unique_name, wait_for, walk, xdotool)

tap = Tap()
LANG_PT = 'pt_BR.UTF-8'
KVM_WARNING = {'en': 'KVM is not available', 'pt': 'KVM não está disponível'}
SHOTS = os.environ.get('HANGAR_PERSON_SHOTS')   # a folder for screenshots to look at


def texts(root):
    """Every label's text under ROOT, as a person reads the window."""
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


def keep_shot(name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        subprocess.run(['import', '-window', 'root', os.path.join(SHOTS, name + '.png')],
                       capture_output=True, timeout=30)


def open_wizard(cleanups, lang=None):
    app = Hangar('--connect', SYSTEM_URI, lang=lang).start()
    cleanups.append(app.stop)
    app.connection_row()
    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r'^(New machine|Nova máquina)$')))
    wizard = app.window(re.compile(r'^(New Machine|Nova máquina)$'))
    return app, wizard


def forward(app, wizard, timeout=30):
    button = app.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r'Forward|Create|Avançar|Criar'),
                      root=wizard)
    wait_for(lambda: button.getState().contains(pyatspi.STATE_SENSITIVE),
             'Forward to be enabled (the page shows: %s)' % texts(wizard), timeout)
    app.click(button)
    time.sleep(1)


def forward_sensitive(app, wizard):
    button = app.find(pyatspi.ROLE_PUSH_BUTTON, re.compile(r'Forward|Create|Avançar|Criar'),
                      root=wizard)
    return button.getState().contains(pyatspi.STATE_SENSITIVE)


def click_named(app, wizard, name):
    found = [a for a in find_all(wizard, None, name) if on_screen(a)]
    if not found:
        raise Failure('nothing named %r on the page (it shows: %s)' % (name, texts(wizard)))
    app.click(found[0])


def entry(wizard, title):
    """The text field titled TITLE on the page shown."""
    found = [a for a in find_all(wizard, None, title) if on_screen(a) and
             a.getRole() in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY)]
    if not found:
        raise Failure('no entry %r on the page' % title)
    return found[0]


def type_into(app, wizard, title, text):
    app.click(entry(wizard, title))
    type_text(text)


def make_iso(folder):
    """A bootable ISO osinfo takes for Debian 11 (docs/DESIGN.md)."""
    tree = os.path.join(folder, 'tree')
    os.makedirs(tree)
    with open(os.path.join(tree, 'boot.img'), 'wb') as f:
        f.write(b'\0' * 2048)
    path = os.path.join(folder, 'person-install.iso')
    run('xorriso', '-as', 'mkisofs', '-V', 'Debian 11.6.0 amd64 n', '-b', 'boot.img',
        '-no-emul-boot', '-boot-load-size', '4', '-o', path, tree)
    return path


def scratch(cleanups):
    folder = tempfile.mkdtemp(prefix='hangar-person-wizard-')
    os.chmod(folder, 0o755)
    cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder


def summary_case(cleanups, lang, shot):
    if shutil.which('xorriso') is None:
        raise tap.Skip('xorriso is not installed')
    iso = make_iso(scratch(cleanups))
    app, wizard = open_wizard(cleanups, lang)
    type_into(app, wizard, re.compile(r'^(ISO file or drive|Arquivo ISO ou unidade)'), iso)
    forward(app, wizard)        # media → OS (detected as Debian 11)
    forward(app, wizard)        # OS → memory and processors
    forward(app, wizard)        # → storage: a new disk in the default pool
    # Small enough for any test machine's free space.
    size = [a for a in find_all(wizard, pyatspi.ROLE_SPIN_BUTTON,
                                re.compile(r'^(Size|Tamanho)')) if on_screen(a)][0]
    app.click(size)
    key('ctrl+a')
    type_text('2')
    key('Tab')
    forward(app, wizard)        # → name, network and summary
    # A name of the person's own: the disk is named after it.
    name = unique_name('wizard')
    app.click(entry(wizard, re.compile(r'^(Machine name|Nome da máquina)')))
    key('ctrl+a')
    type_text(name)
    log('machine name:', name, '; summary:', texts(wizard))
    pool = run('virsh', '-c', SYSTEM_URI, 'pool-dumpxml', 'default')
    pool_path = re.search(r'<target>\s*<path>([^<]+)</path>', pool).group(1)
    disk = os.path.join(pool_path, name + '.qcow2')
    wait_for(lambda: shows(wizard, iso), 'the summary to name the ISO %s (it shows: %s)'
             % (iso, texts(wizard)), 10)
    wait_for(lambda: shows(wizard, disk), 'the summary to name the disk %s (it shows: %s)'
             % (disk, texts(wizard)), 10)
    # Scrolled down to the summary, as a person reads it.
    x, y, _ = app.screen_position(entry(wizard, re.compile(r'^(Machine name|Nome da máquina)')))
    xdotool('mousemove', str(x), str(y + 150))
    for _ in range(10):
        xdotool('click', '5')
    time.sleep(0.5)
    keep_shot(shot)


@tap.case
def summary_names_media_and_disk(cleanups):
    """the summary names the ISO the machine installs from and its new disk's path"""
    summary_case(cleanups, None, 'wiz8-summary-en')


@tap.case
def summary_in_portuguese(cleanups):
    """in pt_BR the summary names the ISO and the disk's path too"""
    if not have_locale(LANG_PT):
        raise tap.Skip('the locale %s is not generated' % LANG_PT)
    summary_case(cleanups, LANG_PT, 'wiz8-summary-pt_BR')


def kvm_case(cleanups, lang, warning, shot):
    app, wizard = open_wizard(cleanups, lang)
    click_named(app, wizard, re.compile(r'^(Manual install|Instalação manual)$'))
    # Forward is enabled once the host's capabilities are read.
    wait_for(lambda: forward_sensitive(app, wizard), 'the host to be read')
    if os.path.exists('/dev/kvm'):
        log('/dev/kvm exists: the host offers KVM, no warning expected')
        time.sleep(1)
        if shows(wizard, warning):
            screenshot('kvm-warning-with-kvm')
            raise Failure('a KVM warning on a host with /dev/kvm: %s' % texts(wizard))
    else:
        wait_for(lambda: shows(wizard, warning),
                 'the KVM warning (the page shows: %s)' % texts(wizard), 10)
    keep_shot(shot)


@tap.case
def kvm_warning(cleanups):
    """without /dev/kvm the first page says machines will be slow; with it, it does not"""
    kvm_case(cleanups, None, KVM_WARNING['en'], 'wiz8-kvm-en')


@tap.case
def kvm_warning_in_portuguese(cleanups):
    """the KVM warning in pt_BR"""
    if not have_locale(LANG_PT):
        raise tap.Skip('the locale %s is not generated' % LANG_PT)
    kvm_case(cleanups, LANG_PT, KVM_WARNING['pt'], 'wiz8-kvm-pt_BR')


@tap.case
def os_page_quiet_before_input(cleanups):
    """the OS page shows no error before the person has looked for a system"""
    app, wizard = open_wizard(cleanups)
    click_named(app, wizard, 'Manual install')
    forward(app, wizard)
    wait_for(lambda: shows(wizard, 'Choose Another'), 'the OS page')
    time.sleep(1)
    if shows(wizard, 'Search for the system below'):
        screenshot('os-error-before-input')
        raise Failure('the OS page greets with an error: %s' % texts(wizard))
    # Looking and finding nothing chosen is when it is said.
    type_into(app, wizard, re.compile(r'^Search'), 'zzzz')
    wait_for(lambda: shows(wizard, 'Search for the system below'),
             'the error once a search was typed and nothing chosen', 10)


@tap.case
def existing_disk_used_elsewhere(cleanups):
    """an existing disk another machine uses is warned about and needs a confirmation"""
    folder = scratch(cleanups)
    disk = os.path.join(folder, 'person-shared.qcow2')
    run('qemu-img', 'create', '-q', '-f', 'qcow2', disk, '64M')
    os.chmod(disk, 0o644)
    guest = Guest('shared-disk', start=False, devices="""
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
<source file='%s'/><target dev='vda' bus='virtio'/></disk>""" % disk)
    cleanups.append(guest.remove)

    app, wizard = open_wizard(cleanups)
    click_named(app, wizard, 'Manual install')
    forward(app, wizard)
    click_named(app, wizard, 'Generic Linux')
    forward(app, wizard)
    forward(app, wizard)
    click_named(app, wizard, 'Use an existing disk image')
    type_into(app, wizard, 'Image file', disk)
    wait_for(lambda: shows(wizard, guest.name),
             'a warning that %s uses the disk (the page shows: %s)' % (guest.name, texts(wizard)),
             15)
    keep_shot('wiz8-shared-disk')
    if forward_sensitive(app, wizard):
        raise Failure('Forward is enabled on a disk another machine uses, unconfirmed')
    click_named(app, wizard, 'Use this disk anyway')
    wait_for(lambda: forward_sensitive(app, wizard), 'Forward once the person confirms', 5)


sys.exit(tap.main())
