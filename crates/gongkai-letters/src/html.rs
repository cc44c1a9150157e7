//! A letter as a self-contained A4 HTML page (nothing fetched from a network).

use crate::Letter;
use gongkai_core::text::escape_html as esc;

const CSS: &str = "@page{size:A4;margin:37mm 26mm 35mm 28mm}\
body{font-family:'FangSong','仿宋_GB2312','仿宋','Noto Serif CJK SC',serif;font-size:16pt;line-height:1.8;max-width:160mm;margin:2em auto;color:#000}\
h1{font-family:'方正小标宋简体','SimSun','Noto Serif CJK SC',serif;font-size:22pt;font-weight:normal;text-align:center;margin:0 0 .5em}\
.agency{text-align:center;font-size:18pt;margin:0}\
.ref{text-align:center;margin:0 0 1em}\
p{text-indent:2em;margin:0}\
p.to{text-indent:0}\
.sign{text-align:right;margin-top:2em}";

/// Renders the letter as an HTML document.
pub fn to_html(letter: &Letter) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<p class=\"agency\">{}</p>\n",
        esc(&letter.agency)
    ));
    body.push_str(&format!("<h1>{}</h1>\n", esc(&letter.title)));
    body.push_str(&format!(
        "<p class=\"ref\">{}</p>\n",
        esc(&letter.reference)
    ));
    body.push_str(&format!("<p class=\"to\">{}</p>\n", esc(&letter.addressee)));
    for para in letter.paragraphs.iter().chain(letter.remedy.iter()) {
        for line in para.lines() {
            body.push_str(&format!("<p>{}</p>\n", esc(line)));
        }
    }
    body.push_str(&format!(
        "<div class=\"sign\">{}<br>{}</div>\n",
        esc(&letter.agency),
        esc(&letter.date)
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(&letter.title)
    )
}
