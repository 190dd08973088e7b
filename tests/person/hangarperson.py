# hangarperson.py — drive the real Hangar the way a person does.
#
# The app runs in its own process, as tools/run starts it. Widgets are
# found through the accessibility tree (AT-SPI, pyatspi) by role and
# accessible name; everything is done through real input: XTEST pointer
# clicks at the widget's place on the screen and key presses (xdotool).
# Outcomes are checked where they land: libvirt (virsh), files, windows.
#
# Needs an X server with a window manager and a session bus (tools/test
# gives both) and /usr/bin/python3, which has pyatspi.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

# A warning in this process's own AT-SPI client (dbind's, when the app went
# away in the middle of a call) must not abort the test before its cleanups
# stop the app and remove its guests: fatal warnings are for unit tests.
# (Before GLib is loaded, which reads G_DEBUG once.)
os.environ['G_DEBUG'] = ','.join(flag for flag in os.environ.get('G_DEBUG', '').split(',')
                                 if flag and flag != 'fatal-warnings')

import pyatspi  # noqa: E402

SOURCE_DIR = os.environ.get(
    'HANGAR_SOURCE_DIR',
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD_DIR = os.environ.get('HANGAR_BUILD_DIR', os.path.join(SOURCE_DIR, 'build'))
LOGDIR = os.environ.get('HANGAR_TEST_LOGDIR', tempfile.gettempdir())
SYSTEM_URI = 'qemu:///system'

# Roles a person can act on; each must have a name a screen reader can say.
INTERACTIVE_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON: 'push button',
    pyatspi.ROLE_TOGGLE_BUTTON: 'toggle button',
    pyatspi.ROLE_CHECK_BOX: 'check box',
    pyatspi.ROLE_MENU_ITEM: 'menu item',
    pyatspi.ROLE_CHECK_MENU_ITEM: 'check menu item',
    pyatspi.ROLE_RADIO_MENU_ITEM: 'radio menu item',
    pyatspi.ROLE_RADIO_BUTTON: 'radio button',
    pyatspi.ROLE_ENTRY: 'text entry',
    pyatspi.ROLE_PASSWORD_TEXT: 'password text',
    pyatspi.ROLE_SPIN_BUTTON: 'spin button',
    pyatspi.ROLE_COMBO_BOX: 'combo box',
    pyatspi.ROLE_LIST_ITEM: 'list item',
    pyatspi.ROLE_SLIDER: 'slider',
}


class Failure(Exception):
    pass


def log(*args):
    # Every line a TAP comment: a multi-line message (virsh's output) must
    # not read as unknown TAP lines.
    text = ' '.join(str(a) for a in args)
    print('\n'.join('# ' + line for line in text.split('\n')), flush=True)


# --- outside the app: commands, libvirt ----------------------------------------

def run(*argv, check=True, timeout=60):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise Failure('%s failed (%d): %s' % (' '.join(argv), result.returncode,
                                             result.stderr.strip()))
    return result.stdout.strip()


def virsh(*args, check=True):
    return run('virsh', '-c', SYSTEM_URI, *args, check=check)


def domstate(name):
    return virsh('domstate', name, check=False).split('\n')[0].strip()


def have_locale(name):
    """Whether the C library has the locale NAME ("pt_BR.UTF-8")."""
    want = name.lower().replace('utf-8', 'utf8')
    return want in run('locale', '-a', check=False).lower().split()


def unique_name(stem):
    return 'person-%s-%d-%d' % (stem, os.getpid(), int(time.time() * 1000) % 100000)


def define(xml):
    """Defines a domain from XML on the system daemon."""
    with tempfile.NamedTemporaryFile('w', suffix='.xml', delete=False) as f:
        f.write(xml)
        path = f.name
    try:
        virsh('define', path)
    finally:
        os.unlink(path)


class Guest:
    """A disk-less TCG guest: SeaBIOS finds nothing to boot and keeps running."""

    def __init__(self, stem, start=True, devices='', metadata='', graphics='vnc'):
        """DEVICES: more <devices> XML (a disk whose file is missing makes a
        guest that cannot start); METADATA: the elements of <metadata>;
        GRAPHICS: its display, 'vnc' or 'spice'."""
        self.name = unique_name(stem)
        xml = """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <metadata>%s</metadata>
  <os><type arch='x86_64'>hvm</type></os>
  <devices><graphics type='%s' listen='127.0.0.1' autoport='yes'/>%s</devices>
</domain>
""" % (self.name, metadata, graphics, devices)
        define(xml)
        if start:
            self.start()

    def start(self):
        virsh('start', self.name)

    def state(self):
        return domstate(self.name)

    def remove(self):
        virsh('destroy', self.name, check=False)
        virsh('undefine', self.name, '--nvram', check=False)


def keyfile_text(config):
    """The settings a Hangar started with settings=CONFIG saved."""
    try:
        with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile')) as f:
            return f.read()
    except OSError:
        return ''


class AgentGuest(Guest):
    """The tests' tiny Linux guest (tests/support/make-tiny-guest.sh) on
    SPICE with the SPICE agent's port, which its mini-vdagent answers: it
    writes the files a client sends and logs each one's SHA-256 on the
    serial port, read with serial()."""

    def __init__(self, stem, cmdline=''):
        self.name = unique_name(stem)
        cache = os.environ.get('HANGAR_TEST_CACHE') or (
            '/var/cache/hangar-test' if os.access('/var/cache', os.W_OK)
            else os.path.join(BUILD_DIR, 'tests', 'support', 'tiny-guest'))
        run(os.path.join(SOURCE_DIR, 'tests', 'support', 'make-tiny-guest.sh'), cache, timeout=600)
        # A directory the qemu user can write the serial log into.
        self.dir = tempfile.mkdtemp(prefix='hangar-person-%s-' % stem)
        os.chmod(self.dir, 0o777)
        self.serial_path = os.path.join(self.dir, 'serial.log')
        xml = """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>192</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%s/vmlinuz</kernel>
    <initrd>%s/initrd.img</initrd>
    <cmdline>console=ttyS0 console=tty1 quiet %s</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
    <graphics type='spice' autoport='yes'><listen type='address' address='127.0.0.1'/></graphics>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <video><model type='vga'/></video>
  </devices>
</domain>
""" % (self.name, cache, cache, cmdline, self.serial_path)
        define(xml)
        self.start()

    def serial(self):
        try:
            with open(self.serial_path, encoding='utf-8', errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def remove(self):
        super().remove()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- waiting and evidence --------------------------------------------------------

_shots = 0


def screenshot(label):
    global _shots
    _shots += 1
    name = '%s-%d-%s.png' % (os.path.basename(sys.argv[0]).replace('.py', ''), _shots,
                             re.sub(r'[^A-Za-z0-9_.-]+', '-', label)[:60])
    path = os.path.join(LOGDIR, name)
    os.makedirs(LOGDIR, exist_ok=True)
    subprocess.run(['import', '-window', 'root', path], capture_output=True, timeout=30)
    log('screenshot:', path)
    return path


def wait_for(predicate, what, timeout=20, interval=0.2, shot=True):
    """Polls PREDICATE until it returns something true; returns that.
    On timeout saves a screenshot (unless not SHOT) and fails with WHAT."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # the tree changes under us: try again
            last_error = e
        if time.monotonic() > deadline:
            if shot:
                screenshot(what)
            raise Failure('timed out after %ds waiting for %s%s' % (
                timeout, what, ' (last error: %s)' % last_error if last_error else ''))
        time.sleep(interval)


# --- the accessibility tree -------------------------------------------------------

def strip_mnemonic(text):
    return re.sub(r'_(.)', r'\1', text or '')


def name_matches(name, want):
    """NAME as AT-SPI gives it against WANT as a person reads it. GTK 4.8
    names a button with a mnemonic "_Cancel Cancel"; menu items keep the
    underscore."""
    if want is None:
        return True
    if isinstance(want, re.Pattern):
        return bool(want.search(name or ''))
    name = name or ''
    if name == want or strip_mnemonic(name) == want:
        return True
    parts = name.split(' ', 1)
    half = len(name) // 2
    return (len(parts) == 2 and strip_mnemonic(parts[0]) == want) or \
        (name[:half].strip() == want and name[half:].strip() == want) or \
        strip_mnemonic(name[:len(name) - len(want) - 1]) == want


def role_name(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return '?'


def states(acc):
    return acc.getState()


def is_showing(acc):
    # GTK 4.8 sets "showing" on toplevels only; "visible" is what it keeps
    # up to date on every widget.
    return states(acc).contains(pyatspi.STATE_VISIBLE)


def walk(root, showing_only=True, max_nodes=20000):
    """Yields ROOT's descendants, breadth first, skipping hidden subtrees."""
    queue = [root]
    seen = 0
    while queue and seen < max_nodes:
        acc = queue.pop(0)
        seen += 1
        yield acc
        try:
            n = acc.childCount
        except Exception:
            continue
        for i in range(n):
            try:
                child = acc.getChildAtIndex(i)
            except Exception:
                continue
            if child is None:
                continue
            if showing_only:
                try:
                    if not is_showing(child):
                        continue
                except Exception:
                    continue
            queue.append(child)


def find_all(root, role=None, name=None, showing_only=True):
    found = []
    for acc in walk(root, showing_only):
        try:
            if role is not None and acc.getRole() != role:
                continue
            if not name_matches(acc.name, name):
                continue
        except Exception:
            continue
        found.append(acc)
    return found


def describe(acc):
    try:
        return '%s "%s"' % (role_name(acc), acc.name)
    except Exception:
        return '<gone>'


def dump(root, depth=0, out=None):
    """The tree under ROOT as text, for a failing test's log."""
    lines = out if out is not None else []
    try:
        lines.append('%s%s%s' % ('  ' * depth, describe(root),
                                 ' [focused]' if states(root).contains(pyatspi.STATE_FOCUSED)
                                 else ''))
        for i in range(root.childCount):
            child = root.getChildAtIndex(i)
            if child is not None and is_showing(child):
                dump(child, depth + 1, lines)
    except Exception:
        pass
    return lines


def is_placeholder_name(name):
    """GTK 4.8 names a widget nobody named after its type ("GtkSearchEntry",
    "AdwEntryRow"): a screen reader would read that out."""
    return not (name or '').strip() or bool(re.fullmatch(r'(Gtk|Adw|Hangar)[A-Z]\w*', name))


def unnamed_widgets(root):
    """Interactive widgets under ROOT without an accessible name, as
    "role at path" strings. A list item counts only if it takes focus."""
    found = []

    def visit(acc, path, in_combo=False):
        try:
            role = acc.getRole()
            name = acc.name
            st = states(acc)
        except Exception:
            return
        # GTK 4.8 names none of a drop-down's rows and has no API to: the
        # combo box itself carries the name and the chosen value.
        in_combo = in_combo or role == pyatspi.ROLE_COMBO_BOX
        if role in INTERACTIVE_ROLES and is_placeholder_name(name) and \
                not (role == pyatspi.ROLE_LIST_ITEM and in_combo):
            if role != pyatspi.ROLE_LIST_ITEM or st.contains(pyatspi.STATE_FOCUSABLE):
                found.append('%s "%s" at %s' % (INTERACTIVE_ROLES[role], name or '',
                                                ' > '.join(path[-4:])))
        try:
            n = acc.childCount
        except Exception:
            return
        for i in range(n):
            try:
                child = acc.getChildAtIndex(i)
            except Exception:
                continue
            if child is None or not is_showing(child):
                continue
            visit(child, path + ['%s "%s"' % (role_name(acc), name or '')], in_combo)

    visit(root, [])
    return found


def on_screen(acc):
    """Whether ACC takes room on the screen (GTK keeps some hidden widgets,
    such as a view switcher's narrow twin, "visible" at 0×0)."""
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except Exception:
        return False
    return ext.width > 0 and ext.height > 0


def toplevel_of(acc):
    node = acc
    while node is not None:
        parent = node.parent
        if parent is None or parent.getRole() == pyatspi.ROLE_APPLICATION:
            return node
        node = parent
    return acc


# --- input ------------------------------------------------------------------------

def xdotool(*args):
    return run('xdotool', *args, check=True)


def key(*keys):
    """Presses KEYS in turn, as xdotool names them ("shift+F10", "Down")."""
    for k in keys:
        xdotool('key', '--clearmodifiers', k)
        time.sleep(0.15)


def type_text(text):
    xdotool('type', '--delay', '30', text)


# --- the app ----------------------------------------------------------------------

class Hangar:
    """The real hangar binary in a process of its own, as tools/run starts it."""

    started = 0

    def __init__(self, *args, lang=None, env=None, settings='memory', name='hangar',
                 tools_run=False):
        """ARGS go to hangar. LANG is the locale to run in; SETTINGS
        'memory' (nothing kept), a folder (a keyfile kept there between
        starts) or None (the default backend). With TOOLS_RUN the app is
        started by tools/run itself, exactly as the README says."""
        self.env = dict(os.environ)
        # GTK only talks to the accessibility bus without this.
        self.env.pop('NO_AT_BRIDGE', None)
        # The app under test is a program, not a unit test: its warnings go
        # to the log instead of aborting it.
        self.env.pop('G_DEBUG', None)
        self.tools_run = tools_run
        if tools_run:
            # tools/run sets these itself; packages were set up before the run.
            for var in ('GSETTINGS_SCHEMA_DIR', 'XDG_DATA_DIRS', 'HANGAR_LOCALEDIR'):
                self.env.pop(var, None)
            self.env['HANGAR_SKIP_APT'] = '1'
        else:
            # What tools/run sets, for the uninstalled build.
            self.env['GSETTINGS_SCHEMA_DIR'] = os.path.join(BUILD_DIR, 'data')
            self.env['XDG_DATA_DIRS'] = SOURCE_DIR + ':' + os.environ.get(
                'XDG_DATA_DIRS', '/usr/local/share:/usr/share')
            self.env['HANGAR_LOCALEDIR'] = os.path.join(BUILD_DIR, 'po')
        if settings == 'memory':
            self.env['GSETTINGS_BACKEND'] = 'memory'
        elif settings is not None:
            # A config home of the test's own: settings kept between starts.
            self.env['GSETTINGS_BACKEND'] = 'keyfile'
            self.env['XDG_CONFIG_HOME'] = settings
        if lang is not None:
            for var in ('LC_ALL', 'LC_MESSAGES', 'LANGUAGE'):
                self.env.pop(var, None)
            self.env['LANG'] = lang
        self.env.update(env or {})
        self.name = name
        self.args = list(args)
        self.proc = None
        self.app = None
        Hangar.started += 1
        self.logpath = os.path.join(LOGDIR, '%s-%s-%d.log' % (
            os.path.basename(sys.argv[0]).replace('.py', ''), name, Hangar.started))

    def start(self, timeout=60):
        os.makedirs(LOGDIR, exist_ok=True)
        self.logfile = open(self.logpath, 'w')
        if self.tools_run:
            # tools/run ends with exec: the process becomes the app.
            argv = [os.path.join(SOURCE_DIR, 'tools', 'run')] + self.args
        else:
            argv = [os.path.join(BUILD_DIR, 'src', 'hangar')] + self.args
        log('starting', ' '.join(argv))
        self.proc = subprocess.Popen(argv, env=self.env, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.app = wait_for(self._find_app, 'the app on the accessibility bus', timeout)
        self.main = self.window(re.compile(r'.'), role=pyatspi.ROLE_FRAME, timeout=timeout)
        return self

    def _find_app(self):
        if self.proc.poll() is not None:
            raise Failure('hangar exited with %d; see %s' % (self.proc.returncode, self.logpath))
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == self.proc.pid:
                    return app
            except Exception:
                continue
        return None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(10)
        self.logfile.close()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- windows ---

    def windows(self):
        result = []
        for i in range(self.app.childCount):
            w = self.app.getChildAtIndex(i)
            if w is not None:
                result.append(w)
        return result

    def window(self, name, role=None, timeout=20):
        """Waits for a toplevel window titled NAME (a string or a pattern)."""
        def look():
            for w in self.windows():
                try:
                    if role is not None and w.getRole() != role:
                        continue
                    if name_matches(w.name, name) and is_showing(w):
                        return w
                except Exception:
                    continue
            return None
        return wait_for(look, 'window %s' % (name.pattern if isinstance(name, re.Pattern)
                                              else '"%s"' % name), timeout)

    def find(self, role=None, name=None, root=None, timeout=20, what=None):
        """Waits for one showing widget of ROLE named NAME under ROOT (the
        main window by default)."""
        root = root or self.main

        def look():
            found = find_all(root, role, name)
            return found[0] if found else None
        return wait_for(look, what or '%s named %r' % (pyatspi.Role(role) if role else 'widget',
                                                        name), timeout)

    def find_anywhere(self, role=None, name=None, timeout=20, what=None, shot=True):
        """Waits for a widget of ROLE named NAME in any of the app's windows."""
        def look():
            for w in self.windows():
                found = find_all(w, role, name)
                if found:
                    return found[0]
            return None
        return wait_for(look, what or '%s named %r in any window' % (
            pyatspi.Role(role) if role else 'widget', name), timeout, shot=shot)

    def window_with(self, text, timeout=20):
        """Waits for a toplevel that shows TEXT (a dialog without a title)."""
        return wait_for(lambda: next((w for w in self.windows() if self.has_text(text, w)), None),
                        'a window showing "%s"' % text, timeout)

    def close_window(self, toplevel, button='Close'):
        """Closes TOPLEVEL with its title bar's BUTTON (Close, Cancel)."""
        self.click(self.find(pyatspi.ROLE_PUSH_BUTTON, button, root=toplevel))
        self.window_closed(toplevel)

    def keys_in(self, toplevel, *keys):
        """Presses KEYS with TOPLEVEL focused, as a person looking at it would."""
        self.activate_window(toplevel)
        key(*keys)

    def window_closed(self, toplevel, timeout=20):
        title = toplevel.name
        wait_for(lambda: not [w for w in self.windows() if w.name == title],
                 'the window "%s" to close' % title, timeout)

    def choose_file(self, title, path):
        """In the file chooser titled TITLE, opens the location entry as a
        person does and types PATH. Return chooses, from the entry (a click
        on the chooser's button would take the focus from the entry, and
        GTK 4.8's chooser then looks for a file selected in its list); the
        first Return may only take the entry's completion, as for a person,
        who then presses it again."""
        chooser = self.window(title)
        key('ctrl+l')
        type_text(path)
        for attempt in range(3):
            key('Return')
            try:
                self.window_closed(chooser, timeout=3)
                return
            except Failure:
                log('the chooser still open after Return %d' % (attempt + 1))
        self.window_closed(chooser)

    def focused(self, root=None):
        for acc in walk(root or self.main):
            try:
                if states(acc).contains(pyatspi.STATE_FOCUSED):
                    return acc
            except Exception:
                continue
        return None

    # --- where things are on the screen ---

    def x_window(self, toplevel):
        """The X window of TOPLEVEL: among the app's windows, the one with
        its title (several windows may share it: the last mapped wins)."""
        ids = run('xdotool', 'search', '--onlyvisible', '--pid', str(self.proc.pid),
                  check=False).split()
        title = toplevel.name
        match = None
        for wid in ids:
            try:
                if run('xdotool', 'getwindowname', wid) == title:
                    match = wid
            except Failure:
                continue
        if match is None and len(ids) == 1:
            match = ids[0]
        if match is None:
            raise Failure('no X window titled "%s" (windows: %s)' % (title, ids))
        return match

    def screen_position(self, acc):
        """The centre of ACC on the screen: AT-SPI gives it relative to its
        toplevel, xdotool gives the toplevel's place."""
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        wid = self.x_window(toplevel_of(acc))
        # xwininfo's absolute place, not xdotool getwindowgeometry's: for a
        # window the window manager framed (a dialog with its own title
        # bar: the file chooser) xdotool gives the frame's corner, off by
        # the title bar.
        info = run('xwininfo', '-id', wid)
        x = int(re.search(r'Absolute upper-left X:\s*(-?\d+)', info).group(1))
        y = int(re.search(r'Absolute upper-left Y:\s*(-?\d+)', info).group(1))
        return (x + ext.x + ext.width // 2, y + ext.y + ext.height // 2, wid)

    def activate_window(self, toplevel):
        """Raises TOPLEVEL and gives it the focus, as a click on it would;
        returns once GTK says it is the active window."""
        wid = self.x_window(toplevel)
        run('xdotool', 'windowactivate', '--sync', wid, check=False, timeout=10)
        try:
            wait_for(lambda: states(toplevel).contains(pyatspi.STATE_ACTIVE),
                     'window "%s" to be active' % toplevel.name, 5, shot=False)
        except Failure as e:
            log(e)
        return wid

    # --- acting ---

    def click(self, acc, button=1):
        """Moves the pointer onto ACC and clicks there with a real button."""
        self.activate_window(toplevel_of(acc))
        if not on_screen(acc):
            screenshot('click-on-nothing')
            raise Failure('cannot click %s: it takes no room on the screen' % describe(acc))
        x, y, wid = self.screen_position(acc)
        log('click %d on %s at %d,%d' % (button, describe(acc), x, y))
        # A hand arrives from somewhere: from where the pointer already is,
        # X would send no motion and GTK would not know where it is.
        xdotool('mousemove', '--sync', str(max(x - 7, 0)), str(max(y - 3, 0)))
        time.sleep(0.05)
        xdotool('mousemove', '--sync', str(x), str(y))
        time.sleep(0.15)
        xdotool('click', str(button))
        time.sleep(0.3)

    def right_click(self, acc):
        """Right-clicks ACC and waits for the context menu it opens, with
        an item focused. Seen on a busy machine: a right-click just after
        a window closed opens nothing; a person would right-click again,
        and so does this, once. A menu that opens with no item focused
        fails at once."""
        toplevel = toplevel_of(acc)
        for attempt in range(2):
            self.click(acc, button=3)
            try:
                return wait_for(lambda: self._focused_menu_item(toplevel),
                                'a menu to open on the right-click on %s' % describe(acc), 5,
                                shot=attempt == 1)
            except Failure:
                if attempt == 1 or self.menu_items(toplevel):
                    screenshot('right-click-menu')
                    raise
                log('the right-click on %s opened no menu; right-clicking again' % describe(acc))

    def open_menu(self, button, root=None):
        """Clicks BUTTON and waits for its menu's items to show. Seen on a
        busy machine: a click on a menu button soon after other clicks
        opens nothing; a person would click again, and so does this, once."""
        root = root or self.main

        def menu_shown():
            return any(acc.getRole() in (pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
                                         pyatspi.ROLE_RADIO_MENU_ITEM)
                       for acc in walk(root))
        for attempt in range(2):
            self.click(button)
            try:
                return wait_for(menu_shown, 'the menu of "%s" to open' % button.name, 4,
                                shot=attempt == 1)
            except Failure:
                if attempt == 1:
                    raise
                log('the click on "%s" opened no menu; clicking again' % button.name)

    def open_window(self, button, name, timeout=20):
        """Clicks BUTTON and returns the window NAME it opens. On a busy
        machine a click can be lost; a person who saw no window would click
        again, and so does this, once."""
        for attempt in range(2):
            self.click(button)
            try:
                return self.window(name, timeout=timeout // 2 if attempt == 0 else timeout)
            except Failure:
                if attempt == 1:
                    raise
                log('the click on "%s" opened no window "%s"; clicking again' % (button.name, name))

    def menu_choose(self, label, root=None, max_steps=20):
        """In an open popover menu, moves with the arrow keys until the
        focused item is LABEL and activates it with Return. (The items'
        extents are relative to the popover's own surface, so no click.)"""
        root = root or self.main
        seen = []
        # A menu opened by a click may leave the focus on its button: the
        # first Down moves it into the menu, as for a person.
        try:
            wait_for(lambda: self._focused_menu_item(root), 'a focused menu item', 2, shot=False)
        except Failure:
            key('Down')
        for _ in range(max_steps):
            item = wait_for(lambda: self._focused_menu_item(root),
                            'a focused menu item', timeout=5)
            if item is not None and name_matches(item.name, label):
                log('menu item "%s" focused: Return' % item.name)
                key('Return')
                return
            seen.append(item.name if item is not None else None)
            key('Down')
        screenshot('menu-without-' + label)
        raise Failure('menu item %r never got the focus; went through %s' % (label, seen))

    def _focused_menu_item(self, root):
        for acc in walk(root):
            try:
                if acc.getRole() in (pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
                                     pyatspi.ROLE_RADIO_MENU_ITEM) and \
                        states(acc).contains(pyatspi.STATE_FOCUSED):
                    return acc
            except Exception:
                continue
        return None

    def menu_hidden_items(self, root=None):
        """The items of the open popover menu that lie (partly) outside what
        it shows, as a person would have to scroll to see them. Items and
        the menu's scrolled area are measured in the popover's own surface."""
        hidden = []
        for menu in find_all(root or self.main, pyatspi.ROLE_MENU):
            panes = find_all(menu, pyatspi.ROLE_SCROLL_PANE)
            if not panes:
                continue
            area = panes[0].queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            for item in find_all(panes[0], pyatspi.ROLE_MENU_ITEM):
                ext = item.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
                if ext.height <= 0:
                    continue    # on a submenu page not shown
                if ext.y < area.y or ext.y + ext.height > area.y + area.height:
                    hidden.append(item.name)
        return hidden

    def menu_items(self, root=None):
        return [a.name for a in find_all(root or self.main, pyatspi.ROLE_MENU_ITEM)]

    # --- the machine list ---

    def row(self, name, timeout=30):
        """The name cell of the list row NAME (a machine or a connection)."""
        return wait_for(lambda: self._row(name), 'the list row "%s"' % name, timeout)

    def select_machine(self, name):
        """Clicks the machine's row and waits for the header to follow the
        selection (its Open button is enabled with a machine selected).
        Seen here: a click soon after the list fills can be lost; a person
        would see no highlight and click again, and so does this, once."""
        open_button = self.find(pyatspi.ROLE_PUSH_BUTTON, 'Open')

        def selected():
            return states(open_button).contains(pyatspi.STATE_SENSITIVE)
        for attempt in range(2):
            self.click(self.row(name))
            try:
                return wait_for(selected, 'the row "%s" to be selected' % name, 3,
                                shot=attempt == 1)
            except Failure:
                if attempt == 1:
                    raise
                log('the click on "%s" selected nothing; clicking again' % name)

    def connection_row(self, timeout=30):
        """The name cell of the first connection row: the tree expander
        that can expand (machines' rows cannot)."""
        def look():
            for acc in find_all(self.main, pyatspi.ROLE_PANEL):
                if states(acc).contains(pyatspi.STATE_EXPANDABLE):
                    return acc
            return None
        return wait_for(look, 'a connection row', timeout)

    def has_text(self, text, root=None):
        """Whether a label (or any widget) under ROOT is named TEXT."""
        return bool(find_all(root or self.main, None, text))

    def wait_gone(self, role, name, root=None, timeout=20, what=None):
        wait_for(lambda: not find_all(root or self.main, role, name),
                 what or '%r to go away' % name, timeout)

    def _row(self, name):
        for acc in find_all(self.main, None, name):
            try:
                # The name cell's content: a tree expander named after the
                # row's machine or connection (a "panel" in GTK 4.8).
                if acc.getRole() in (pyatspi.ROLE_PANEL, pyatspi.ROLE_TABLE_CELL,
                                     pyatspi.ROLE_TREE_ITEM, pyatspi.ROLE_LIST_ITEM):
                    return acc
            except Exception:
                continue
        return None


# --- tests as TAP -------------------------------------------------------------------

class Tap:
    """A test program's cases, reported in TAP for meson. Each case gets a
    fresh start: a failing case leaves a screenshot and the app's log."""

    class Skip(Exception):
        """Raised by a case that cannot run here (and says why)."""

    def __init__(self):
        self.cases = []

    def case(self, fn):
        self.cases.append(fn)
        return fn

    def main(self):
        if not os.environ.get('DISPLAY'):
            print('1..0 # SKIP no X display')
            return 0
        # HANGAR_PERSON_CASES=name,name runs only those (the others skip).
        wanted = [c for c in os.environ.get('HANGAR_PERSON_CASES', '').split(',') if c]
        print('1..%d' % len(self.cases), flush=True)
        failed = 0
        for i, fn in enumerate(self.cases, 1):
            if wanted and fn.__name__ not in wanted:
                print('ok %d %s # SKIP not in HANGAR_PERSON_CASES' % (i, fn.__name__))
                continue
            title = (fn.__doc__ or fn.__name__).strip().split('\n')[0]
            cleanups = []
            try:
                fn(cleanups)
                print('ok %d %s' % (i, title), flush=True)
            except Tap.Skip as e:
                print('ok %d %s # SKIP %s' % (i, title, e), flush=True)
            except Exception as e:
                failed += 1
                for line in traceback.format_exc().rstrip().split('\n'):
                    log(line)
                screenshot('fail-%s' % fn.__name__)
                print('not ok %d %s: %s' % (i, title, e), flush=True)
            finally:
                for cleanup in reversed(cleanups):
                    try:
                        cleanup()
                    except Exception as e:
                        log('cleanup:', e)
        return 1 if failed else 0
