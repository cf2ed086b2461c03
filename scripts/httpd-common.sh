# Shell functions shared by scripts/run-server and scripts/bench (sourced).

TOP=$(cd "$(dirname "$0")/.." && pwd)
MODDIR=$(apxs -q LIBEXECDIR)
HTTPD=$(apxs -q SBINDIR)/$(apxs -q TARGET)

# LoadModule lines for the modules named that are not compiled in.
load_modules() {
    for m in "$@"; do
        if ! "$HTTPD" -l | grep -q "mod_$m.c"; then
            echo "LoadModule ${m}_module $MODDIR/mod_$m.so"
        fi
    done
    echo "LoadModule appointments_module \"$TOP/.libs/mod_appointments.so\""
}

# A folder the server's user can write (the SQLite database's).
server_dir() {
    mkdir -p "$1"
    if [ "$(id -u)" = 0 ]; then
        chown nobody:nogroup "$1"
    fi
}

# User/Group lines when started as root.
user_lines() {
    if [ "$(id -u)" = 0 ]; then
        printf 'User nobody\nGroup nogroup\n'
    fi
}

# start_httpd CONF RUNDIR: checks the configuration, starts httpd and
# waits for its pid file.
start_httpd() {
    "$HTTPD" -t -f "$1" >/dev/null
    "$HTTPD" -f "$1" -k start
    i=0
    while [ ! -f "$2/httpd.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    if [ ! -f "$2/httpd.pid" ]; then
        echo "httpd did not start; see $2/error.log" >&2
        tail -n 20 "$2/error.log" >&2 || true
        return 1
    fi
}

# stop_httpd CONF RUNDIR
stop_httpd() {
    if [ -f "$2/httpd.pid" ] && kill -0 "$(cat "$2/httpd.pid")" 2>/dev/null; then
        "$HTTPD" -f "$1" -k stop
        i=0
        while [ -f "$2/httpd.pid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
        return 0
    fi
    return 1
}
