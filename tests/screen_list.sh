#!/bin/sh
# screen_list.sh - the list widget, compared with golden captures: the
# follow-ups report at 80x24 and 100x30 with Chinese names and grids in
# columns that line up, the sign when rows continue below, Left/Right
# over the columns, and Enter opening the person of a row.
# GOLDEN_UPDATE=1 writes the captures instead of comparing them.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 10
station_db
golden=${top_srcdir:-.}/tests/golden
child="--set visit_kind=home --set guardian_present=yes --set guardian_relation=grandparent
 --set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly
 --set school_status=in_school --set grade=primary_5 --set health=healthy
 --set psych_state=good --set child_seen=yes"
g1=$(gq grid add --name 王湾组网格)
g2=$(gq grid add --name 河口组)
i=0
for n in 欧阳·娜娜 王小明 李秀英 张桂兰 陈志强 刘德华 赵丽 孙悟空 周杰 吴敏 郑和 冯小刚 何平 许多多 韩梅梅 曹操 杨柳 朱丽叶 秦岚 尤勇; do
	i=$((i + 1))
	g=$g1
	[ $((i % 2)) = 0 ] && g=$g2
	p=$(gq person add --name "$n" --grid "$g" --category left_behind_child)
	day=$(printf '2026-11-%02d' "$i")
	# shellcheck disable=SC2086
	gq visit add --person "$p" --form child_visit $child --date "$day" \
		--followup "$(printf '2026-12-%02d' "$i")" >/dev/null
done

# compare NAME: the pane against tests/golden/NAME.screen.
compare() {
	screen > "$T/$1.screen"
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$T/$1.screen" "$golden/$1.screen"
	fi
	if cmp -s "$T/$1.screen" "$golden/$1.screen"; then
		pass "$2"
	else
		fail "$2"
		diff "$golden/$1.screen" "$T/$1.screen" | sed 's/^/# /'
	fi
}

scr_start screen en
keys r
wait_for 'Which report'
keys Enter
wait_for 'Follow-ups due: 20 rows'
compare report-80x24 "the follow-ups report at 80x24 matches its golden capture"
s=$(screen)
like "$s" 'more below' "the list says that rows continue below"
like "$s" ' 王湾组网格  2026-12-01         3  欧阳·娜娜     Left-behind child' \
	"a grid of five characters and a name with a middle dot keep their columns"
like "$s" ' 河口组      2026-12-02         4  王小明        Left-behind child' \
	"a shorter grid name is padded by display width, so the dates line up"
$TM resize-window -x 100 -y 30 2>/dev/null || $TM resize-pane -x 100 -y 30
sleep 0.5
compare report-100x30 "at 100x30 the report matches its golden capture"
# At 40 columns the form column is off to the right, and Right shows it.
$TM resize-window -x 40 -y 20 2>/dev/null || $TM resize-pane -x 40 -y 20
sleep 0.5
unlike "$(screen)" 'Form' "at 40 columns the last column is off the screen"
keys Right Right Right
sleep 0.2
like "$(screen)" 'Form' "Right brings the columns that continue to the right"
$TM resize-window -x 80 -y 24 2>/dev/null || $TM resize-pane -x 80 -y 24
keys Left Left Left Down Enter
wait_for 'Visits, newest first'
like "$(screen)" '王小明' "Enter opens the person of the row"
like "$(screen)" 'Visits, newest first' "the person's card"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
