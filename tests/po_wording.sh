#!/bin/sh
# The Chinese catalogue's wording: one word for the village station
# (服务站, as the design has it), full-width colons after Chinese, no space
# around a user's name before 的; and the program speaks so.
. "${0%/*}/lib.sh"

plan 6
po=${top_srcdir:-.}/po/zh_CN.po
# msgstr TEXT of every entry, one per line (continuation lines joined).
msgstrs() {
	awk '/^msgstr /{s=1; sub(/^msgstr /,""); printf "\n%s", $0; next}
	     /^"/{ if (s) printf "%s", $0; next } { s=0 }' "$po"
}
msgstrs >"$T/strs"
ok '[ "$(wc -l <"$T/strs")" -gt 500 ]' "the catalogue's translations are read ($(wc -l <"$T/strs"))"
is "$(grep '工作站' "$T/strs" | grep -vc '未成年人保护工作站')" 0 "the catalogue calls the village station 服务站, never 工作站"
is "$(LC_ALL=C.UTF-8 grep -cP '[\x{4e00}-\x{9fff}]: ' "$T/strs")" 0 "no ASCII colon follows Chinese in a translation"
is "$(grep -c '%s 的\( 新\)\? \?PIN' "$T/strs")" 0 "no space between a user's name and 的 PIN 码"
run env LANGUAGE=zh_CN "$GUANQING" --lang zh demo --help
like "$out" '演示服务站数据库' "demo --help speaks of the 服务站"
like "$out" '演示县局数据库' "and of the demo county"
finish
