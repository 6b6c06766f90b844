#!/bin/sh
# man_pages.sh - the manual pages: the English and the Chinese page render
# without a warning, each names every command of "guanqing --help" and of
# the command table, and both install where man finds them: the Chinese
# page under a zh_CN locale, the English one otherwise.
. "${0%/*}/lib.sh"

EN=$top_srcdir/doc/guanqing.1
ZH=$top_srcdir/doc/zh_CN/guanqing.1

if ! command -v groff >/dev/null 2>&1 || ! command -v man >/dev/null 2>&1; then
	echo "1..0 # SKIP groff and man are not installed (groff-base, man-db)"
	exit 0
fi

# render PAGE: the page as plain text, one wide line per paragraph, so that
# no word is split at a line's end.
render() {
	groff -k -man -Tutf8 -rLL=400n -P-cbou "$1" 2>/dev/null
}

# ---- both render without warnings ----
for page in "$EN" "$ZH"; do
	name=${page#"$top_srcdir"/}
	ok '[ -s "$page" ]' "$name exists"
	run groff -k -man -Tutf8 -ww -z "$page"
	is "$rc" 0 "$name: groff succeeds"
	is "$err" "" "$name: groff -ww gives no warning"
	for width in 80 64; do
		run env MANWIDTH=$width LC_ALL=C.UTF-8 man --warnings -P cat -l "$page"
		is "$rc" 0 "$name: man -l succeeds at $width columns"
		is "$err" "" "$name: man --warnings gives no warning at $width columns"
	done
done
run grep -c '的' "$ZH"
ok '[ "${out:-0}" -gt 50 ]' "the Chinese page is written in Chinese"
is "$(sed -n 1p "$EN" | cut -d' ' -f4-)" "$(sed -n 1p "$ZH" | sed 's/ "用户命令"$/ "User Commands"/' | cut -d' ' -f4-)" \
	"both pages carry the same date and version"
like "$(sed -n 1p "$EN")" "\"guanqing $(gq --version | sed 's/^guanqing //')\"" "the pages carry the program's version"

# ---- every command appears in both pages ----
run gq --help
is "$rc" 0 "guanqing --help succeeds"
help=$out
# The commands: the first word (and a verb after it) of each line of the
# help, the nouns of its "NOUN is ..." sentence, and the commands of the
# table that the short help leaves out.
words=$(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z]*\)\( [a-z][a-z]*\)\{0,1\}\([ ]\|$\).*/\1\2/p')
nouns=$(printf '%s\n' "$help" | sed -n '/NOUN is/,/):/p' | sed 's/.*NOUN is//' |
	tr -c 'a-z\n' ' ' | tr ' ' '\n' | sed '/^$/d; /^or$/d')
ok '[ "$(printf "%s\n" $nouns | wc -l)" -ge 13 ]' "the help names the record nouns"
table="county station villages form check dump demo config history export import conflicts
stations summary report ui kit backup restore doctor help"
verbs="conflicts resolve
kit verify
report list
person search
person move
visit add
application decide
user pin
user unlock"
en=$(render "$EN")
zh=$(render "$ZH")
checked=0
for c in $(printf '%s\n' "$words" | cut -d' ' -f1) $nouns $table; do
	case " $seen " in *" $c "*) continue ;; esac
	seen="$seen $c"
	run gq "$c" --help
	is "$rc" 0 "$c is a command (its --help succeeds)"
	like "$en" "(^|[^a-z_-])$c([^a-z_-]|$)" "the English page names $c"
	like "$zh" "(^|[^a-z_-])$c([^a-z_-]|$)" "the Chinese page names $c"
	checked=$((checked + 1))
done
ok '[ "$checked" -ge 34 ]' "every command and noun was looked for ($checked)"
printf '%s\n' "$words" "$verbs" | grep ' ' | sort -u > "$T/verbs"
while read -r c v; do
	like "$en" "(^|[^a-z_-])$c $v([^a-z_-]|$)" "the English page names $c $v"
	like "$zh" "(^|[^a-z_-])$c $v([^a-z_-]|$)" "the Chinese page names $c $v"
done < "$T/verbs"
# The Chinese page speaks the program's own words.
for term in 服务站 县民政局 数据包 网格员 留守儿童 特困 低保 U盘; do
	like "$(printf '%s\n' "$zh" | tr -d ' ')" "$term" "the Chinese page says $term"
done

# ---- installed, man finds the page of the locale ----
run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top_builddir" \
	install-man install-dist_zhman1DATA DESTDIR="$T/root" prefix=/usr
is "$rc" 0 "make installs the manual pages"
M=$T/root/usr/share/man
ok 'cmp -s "$EN" "$M/man1/guanqing.1"' "the English page is installed in man1"
ok 'cmp -s "$ZH" "$M/zh_CN/man1/guanqing.1"' "the Chinese page is installed in zh_CN/man1"
ok '[ "$(stat -c %a "$M/zh_CN/man1/guanqing.1")" = 644 ]' "the Chinese page is installed mode 644"

# man_page LC_ALL LANGUAGE [MAN OPTIONS]: "man guanqing" from the installed pages.
man_page() {
	_lc=$1 _lang=$2
	shift 2
	env MANPATH="$M" MANWIDTH=80 MANPAGER=cat PAGER=cat LC_ALL="$_lc" LANG="$_lc" \
		LANGUAGE="$_lang" man "$@" -P cat guanqing
}
run man_page C.UTF-8 en
is "$rc" 0 "man guanqing succeeds"
like "$out" 'offline register' "under C.UTF-8 man shows the English page"
unlike "$out" '服务站' "and not the Chinese one"
# man chooses by the messages locale (LC_MESSAGES, set here by LC_ALL), or
# by -L; LANGUAGE alone under C.UTF-8 does not change its choice.
run man_page C.UTF-8 zh_CN -L zh_CN
is "$rc" 0 "man -L zh_CN guanqing succeeds"
like "$out" '服务站' "man -L zh_CN shows the Chinese page"
like "$out" '名称' "with its Chinese headings"
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\{0,1\}8$'; then
	run man_page zh_CN.UTF-8 zh_CN
	is "$rc" 0 "man guanqing under zh_CN.UTF-8 succeeds"
	like "$out" '服务站' "under zh_CN.UTF-8 man shows the Chinese page"
	unlike "$out" 'offline register' "and not the English one"
	run man_page zh_CN.UTF-8 zh_CN -L en
	like "$out" 'offline register' "man -L en under zh_CN.UTF-8 shows the English page"
else
	skip "no zh_CN.UTF-8 locale (locale-gen zh_CN.UTF-8)" 4
fi

done_testing
