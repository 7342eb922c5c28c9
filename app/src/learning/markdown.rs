//! Lesson text: Markdown as the content editors write it, rendered to HTML on
//! the server with pulldown-cmark and cleaned with ammonia, so that no script,
//! event-handler attribute, `javascript:` link or inline style reaches a page.

use pulldown_cmark::{html, Options, Parser};

/// Safe HTML of a lesson's Markdown (tables, strikethrough and task lists on).
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .add_tags(["figure", "figcaption"])
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown() {
        let html = to_safe_html("## Check\n\n1. Isolate the **main switch**.\n2. Lock it.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h2>Check</h2>"), "{html}");
        assert!(html.contains("<strong>main switch</strong>"), "{html}");
        assert!(html.contains("<ol>") && html.contains("<table>"), "{html}");
    }

    #[test]
    fn no_script_handler_or_javascript_link_survives() {
        let hostile = concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=\"x.png\" onerror=\"alert(2)\">\n\n",
            "[click](javascript:alert(3))\n\n",
            "<a href=\"/x\" onclick=\"alert(4)\" style=\"color:red\">x</a>\n\n",
            "<iframe src=\"https://evil.example\"></iframe>\n\n",
            "<svg onload=\"alert(5)\"></svg>",
        );
        let html = to_safe_html(hostile).to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "onclick",
            "style=",
            "<iframe",
            "onload",
            "alert(1)",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        // What is harmless stays: the image and the link, without their handlers.
        assert!(html.contains("<img src=\"x.png\""), "{html}");
        assert!(html.contains("href=\"/x\""), "{html}");
    }

    #[test]
    fn links_open_safely() {
        let html = to_safe_html("[Manual](https://nordlift.example/manual.pdf)");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }
}
