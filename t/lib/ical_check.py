#!/usr/bin/python3
"""Checks iCalendar answers of mod_appointments with the calendar
libraries calendar programs are built on (Debian's python3-icalendar,
python3-recurring-ical-events, python3-vobject) and with khal.  Used by
t/api/ical_feeds.t; every command prints one JSON document.

  check FILE                   RFC 5545 form (CRLF, folding at 75 octets,
                               UID/DTSTAMP/SEQUENCE, every TZID defined by
                               a VTIMEZONE) and both parsers read it
  expand FILE FROM UNTIL       the occurrences recurring_ical_events finds
                               in [FROM, UNTIL) (dates), normalised
  norm JSONFILE                the module's own occurrences
                               ([start, end, title, allday] with offsets)
                               normalised the same way
  khal FILE DIR FROM DAYS      khal imports FILE into a calendar in DIR
                               (config and XDG folders there) and lists
                               FROM for DAYS days
"""
import datetime
import json
import os
import subprocess
import sys

import icalendar
import recurring_ical_events
import vobject


def out(doc):
    json.dump(doc, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


def check(path):
    raw = open(path, "rb").read()
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    for i, line in enumerate(lines):
        if b"\n" in line or b"\r" in line:
            problems.append("line %d: a bare CR or LF" % (i + 1))
        if len(line) > 75:
            problems.append("line %d: %d octets" % (i + 1, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append("line %d: folded inside a character" % (i + 1))
    cal = icalendar.Calendar.from_ical(raw)
    defined = set()
    vtz_bytes = 0
    for tz in cal.walk("VTIMEZONE"):
        defined.add(str(tz["TZID"]))
        vtz_bytes += len(tz.to_ical())
    used = set()
    events = cal.walk("VEVENT")
    for ev in events:
        for key in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE"):
            if key not in ev:
                problems.append("a VEVENT without %s" % key)
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE"):
            vals = ev.get(key)
            if vals is None:
                continue
            for v in vals if isinstance(vals, list) else [vals]:
                tzid = v.params.get("TZID")
                if tzid:
                    used.add(str(tzid))
    for tzid in sorted(used - defined):
        problems.append("TZID %s has no VTIMEZONE" % tzid)
    v = vobject.readOne(raw.decode("utf-8"))
    vevents = len(v.contents.get("vevent", []))
    if vevents != len(events):
        problems.append("vobject reads %d events, icalendar %d"
                        % (vevents, len(events)))
    out({"problems": problems, "events": len(events),
         "uids": len(set(str(e["UID"]) for e in events)),
         "vtimezone_bytes": vtz_bytes, "tzids": sorted(defined),
         "statuses": sorted(str(e["STATUS"]) for e in events
                            if "STATUS" in e),
         "summaries": sorted(str(e.get("SUMMARY", "")) for e in events)})


def norm_time(t, allday):
    """A start or end as text: a date D:YYYY-MM-DD, else UTC."""
    if allday:
        return "D:" + t.isoformat()
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(s):
    return datetime.date(*map(int, s.split("-")))


def expand(path, start, until):
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    occ = []
    for ev in recurring_ical_events.of(cal).between(day(start), day(until)):
        s = ev["DTSTART"].dt
        e = ev["DTEND"].dt if "DTEND" in ev else s
        allday = not isinstance(s, datetime.datetime)
        occ.append([norm_time(s, allday), norm_time(e, allday),
                    str(ev.get("SUMMARY", ""))])
    out(sorted(occ))


def norm(path):
    occ = []
    for start, end, title, allday in json.load(open(path, encoding="utf-8")):
        s = datetime.datetime.fromisoformat(start)
        e = datetime.datetime.fromisoformat(end)
        if allday:
            # The days it covers: its start's, to the day after its last
            # instant (an end at midnight belongs to the day before).
            last = e - datetime.timedelta(microseconds=1) if e > s else s
            sd, ed = s.date(), last.date() + datetime.timedelta(days=1)
            occ.append([norm_time(sd, True), norm_time(ed, True), title])
        else:
            occ.append([norm_time(s, False), norm_time(e, False), title])
    out(sorted(occ))


def khal(path, folder, start, days):
    cal = os.path.join(folder, "calendar")
    home = os.path.join(folder, "home")
    for d in (cal, home):
        os.makedirs(d, exist_ok=True)
    conf = os.path.join(folder, "khal.conf")
    with open(conf, "w") as f:
        f.write("[calendars]\n[[feed]]\npath = %s\n" % cal
                + "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
                "longdateformat = %Y-%m-%d\n"
                "datetimeformat = %Y-%m-%d %H:%M\n"
                "longdatetimeformat = %Y-%m-%d %H:%M\n"
                "local_timezone = Europe/Amsterdam\n"
                "default_timezone = Europe/Amsterdam\n"
                "[default]\ndefault_calendar = feed\n")
    env = dict(os.environ, HOME=home,
               XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local", "share"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"),
               TZ="Europe/Amsterdam", LC_ALL="C.UTF-8")
    imp = subprocess.run(["khal", "-c", conf, "import", "--batch", path],
                         env=env, capture_output=True, text=True)
    lst = subprocess.run(["khal", "-c", conf, "list", "--format",
                          "{start} {end} {title}", start, "%sd" % days],
                         env=env, capture_output=True, text=True)
    out({"import_rc": imp.returncode, "import_err": imp.stderr.strip(),
         "files": len([n for n in os.listdir(cal) if n.endswith(".ics")]),
         "list_rc": lst.returncode, "list": lst.stdout.splitlines(),
         "list_err": lst.stderr.strip()})


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"check": check, "expand": expand, "norm": norm, "khal": khal}[cmd](*args)
