# bench/probe/sitecustomize.py — tells when virt-manager has painted its list.
#
# bench/vs-virt-manager puts this directory on virt-manager's PYTHONPATH.
# Python imports it before virt-manager's own code; it changes nothing in
# virt-manager. Once GTK is loaded it looks, every 5 ms on GTK's own main
# loop, at the machine list ("vm-list", a GtkTreeView over a GtkTreeStore
# with one row per connection and the machines below it). When the list
# holds VS_VIRT_MANAGER_N machines it waits for the window's next painted
# frame and prints, on stderr:
#   virt-manager painted N machines in X ms
# with X counted from the process's start, as Hangar's own
# "populated N machines in X ms" line is.
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import threading
import time


def _process_age_ms():
    with open('/proc/self/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    start_ticks = int(fields[19])   # field 22, starttime
    with open('/proc/uptime') as f:
        uptime = float(f.read().split()[0])
    return (uptime - start_ticks / os.sysconf('SC_CLK_TCK')) * 1000


def _watch(wanted):
    while 'gi.repository.Gtk' not in sys.modules:
        time.sleep(0.002)
    from gi.repository import GLib, Gtk

    state = {'done': False}

    def machines(tree):
        model = tree.get_model()
        if model is None:
            return 0
        total = 0
        it = model.get_iter_first()
        while it is not None:
            total += model.iter_n_children(it)
            it = model.iter_next(it)
        return total

    def find_list(widget):
        if isinstance(widget, Gtk.TreeView) and Gtk.Buildable.get_name(widget) == 'vm-list':
            return widget
        if isinstance(widget, Gtk.Container):
            for child in widget.get_children():
                found = find_list(child)
                if found is not None:
                    return found
        return None

    def painted(clock, window):
        if not state['done']:
            state['done'] = True
            sys.stderr.write('virt-manager painted %d machines in %.0f ms\n'
                             % (wanted, _process_age_ms()))
            sys.stderr.flush()

    def check():
        for window in Gtk.Window.list_toplevels():
            tree = find_list(window)
            if tree is None or not tree.get_mapped() or machines(tree) < wanted:
                continue
            clock = window.get_frame_clock()
            clock.connect('after-paint', painted, window)
            tree.queue_draw()
            return False
        return True

    GLib.timeout_add(5, check)


_n = int(os.environ.get('VS_VIRT_MANAGER_N', '0') or 0)
if _n > 0:
    threading.Thread(target=_watch, args=(_n,), daemon=True).start()
