#!/bin/sh
# The Debian package (make check-deb, after make deb): its files are where
# they belong, it depends on the runtime libraries, and the program
# unpacked from it into an empty root (dpkg-deb -x) runs from there: a
# station and its doctor, in Chinese, with no build tree in sight.
. "${top_srcdir:-.}/tests/lib.sh"

: "${DEB_DIR:?DEB_DIR must name the folder of the built .deb (make check-deb sets it)}"
arch=$(dpkg --print-architecture)
deb=$(ls "$DEB_DIR"/guanqing_*_"$arch".deb 2>/dev/null | head -n 1)
plan 11
ok '[ -f "$deb" ]' "the package for $arch was built"
run dpkg-deb -c "$deb"
for f in ./usr/bin/guanqing ./usr/share/guanqing/shangcheng_divisions.csv ./usr/share/guanqing/pinyin.txt \
	./usr/share/guanqing/forms/child_visit.form ./usr/share/locale/zh_CN/LC_MESSAGES/guanqing.mo \
	./usr/share/man/man1/guanqing.1.gz ./usr/share/man/zh_CN/man1/guanqing.1.gz \
	./usr/share/guanqing/kit-install.sh; do
	printf '%s\n' "$out" | grep -q " $f\$" || fail "$f is in the package"
done
pass "it holds the binary, data, forms, catalogue, man pages (English, Chinese) and kit script"
dep=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libncursesw6 libsqlite3-0 libuuid1 zlib1g libsodium23; do
	printf '%s\n' "$dep" | grep -q "$lib" || fail "it depends on $lib" "Depends: $dep"
done
pass "it depends on the runtime libraries ($dep)"

R=$T/root
dpkg-deb -x "$deb" "$R"
G=$R/usr/bin/guanqing
# The unpacked program is pointed at its unpacked data (it was built for
# /usr); no build tree variable is left.
unset GUANQING_DATA_DIR GUANQING_FORMS_DIR GUANQING_LOCALEDIR
export GUANQING_DATA_DIR=$R/usr/share/guanqing GUANQING_FORMS_DIR=$R/usr/share/guanqing/forms \
	GUANQING_LOCALEDIR=$R/usr/share/locale
run "$G" --version
is "$rc" 0 "the installed binary runs"
like "$out" '^guanqing [0-9]' "and gives its version"
run "$G" --db "$T/s.db" station init --village 411524103205
is "$rc" 0 "it makes a station database"
run "$G" --db "$T/s.db" person add --name 张三 --id-number "$(idnum 41152420150101001)" --category left_behind_child
is "$rc" 0 "it records a person with its installed data"
run "$G" --db "$T/s.db" visit add --person "$out" --form child_visit --set child_seen=yes \
	--set visit_kind=home --set guardian_present=yes --set guardian_relation=grandparent \
	--set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly \
	--set school_status=in_school --set grade=primary_5 --set health=healthy --set psych_state=good
is "$rc" 0 "and a visit with its installed forms"
run env LANGUAGE=zh_CN "$G" --lang zh --db "$T/s.db" doctor
like "$out" '一切正常' "doctor speaks Chinese from the installed catalogue"
like "$out" "数据：$R/usr/share/guanqing" "and names the installed data"
run "$G" --db "$T/s.db" check
is "$rc" 0 "guanqing check passes"
finish
