#!/usr/bin/python3
# test-person-details.py — a machine's Details window as a person reads and
# changes it: the operating system by name, and changed from a search; a
# disk's size; no Remove Hardware on the PS/2 devices libvirt always adds
# back; labels that fit. Each machine is defined here, with its own disk.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hangarperson import (Failure, Guest, Hangar, SYSTEM_URI, Tap, find_all, key,  # noqa: E402
                          log, on_screen, pyatspi, run, screenshot, type_text, virsh, wait_for)

tap = Tap()

OSINFO = ("<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
          "<libosinfo:os id='%s'/></libosinfo:libosinfo>")
# Newer than Debian 12's osinfo-db (20221203), as the reviewer's machine was.
DEBIAN_12 = 'http://debian.org/debian/12'
FEDORA_37 = 'http://fedoraproject.org/fedora/37'


def disk_image(cleanups, size):
    """A real qcow2 image of SIZE ("3G") in a folder of the test's own."""
    folder = tempfile.mkdtemp(prefix='hangar-person-details-')
    os.chmod(folder, 0o755)
    cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = os.path.join(folder, 'disk.qcow2')
    run('qemu-img', 'create', '-q', '-f', 'qcow2', path, size)
    return path


def open_details(cleanups, guest, lang=None):
    """Starts Hangar and opens the machine's Details from its row's menu."""
    app = Hangar('--connect', SYSTEM_URI, lang=lang).start()
    cleanups.append(app.stop)
    app.right_click(app.row(guest.name))
    app.menu_choose('Detalhes' if lang and lang.startswith('pt') else 'Details')
    window = app.window(guest.name)
    # The details are read off the main thread: wait for them.
    app.find(pyatspi.ROLE_LIST_ITEM, 'Overview' if not lang else re.compile('.'), root=window,
             timeout=30)
    return app, window


def show_section(app, window, title):
    app.click(app.find(pyatspi.ROLE_LIST_ITEM, title, root=window))


def label_text(acc):
    """What a label shows: GTK 4.8 names a selectable label after nothing,
    but its text is there."""
    try:
        text = acc.queryText()
        shown = text.getText(0, text.characterCount) or acc.name
    except Exception:
        shown = acc.name
    # "3.0 GiB" comes with a no-break space.
    return (shown or '').replace('\xa0', ' ')


def texts(window):
    return [label_text(a) for a in find_all(window, pyatspi.ROLE_LABEL)]


def shows(window, text):
    return text in texts(window)


@tap.case
def os_by_name_and_changed(cleanups):
    """the Overview names the OS ("Debian 12", not its id); choosing Fedora 37 and Apply records it"""
    guest = Guest('details-os', start=False, metadata=OSINFO % DEBIAN_12)
    cleanups.append(guest.remove)
    app, window = open_details(cleanups, guest)

    wait_for(lambda: shows(window, 'Debian 12'), 'the OS row to say "Debian 12"')
    shown = [t for t in texts(window) if 'debian.org' in (t or '')]
    if shown:
        raise Failure('the Overview shows the raw id: %s' % shown)
    screenshot('os-by-name')

    # GTK 4.8 gives a menu button's name to its label: click that.
    app.click(app.find(None, 'Change…', root=window))
    search = app.find(pyatspi.ROLE_ENTRY, 'Search operating systems', root=window,
                      what='the OS search in the popover')
    wait_for(lambda: app.focused(window) is not None and
             app.focused(window).getRole() == pyatspi.ROLE_ENTRY,
             'the focus in the OS search (%s)' % search.name)
    type_text('fedora 37')
    wait_for(lambda: shows(window, 'Fedora Linux 37'), 'Fedora Linux 37 among the matches')
    screenshot('os-search')
    key('Return')
    wait_for(lambda: not find_all(window, pyatspi.ROLE_ENTRY, 'Search operating systems'),
             'the popover to close')
    wait_for(lambda: shows(window, 'Fedora Linux 37'), 'the OS row to say Fedora Linux 37')
    if FEDORA_37 in virsh('dumpxml', guest.name):
        raise Failure('the OS changed before Apply')

    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, 'Apply', root=window))
    wait_for(lambda: FEDORA_37 in virsh('dumpxml', '--inactive', guest.name),
             'virsh dumpxml to record %s' % FEDORA_37)
    xml = virsh('dumpxml', '--inactive', guest.name)
    if DEBIAN_12 in xml:
        raise Failure('the old OS id stayed next to the new one:\n%s' % xml)
    log('recorded:', [line.strip() for line in xml.split('\n') if 'libosinfo:os' in line])
    # What libvirt now has reads back by name.
    wait_for(lambda: shows(window, 'Fedora Linux 37'), 'the reloaded row to keep the name')


@tap.case
def disk_shows_its_size(cleanups):
    """a disk's page shows its size: a 3 GiB qcow2 image reads 3.0 GiB"""
    image = disk_image(cleanups, '3G')
    guest = Guest('details-disk', start=False, devices="""
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='%s'/>
      <target dev='vda' bus='virtio'/>
    </disk>""" % image)
    cleanups.append(guest.remove)
    app, window = open_details(cleanups, guest)

    show_section(app, window, 'Disk vda')
    wait_for(lambda: shows(window, 'Size'), 'a Size row on the disk page')
    wait_for(lambda: shows(window, '3.0 GiB'), 'the disk page to say 3.0 GiB (it says %s)' % texts(window))
    screenshot('disk-size')


@tap.case
def ps2_devices_not_removable(cleanups):
    """the built-in PS/2 mouse and keyboard offer no Remove Hardware; a USB tablet does"""
    guest = Guest('details-ps2', start=False, devices="""
    <input type='mouse' bus='ps2'/>
    <input type='keyboard' bus='ps2'/>
    <input type='tablet' bus='usb'/>""")
    cleanups.append(guest.remove)
    app, window = open_details(cleanups, guest)

    def removes():
        # GTK 4.8 keeps the stack's hidden pages "visible": a page never
        # shown has no size, so the PS/2 pages are looked at first.
        return [b for b in find_all(window, pyatspi.ROLE_PUSH_BUTTON, 'Remove Hardware…')
                if on_screen(b)]
    for title in ('Mouse (PS2)', 'Keyboard (PS2)'):
        show_section(app, window, title)
        wait_for(lambda: len([a for a in find_all(window, pyatspi.ROLE_LABEL, title)]) >= 2,
                 'the page "%s" (its title next to the sidebar\'s)' % title)
        time.sleep(1)
        screenshot('no-remove-' + title)
        if removes():
            raise Failure('"%s" offers Remove Hardware…' % title)
    # The same look finds it where it belongs: on the USB tablet.
    show_section(app, window, 'Tablet (USB)')
    wait_for(removes, 'Remove Hardware… on the USB tablet')
    items = [a for a in find_all(window, pyatspi.ROLE_MENU_ITEM) if 'Remove' in (a.name or '')]
    if items:
        raise Failure('a menu offers %s' % [a.name for a in items])


def measure(labels, where):
    """(WHERE, text, width) of each label."""
    sized = []
    for acc in labels:
        try:
            sized.append((where, label_text(acc),
                          acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width))
        except Exception:
            continue
    return sized


def text_width(text):
    """TEXT's width in pixels, laid out by Pango in a font like GTK's."""
    import gi
    gi.require_version('Pango', '1.0')
    gi.require_version('PangoCairo', '1.0')
    from gi.repository import Pango, PangoCairo
    layout = Pango.Layout.new(PangoCairo.FontMap.get_default().create_context())
    layout.set_font_description(Pango.FontDescription.from_string('Cantarell 11'))
    layout.set_text(text, -1)
    return layout.get_pixel_size()[0]


def cut_off(sized):
    """Labels narrower than their text: ellipsized. GTK 4.8 tells no
    character's place, so each label's width is compared with its text's
    width as Pango lays it out here, scaled by the labels' median ratio (the
    font and resolution may differ a little from the app's, the same for
    every label; most labels are whole, short ones always are). SIZED:
    (where, text, width)."""
    ratios = [(where, text, width, width / text_width(text)) for where, text, width in sized
              if width > 0 and len(text.strip()) >= 4]
    if not ratios:
        return []
    usual = sorted(r for _, _, _, r in ratios)[len(ratios) // 2]
    log('label width / text width: usual %.3f; %s' % (usual, ', '.join(
        '%s %.2f' % (text, r / usual) for _, text, _, r in sorted(ratios, key=lambda x: x[3])[:4])))
    return ['%s: "%s" (%d px wide, its text needs about %d)' % (
        where, text, width, text_width(text) * usual)
        for where, text, width, r in ratios if r < 0.96 * usual]


LABELS = {
    'en': {'add': 'Add Hardware…', 'dialog': 'Add Hardware', 'device': 'Device',
           'new': 'New machine', 'wizard': 'New Machine', 'manual': 'Manual install',
           'generic': 'Generic Linux', 'forward': 'Forward', 'firmware': 'Firmware',
           'no disk': 'No disk'},
    'pt': {'add': 'Adicionar hardware…', 'dialog': 'Adicionar hardware', 'device': 'Dispositivo',
           'new': 'Nova máquina', 'wizard': 'Nova máquina', 'manual': 'Instalação manual',
           'generic': 'Linux genérico', 'forward': 'Avançar', 'firmware': 'Firmware',
           'no disk': 'Nenhum disco'},
}


def wizard_firmware(app, words, lang):
    """The wizard's firmware choices, on the page that has them."""
    wizard = app.open_window(app.find(pyatspi.ROLE_PUSH_BUTTON, words['new']), words['wizard'])
    time.sleep(1)
    app.click(app.find(None, words['manual'], root=wizard))
    # The last page is long: room for it all, as a person would make.
    run('xdotool', 'windowsize', app.x_window(wizard), '640', '780', check=False)

    def shown(role, name):
        return [a for a in find_all(wizard, role, name) if on_screen(a)]
    for _ in range(5):
        if shown(pyatspi.ROLE_COMBO_BOX, words['firmware']):
            break
        # A generic OS and no disk: no search, no pool that may be too small.
        for choice in shown(None, words['generic'])[:1] + shown(None, words['no disk'])[:1]:
            app.click(choice)
        app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, words['forward'], root=wizard))
        time.sleep(1.5)
    firmware = wait_for(lambda: (shown(pyatspi.ROLE_COMBO_BOX, words['firmware']) or [None])[0],
                        'the firmware choice on the screen')
    values = []
    for _ in range(3):
        values += measure([a for a in find_all(firmware, pyatspi.ROLE_LABEL)
                           if on_screen(a) and a.name != words['firmware']], 'wizard firmware')
        app.click(firmware)
        time.sleep(0.5)
        key('Down', 'Return')
        time.sleep(0.5)
    log('firmware choices:', values)
    screenshot('fit-firmware-%s' % (lang or 'en'))
    return values


def labels_fit(cleanups, lang):
    """Every device kind Add Hardware offers and the wizard's firmware
    choices show their whole text in LANG; the details sidebar, narrowed,
    is left in a screenshot."""
    words = LABELS['pt' if lang else 'en']
    guest = Guest('details-fit', start=False, devices="""
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <input type='tablet' bus='usb'/>
    <watchdog model='i6300esb' action='reset'/>""")
    cleanups.append(guest.remove)
    app, window = open_details(cleanups, guest, lang=lang)

    # As narrow as a person may make it: the sidebar wraps what does not
    # fit (GTK 4.8 gives no way to tell a wrapped label from a cut one here:
    # the screenshots show it).
    run('xdotool', 'windowsize', app.x_window(window), '600', '700', check=False)
    time.sleep(1)
    screenshot('fit-sidebar-%s' % (lang or 'en'))

    app.click(app.find(pyatspi.ROLE_PUSH_BUTTON, words['add'], root=window))
    dialog = app.window(words['dialog'])
    combo = app.find(pyatspi.ROLE_COMBO_BOX, re.compile('.'), root=dialog)

    def current():
        return [a for a in find_all(combo, pyatspi.ROLE_LABEL)
                if on_screen(a) and a.name != words['device']]

    sized = []
    seen = []
    for step in range(20):
        value = current()
        names = [a.name for a in value]
        log('kind %d: %s' % (step, names))
        if not names or names[0] in seen:
            break
        seen.append(names[0])
        sized += measure(value, 'Add Hardware')
        before = Counter(label_text(a) for a in find_all(dialog, pyatspi.ROLE_LABEL))
        # The next kind, as a person picks it: the list, Down, Return.
        app.click(combo)
        time.sleep(0.5)
        if step == 0:
            # The list's labels: those the open list added.
            items = []
            for a in find_all(dialog, pyatspi.ROLE_LABEL):
                try:
                    text = label_text(a)
                    if not on_screen(a):
                        continue
                    if before[text] > 0:
                        before[text] -= 1
                        continue
                    items.append(a)
                except Exception:
                    continue
            log('the list shows', [label_text(a) for a in items])
            screenshot('fit-kinds-open-%s' % (lang or 'en'))
            sized += measure(items, 'Add Hardware list')
        key('Down', 'Return')
        time.sleep(0.5)
    log('went through %d kinds' % len(seen))
    if len(seen) < 10:
        raise Failure('only %d kinds came up: %s' % (len(seen), seen))
    screenshot('fit-kind-%s-last' % (lang or 'en'))
    app.close_window(dialog, button=re.compile('Cancel|Cancelar'))
    sized += wizard_firmware(app, words, lang)
    problems = cut_off(sized)
    if problems:
        raise Failure('cut-off labels:\n# ' + '\n# '.join(problems))


@tap.case
def labels_fit_english(cleanups):
    """Add Hardware's device kinds and the wizard's firmware are not cut off (English)"""
    labels_fit(cleanups, None)


@tap.case
def labels_fit_portuguese(cleanups):
    """Add Hardware's device kinds and the wizard's firmware are not cut off (pt_BR)"""
    from hangarperson import have_locale
    if not have_locale('pt_BR.UTF-8'):
        raise Tap.Skip('no pt_BR.UTF-8 locale')
    labels_fit(cleanups, 'pt_BR.UTF-8')


sys.exit(tap.main())
