/* wpautop.h: WordPress content as WordPress shows it. WordPress stores an
 * article or comment without paragraph tags (it adds them when it shows
 * the text: wpautop) and with [caption] shortcodes around images. These
 * functions do the same so an imported site looks as it did. They make
 * no HTML safe: an article is its author's trusted HTML; a comment goes
 * through html_sanitize_comment afterwards (render/sanitize.h). */
#ifndef PARLEY_WPAUTOP_H
#define PARLEY_WPAUTOP_H

#include <stddef.h>

#include "../base/buf.h"

/* Blank lines become paragraph breaks and single newlines <br />, except
 * around and inside block elements, inside <pre>, <script>, <style> and
 * HTML comments (wpautop's rules, simplified). Appended to out. */
enum perr wp_autop(const char *s, size_t n, struct buf *out);

/* [caption id=".." align=".." width=".." caption=".."]<img ..> Text
 * [/caption] (and [wp_caption]) become <figure class="wp-caption ALIGN">
 * with the image and a <figcaption>. Anything else is copied. */
enum perr wp_captions(const char *s, size_t n, struct buf *out);

/* wp_captions then wp_autop: what an imported article's page shows. */
enum perr wp_post_html(const char *s, size_t n, struct buf *out);

#endif
