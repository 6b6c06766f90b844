/* draw.h - what screens/draw.c gives the other files in screens/ beyond
 * screen.h: the curses attributes of a colour role. Only the files in
 * screens/ include it (it includes curses). */
#ifndef GUANQING_DRAW_H
#define GUANQING_DRAW_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>

#include "guanqing/screen.h"

/* The attributes of role a: colours where the terminal has them, else
 * bold, reverse or underline, so that it reads in monochrome too. */
attr_t ui_attr_of(enum ui_attr a);

/* A dialog box covers lines top..top+h-1 in this frame. When the box is
 * gone or moved in a later frame, those lines are redrawn whole on the
 * terminal: a box edge that split a wide character left the terminal and
 * curses' idea of it apart (characters lost, border pieces left). */
void ui_dialog_covers(int top, int h);

/* Lines the key bar of the top screen takes (1, or 2 when its keys do
 * not fit one line whole); ui_lines() is the screen above it plus one. */
int ui_keybar_lines(void);

#endif
