# screen_lib.sh - drive the real binary in a private tmux server.
# Source after tests/lib.sh. scr_start [ENV...] -- ARGS: start the screens;
# keys ARGS: tmux send-keys; typ TEXT: literal text; screen: the pane;
# wait_for REGEX: poll the pane until it matches (2 s).

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 0
fi
SOCK=gqtest$$
TM="tmux -L $SOCK -f /dev/null"
trap '$TM kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT

# scr_start TERM LANGUAGE EXTRA-ARGS...: SCR_LANG sets the locale
# (C.UTF-8 by default); the extra arguments go before --db, where the
# command line reads --lang.
scr_start() {
	_term=$1 _lang=$2
	shift 2
	$TM kill-server >/dev/null 2>&1
	# A server that is still going away refuses the new session: retry.
	_i=0
	while [ $_i -lt 20 ] && $TM has-session >/dev/null 2>&1; do
		sleep 0.1
		_i=$((_i + 1))
	done
	sleep 0.2
	$TM new-session -d -x 80 -y 24 \
		"env TERM=$_term LANG=${SCR_LANG:-C.UTF-8} LC_ALL=${SCR_LANG:-C.UTF-8} LANGUAGE=$_lang TZ=UTC GUANQING_NOW=$GUANQING_NOW \
		GUANQING_DATA_DIR=$GUANQING_DATA_DIR GUANQING_FORMS_DIR=$GUANQING_FORMS_DIR \
		GUANQING_LOCALEDIR=${GUANQING_LOCALEDIR:-} $GUANQING $* --db $GUANQING_DB ui; echo EXITED=\$?; sleep 60"
	wait_for 'F10' >/dev/null
}
keys() { $TM send-keys "$@"; sleep 0.15; }
typ() { $TM send-keys -l "$1"; sleep 0.15; }
screen() { $TM capture-pane -p; }
wait_for() {
	_i=0
	while [ $_i -lt 20 ]; do
		if screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
